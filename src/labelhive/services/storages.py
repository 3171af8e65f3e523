"""Project storages: create and validate, sync (import: objects -> tasks; export: annotations -> objects)."""
import re
import traceback as tb
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

import orjson
from sqlalchemy import select
from sqlalchemy import update as sql_update
from sqlalchemy.orm import Session

from .. import storage as backends
from ..db import release
from ..errors import LabelHiveError, NotFound, ValidationFailed, get_or_404
from ..models import Annotation, Project, Storage, StorageLink, Task, User
from ..responses import JSON_OPTIONS
from ..schemas import annotation_json
from . import leases
from .imports import Incoming, bulk_insert, import_tasks, items_to_tasks
from .tasks import serialize_tasks

COMMON = ("regex_filter", "use_blob_urls", "recursive_scan", "presign", "presign_ttl", "prefix", "can_delete_objects")
FIELDS = {
    "localfiles": ("path", "regex_filter", "use_blob_urls", "recursive_scan", "can_delete_objects"),
    "s3": COMMON + ("bucket", "aws_access_key_id", "aws_secret_access_key", "aws_session_token", "region_name",
                    "s3_endpoint"),
    # azure_endpoint and gcs_endpoint are not in Label Studio: they reach emulators (Azurite, a GCS emulator).
    "azure": COMMON + ("container", "account_name", "account_key", "azure_endpoint"),
    "gcs": COMMON + ("bucket", "google_application_credentials", "google_project_id", "gcs_endpoint"),
}
# Credentials are stored but never sent back; the API says only whether they are set.
SECRETS = ("aws_secret_access_key", "aws_session_token", "account_key", "google_application_credentials")
TASK_FILE_EXTS = (".json", ".jsonl")
REPORT_EVERY = 1000


def storage_json(s: Storage, progress: dict | None = None) -> dict:
    settings = s.settings or {}
    out = {k: v for k, v in settings.items() if k not in SECRETS}
    out.update({f"{k}_is_set": bool(settings.get(k)) for k in SECRETS if k in FIELDS.get(s.type, ())})
    out.update(id=s.id, type=s.type, project=s.project_id, title=s.title, description=s.description,
               created_at=s.created_at, last_sync=s.last_sync, last_sync_count=s.last_sync_count,
               last_sync_job=s.last_sync_job, status=s.status, traceback=s.traceback,
               meta={**(s.meta or {}),
                     # Only while it runs: a sync whose process died leaves its last progress behind.
                     **({"progress": progress} if progress and s.status in ("queued", "in_progress") else {})},
               synchronizable=True)
    for key in KEYS_LS_ALWAYS_SENDS.get((s.kind, s.type), ()):
        out.setdefault(key, None)
    return out


# Settings Label Studio's answer always carries, null when never set.
KEYS_LS_ALWAYS_SENDS = {
    ("import", "s3"): ("prefix", "aws_sse_kms_key_id"),
    ("export", "s3"): ("prefix", "aws_sse_kms_key_id", "regex_filter"),
    ("export", "localfiles"): ("regex_filter", "can_delete_objects"),
}


def _now_iso() -> str:
    return datetime.now(timezone.utc).isoformat()


def _stamp_start(s: Storage) -> None:
    """A sync begins: queued now unless claim_sync queued it before."""
    now = _now_iso()
    queued = (s.meta or {}).get("time_queued") if s.status in ("queued", "in_progress") else None
    s.meta = {"attempts": 1, "time_queued": queued or now, "time_in_progress": now, "time_last_ping": now}


def _stamp_end(s: Storage, **counts: int) -> None:
    meta = dict(s.meta or {})
    now = datetime.now(timezone.utc)
    started = meta.get("time_in_progress")
    meta.update(counts, time_completed=now.isoformat(), time_last_ping=now.isoformat(),
                duration=(now - datetime.fromisoformat(started)).total_seconds() if started else 0.0)
    s.meta = meta


def _store(s: Storage, local_root: Path) -> backends.ObjectStore:
    return backends.open_store(s.type, s.settings or {}, local_root)


