"""Data-manager actions over a selection of tasks (POST /api/dm/actions?id=...)."""
import uuid

import orjson

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from ..errors import ValidationFailed
from ..models import Annotation, Prediction, Project, Task, User, View
from .tasks import delete_tasks, recount, task_query

CHUNK = 5000
ACTIONS = [
    {"id": "retrieve_tasks_predictions", "title": "Retrieve predictions", "order": 90, "dialog": {
        "text": "Send the selected tasks to the project's ML backend and store its predictions.", "type": "confirm"}},
    {"id": "delete_tasks", "title": "Delete tasks", "order": 100, "dialog": {
        "text": "You are going to delete the selected tasks. Please confirm your action.", "type": "confirm"}},
    {"id": "delete_tasks_annotations", "title": "Delete annotations", "order": 101, "dialog": {
        "text": "You are going to delete all annotations from the selected tasks.", "type": "confirm"}},
    {"id": "delete_tasks_predictions", "title": "Delete predictions", "order": 102, "dialog": {
        "text": "You are going to delete all predictions from the selected tasks.", "type": "confirm"}},
    {"id": "predictions_to_annotations", "title": "Accept predictions as annotations", "order": 91, "dialog": {
        "text": "Each selected task gets an annotation made from its prediction of the chosen model version.",
        "type": "confirm"}},
    {"id": "remove_duplicates", "title": "Remove duplicated tasks", "order": 95, "dialog": {
        "text": "Selected tasks with the same data are merged into the oldest one: it gets their annotations "
                "and predictions, and the copies are deleted.", "type": "confirm"}},
]
for _action in ACTIONS:  # Label Studio's dialogs carry the action's title too
    _action["dialog"]["title"] = _action["title"]


def selected_ids(session: Session, project: Project, body: dict, view: View | None) -> list[int]:
    query = {"filters": body.get("filters"), "ordering": body.get("ordering"),
             "selectedItems": body.get("selectedItems") or body.get("selected_items") or {"all": True, "excluded": []}}
    where, _ = task_query(session, project, query, view)
    return list(session.scalars(select(Task.id).where(where).order_by(Task.id)))


def _chunks(ids: list[int]):
    for start in range(0, len(ids), CHUNK):
        yield ids[start:start + CHUNK]


def run_action(session: Session, project: Project, user: User, action: str, body: dict, view: View | None) -> dict:
    """The delete actions. Accepting and retrieving predictions have their own functions: the route hands
    what they create to the worker (export storages, the ML backend)."""
    ids = selected_ids(session, project, body, view)
    if action == "delete_tasks":
        n = delete_tasks(session, project, Task.id.in_(ids)) if ids else 0
        return {"processed_items": n, "detail": f"Deleted {n} tasks"}
    if action in ("delete_tasks_annotations", "delete_tasks_predictions"):
        model = Annotation if action == "delete_tasks_annotations" else Prediction
        deleted = 0
        for chunk in _chunks(ids):
            deleted += session.execute(delete(model).where(model.task_id.in_(chunk))).rowcount or 0
            recount(session, project, chunk)
        session.commit()
        return {"processed_items": len(ids), "detail": f"Deleted {deleted} {model.__tablename__}s"}
    if action == "remove_duplicates":
        n = remove_duplicates(session, project, ids)
        return {"processed_items": n, "detail": f"Removed {n} duplicated tasks"}
    known = ", ".join(a["id"] for a in ACTIONS)
    raise ValidationFailed(f"Unknown action '{action}'. Available actions: {known}.")


def predictions_to_annotations(session: Session, project: Project, user: User, ids: list[int],
                               model_version: str | list[str] | None) -> list[int]:
    """Bulk-accept: each prediction (of model_version when given) not yet accepted becomes an annotation.

    As in Label Studio, running it twice adds nothing the second time: a prediction that already has an
    annotation made from it (parent_prediction) is skipped.
    """
    created: list[int] = []
    accepted = select(Annotation.id).where(Annotation.parent_prediction_id == Prediction.id).exists()
    for chunk in _chunks(ids):
        query = (select(Prediction.id, Prediction.task_id, Prediction.result)
                 .where(Prediction.task_id.in_(chunk), ~accepted).order_by(Prediction.task_id, Prediction.id))
        # The legacy SDK's create_annotations_from_predictions sends a list of versions; the UI sends one.
        if isinstance(model_version, list):
            query = query.where(Prediction.model_version.in_([str(v) for v in model_version]))
        elif model_version:
            query = query.where(Prediction.model_version == model_version)
        rows = [dict(task_id=task_id, project_id=project.id, result=result, completed_by_id=user.id,
                     updated_by_id=user.id, parent_prediction_id=pred_id, unique_id=str(uuid.uuid4()),
                     was_cancelled=False, ground_truth=False, bulk_created=True, last_action="prediction")
                for pred_id, task_id, result in session.execute(query)]
        if rows:
            created += session.scalars(insert(Annotation).returning(Annotation.id), rows)
            recount(session, project, list({r["task_id"] for r in rows}))
    session.commit()
    return created


def remove_duplicates(session: Session, project: Project, ids: list[int]) -> int:
    """Among the selected tasks, those with equal data become one: the oldest keeps its id and gains the
    annotations and predictions of the others, which are deleted. Nobody's work is lost. One transaction."""
    first: dict[bytes, int] = {}
    merge: dict[int, list[int]] = {}
    for chunk in _chunks(ids):
        for task_id, data in session.execute(select(Task.id, Task.data).where(Task.id.in_(chunk)).order_by(Task.id)):
            key = orjson.dumps(data, option=orjson.OPT_SORT_KEYS)
            if key in first:
                merge.setdefault(first[key], []).append(task_id)
            else:
                first[key] = task_id
    copies = [c for group in merge.values() for c in group]
    for keep, group in merge.items():
        for model in (Annotation, Prediction):
            session.execute(update(model).where(model.task_id.in_(group)).values(task_id=keep))
        session.execute(delete(Task).where(Task.id.in_(group)))
    for chunk in _chunks(list(merge)):
        recount(session, project, chunk)
    session.commit()
    return len(copies)
