"""The interface every storage backend offers; services/storages.py only talks to this."""
from collections.abc import Iterator
from typing import Protocol


class StorageError(Exception):
    """A storage could not be reached or refused us; the message says what to fix (bucket, credentials...)."""


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
