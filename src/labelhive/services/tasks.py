"""Tasks: listing through the data-manager query, serialisation with their annotations, counters."""
from collections import defaultdict
from datetime import datetime, timezone

import orjson
from sqlalchemy import and_, case, delete, func, select, update
from sqlalchemy.orm import Session

from ..errors import NotFound, ValidationFailed, get_or_404
from ..models import (
    Annotation,
    ProjectTaskStats,
    Draft,
    StorageLink,
    FileUpload,
    Prediction,
    Project,
    Task,
    User,
    View,
)
from ..schemas import annotation_json, author_json, created_username, draft_json, prediction_json, task_base
from . import data_columns
from . import filters as dm
from . import agreement, assignments, data_indexes, media_urls, page_marks, permissions, text_search
from .projects import config_of
from .validation import validate_data


def task_query(session: Session, project: Project, query: dict | None, view: View | None = None):
    """The WHERE and ORDER BY for a data-manager request: the view's filters unless the query has its own."""
    dialect = session.get_bind().dialect.name
    text_tables = (lambda field, pattern: text_search.matching_ids(
        session, data_indexes.index_name(field, data_indexes.CONTAINS), pattern)) if dialect == "sqlite" else None
    where = and_(Task.project_id == project.id, dm.filters_clause(filters_of(query, view), dialect, text_tables),
                 dm.selection_clause((query or {}).get("selectedItems")))
    return where, dm.order_by(sort_of(query, view), dialect)


def sort_of(query: dict | None, view: View | None = None) -> list | None:
    """The list's ordering: the query's, else the view's."""
    return (query or {}).get("ordering") or ((view.data if view else None) or {}).get("ordering")


def filters_of(query: dict | None, view: View | None = None) -> dict | None:
    """The list's filters: the query's (even an empty set), else the view's."""
    query = query or {}
    if query.get("filters") is not None:
        return query["filters"]
    return ((view.data if view else None) or {}).get("filters")


def _related(session: Session, model, task_ids: list[int]) -> dict[int, list]:
    # Core rows, not ORM objects: the serializers only read attributes, and a page's worth of
    # ORM identity-map bookkeeping costs more than the query.
    table = model.__table__
    grouped: dict[int, list] = defaultdict(list)
    if task_ids:
        for row in session.execute(select(table).where(table.c.task_id.in_(task_ids)).order_by(table.c.id)):
            grouped[row.task_id].append(row)
    return grouped


def _uploads(session: Session, tasks: list[Task]) -> dict[int, str]:
    ids = {t.file_upload_id for t in tasks if t.file_upload_id}
    if not ids:
        return {}
    return {u.id: u.file.rsplit("/", 1)[-1] for u in session.scalars(select(FileUpload).where(FileUpload.id.in_(ids)))}


def expand_authors(session: Session, task: dict) -> dict:
    """A serialized task with each annotation's author as a user object, as GET /api/tasks/{id} answers."""
    ids = {a["completed_by"] for a in task.get("annotations", ()) if isinstance(a["completed_by"], int)}
    users = {u.id: u for u in session.scalars(select(User).where(User.id.in_(ids)))} if ids else {}
    for a in task.get("annotations", ()):
        author = users.get(a["completed_by"])
        if author is not None:
            a.update(completed_by=author_json(author), created_username=created_username(author))
    return task


def _storage_keys(session: Session, task_ids: list[int]) -> dict[int, str]:
    """The storage object each task came from (Label Studio's storage_filename), where it came from one."""
    if not task_ids:
        return {}
    rows = session.execute(select(StorageLink.task_id, StorageLink.key).where(StorageLink.task_id.in_(task_ids)))
    return {task_id: key for task_id, key in rows}


def rename_undefined(data: dict, first_key: str | None) -> dict:
    if first_key and "$undefined$" in data:
        data = dict(data)
        data[first_key] = data.pop("$undefined$")
    return data


