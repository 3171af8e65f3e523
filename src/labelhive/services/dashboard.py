"""A project's dashboard: progress over time, each annotator's throughput, agreement and accuracy, the label
distribution and review outcomes. Grouped queries only (a project of 100k tasks x 3 annotators answers in well
under a second; benchmarks/team_bench.py measures it), and each table also as CSV."""
import csv
import io
from collections import Counter
from datetime import datetime, timezone

import orjson
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from ..models import Annotation, AnnotationReview, DashboardSnapshot, Job, Project, Task, User
from . import agreement
from .background import RUNNING

# Regions (or choices) per control and label list: one row per distinct combination, counted in the database.
_LABELS_SQLITE = """
SELECT json_extract(r.value, '$.value.' || json_extract(r.value, '$.type')), count(*)
FROM annotation AS a, json_each(a.result) AS r
WHERE a.project_id = :p AND a.was_cancelled = 0 AND json_type(a.result) = 'array'
  AND json_type(r.value) = 'object'
GROUP BY 1"""
_LABELS_POSTGRES = """
SELECT (r -> 'value' -> (r ->> 'type'))::text, count(*)
FROM annotation AS a, jsonb_array_elements(CASE WHEN jsonb_typeof(a.result) = 'array' THEN a.result
                                                ELSE '[]'::jsonb END) AS r
WHERE a.project_id = :p AND NOT a.was_cancelled AND jsonb_typeof(r) = 'object'
GROUP BY 1"""


def progress(session: Session, project: Project) -> list[dict]:
    """Per day: annotations submitted and tasks finished, and the running total of finished tasks."""
    day = func.date(Annotation.created_at)
    # Days as text: SQLite's date() gives text, PostgreSQL's a date.
    submitted = {str(d): n for d, n in session.execute(select(day, func.count()).where(
        Annotation.project_id == project.id, Annotation.was_cancelled.is_(False)).group_by(day))}
    done_day = func.date(Task.completed_at)
    finished = {str(d): n for d, n in session.execute(select(done_day, func.count()).where(
        Task.project_id == project.id, Task.is_labeled.is_(True), Task.completed_at.is_not(None))
        .group_by(done_day))}
    rows, total = [], 0
    for d in sorted(set(submitted) | set(finished)):
        total += finished.get(d, 0)
        rows.append({"day": d, "annotations": submitted.get(d, 0), "finished_tasks": finished.get(d, 0),
                     "finished_total": total})
    return rows