def validate(s: Storage, local_root: Path) -> None:
    try:
        _store(s, local_root).validate()
    except backends.StorageError as exc:
        raise ValidationFailed(f"Cannot reach this storage: {exc}") from exc


def apply_settings(s: Storage, body: dict) -> None:
    if s.type not in FIELDS:
        raise NotFound(f"No storage type '{s.type}'; use one of {', '.join(FIELDS)}.")
    settings = dict(s.settings or {})
    settings.update({k: v for k, v in body.items() if k in FIELDS[s.type]})
    settings.setdefault("use_blob_urls", s.type == "localfiles")
    settings.setdefault("recursive_scan", True)
    if s.type != "localfiles":  # Label Studio's defaults: hand out presigned URLs that live one minute
        settings.setdefault("presign", True)
        settings.setdefault("presign_ttl", 1)
    if settings.get("regex_filter"):
        try:
            re.compile(settings["regex_filter"])
        except re.error as exc:
            raise ValidationFailed("Validation error", {"regex_filter": [f"Not a valid regular expression: {exc}"]})
    s.settings = settings
    for name in ("title", "description"):
        if name in body:
            setattr(s, name, body[name] or "")


def validate_new(session: Session, project: Project, kind: str, storage_type: str, body: dict,
                 local_root: Path) -> None:
    """Check settings without saving anything: the settings form's "validate connection"."""
    draft = Storage(project_id=project.id, kind=kind, type=storage_type)
    apply_settings(draft, body)
    release(session)
    validate(draft, local_root)


def create(session: Session, project: Project, kind: str, storage_type: str, body: dict, local_root: Path) -> Storage:
    s = Storage(project_id=project.id, kind=kind, type=storage_type, title=body.get("title") or "",
                description=body.get("description") or "")
    apply_settings(s, body)
    release(session)
    validate(s, local_root)
    session.add(s)
    session.commit()
    return s


def update(session: Session, s: Storage, body: dict, local_root: Path) -> Storage:
    draft = Storage(project_id=s.project_id, kind=s.kind, type=s.type, settings=dict(s.settings or {}))
    apply_settings(draft, body)
    release(session)
    validate(draft, local_root)
    apply_settings(s, body)
    session.commit()
    return s


def get(session: Session, project_ids: set[int], storage_id, kind: str, storage_type: str | None) -> Storage:
    s = get_or_404(session, Storage, storage_id, "Storage")
    if s.project_id not in project_ids or s.kind != kind or (storage_type and s.type != storage_type):
        raise NotFound(f"Storage {storage_id} not found")
    return s


def list_for(session: Session, project: Project, kind: str, storage_type: str | None) -> list[Storage]:
    query = select(Storage).where(Storage.project_id == project.id, Storage.kind == kind).order_by(Storage.id)
    if storage_type:
        query = query.where(Storage.type == storage_type)
    return list(session.scalars(query))


def allowed_local_dirs(session: Session, organization_id: int, root: Path) -> list[Path]:
    """Directories attached as local storages to this organization's projects: the only ones we serve."""
    rows = session.scalars(select(Storage.settings).join(Project, Project.id == Storage.project_id).where(
        Project.organization_id == organization_id, Storage.type == "localfiles"))
    return [(root / p["path"]).resolve() for p in rows if p.get("path")]


def _tasks_from_object(store: backends.ObjectStore, key: str, use_blob_urls: bool) -> list[Incoming]:
    if use_blob_urls:
        return [Incoming({"$undefined$": store.task_url(key)}, where=key)]
    if not key.lower().endswith(TASK_FILE_EXTS):
        return []
    raw = store.read(key)
    if key.lower().endswith(".jsonl"):
        items = [orjson.loads(line) for line in raw.splitlines() if line.strip()]
    else:
        items = orjson.loads(raw)
    return items_to_tasks(items, source=key)


