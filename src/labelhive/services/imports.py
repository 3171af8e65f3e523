"""Import: payloads (JSON, CSV/TSV/TXT, media files) -> tasks with annotations and predictions, in one transaction."""
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone

from sqlalchemy import delete, func, select, text, update
from sqlalchemy.orm import Session

from .. import labelconfig
from ..errors import ValidationFailed
from ..models import Annotation, FileUpload, ImportBatch, Prediction, Project, Task, User
from . import agreement, data_columns
from .bulk_rows import bulk_insert
from .leases import first_lease
from .projects import config_of, spread_overlap
from .validation import normalize_prediction_result, validate_data, validate_result


@dataclass
class Incoming:
    data: dict
    annotations: list = field(default_factory=list)
    predictions: list = field(default_factory=list)
    meta: dict = field(default_factory=dict)
    file_upload_id: int | None = None
    where: str = ""  # how errors name this task: "Task #3", "tasks.json task #1", "a.csv line 4"


def items_to_tasks(items, file_upload_id: int | None = None, source: str | None = None) -> list[Incoming]:
    """A list of full tasks ({"data": ...}) or bare data dicts; a single dict counts as a list of one.

    Positions are 0-based, as in the user's list; `source` (a file name) prefixes them.
    """
    if isinstance(items, dict):
        items = [items]
    if not isinstance(items, list):
        raise ValidationFailed("Import a JSON list of tasks (or one task object).")
    out = []
    for i, item in enumerate(items):
        where = f"{source} task #{i}" if source else f"Task #{i}"
        if not isinstance(item, dict):
            raise ValidationFailed(f"{where}: each task must be a JSON object, got {type(item).__name__}.")
        if "data" in item and isinstance(item["data"], dict):
            anns, preds = item.get("annotations") or [], item.get("predictions") or []
            if not isinstance(anns, list) or not isinstance(preds, list):
                raise ValidationFailed(f"{where}: 'annotations' and 'predictions' must be lists.")
            meta = item.get("meta") or {}
            out.append(Incoming(item["data"], anns, preds, meta if isinstance(meta, dict) else {},
                                file_upload_id, where))
        else:
            out.append(Incoming(item, file_upload_id=file_upload_id, where=where))
    return out


def _preannotations(config: labelconfig.LabelConfig, data: dict, fields: list[str], where: str) -> list[dict]:
    preds = []
    for name in fields:
        if name not in data:
            raise ValidationFailed(f"{where}: preannotated field '{name}' is not in the task's data.")
        control = config.controls.get(name)
        ctype = control.type if control else "choices"
        to_name = control.to_name[0] if control and control.to_name else "text"
        value = data[name]
        if not isinstance(value, dict):
            if ctype in ("rating", "number", "datetime"):
                value = {ctype: value}
            else:
                value = {"text" if ctype == "textarea" else ctype: value if isinstance(value, list) else [value]}
        preds.append({"result": [{"from_name": name, "to_name": to_name, "type": ctype, "value": value}],
                      "score": 1.0, "model_version": "preannotated"})
    return preds


def _user_id(value, known: set[int], default: int) -> int:
    if isinstance(value, dict):
        value = value.get("id")
    return value if isinstance(value, int) and value in known else default