def _median_lead_time(session: Session, project: Project, user_id: int, n: int) -> float | None:
    """The median by the database's ORDER BY ... OFFSET: no annotation leaves it."""
    if not n:
        return None
    return session.scalar(select(Annotation.lead_time).where(
        Annotation.project_id == project.id, Annotation.completed_by_id == user_id,
        Annotation.was_cancelled.is_(False), Annotation.lead_time.is_not(None))
        .order_by(Annotation.lead_time).offset(n // 2).limit(1))


def annotators(session: Session, project: Project) -> list[dict]:
    """Per annotator: annotations, skips, tasks per hour of labeling time, median lead time (s), agreement with
    the others, accuracy against ground truth, and reviews accepted and rejected."""
    a = Annotation
    rows = session.execute(select(
        a.completed_by_id, func.count().filter(a.was_cancelled.is_(False)), func.count().filter(a.was_cancelled),
        func.sum(a.lead_time).filter(a.was_cancelled.is_(False)),
        func.count(a.lead_time).filter(a.was_cancelled.is_(False)),
        func.count().filter(a.review_state == "accepted"), func.count().filter(a.review_state == "rejected"))
        .where(a.project_id == project.id, a.completed_by_id.is_not(None)).group_by(a.completed_by_id)).all()
    users = {u.id: u for u in session.scalars(select(User).where(User.id.in_([r[0] for r in rows])))}
    agreed = agreement.per_annotator(session, project)
    accurate = agreement.accuracy(session, project)
    out = []
    for uid, done, skipped, seconds, timed, accepted, rejected in rows:
        out.append({"user": uid, "email": users[uid].email if uid in users else "", "annotations": done,
                    "skipped": skipped,
                    "tasks_per_hour": round(done / (seconds / 3600), 2) if seconds else None,
                    "median_lead_time": _median_lead_time(session, project, uid, timed),
                    "agreement": agreed.get(uid, {}).get("agreement"),
                    "accuracy": accurate.get(uid, {}).get("accuracy"),
                    "reviews_accepted": accepted, "reviews_rejected": rejected})
    return sorted(out, key=lambda r: (-r["annotations"], r["user"]))


def labels(session: Session, project: Project) -> list[dict]:
    """How many regions (or choices) carry each label, over submitted annotations."""
    sql = _LABELS_SQLITE if session.get_bind().dialect.name == "sqlite" else _LABELS_POSTGRES
    counts: Counter = Counter()
    for found, n in session.execute(text(sql), {"p": project.id}):
        if found is None:
            continue
        try:
            value = orjson.loads(found)
        except orjson.JSONDecodeError:
            continue
        for label in _flat(value):
            counts[label] += n
    return [{"label": k, "count": v} for k, v in counts.most_common()]


def _flat(value) -> list[str]:
    """A result's labels: a list of strings, or Taxonomy's paths joined with " / "."""
    if not isinstance(value, list):
        return []
    return [" / ".join(map(str, x)) if isinstance(x, list) else str(x) for x in value if isinstance(x, (str, list))]


def reviews(session: Session, project: Project) -> dict:
    counts = dict(session.execute(select(Annotation.review_state, func.count()).where(
        Annotation.project_id == project.id, Annotation.was_cancelled.is_(False))
        .group_by(Annotation.review_state)).all())
    return {"accepted": counts.get("accepted", 0), "rejected": counts.get("rejected", 0),
            "waiting": counts.get(None, 0)}


def dashboard(session: Session, project: Project) -> dict:
    return {"progress": progress(session, project), "annotators": annotators(session, project),
            "labels": labels(session, project), "reviews": reviews(session, project),
            "agreement": agreement.project_mean(session, project)}


SECTIONS = {"progress": progress, "annotators": annotators, "labels": labels}


def version(session: Session, project: Project) -> str:
    """Which state of the project's work the figures describe: annotations (how many, the last change) and
    reviews. Any save changes it."""
    n, last = session.execute(select(func.count(Annotation.id), func.max(Annotation.updated_at))
                              .where(Annotation.project_id == project.id)).one()
    review = session.scalar(select(func.max(AnnotationReview.id)).where(AnnotationReview.project_id == project.id))
    return f"{n}:{last}:{review}"


def compute(session: Session, project: Project) -> tuple[str, dict]:
    """The figures and the version of the work they describe; reads only (a read-only session will do)."""
    seen = version(session, project)
    return seen, orjson.loads(orjson.dumps(dashboard(session, project)))  # plain JSON types, as read back later


def save(session: Session, project_id: int, seen: str, body: dict) -> datetime:
    """Keep the figures as the project's snapshot, in a short write of the caller's write session."""
    snap = session.get(DashboardSnapshot, project_id)
    now = datetime.now(timezone.utc)
    if snap is None:
        session.add(DashboardSnapshot(project_id=project_id, version=seen, body=body, computed_at=now))
    else:
        snap.version, snap.body, snap.computed_at = seen, body, now
    session.commit()
    return now


def cached(session: Session, project: Project, queue_refresh, keep) -> dict:
    """The snapshot, at once: computed now if there is none; if the work changed since, it is answered as it is
    (marked stale, with when it was computed) and `queue_refresh()` has a job compute it again, unless one is
    already queued. A project of 100k tasks x 3 annotators takes seconds to compute; the page must not wait.
    `session` only reads (computing holds no write lock); `keep(project_id, version, body)` saves, in a short
    write of its own, and returns when."""
    snap = session.get(DashboardSnapshot, project.id)
    if snap is None:
        if refreshing(session, project):  # a job is computing the first figures (after a big import, say)
            return {**EMPTY, "computed_at": None, "stale": True}
        seen, body = compute(session, project)
        return {**body, "computed_at": keep(project.id, seen, body), "stale": False}
    stale = snap.version != version(session, project)
    if stale and not refreshing(session, project):
        queue_refresh()
    return {**snap.body, "computed_at": snap.computed_at, "stale": stale}


EMPTY = {"progress": [], "annotators": [], "labels": [], "reviews": {"accepted": 0, "rejected": 0, "waiting": 0},
         "agreement": None}


def refreshing(session: Session, project: Project) -> bool:
    """Whether a "dashboard" job for the project is queued or running."""
    return session.scalar(select(Job.id).where(Job.project_id == project.id, Job.kind == "dashboard",
                                               Job.status.in_(RUNNING)).limit(1)) is not None


def refresh(sessions, readonly_sessions, project_id: int) -> None:
    """The "dashboard" job: the figures computed again from a read-only session (no write lock held for the
    seconds it takes), then kept in a short write. The project may be gone by then."""
    with readonly_sessions() as session:
        project = session.get(Project, project_id)
        if project is None:
            return
        seen, body = compute(session, project)
    with sessions() as session:
        if session.get(Project, project_id) is not None:
            save(session, project_id, seen, body)


def as_csv(rows: list[dict]) -> str:
    out = io.StringIO()
    if rows:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return out.getvalue()
