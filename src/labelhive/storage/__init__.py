"""Where task media and task files come from: local directories and cloud buckets, behind one interface."""
from importlib import import_module
from pathlib import Path

from .base import ObjectStore, StorageError

# type -> "module:Class"; cloud SDKs are imported only when a storage of that type is used.
BACKENDS = {
    "localfiles": "labelhive.storage.local:LocalFiles",
}


def open_store(storage_type: str, settings: dict, local_root: Path) -> ObjectStore:
    target = BACKENDS.get(storage_type)
    if target is None:
        raise StorageError(f"Storage type '{storage_type}' is not available; use one of {', '.join(BACKENDS)}.")
    module, cls = target.split(":")
    backend = getattr(import_module(module), cls)
    return backend(local_root, settings) if storage_type == "localfiles" else backend(settings)


__all__ = ["BACKENDS", "ObjectStore", "StorageError", "open_store"]
