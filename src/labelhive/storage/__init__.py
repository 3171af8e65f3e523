"""Where task media and task files come from: local directories and cloud buckets, behind one interface."""
from importlib import import_module
from pathlib import Path

from .base import Blob, CloudStore, MissingObject, ObjectStore, StorageError

# type -> "module:Class"; cloud SDKs are imported only when a storage of that type is used.
BACKENDS = {
    "localfiles": "labelhive.storage.local:LocalFiles",
    "s3": "labelhive.storage.s3:S3",
    "azure": "labelhive.storage.azure:AzureBlob",
    "gcs": "labelhive.storage.gcs:GCS",
}
# URI scheme in task data -> storage type that can read it.
SCHEMES = {"s3": "s3", "gs": "gcs", "azure-blob": "azure"}


def open_store(storage_type: str, settings: dict, local_root: Path) -> ObjectStore:
    target = BACKENDS.get(storage_type)
    if target is None:
        raise StorageError(f"Storage type '{storage_type}' is not available; use one of {', '.join(BACKENDS)}.")
    module, cls = target.split(":")
    backend = getattr(import_module(module), cls)
    return backend(local_root, settings) if storage_type == "localfiles" else backend(settings)


def parse_uri(uri: str) -> tuple[str, str, str] | None:
    """'s3://bucket/a/b.jpg' -> ('s3', 'bucket', 'a/b.jpg'): storage type, bucket, key; None if not a cloud URI."""
    scheme, sep, rest = uri.partition("://")
    bucket, _, key = rest.partition("/")
    if not sep or scheme not in SCHEMES or not bucket or not key:
        return None
    return SCHEMES[scheme], bucket, key


__all__ = ["BACKENDS", "SCHEMES", "Blob", "CloudStore", "MissingObject", "ObjectStore", "StorageError", "open_store",
           "parse_uri"]