def sync_import(session: Session, s: Storage, project: Project, user: User, local_root: Path,
                report: Callable[[str, int, int | None], None] | None = None) -> Storage:
    """Create tasks for objects not seen before, all in one transaction; on failure nothing is imported
    and the storage records the error. `report(phase, done, total)` hears progress now and then."""
    report = report or (lambda phase, done, total=None: None)
    try:
        _stamp_start(s)
        store = _store(s, local_root)
        store.validate()
        seen = set(session.scalars(select(StorageLink.key).where(StorageLink.storage_id == s.id)))
        use_blob_urls = bool(s.settings.get("use_blob_urls"))
        incoming, keys = [], []
        for listed, key in enumerate(store.list_keys(), 1):
            if listed % REPORT_EVERY == 0:
                report("scanning", listed, None)
            if key in seen:
                continue
            try:
                items = _tasks_from_object(store, key, use_blob_urls)
            except orjson.JSONDecodeError as exc:
                raise ValidationFailed(f"{key}: not valid JSON ({exc}).") from exc
            incoming += items
            keys += [key] * len(items)
        report("importing", 0, len(incoming))
        result = import_tasks(session, project, user, incoming, commit=False)
        links = [{"storage_id": s.id, "task_id": t, "key": k} for t, k in zip(result["task_ids"], keys)]
        if links:
            bulk_insert(session, StorageLink.__table__, links)
        s.status, s.traceback, s.last_sync_count = "completed", None, len(result["task_ids"])
        s.last_sync = datetime.now(timezone.utc)
        _stamp_end(s, tasks_existed=len(seen))
        session.commit()
        return s
    except (backends.StorageError, LabelHiveError, OSError) as exc:
        session.rollback()
        s.status, s.traceback = "failed", f"{exc}\n{tb.format_exc(limit=3)}"
        _stamp_end(s)
        s.last_sync = datetime.now(timezone.utc)
        session.commit()
        detail = exc.detail if isinstance(exc, LabelHiveError) else str(exc)
        raise ValidationFailed(f"Sync failed, nothing was imported: {detail}") from exc


def claim_sync(session: Session, s: Storage, lease_s: float) -> bool:
    """Mark the storage queued unless a sync of it is queued or running (in any process: a stopped one's
    lease ends and the sweep fails it). One conditional UPDATE, so two claims at once cannot both win."""
    claimed = session.execute(
        sql_update(Storage).where(Storage.id == s.id, Storage.status.not_in(("queued", "in_progress")))
        .values(status="queued", traceback=None, lease_until=leases.first_lease(lease_s),
                meta={"attempts": 1, "time_queued": _now_iso()})).rowcount == 1
    session.commit()
    return claimed


def sync_in_background(sessions, storage_id: int, kind: str, user_id: int, local_root: Path,
                       progress) -> None:
    """A sync started with ?background=true, on a worker thread; the storage row records the outcome."""
    with sessions() as session:
        s, user = session.get(Storage, storage_id), session.get(User, user_id)
        if s is None or user is None:
            return
        project = session.get(Project, s.project_id)
        s.status = "in_progress"
        session.commit()
        progress.update(storage_id, "scanning", 0)
        try:
            if kind == "import":
                sync_import(session, s, project, user, local_root,
                            lambda phase, done, total=None: progress.update(storage_id, phase, done, total))
            else:
                sync_export(session, s, project, local_root)
        except LabelHiveError:
            pass  # sync_import / sync_export saved the reason on the storage
        finally:
            progress.finish(storage_id)


EXPORT_BATCH = 500


def _payloads(session: Session, project: Project, anns: list[Annotation]) -> list[tuple[Annotation, bytes]]:
    """What Label Studio writes per annotation: the annotation, with its task inside. The tasks of a batch
    are read and serialised together, not one query per annotation."""
    tasks = list(session.scalars(select(Task).where(Task.id.in_({a.task_id for a in anns}))))
    by_id = {t["id"]: t for t in serialize_tasks(session, project, tasks, full=False)}
    out = []
    for ann in anns:
        body = annotation_json(ann)
        body["task"] = by_id[ann.task_id]
        out.append((ann, orjson.dumps(body, option=JSON_OPTIONS)))
    return out


