"""Which keys a project's task data holds, and what kinds of values: the data manager's columns and filters.

The web app used to take them from the tasks of the page it had loaded, so a field that only later tasks
have (a `cluster` imported after a folder of images) had no column and could not be filtered. The project
keeps a tally instead, {key: {kind: number of tasks}}, added to by every import and new task and moved
by every edit of a task's data. Deleting some tasks clears it (their data is not at hand), and the next
read counts it again in one query over the project's tasks.

Label Studio answers the same question with GET /api/projects/{id}/summary/ (`all_data_columns`,
`common_data_columns`); that endpoint is served from this, with the kinds added as `data_column_types`.
"""
from collections.abc import Iterable

from sqlalchemy import func, select, text, update
from sqlalchemy.orm import Session

from ..models import Project, Task

HIDDEN = {"$undefined$"}  # the key Label Studio files a bare value under; shown as the config's field
_SQLITE_KINDS = {"integer": "number", "real": "number", "true": "boolean", "false": "boolean", "text": "string"}


def kind_of(value) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if value is None:
        return "null"
    return "array" if isinstance(value, list) else "object"


def add(session: Session, project_id: int, datas: Iterable[dict], removed: Iterable[dict] = ()) -> None:
    """Count new tasks' data into the project's tally (and take `removed` data out), inside the caller's
    transaction."""
    # Read under a row lock (PostgreSQL; SQLite's write transaction is one already), so two imports
    # into one project do not each write back their own sum.
    current = session.scalar(select(Project.data_columns).where(Project.id == project_id).with_for_update())
    if current is None:
        return  # not counted yet: the next read counts everything, these tasks included
    tally = {key: dict(kinds) for key, kinds in current.items()}
    for step, group in ((1, datas), (-1, removed)):
        for data in group:
            for key, value in (data or {}).items():
                kinds = tally.setdefault(key, {})
                kind = kind_of(value)
                kinds[kind] = kinds.get(kind, 0) + step
    tally = {key: {k: n for k, n in kinds.items() if n > 0} for key, kinds in tally.items()}
    tally = {key: kinds for key, kinds in tally.items() if kinds}
    session.execute(update(Project).where(Project.id == project_id).values(data_columns=tally))


def forget(session: Session, project_id: int, everything: bool = False) -> None:
    """After tasks are deleted: count again on the next read, or start from empty when all of them went."""
    session.execute(update(Project).where(Project.id == project_id).values(data_columns={} if everything else None))


def _count(session: Session, project_id: int) -> dict[str, dict[str, int]]:
    if session.get_bind().dialect.name == "sqlite":
        sql = ("SELECT j.key, j.type, count(*) FROM task, json_each(task.data) AS j "
               "WHERE task.project_id = :p GROUP BY j.key, j.type")
    else:
        sql = ("SELECT k.key, jsonb_typeof(k.value), count(*) FROM task, jsonb_each(task.data) AS k "
               "WHERE task.project_id = :p AND jsonb_typeof(task.data) = 'object' GROUP BY 1, 2")
    tally: dict[str, dict[str, int]] = {}
    for key, kind, n in session.execute(text(sql), {"p": project_id}):
        kind = _SQLITE_KINDS.get(kind, kind)
        kinds = tally.setdefault(key, {})
        kinds[kind] = kinds.get(kind, 0) + n
    return tally


def tally(session: Session, project: Project) -> dict[str, dict[str, int]]:
    if project.data_columns is None:
        counted = _count(session, project.id)
        session.execute(update(Project).where(Project.id == project.id).values(data_columns=counted))
        session.commit()
        return counted
    return project.data_columns


def filter_type(kinds: dict[str, int]) -> str:
    """The data manager's filter type: Number or Boolean when every value that is there is one."""
    present = {k for k, n in kinds.items() if n and k != "null"}
    if present == {"number"}:
        return "Number"
    if present == {"boolean"}:
        return "Boolean"
    return "String"


def summary(session: Session, project: Project) -> dict:
    counts = tally(session, project)
    total = session.scalar(select(func.count()).where(Task.project_id == project.id)) or 0
    shown = {key: kinds for key, kinds in sorted(counts.items()) if key not in HIDDEN}
    all_columns = {key: sum(kinds.values()) for key, kinds in shown.items()}
    return {"project": project.id, "all_data_columns": all_columns,
            "common_data_columns": [key for key, n in all_columns.items() if total and n >= total],
            "data_column_types": {key: filter_type(kinds) for key, kinds in shown.items()}}