def serialize_tasks(session: Session, project: Project, tasks: list, full: bool,
                    user_id: int | None = None, resolve_uri: bool | None = None,
                    author_only: int | None = None) -> list[dict]:
    """Task objects or Core rows -> the data-manager task shape; `full` adds annotations and predictions.
    `resolve_uri` turns URIs of the project's cloud storages into /tasks/{id}/presign links; by default it
    is on when serving a user (user_id given), as Label Studio's task APIs do, and off for exports and ML.
    `author_only`: only that user's annotations (an Annotator sees their own work, permissions.author_filter)."""
    resolve = user_id is not None if resolve_uri is None else resolve_uri
    cloud = media_urls.storage_prefixes(session, project) if resolve else ()
    ids = [t.id for t in tasks]
    anns, preds = _related(session, Annotation, ids), _related(session, Prediction, ids)
    if author_only is not None:
        anns = {tid: [a for a in found if a.completed_by_id == author_only] for tid, found in anns.items()}
    uploads, keys = _uploads(session, tasks), _storage_keys(session, ids)
    given = assignments.by_task(session, ids)
    first_key = next(iter(config_of(project).data_keys), None)
    drafts = _drafts(session, user_id, ids) if user_id else {}
    out = []
    for t in tasks:
        a, p = anns.get(t.id, []), preds.get(t.id, [])
        done = [x for x in a if not x.was_cancelled]
        scores = [x.score for x in p if x.score is not None]
        leads = [x.lead_time for x in a if x.lead_time is not None]
        item = task_base(t)
        data = rename_undefined(t.data, first_key)
        item.update(
            data=media_urls.resolve_uris(data, t.id, cloud), file_upload=uploads.get(t.file_upload_id),
            storage_filename=keys.get(t.id),
            annotations_results=", ".join(_dumps(x.result) for x in a),
            predictions_results=", ".join(_dumps(x.result) for x in p),
            predictions_score=sum(scores) / len(scores) if scores else None,
            annotations_ids=", ".join(str(x.id) for x in a),
            predictions_model_versions=", ".join(sorted({x.model_version for x in p})),
            avg_lead_time=sum(leads) / len(leads) if leads else None,
            annotators=sorted({x.completed_by_id for x in done if x.completed_by_id}),
            drafts=drafts.get(t.id, []), draft_exists=t.id in drafts,
            assignees=given.get(t.id, {}).get("AN", []), review_assignees=given.get(t.id, {}).get("RE", []),
            # Label Studio Enterprise's review columns: how many of the task's annotations reviewers accepted
            # and rejected (their last review).
            reviews_accepted=sum(x.review_state == "accepted" for x in done),
            reviews_rejected=sum(x.review_state == "rejected" for x in done),
        )
        if full:
            item.update(annotations=[annotation_json(x) for x in a], predictions=[prediction_json(x) for x in p])
        out.append(item)
    return out


def _drafts(session: Session, user_id: int, task_ids: list[int]) -> dict[int, list[dict]]:
    """Only the requesting user's drafts: a draft is private unsaved work."""
    grouped: dict[int, list[dict]] = defaultdict(list)
    owner = session.get(User, user_id)
    for d in session.scalars(select(Draft).where(Draft.task_id.in_(task_ids), Draft.user_id == user_id)
                             .order_by(Draft.id)):
        grouped[d.task_id].append(draft_json(d, owner))
    return grouped


def _dumps(value) -> str:
    return orjson.dumps(value).decode()


DEFERRED_JOIN_OFFSET = 1000


def list_page(session: Session, project: Project, query: dict | None, view: View | None,
              page: int, size: int, full: bool, only_ids: bool, user_id: int | None = None,
              resolve_uri: bool | None = None) -> dict:
    where, order = task_query(session, project, query, view)
    filtered = bool((filters_of(query, view) or {}).get("items") or (query or {}).get("selectedItems"))
    total, total_ann, total_pred = _totals(session, project, where, filtered)
    if page > 1 and (page - 1) * size >= total:
        raise NotFound("Invalid page.")
    offset = (page - 1) * size
    if not filtered and not sort_of(query, view) and offset >= page_marks.MARK_EVERY:
        # The plain list in id order: start from the nearest mark below the page, not from the first task.
        first_id, offset = page_marks.start_of(session, project.id, total, offset)
        where = and_(where, Task.id >= first_id)
    if only_ids:
        ids = session.scalars(select(Task.id).where(where).order_by(*order).offset(offset).limit(size))
        tasks_json = [{"id": i} for i in ids]
    else:
        page_query = select(Task.__table__).where(where)
        if offset >= DEFERRED_JOIN_OFFSET:
            # Deep pages: skip the first rows on the (project_id, id) index alone, then read only this page's
            # rows; OFFSET over full rows reads every skipped task's JSON (row 900k of 1M took ~0.9 s).
            page_query = select(Task.__table__).where(
                Task.id.in_(select(Task.id).where(where).order_by(*order).offset(offset).limit(size)))
            offset = 0
        tasks = list(session.execute(page_query.order_by(*order).offset(offset).limit(size)))
        tasks_json = serialize_tasks(session, project, tasks, full, user_id, resolve_uri)
    return {"total_annotations": total_ann, "total_predictions": total_pred, "total": total, "tasks": tasks_json}


def _totals(session: Session, project: Project, where, filtered: bool) -> tuple[int, int, int]:
    """The matching tasks' count and annotation/prediction sums. Unfiltered, from the row the database's
    triggers keep (one primary-key read at any size); filtered, counted (a filter narrows what is read)."""
    if not filtered:
        # A Core read, not session.get: the identity map would hand back a row read before this session's writes.
        stats = session.execute(select(ProjectTaskStats.tasks, ProjectTaskStats.annotations,
                                       ProjectTaskStats.predictions)
                                .where(ProjectTaskStats.project_id == project.id)).first()
        if stats is not None:
            return tuple(stats)
        if not session.scalar(select(Task.id).where(Task.project_id == project.id).limit(1)):
            return 0, 0, 0  # a project without tasks has no row yet
    return session.execute(select(func.count(), func.coalesce(func.sum(Task.total_annotations), 0),
                                  func.coalesce(func.sum(Task.total_predictions), 0)).where(where)).one()


