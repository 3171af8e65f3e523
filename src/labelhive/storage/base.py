"""The interface every storage backend offers; services/storages.py only talks to this."""
import mimetypes
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar, Protocol

from ..errors import FetchFailed
from ..services import outbound

# Cloud SDKs retry for minutes by default; a wrong endpoint should fail validate in seconds.
CONNECT_TIMEOUT_S = 3
READ_TIMEOUT_S = 30
CHUNK_BYTES = 256 * 1024


class StorageError(Exception):
    """A storage could not be reached or refused us; the message says what to fix (bucket, credentials...)."""


class MissingObject(StorageError):
    """The object a task points to is gone from the bucket."""


class ObjectStore(Protocol):
    def validate(self) -> None:
        """Raise StorageError unless the location exists and the credentials work."""

    def list_keys(self) -> Iterator[str]:
        """Keys under the configured prefix that pass the regex filter (recursively when configured)."""

    def read(self, key: str) -> bytes: ...

    def write(self, key: str, data: bytes) -> None: ...

    def delete(self, key: str) -> None: ...

    def task_url(self, key: str) -> str:
        """What a task's data holds for this object: /data/local-files/?d=..., s3://bucket/key, ..."""

    def export_key(self, annotation_id: int) -> str:
        """Where an export storage writes one annotation."""


@dataclass
class Blob:
    """An object opened for streaming to a browser (the presign route's proxy mode)."""
    chunks: Iterable[bytes]
    content_type: str
    length: int | None
    content_range: str | None = None  # set when answering a Range request (HTTP 206)
    etag: str | None = None
    last_modified: datetime | None = None


class CloudStore(ObjectStore, Protocol):
    """A bucket (S3, GCS) or container (Azure): tasks hold `{scheme}://{bucket}/{key}` URIs."""
    scheme: ClassVar[str]
    bucket: str

    def presigned_url(self, key: str, ttl_s: int) -> str: ...

    def open(self, key: str, range_header: str | None) -> Blob: ...


def check_endpoint(url: str, setting: str) -> None:
    """A user-given endpoint (MinIO, Azurite, an emulator...) through the outbound guard, every address its
    host resolves to, each time a client is built for it (each storage validate, sync, read). The SDKs make
    their own connections, so unlike outbound.fetch this cannot stop a DNS answer that changes between
    this check and their connect; their redirects are switched off where they would follow them."""
    try:
        outbound.check(url, "storage endpoint")
    except FetchFailed as exc:
        raise StorageError(f"{setting} {url} cannot be used: {exc.reason}.") from exc


def folder(prefix: str | None) -> str:
    """Label Studio reads a prefix as a folder: 'images' and 'images/' both mean keys under 'images/'."""
    prefix = (prefix or "").strip("/")
    return prefix + "/" if prefix else ""


def key_filter(regex: str | None) -> Callable[[str], bool]:
    """Which listed keys become tasks: not folder markers, and matching the regex when there is one
    (searched, as for local directories, so '\\.jpe?g$' and Label Studio's '.*jpe?g' both work)."""
    pattern = re.compile(regex) if regex else None
    return lambda key: not key.endswith("/") and (pattern is None or pattern.search(key) is not None)


def byte_range(header: str | None, size: int) -> tuple[int, int] | None:
    """The inclusive (first, last) byte of a single-range 'Range: bytes=...' header, or None for the
    whole object (no header, several ranges, or a range that does not fit: a browser then gets it all)."""
    match = re.fullmatch(r"bytes=(\d*)-(\d*)", (header or "").strip())
    if not match or size == 0 or match.groups() == ("", ""):
        return None
    first, last = match.groups()
    if first == "":
        return max(size - int(last), 0), size - 1
    first_i, last_i = int(first), min(int(last) if last else size - 1, size - 1)
    return (first_i, last_i) if first_i <= last_i else None


def content_type(stored: str | None, key: str) -> str:
    """The stored type, unless it is the generic one SDKs put on uploads that named none: then one guessed
    from the key's extension, so browsers play videos and show images streamed through LabelHive."""
    if stored and stored not in ("application/octet-stream", "binary/octet-stream"):
        return stored
    return mimetypes.guess_type(key)[0] or "application/octet-stream"


def chunked(read: Callable[[int], bytes], close: Callable[[], None] | None = None) -> Iterator[bytes]:
    """A file-like object's read() as an iterator of chunks, closed at the end or when abandoned."""
    try:
        while chunk := read(CHUNK_BYTES):
            yield chunk
    finally:
        if close:
            close()