def import_tasks(session: Session, project: Project, user: User, incoming: list[Incoming],
                 preannotated_from_fields: list[str] | None = None, uploads: list[FileUpload] | None = None,
                 found_formats: dict | None = None, commit: bool = True, lease_s: float | None = None) -> dict:
    """Validate everything first, then insert in bulk; any error raises before a row is written."""
    started = time.perf_counter()
    config = config_of(project)
    first_key = config.data_keys[0] if config.data_keys else None
    now = datetime.now(timezone.utc)
    maximum = project.maximum_annotations
    columns: dict[str, None] = {}
    task_rows, ann_rows, pred_rows = [], [], []
    for i, item in enumerate(incoming):
        where = item.where or f"Task #{i}"
        data = item.data
        if first_key and "$undefined$" in data:
            data = {first_key: data["$undefined$"], **{k: v for k, v in data.items() if k != "$undefined$"}}
        validate_data(config, data, where)
        columns.update(dict.fromkeys(data))
        preds = item.predictions + (_preannotations(config, data, preannotated_from_fields, where)
                                    if preannotated_from_fields else [])
        done = cancelled = 0
        for a in item.annotations:
            if not isinstance(a, dict) or "result" not in a:
                raise ValidationFailed(f"{where}: every annotation needs a 'result' list.")
            validate_result(a["result"], f"{where} annotation")
            was_cancelled = bool(a.get("was_cancelled", False))
            cancelled += was_cancelled
            done += not was_cancelled
            ann_rows.append((i, dict(
                result=a["result"], completed_by_id=a.get("completed_by"),  # resolved below
                was_cancelled=was_cancelled, ground_truth=bool(a.get("ground_truth", False)),
                lead_time=a.get("lead_time"), unique_id=str(uuid.uuid4()), project_id=project.id,
                bulk_created=True, created_at=now, updated_at=now, updated_by_id=user.id)))
        for p in preds:
            if not isinstance(p, dict) or "result" not in p:
                raise ValidationFailed(f"{where}: every prediction needs a 'result'.")
            score = p.get("score")
            if score is not None and not isinstance(score, (int, float)):
                raise ValidationFailed(f"{where}: prediction 'score' must be a number, got {score!r}.")
            pred_rows.append((i, dict(
                result=normalize_prediction_result(config, p["result"]), score=score,
                model_version=str(p.get("model_version") or "undefined"), project_id=project.id,
                created_at=now, updated_at=now)))
        labeled = done + (cancelled if project.skip_queue == "IGNORE_SKIPPED" else 0) >= maximum
        task_rows.append(dict(
            project_id=project.id, data=data, meta=item.meta, overlap=maximum, is_labeled=labeled,
            total_annotations=done, cancelled_annotations=cancelled, total_predictions=len(preds),
            completed_at=now if labeled else None, file_upload_id=item.file_upload_id,
            updated_by_id=user.id, created_at=now, updated_at=now))
    # The first query comes after the loop over the tasks (seconds for a million): on SQLite it takes the
    # write lock, which nobody else's save should wait on while this import only reads its input.
    known_users = set(session.scalars(select(User.id).where(User.organization_id == user.organization_id)))
    for _, row in ann_rows:
        row["completed_by_id"] = _user_id(row["completed_by_id"], known_users, user.id)
    if commit and len(task_rows) > CHUNK_ROWS:
        task_ids = _insert_in_chunks(session, project, task_rows, ann_rows, pred_rows, uploads or [],
                                     lease_s or BATCH_LEASE_S)
    else:
        task_ids = _insert_all(session, project, task_rows, ann_rows, pred_rows)
    if project.maximum_annotations > 1 and (project.overlap_cohort_percentage or 0) < 100:
        # As Label Studio: "N annotators on P% of the tasks" is spread again over the tasks with the new ones.
        spread_overlap(session, project)
    if pred_rows and not project.model_version:
        # As Label Studio: the first imported predictions' version becomes the one the editor pre-labels with.
        project.model_version = pred_rows[0][1]["model_version"]
    if commit:
        session.commit()
    if commit and len(task_rows) >= ANALYZE_MIN_ROWS:
        refresh_statistics(session)
    return {"task_count": len(task_rows), "annotation_count": len(ann_rows), "predictions_count": len(pred_rows),
            "prediction_count": len(pred_rows), "duration": round(time.perf_counter() - started, 3),
            "file_upload_ids": [u.id for u in uploads or []], "could_be_tasks_list": False,
            # Label Studio: {".csv": 1} for files, an empty list when the tasks came as JSON in the body.
            "found_formats": found_formats or [], "data_columns": list(columns), "task_ids": task_ids}


# Bigger imports commit this many tasks at a time, so other writers (an annotator's save) wait for one chunk,
# not for the whole import: on SQLite a 1M-row import held the write lock for ~19 s.
CHUNK_ROWS = 20_000
# A chunk commits well within this (the server passes twice LABELHIVE_JOB_LEASE_S); a batch whose lease ran
# out belongs to a process that died.
BATCH_LEASE_S = 120.0
SQLITE_CHUNK_GAP_S = 0.1


