"""Sorting by a task data field: the ORDER BY, and the expression index that serves it in big projects.

Without an index, every page of a list sorted by data.n reads and sorts the JSON of every task in the
project (about 2 s at 1M tasks on SQLite, whichever page). An index on (project_id, value, id) lets the
database walk the sorted order instead (0.07 s for rows 800k-800,100). Such an index costs space and
write time on every task row, so one is made only when a project of at least `min_tasks` tasks is
sorted by that field, in the background (it takes seconds at 1M tasks), and at most MAX_INDEXES in all.

The ORDER BY and the index use the same expression with the JSON path written as a literal: databases
match an index to a query by its expression, and json_extract(data, ?) with a bound path never matches
json_extract(data, '$.n'). Only plain names (letters, digits, _, dots for nesting) are written into SQL
that way; any other field sorts the same, with a bound path and no index.

Empty values sort last in both directions. An ascending SQLite index keeps NULLs first, so an ascending
sort orders by (value IS NULL, value, id), and its index has that shape; a descending one walks
(value, id) backwards, which leaves NULLs last. PostgreSQL indexes state direction and NULLS LAST.
"""
import hashlib
import logging
import re
import threading
from collections.abc import Callable

from sqlalchemy import func, literal_column, text
from sqlalchemy.engine import Connection, Engine

from ..models import Task

log = logging.getLogger("labelhive.sort_indexes")

MAX_INDEXES = 32
PREFIX = "ix_task_sort_"
_PLAIN = re.compile(r"[A-Za-z0-9_]+(\.[A-Za-z0-9_]+)*\Z")

_lock = threading.Lock()
_settled: set[tuple[str, str]] = set()  # (database, index name): made, found, or not to be made
_pending: set[tuple[str, str]] = set()


def _value_sql(field: str, dialect: str, column: str) -> str:
    # `field` matched _PLAIN, so it holds no quote and is safe inside a SQL string literal.
    if dialect == "sqlite":
        return f"json_extract({column}, '$.{field}')"
    parts = field.split(".")
    return f"({column} -> '{field}')" if len(parts) == 1 else f"({column} #> '{{{','.join(parts)}}}')"


def data_order(field: str, desc: bool, dialect: str) -> list:
    """ORDER BY terms for a data field, empty values last, ties by id in the same direction."""
    if not _PLAIN.match(field):
        if dialect == "sqlite":
            value = func.json_extract(Task.data, "$." + field)
        else:
            value = Task.data[tuple(field.split("."))] if "." in field else Task.data[field]
    else:
        value = literal_column(_value_sql(field, dialect, f"{Task.__tablename__}.data"))
    if desc:
        return [value.desc().nulls_last(), Task.id.desc()]
    if dialect == "sqlite":
        return [value.is_(None), value, Task.id]
    return [value.asc().nulls_last(), Task.id]


def index_name(field: str, desc: bool) -> str:
    digest = hashlib.sha1(field.encode()).hexdigest()[:12]
    return f"{PREFIX}{digest}_{'desc' if desc else 'asc'}"


def _ddl(field: str, desc: bool, dialect: str) -> str:
    value = _value_sql(field, dialect, "data")
    name = index_name(field, desc)
    if dialect == "sqlite":
        columns = f"project_id, {value}, id" if desc else f"project_id, {value} IS NULL, {value}, id"
        return f"CREATE INDEX IF NOT EXISTS {name} ON task ({columns})"
    columns = f"project_id, {value} DESC NULLS LAST, id DESC" if desc else f"project_id, {value}, id"
    # CONCURRENTLY: labeling and imports go on while a million rows are indexed.
    return f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} ON task ({columns})"


def existing(conn: Connection) -> set[str]:
    """The sort indexes this database holds (in the connection's schema on PostgreSQL)."""
    if conn.dialect.name == "sqlite":
        rows = conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE :p"),
                            {"p": PREFIX + "%"})
    else:
        rows = conn.execute(text("SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() "
                                 "AND indexname LIKE :p"), {"p": PREFIX + "%"})
    return {r[0] for r in rows}


def schedule(engine: Engine, sort: tuple[str, bool] | None, total: int, min_tasks: int,
             submit: Callable) -> None:
    """Have the worker make the index for this sort, once, when the list is big enough to need it."""
    if sort is None or total < min_tasks or not _PLAIN.match(sort[0]):
        return
    key = (str(engine.url), index_name(*sort))
    with _lock:
        if key in _settled or key in _pending:
            return
        _pending.add(key)
    submit(make_index, engine, *sort)


def make_index(engine: Engine, field: str, desc: bool) -> None:
    name = index_name(field, desc)
    key = (str(engine.url), name)
    try:
        # SQLite: one write transaction. PostgreSQL: CONCURRENTLY cannot run inside a transaction.
        sqlite = engine.dialect.name == "sqlite"
        with (engine.begin() if sqlite else engine.connect().execution_options(isolation_level="AUTOCOMMIT")) as conn:
            have = existing(conn)
            if name not in have and len(have) >= MAX_INDEXES:
                log.warning("not indexing data.%s for sorting: %d sort indexes exist already (drop unused "
                            "%s* indexes to make room)", field, len(have), PREFIX)
            elif name not in have:
                conn.execute(text(_ddl(field, desc, engine.dialect.name)))
                log.info("made index %s for sorting tasks by data.%s", name, field)
        with _lock:
            _settled.add(key)
    finally:
        with _lock:
            _pending.discard(key)
