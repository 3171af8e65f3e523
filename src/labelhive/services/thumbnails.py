"""Server-side thumbnails of task images (uploads and http(s) URLs), cached on disk.

A cached thumbnail is rebuilt when its source changes: for files, when the file is newer than the
cache; for URLs, when a revalidation (If-None-Match / If-Modified-Since) after REVALIDATE_S says so.
"""
import hashlib
import io
import json
import time
from types import SimpleNamespace
from collections.abc import Callable
from pathlib import Path

from PIL import Image, UnidentifiedImageError
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import FetchFailed, NotFound, ValidationFailed
from ..models import Project, Task, User
from . import media_urls, outbound
from .media import local_media_path
from .projects import parse_config
from .tasks import rename_undefined

SIZES = (64, 128, 256, 512)
REVALIDATE_S = 600
MAX_SOURCE_BYTES = 50 * 1024 * 1024
FETCH_TIMEOUT_S = 5
# A page of dead links must not tie up the worker threads: remember failures for a while.
FAILURE_TTL_S = 120
CLOUD_SCHEMES = ("s3://", "gs://", "azure-blob://")
_failures: dict[str, tuple[float, str]] = {}


def _render(raw: bytes, size: int, source: str) -> bytes:
    try:
        with Image.open(io.BytesIO(raw)) as img:
            img.draft("RGB", (size, size))  # lets JPEG decode at a reduced scale: much faster for big photos
            img = img.convert("RGB")
            img.thumbnail((size, size))
            out = io.BytesIO()
            img.save(out, "JPEG", quality=82)
            return out.getvalue()
    except (UnidentifiedImageError, OSError) as exc:
        raise NotFound(f"{source} is not an image Pillow can read") from exc


def thumbnail(cache_dir: Path, local_path: Callable[[str], Path | None], url: str, size: int,
              cloud_read: Callable[[str], bytes] | None = None) -> tuple[Path, Path | None]:
    """(cached thumbnail, its local source file or None). `local_path` maps a URL this server serves
    itself (uploads, local files) to its file, else None; `cloud_read` reads an s3://, gs:// or
    azure-blob:// object through the project's storage."""
    if size not in SIZES:
        raise ValidationFailed(f"Thumbnail size must be one of {', '.join(map(str, SIZES))}.")
    if not isinstance(url, str) or not url:
        raise NotFound("This task field holds no image URL.")
    key = hashlib.sha1(f"{size}:{url}".encode()).hexdigest()
    cached = cache_dir / key[:2] / f"{key}.jpg"
    local = local_path(url)
    if local is not None:
        try:
            source_mtime = local.stat().st_mtime
        except FileNotFoundError:
            raise NotFound(f"{url} was deleted") from None
        try:
            fresh = cached.stat().st_mtime >= source_mtime
        except FileNotFoundError:
            fresh = False
        if not fresh:
            _write(cached, _render(local.read_bytes(), size, url))
        return cached, local
    if url.startswith(("http://", "https://")):
        return _remote(cached, url, size), None
    if cloud_read is not None and url.startswith(CLOUD_SCHEMES):
        return _cloud(cached, url, size, cloud_read), None
    raise NotFound(f"No thumbnail for {url[:100]}: use an uploaded file or an http(s) URL")


def _remote(cached: Path, url: str, size: int) -> Path:
    failed = _failures.get(url)
    if failed and time.monotonic() - failed[0] < FAILURE_TTL_S:
        raise NotFound(failed[1])
    try:
        return _fetch_remote(cached, url, size)
    except NotFound as exc:
        if len(_failures) > 10_000:
            _failures.clear()
        _failures[url] = (time.monotonic(), exc.detail)
        raise


