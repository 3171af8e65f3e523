"""Export files kept in S3-compatible storage (LABELHIVE_MEDIA_URL=s3://bucket/prefix), so the web process that
serves a download need not be the machine whose worker wrote it.

Files are still written and read in the data dir's export folder: after a snapshot or a conversion is written
it is pushed to the bucket, and before one is read it is pulled into the folder if this machine does not have
it. Without LABELHIVE_MEDIA_URL every call here does nothing. Credentials and endpoint come from boto3's usual
environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_ENDPOINT_URL, AWS_DEFAULT_REGION). Uploaded media
files still live in the data dir.
"""
import os
import threading
from pathlib import Path
from urllib.parse import urlsplit

from ..errors import ValidationFailed

_stores: dict[Path, "S3Files"] = {}
_lock = threading.Lock()


class S3Files:
    def __init__(self, url: str):
        import boto3

        parts = urlsplit(url)
        if parts.scheme != "s3" or not parts.netloc:
            raise ValidationFailed(f"LABELHIVE_MEDIA_URL must look like s3://bucket/prefix, not {url!r}.")
        self.bucket, self.prefix = parts.netloc, parts.path.strip("/")
        self.client = boto3.client("s3")

    def key(self, path: Path) -> str:
        return "/".join(p for p in (self.prefix, "export", path.name) if p)

    def push(self, path: Path) -> None:
        self.client.upload_file(str(path), self.bucket, self.key(path))

    def pull(self, path: Path) -> None:
        part = path.with_name(f"{path.name}.{os.getpid()}.pull")
        self.client.download_file(self.bucket, self.key(path), str(part))
        os.replace(part, path)  # whole or not at all, if two requests pull it at once

    def remove(self, path: Path) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self.key(path))


def configure(export_dir: Path, media_url: str | None) -> None:
    """Keep this export folder's files in the bucket at `media_url` (or, with None, only here)."""
    with _lock:
        if media_url:
            _stores[Path(export_dir).resolve()] = S3Files(media_url)
        else:
            _stores.pop(Path(export_dir).resolve(), None)


def _store(path: Path) -> S3Files | None:
    return _stores.get(Path(path).resolve().parent)


def push(path: Path) -> None:
    """After writing an export file: put it where every machine finds it."""
    if (store := _store(path)) is not None:
        store.push(path)


def pull(path: Path) -> Path:
    """Before reading an export file: fetch it here if another machine wrote it."""
    if not path.exists() and (store := _store(path)) is not None:
        store.pull(path)
    return path


def remove(path: Path) -> None:
    path.unlink(missing_ok=True)
    if (store := _store(path)) is not None:
        store.remove(path)