def project_task_page(session: Session, project: Project, page: int, size: int) -> list[dict]:
    """GET /api/projects/{id}/tasks: a plain list, newest change first."""
    where = Task.project_id == project.id
    total = _totals(session, project, where, filtered=False)[0]
    if page > 1 and (page - 1) * size >= total:
        raise NotFound("Invalid page.")
    tasks = list(session.execute(select(Task.__table__).where(where)
                                 .order_by(Task.updated_at.desc(), Task.id.desc()).offset((page - 1) * size).limit(size)))
    return plain_tasks(session, project, tasks)


# Label Studio's plain task (its TaskSimple serializer), answered by /api/projects/{id}/tasks.
PLAIN_TASK_KEYS = ("id", "data", "meta", "created_at", "updated_at", "is_labeled", "overlap", "inner_id",
                   "total_annotations", "cancelled_annotations", "total_predictions", "comment_count",
                   "unresolved_comment_count", "last_comment_updated_at", "project", "updated_by", "file_upload",
                   "comment_authors")


def plain_tasks(session: Session, project: Project, tasks: list, related: bool = True) -> list[dict]:
    """Tasks in Label Studio's plain shape: `updated_by` and `file_upload` as ids, no data-manager columns;
    `related` adds annotations and predictions."""
    out = []
    for t, item in zip(tasks, serialize_tasks(session, project, tasks, full=related, resolve_uri=False)):
        plain = {k: item[k] for k in PLAIN_TASK_KEYS}
        plain.update(updated_by=t.updated_by_id, file_upload=t.file_upload_id)
        if related:
            plain.update(annotations=item["annotations"], predictions=item["predictions"])
        out.append(plain)
    return out


def create_task(session: Session, project: Project, user: User, data, meta=None) -> Task:
    validate_data(config_of(project), data)
    inner = (session.scalar(select(func.max(Task.inner_id)).where(Task.project_id == project.id)) or 0) + 1
    task = Task(project_id=project.id, data=data, meta=meta or {}, inner_id=inner,
                overlap=project.maximum_annotations, updated_by_id=user.id)
    session.add(task)
    data_columns.add(session, project.id, [data])
    session.commit()
    return task


def update_task(session: Session, project: Project, task: Task, user: User, fields: dict) -> Task:
    if "data" in fields:
        validate_data(config_of(project), fields["data"])
        data_columns.add(session, project.id, [fields["data"]], removed=[task.data])
        task.data = fields["data"]
    if "meta" in fields:
        if not isinstance(fields["meta"], dict):
            raise ValidationFailed("Validation error", {"meta": ["Must be a JSON object."]})
        task.meta = fields["meta"]
    task.updated_by_id = user.id
    task.updated_at = datetime.now(timezone.utc)
    session.commit()
    return task


def recount(session: Session, project: Project, task_ids) -> None:
    """Recompute the denormalised counters of some tasks in one UPDATE, inside the caller's transaction."""
    done = and_(Annotation.task_id == Task.id, Annotation.was_cancelled.is_(False))
    n_done = select(func.count()).where(done).scalar_subquery()
    n_cancelled = select(func.count()).where(Annotation.task_id == Task.id,
                                             Annotation.was_cancelled.is_(True)).scalar_subquery()
    n_preds = select(func.count()).where(Prediction.task_id == Task.id).scalar_subquery()
    last_done = select(func.max(Annotation.created_at)).where(done).scalar_subquery()
    # IGNORE_SKIPPED: a skip settles the task as an annotation does (Label Studio's skip queue setting).
    labeled = (n_done + n_cancelled if project.skip_queue == "IGNORE_SKIPPED" else n_done) >= Task.overlap
    session.execute(update(Task).where(Task.id.in_(task_ids)).values(
        total_annotations=n_done, cancelled_annotations=n_cancelled, total_predictions=n_preds,
        is_labeled=labeled, completed_at=case((labeled, last_done), else_=None),
        updated_at=datetime.now(timezone.utc)).execution_options(synchronize_session=False))
    agreement.update_tasks(session, project, task_ids)


def delete_tasks(session: Session, project: Project, where) -> int:
    ids = list(session.scalars(select(Task.id).where(where)))
    for start in range(0, len(ids), 5000):
        session.execute(delete(Task).where(Task.id.in_(ids[start:start + 5000])))
    if ids:
        left = session.scalar(select(func.count()).where(Task.project_id == project.id))
        data_columns.forget(session, project.id, everything=not left)
    session.commit()
    return len(ids)


def get_task(session: Session, user: User, task_id) -> tuple[Task, Project]:
    """A task the user may open: in their organization, in a project they may see, and for an Annotator one
    still open to label or holding their own work (permissions.check_task)."""
    task = get_or_404(session, Task, task_id, "Task")
    project = session.get(Project, task.project_id)
    if project.organization_id != user.organization_id:
        raise NotFound(f"Task {task_id} not found")
    permissions.check_project(session, user, project)
    permissions.check_task(session, user, task, project)
    return task, project