def _insert_in_chunks(session: Session, project: Project, task_rows: list[dict], ann_rows: list, pred_rows: list,
                      uploads: list[FileUpload], lease_s: float) -> list[int]:
    """Insert in chunks, each its own transaction, under an ImportBatch: if a chunk fails, the chunks before
    it are deleted; if the process dies, the lease sweep deletes them (discard_batch). All or nothing."""
    project_id = project.id
    sqlite = session.get_bind().dialect.name == "sqlite"
    upload_ids = [u.id for u in uploads]
    batch = ImportBatch(project_id=project_id, status="running", lease_until=first_lease(lease_s))
    session.add(batch)
    session.commit()
    batch_id = batch.id
    task_ids: list[int] = []
    anns, preds = _by_chunk(ann_rows, len(task_rows)), _by_chunk(pred_rows, len(task_rows))
    try:
        for n, start in enumerate(range(0, len(task_rows), CHUNK_ROWS)):
            chunk = task_rows[start:start + CHUNK_ROWS]
            for row in chunk:
                row["import_batch_id"] = batch_id
            task_ids += _insert_all(session, project, chunk, anns[n], preds[n])
            session.execute(update(ImportBatch).where(ImportBatch.id == batch_id)
                            .values(lease_until=first_lease(lease_s)))
            session.commit()
            if sqlite:
                # A writer waiting on SQLite's lock retries every 100 ms at most; without a gap this import
                # would take the lock back first every time.
                time.sleep(SQLITE_CHUNK_GAP_S)
    except BaseException:
        session.rollback()
        if upload_ids:  # committed with the first chunk; the caller deletes their files
            session.execute(delete(FileUpload).where(FileUpload.id.in_(upload_ids)))
        discard_batch(session, batch_id, "The import failed midway; nothing of it was kept.")
        raise
    session.execute(update(ImportBatch).where(ImportBatch.id == batch_id).values(
        status="completed", lease_until=None, finished_at=datetime.now(timezone.utc)))
    session.commit()
    return task_ids


def _by_chunk(rows: list[tuple[int, dict]], n_tasks: int) -> list[list[tuple[int, dict]]]:
    """(task index, row) pairs split by the chunk their task is in, each index made relative to its chunk."""
    chunks: list[list] = [[] for _ in range(0, n_tasks, CHUNK_ROWS)]
    for i, row in rows:
        chunks[i // CHUNK_ROWS].append((i % CHUNK_ROWS, row))
    return chunks


def discard_batch(session: Session, batch_id: int, reason: str) -> None:
    """Delete what a chunked import wrote (annotations and predictions go with their tasks) and mark it failed."""
    batch = session.get(ImportBatch, batch_id)
    if batch is None:
        return
    session.execute(delete(Task).where(Task.project_id == batch.project_id, Task.import_batch_id == batch_id))
    data_columns.forget(session, batch.project_id, everything=False)
    batch.status, batch.error, batch.lease_until = "failed", reason, None
    batch.finished_at = datetime.now(timezone.utc)
    session.commit()


# PostgreSQL plans from table statistics that only ANALYZE refreshes, and autovacuum may be off or late: a
# fresh 1M-task project paged at 0.4-0.6 s (sorted deep pages 3.4 s) until it ran, 80-170 ms after.
ANALYZE_MIN_ROWS = 10_000


def refresh_statistics(session: Session) -> None:
    """After a big import: let PostgreSQL's planner know the tables grew (a sample: about a second at 1M)."""
    if session.get_bind().dialect.name == "postgresql":
        for table in ("task", "annotation", "prediction"):
            session.execute(text(f"ANALYZE {table}"))
        session.commit()


def _allocate_ids(session: Session, table, n: int) -> list[int]:
    """Ids for n new rows, so children can point at them without a RETURNING round trip per row."""
    if session.get_bind().dialect.name == "postgresql":
        seq = f"{table.name}_id_seq"
        return list(session.scalars(text(f"SELECT nextval('{seq}') FROM generate_series(1, :n)"), {"n": n}))
    # SQLite: the write transaction (BEGIN IMMEDIATE) is held, so nobody else can take these ids.
    start = (session.scalar(select(func.max(table.c.id))) or 0) + 1
    return list(range(start, start + n))


def _insert_all(session: Session, project: Project, task_rows, ann_rows, pred_rows) -> list[int]:
    if not task_rows:
        return []
    inner = session.scalar(select(func.max(Task.inner_id)).where(Task.project_id == project.id)) or 0
    task_ids = _allocate_ids(session, Task.__table__, len(task_rows))
    for n, (row, task_id) in enumerate(zip(task_rows, task_ids), start=inner + 1):
        row["inner_id"], row["id"] = n, task_id
    bulk_insert(session, Task.__table__, task_rows)
    data_columns.add(session, project.id, (row["data"] for row in task_rows))
    for model, rows in ((Annotation, ann_rows), (Prediction, pred_rows)):
        if rows:
            for i, row in rows:
                row["task_id"] = task_ids[i]
            bulk_insert(session, model.__table__, [row for _, row in rows])
    # Tasks imported with two or more annotators get their agreement now, as if labeled here.
    shared = [tid for tid, row in zip(task_ids, task_rows) if row["total_annotations"] >= 2]
    if shared:
        agreement.update_tasks(session, project, shared)
    return task_ids