def _write(stores: list[tuple[Storage, backends.ObjectStore]], payloads, failures: dict[int, str]) -> None:
    """Each payload to each store; a store that fails is noted by id and the rest still get theirs."""
    for ann, payload in payloads:
        for s, store in stores:
            try:
                store.write(store.export_key(ann.id), payload)
            except (backends.StorageError, LabelHiveError, OSError) as exc:
                failures[s.id] = f"Writing annotation {ann.id}: {exc}"


def _open_targets(session: Session, project: Project, local_root: Path,
                  failures: dict[int, str]) -> list[tuple[Storage, backends.ObjectStore]]:
    stores = []
    for s in list_for(session, project, "export", None):
        try:
            stores.append((s, _store(s, local_root)))
        except (backends.StorageError, LabelHiveError, OSError) as exc:
            failures[s.id] = str(exc)
    return stores


def _mark_failed(session: Session, failures: dict[int, str]) -> None:
    for storage_id, reason in failures.items():
        s = session.get(Storage, storage_id)
        if s is not None:
            s.status, s.traceback = "failed", reason


def export_annotation(session: Session, project: Project, ann: Annotation, local_root: Path) -> None:
    """Write one saved annotation to every export storage of its project. Called after the save committed:
    a storage that is down records its error and never undoes or blocks the annotator's save."""
    failures: dict[int, str] = {}
    stores = _open_targets(session, project, local_root, failures)
    if stores:
        _write(stores, _payloads(session, project, [ann]), failures)
    if failures:  # most projects have no export storage: then a save costs no extra write here
        _mark_failed(session, failures)
        session.commit()


def export_in_background(sessions, readonly_sessions, project_id: int, annotation_ids: list[int],
                         local_root: Path) -> dict:
    """Annotations made in bulk (accepted predictions, /api/annotations/bulk), written to the project's export
    storages as a job: thousands of bucket writes must not hold up the request. Reads happen in a read-only
    transaction; a failure is recorded on the storage, in a short write of its own, and fails the job (run
    again, it writes the same objects)."""
    failures: dict[int, str] = {}
    with readonly_sessions() as session:
        project = session.get(Project, project_id)
        stores = _open_targets(session, project, local_root, failures) if project else []
        for start in range(0, len(annotation_ids) if stores else 0, EXPORT_BATCH):
            chunk = annotation_ids[start:start + EXPORT_BATCH]
            anns = list(session.scalars(select(Annotation).where(Annotation.id.in_(chunk))))
            _write(stores, _payloads(session, project, anns), failures)
    if failures:
        with sessions() as session:
            _mark_failed(session, failures)
            session.commit()
        raise ValidationFailed("Writing to export storage failed: " + "; ".join(failures.values()))
    return {"annotations": len(annotation_ids), "storages": len(stores)}


def remove_exported(session: Session, project: Project, annotation_ids: list[int], local_root: Path) -> None:
    for s in list_for(session, project, "export", None):
        if not (s.settings or {}).get("can_delete_objects"):
            continue
        try:
            store = _store(s, local_root)
            for annotation_id in annotation_ids:
                store.delete(store.export_key(annotation_id))
        except (backends.StorageError, LabelHiveError, OSError) as exc:
            s.status, s.traceback = "failed", f"Deleting annotations {annotation_ids[:10]}: {exc}"
    session.commit()


def sync_export(session: Session, s: Storage, project: Project, local_root: Path) -> Storage:
    try:
        _stamp_start(s)
        store = _store(s, local_root)
        store.validate()
        count, last_id = 0, 0
        while anns := list(session.scalars(select(Annotation).where(
                Annotation.project_id == project.id, Annotation.id > last_id).order_by(Annotation.id)
                .limit(EXPORT_BATCH))):
            for ann, payload in _payloads(session, project, anns):
                store.write(store.export_key(ann.id), payload)
            count, last_id = count + len(anns), anns[-1].id
        s.status, s.traceback, s.last_sync_count = "completed", None, count
        _stamp_end(s, total_annotations=count)
    except (backends.StorageError, LabelHiveError, OSError) as exc:
        s.status, s.traceback = "failed", str(exc)
        _stamp_end(s)
        session.commit()
        raise ValidationFailed(f"Export sync failed: {exc}") from exc
    s.last_sync = datetime.now(timezone.utc)
    session.commit()
    return s
