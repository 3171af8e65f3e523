"""Predictions: create (with Label Studio's normalisation of bare values), update, delete, bulk import."""
from datetime import datetime, timezone

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from ..errors import ValidationFailed
from ..models import MLBackend, Prediction, Project, Task
from .projects import config_of
from .tasks import recount
from .validation import normalize_prediction_result


def _score(value):
    if value is not None and (not isinstance(value, (int, float)) or isinstance(value, bool)):
        raise ValidationFailed("Validation error", {"score": [f"Must be a number, got {value!r}."]})
    return value


def create_prediction(session: Session, project: Project, task: Task, body: dict) -> Prediction:
    if "result" not in body:
        raise ValidationFailed("Validation error", {"result": ["This field is required."]})
    pred = Prediction(task_id=task.id, project_id=project.id, score=_score(body.get("score")),
                      result=normalize_prediction_result(config_of(project), body["result"]),
                      model_version=str(body.get("model_version") or ""))
    session.add(pred)
    session.flush()
    recount(session, project, [task.id])
    session.commit()
    return pred


def update_prediction(session: Session, project: Project, pred: Prediction, body: dict) -> Prediction:
    if "result" in body:
        pred.result = normalize_prediction_result(config_of(project), body["result"])
    if "score" in body:
        pred.score = _score(body["score"])
    if "model_version" in body:
        pred.model_version = str(body["model_version"] or "")
    session.commit()
    return pred


def delete_prediction(session: Session, project: Project, pred: Prediction) -> None:
    task_id = pred.task_id
    session.delete(pred)
    session.flush()
    recount(session, project, [task_id])
    session.commit()


def import_predictions(session: Session, project: Project, items: list) -> int:
    """POST /api/projects/{id}/import/predictions: all or nothing; an unknown task id is a 400."""
    config = config_of(project)
    now = datetime.now(timezone.utc)
    rows = []
    for i, item in enumerate(items):
        if not isinstance(item, dict) or "task" not in item or "result" not in item:
            raise ValidationFailed(f"Prediction #{i}: needs 'task' (a task id) and 'result'.")
        rows.append(dict(task_id=item["task"], project_id=project.id, score=_score(item.get("score")),
                         result=normalize_prediction_result(config, item["result"]),
                         model_version=str(item.get("model_version") or "undefined"),
                         created_at=now, updated_at=now))
    ids = {r["task_id"] for r in rows}
    if not all(isinstance(t, int) for t in ids):
        raise ValidationFailed("Prediction 'task' must be an integer task id.")
    found = set(session.scalars(select(Task.id).where(Task.project_id == project.id, Task.id.in_(ids))))
    missing = sorted(ids - found)
    if missing:
        raise ValidationFailed(f"Tasks {missing[:10]} are not in project {project.id}; nothing was imported.")
    if rows:
        session.execute(insert(Prediction), rows)
        recount(session, project, list(ids))
        if not project.model_version:
            project.model_version = rows[0]["model_version"]
    session.commit()
    return len(rows)


def prelabel_version(session: Session, project: Project) -> str | None:
    """The model version whose predictions the labeling stream pre-fills with, as Label Studio picks it: the
    project's model_version, or, where that names a connected ML backend, the backend's current version.
    None (every version) while the project names none."""
    if not project.model_version:
        return None
    backend = session.scalars(select(MLBackend).where(MLBackend.project_id == project.id,
                                                      MLBackend.title == project.model_version)).first()
    if backend is None:
        return project.model_version
    return backend.model_version or None


def keep_version(task: dict, version: str | None) -> dict:
    """A serialized task with only the predictions of `version` (all of them when it is None)."""
    if version is not None and "predictions" in task:
        task["predictions"] = [p for p in task["predictions"] if p.get("model_version") == version]
    return task


def model_versions(session: Session, project: Project) -> dict[str, int]:
    rows = session.execute(select(Prediction.model_version, func.count()).where(Prediction.project_id == project.id)
                           .group_by(Prediction.model_version))
    return {mv: n for mv, n in rows}
