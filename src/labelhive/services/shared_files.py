"""Uploads and export files kept in S3-compatible storage (LABELHIVE_MEDIA_URL=s3://bucket/prefix), so web and
worker machines share no disk: the machine that serves a file need not be the one that wrote it.

Files are still written and read in the data dir (media/ and export/): once written, a file is pushed to the
bucket (under <prefix>/media/... or <prefix>/export/...); before one is read, it is pulled into the data dir if
this machine does not have it. Without LABELHIVE_MEDIA_URL every call here does nothing. Credentials and
endpoint come from boto3's usual environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_ENDPOINT_URL,
AWS_DEFAULT_REGION).
"""
import os
import shutil
import threading
from pathlib import Path
from urllib.parse import urlsplit

from ..errors import ValidationFailed

_roots: dict[Path, tuple["S3Files", str]] = {}  # folder -> (its bucket, its name there)
_lock = threading.Lock()


class S3Files:
    def __init__(self, url: str):
        import boto3

        parts = urlsplit(url)
        if parts.scheme != "s3" or not parts.netloc:
            raise ValidationFailed(f"LABELHIVE_MEDIA_URL must look like s3://bucket/prefix, not {url!r}.")
        self.bucket, self.prefix = parts.netloc, parts.path.strip("/")
        self.client = boto3.client("s3")

    def key(self, name: str, relative: str) -> str:
        return "/".join(p for p in (self.prefix, name, relative) if p)

    def push(self, path: Path, key: str) -> None:
        self.client.upload_file(str(path), self.bucket, key)

    def pull(self, path: Path, key: str) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        part = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}.pull")
        self.client.download_file(self.bucket, key, str(part))
        os.replace(part, path)  # whole or not at all, if two requests pull it at once

    def remove(self, key: str, under: bool = False) -> None:
        if not under:
            self.client.delete_object(Bucket=self.bucket, Key=key)
            return
        for page in self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=key + "/"):
            objects = [{"Key": o["Key"]} for o in page.get("Contents", [])]
            if objects:
                self.client.delete_objects(Bucket=self.bucket, Delete={"Objects": objects})


def configure(settings) -> None:
    """Keep the data dir's media and export folders in the bucket at settings.media_url (or only here)."""
    with _lock:
        for folder, name in ((settings.media_dir, "media"), (settings.export_dir, "export")):
            if settings.media_url:
                _roots[Path(folder).resolve()] = (S3Files(settings.media_url), name)
            else:
                _roots.pop(Path(folder).resolve(), None)


def _where(path: Path) -> tuple["S3Files", str] | None:
    path = Path(path).resolve()
    for folder, (store, name) in _roots.items():
        if path.is_relative_to(folder):
            return store, store.key(name, path.relative_to(folder).as_posix())
    return None


def push(path: Path) -> None:
    """After writing a file: put it where every machine finds it."""
    if (found := _where(path)) is not None:
        found[0].push(path, found[1])


def pull(path: Path) -> Path:
    """Before reading a file: fetch it here if another machine wrote it (a missing one stays missing)."""
    if not path.exists() and (found := _where(path)) is not None:
        try:
            found[0].pull(path, found[1])
        except Exception as exc:  # botocore's ClientError for a key that is not there
            if "404" not in str(exc) and "Not Found" not in str(exc):
                raise
    return path


def remove(path: Path, folder: bool = False) -> None:
    """Delete a file (or a folder and everything under it) here and in the bucket."""
    if folder:
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)
    if (found := _where(path)) is not None:
        found[0].remove(found[1], under=folder)
