"""Cloud URIs in task data (s3://, gs://, azure-blob://) and the /tasks/{id}/presign links that load them.

A browser cannot open s3://bucket/key, so task JSON shown to people carries /tasks/{id}/presign/?fileuri=
<base64url(uri)> instead, as Label Studio does; that route finds the project storage for the bucket and
redirects to a presigned URL or streams the object through LabelHive.
"""
import base64
import binascii
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import unquote

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import storage as backends
from ..errors import LabelHiveError, NotFound, PermissionDenied, ValidationFailed
from ..models import Project, Storage, Task


class StorageUnavailable(LabelHiveError):
    status_code = 502


def encode_fileuri(uri: str) -> str:
    return base64.urlsafe_b64encode(uri.encode()).decode()


def presign_link(task_id: int, uri: str) -> str:
    return f"/tasks/{task_id}/presign/?fileuri={encode_fileuri(uri)}"


def storage_prefixes(session: Session, project: Project) -> tuple[str, ...]:
    """'s3://bucket/', 'gs://bucket/'... for the project's cloud import storages: the URIs we can serve."""
    schemes = {storage_type: scheme for scheme, storage_type in backends.SCHEMES.items()}
    rows = session.execute(select(Storage.type, Storage.settings).where(
        Storage.project_id == project.id, Storage.kind == "import", Storage.type.in_(schemes)))
    return tuple(sorted({f"{schemes[t]}://{(s or {}).get('container' if t == 'azure' else 'bucket')}/"
                         for t, s in rows}))


def _resolve(value, task_id: int, prefixes: tuple[str, ...]):
    if isinstance(value, str):
        return presign_link(task_id, value) if value.startswith(prefixes) else value
    if isinstance(value, list):
        return [_resolve(v, task_id, prefixes) for v in value]
    if isinstance(value, dict):
        return {k: _resolve(v, task_id, prefixes) for k, v in value.items()}
    return value


def resolve_uris(data: dict, task_id: int, prefixes: tuple[str, ...]) -> dict:
    """Task data with each value that is a URI under one of `prefixes` (storage_prefixes), nested in lists
    and objects too, replaced by its presign link. As in Label Studio, URIs of buckets that no storage of
    the project reads stay as they are. Returns a new dict; `data` is left alone."""
    return _resolve(data, task_id, prefixes) if prefixes else data


def decode_fileuri(value: str | None) -> str:
    """?fileuri= as SDK 2.x sends it (base64url of the URI) or as SDK 1.0.x does (the raw URI)."""
    if not value:
        raise ValidationFailed("Pass ?fileuri=<the s3://, gs:// or azure-blob:// URI, base64url-encoded>.")
    if backends.parse_uri(value):
        return value
    try:
        uri = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        uri = unquote(value)
    if not backends.parse_uri(uri):
        raise ValidationFailed("fileuri must be an s3://, gs:// or azure-blob:// URI with a bucket and a key, "
                               "base64url-encoded.")
    return uri


def _mentions(value, uri: str) -> bool:
    """Whether the data holds `uri` as a value, or whole inside a text (HTML, say); a URI that is only the
    start of one the data holds (s3://b/a for s3://b/a.jpg) does not count."""
    if isinstance(value, str):
        return value == uri or re.search(re.escape(uri) + r"(?=[\s\"'<>)\]]|$)", value) is not None
    if isinstance(value, list):
        return any(_mentions(v, uri) for v in value)
    if isinstance(value, dict):
        return any(_mentions(v, uri) for v in value.values())
    return False


def store_for(session: Session, project: Project, task: Task, uri: str,
              local_root: Path) -> tuple[Storage, backends.CloudStore, str]:
    """The project's import storage that reads `uri`'s bucket, opened, and the object key. Only URIs the
    task's data holds are served: a project member cannot read arbitrary objects through the storage's
    credentials."""
    if not _mentions(task.data, uri):
        raise PermissionDenied(f"Task {task.id}'s data does not refer to {uri}.")
    storage_type, bucket, key = backends.parse_uri(uri)
    rows = session.scalars(select(Storage).where(Storage.project_id == project.id, Storage.kind == "import",
                                                 Storage.type == storage_type).order_by(Storage.id))
    for s in rows:
        store = backends.open_store(s.type, s.settings or {}, local_root)
        if store.bucket == bucket:
            return s, store, key
    raise NotFound(f"{uri} cannot be loaded: project '{project.title}' has no {storage_type} import storage for "
                   f"bucket '{bucket}'. Add one in the project's cloud storage settings.")


def presigns(s: Storage) -> bool:
    return bool((s.settings or {}).get("presign", True))


@contextmanager
def _reading(store: backends.CloudStore, s: Storage, key: str) -> Iterator[None]:
    try:
        yield
    except backends.MissingObject as exc:
        raise NotFound(str(exc)) from exc
    except backends.StorageError as exc:
        raise StorageUnavailable(f"Cannot read {store.task_url(key)} from storage '{s.title or s.id}': {exc}") \
            from exc


def presigned_url(store: backends.CloudStore, s: Storage, key: str) -> str:
    """A URL that reads the object without LabelHive, for presign_ttl minutes (Label Studio's default: 1)."""
    with _reading(store, s, key):
        return store.presigned_url(key, int((s.settings or {}).get("presign_ttl") or 1) * 60)


def open_object(store: backends.CloudStore, s: Storage, key: str, range_header: str | None) -> backends.Blob:
    with _reading(store, s, key):
        return store.open(key, range_header)