def _fetch_remote(cached: Path, url: str, size: int) -> Path:
    meta_path = cached.with_suffix(".json")
    meta = json.loads(meta_path.read_text()) if meta_path.exists() and cached.exists() else {}
    if meta and time.time() - meta.get("checked", 0) < REVALIDATE_S:
        return cached
    headers = {"User-Agent": "LabelHive thumbnailer"}
    if meta.get("etag"):
        headers["If-None-Match"] = meta["etag"]
    if meta.get("last_modified"):
        headers["If-Modified-Since"] = meta["last_modified"]
    try:
        response = outbound.fetch(url, headers=headers, timeout=FETCH_TIMEOUT_S, max_bytes=MAX_SOURCE_BYTES,
                                  what="thumbnail")
    except FetchFailed as exc:
        if meta and exc.kind in outbound.UNREACHABLE:
            return cached  # the source is unreachable right now: an older thumbnail beats none
        raise NotFound(exc.detail) from exc
    if response.status == 304 and meta:
        meta["checked"] = time.time()
        meta_path.write_text(json.dumps(meta))
        return cached
    if response.status >= 300:
        raise NotFound(f"{url} answered HTTP {response.status}")
    _write(cached, _render(response.body, size, url))
    meta_path.write_text(json.dumps({"checked": time.time(), "etag": response.headers.get("ETag"),
                                     "last_modified": response.headers.get("Last-Modified")}))
    return cached


def task_thumbnail(session: Session, user: User, task_id: int, field: str | None, size: int, cache_dir: Path,
                   media_dir: Path, local_root: Path) -> tuple[Path, Path | None]:
    """The thumbnail of one image field of a task, in one query for the task and its project's access."""
    row = session.execute(select(Task.data, Task.project_id, Project.label_config, Project.organization_id)
                          .join(Project, Project.id == Task.project_id).where(Task.id == task_id)).first()
    if row is None or row.organization_id != user.organization_id:
        raise NotFound(f"Task {task_id} not found")
    keys = parse_config(row.label_config).data_keys
    data = rename_undefined(row.data, keys[0] if keys else None)
    if not field or field not in data:
        raise ValidationFailed(f"Pass ?field=<data key>; this task has: {', '.join(data)}.")
    project = session.get(Project, row.project_id)
    task = SimpleNamespace(id=task_id, data=row.data)

    def cloud_read(uri: str) -> bytes:
        storage, store, key = media_urls.store_for(session, project, task, uri, local_root)
        blob = media_urls.open_object(store, storage, key, None)
        return b"".join(blob.chunks)

    return thumbnail(cache_dir, lambda url: local_media_path(session, user.organization_id, media_dir, local_root,
                                                             url), data[field], size, cloud_read)


def _cloud(cached: Path, url: str, size: int, read: Callable[[str], bytes]) -> Path:
    """Bucket objects: re-read after REVALIDATE_S and rebuilt only when the bytes changed."""
    meta_path = cached.with_suffix(".json")
    meta = json.loads(meta_path.read_text()) if meta_path.exists() and cached.exists() else {}
    if meta and time.time() - meta.get("checked", 0) < REVALIDATE_S:
        return cached
    raw = read(url)
    digest = hashlib.sha1(raw).hexdigest()
    if meta.get("sha1") != digest:
        _write(cached, _render(raw, size, url))
    meta_path.write_text(json.dumps({"checked": time.time(), "sha1": digest}))
    return cached


class RecentThumbnails:
    """(task, field, size) -> where its cached thumbnail is, for the grid's repeat requests.

    A hit is answered without a query or a thread hop, which is most of a cached thumbnail's cost.
    An entry is trusted for TTL_S (like credentials, deps.AuthCache): a task whose image URL changes
    shows its old thumbnail that long. A local source newer than the thumbnail, or gone, is a miss, so
    an edited or deleted file is noticed at once.
    """
    TTL_S = 15.0
    MAX_ENTRIES = 50_000

    def __init__(self):
        self._entries: dict[tuple, tuple[int, Path, Path | None, float]] = {}

    def get(self, task_id: int, field: str | None, size: int, organization_id: int) -> Path | None:
        entry = self._entries.get((task_id, field, size))
        if entry is None or entry[0] != organization_id or entry[3] < time.monotonic():
            return None
        _, cached, source, _ = entry
        try:
            if source is not None and source.stat().st_mtime > cached.stat().st_mtime:
                return None
        except FileNotFoundError:
            return None
        return cached

    def put(self, task_id: int, field: str | None, size: int, organization_id: int, cached: Path,
            source: Path | None) -> None:
        if len(self._entries) >= self.MAX_ENTRIES:
            self._entries.clear()
        self._entries[(task_id, field, size)] = (organization_id, cached, source, time.monotonic() + self.TTL_S)


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
