"""Sorting and filtering by a task data field, and the expression indexes that serve them in big projects.

Without an index, a list sorted or filtered by data.n reads the JSON of every task in the project on each
request: about 2 s per page at 1M tasks on SQLite for a sort, 0.5 s for an equality filter's count. An
index on (project_id, value, id) lets the database walk the sorted order or jump to the matching rows
instead (0.07 s and 2 ms). Such an index costs space and write time on every task row, so one is made
only when a project of at least `min_tasks` tasks is sorted or filtered by that field, in the background
(it takes seconds at 1M tasks), and at most MAX_INDEXES in all.

Queries and indexes use the same expression with the JSON path written as a literal: databases match an
index to a query by its expression, and json_extract(data, ?) with a bound path never matches
json_extract(data, '$.n'). Only plain names (letters, digits, _, dots for nesting) are written into SQL
that way; any other field sorts and filters the same, with a bound path and no index.

A sort puts empty values last in both directions. An ascending SQLite index keeps NULLs first, so an
ascending sort orders by (value IS NULL, value, id), and its index has that shape; a descending one walks
(value, id) backwards, which leaves NULLs last. PostgreSQL indexes state direction and NULLS LAST.
A filter compares the value cast to its filter type (so "5" from a CSV equals 5), so its index holds
that cast: one per field and type.
"""
import hashlib
import logging
import re
import threading
from collections.abc import Callable

from sqlalchemy import Boolean, Float, String, cast, func, literal_column, select, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session

from ..models import Task
from . import text_search

log = logging.getLogger("labelhive.data_indexes")

MAX_INDEXES = 32
PREFIX = "ix_task_data_"
SORTS = ("asc", "desc")
CASTS = {"Number": Float, "String": String}  # filter types worth an index (Boolean splits a list in two)
# A `contains` filter on text: on PostgreSQL a trigram index (pg_trgm) finds the matches, on SQLite an FTS5
# trigram table (text_search.py).
CONTAINS = "contains"
INDEXED_OPERATORS = ("equal", "less", "greater", "less_or_equal", "greater_or_equal", "in", "in_list")
_PLAIN = re.compile(r"[A-Za-z0-9_]+(\.[A-Za-z0-9_]+)*\Z")
_FILTER_CASTS = {**CASTS, "Boolean": Boolean}

_lock = threading.Lock()
_building = threading.Lock()  # one build at a time: on SQLite each holds the write lock while it runs
_settled: set[tuple[str, str]] = set()  # (database, index name): made, found, or not to be made
_pending: set[tuple[str, str]] = set()


def _value_sql(field: str, dialect: str, column: str, as_text: bool = False) -> str:
    # `field` matched _PLAIN, so it holds no quote and is safe inside a SQL string literal.
    if dialect == "sqlite":
        return f"json_extract({column}, '$.{field}')"
    parts = field.split(".")
    if len(parts) == 1:
        return f"({column} {'->>' if as_text else '->'} '{field}')"
    return f"({column} {'#>>' if as_text else '#>'} '{{{','.join(parts)}}}')"


def _cast_sql(field: str, ftype: str, dialect: str, column: str) -> str:
    value = _value_sql(field, dialect, column, as_text=True)
    if ftype == "Number" and dialect != "sqlite":
        return f"labelhive_number({value})"  # NULL for text that is no number (migration 0013), never an error
    type_name = {"Number": "FLOAT", "String": "VARCHAR"}[ftype]
    return f"CAST({value} AS {type_name})"


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


def filter_value(field: str, ftype: str, dialect: str):
    """The value a filter compares, cast to the filter's type; None for a field that is not plain."""
    if not _PLAIN.match(field) or ftype not in _FILTER_CASTS:
        return None
    if ftype in CASTS:
        return literal_column(_cast_sql(field, ftype, dialect, f"{Task.__tablename__}.data"), _FILTER_CASTS[ftype]())
    raw = literal_column(_value_sql(field, dialect, f"{Task.__tablename__}.data", as_text=True))
    return cast(raw, _FILTER_CASTS[ftype])


def index_name(field: str, kind: str) -> str:
    digest = hashlib.sha1(field.encode()).hexdigest()[:12]
    return f"{PREFIX}{digest}_{kind.lower()}"


def usable(field: str) -> bool:
    """Whether a data field can have an index (its path is written into SQL as a literal)."""
    return bool(_PLAIN.match(field))


def _ddl(field: str, kind: str, dialect: str, trigram_schema: str = "public") -> str:
    name = index_name(field, kind)
    if kind == CONTAINS:  # PostgreSQL only: on the String filter's expression
        return (f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} ON task USING gin "
                f'(({_cast_sql(field, "String", dialect, "data")}) "{trigram_schema}".gin_trgm_ops)')
    if kind in CASTS:
        value = _cast_sql(field, kind, dialect, "data")
        columns = f"project_id, ({value}), id" if dialect != "sqlite" else f"project_id, {value}, id"
    elif dialect == "sqlite":
        value = _value_sql(field, dialect, "data")
        columns = f"project_id, {value}, id" if kind == "desc" else f"project_id, {value} IS NULL, {value}, id"
    else:
        value = _value_sql(field, dialect, "data")
        columns = f"project_id, {value} DESC NULLS LAST, id DESC" if kind == "desc" else f"project_id, {value}, id"
    if dialect == "sqlite":
        return f"CREATE INDEX IF NOT EXISTS {name} ON task ({columns})"
    # CONCURRENTLY: labeling and imports go on while a million rows are indexed.
    return f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} ON task ({columns})"


def existing(conn: Connection) -> set[str]:
    """The data indexes this database holds (usable ones, in the connection's schema on PostgreSQL)."""
    if conn.dialect.name == "sqlite":
        rows = conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE :p"),
                            {"p": PREFIX + "%"})
        return {r[0] for r in rows} | text_search.existing(conn, PREFIX)
    else:
        rows = conn.execute(text(
            "SELECT c.relname FROM pg_class c JOIN pg_index i ON i.indexrelid = c.oid "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = current_schema() AND c.relname LIKE :p AND i.indisvalid"), {"p": PREFIX + "%"})
    return {r[0] for r in rows}


def schedule(session: Session, project_id: int, wants: list[tuple[str, str]], min_tasks: int,
             submit: Callable) -> None:
    """Have the worker make the indexes this list would use, once, when the project is big enough."""
    engine = session.get_bind()
    keys = [(str(engine.url), index_name(f, k)) for f, k in wants]
    with _lock:
        todo = [(want, key) for want, key in zip(wants, keys) if key not in _settled and key not in _pending]
    if not todo or session.scalar(select(func.count()).where(Task.project_id == project_id)) < min_tasks:
        return
    with _lock:
        todo = [(want, key) for want, key in todo if key not in _pending]
        _pending.update(key for _, key in todo)
    for (field, kind), _ in todo:
        submit(make_index, engine, field, kind)


def building() -> bool:
    """Whether an index build is queued or running in this process."""
    with _lock:
        return bool(_pending)


def forget() -> None:
    """Drop what this process remembers about indexes made or found (they were dropped behind its back)."""
    with _lock:
        _settled.clear()
    text_search.forget()


def make_index(engine: Engine, field: str, kind: str) -> None:
    name = index_name(field, kind)
    key = (str(engine.url), name)
    try:
        with _building:
            _build(engine, field, kind, name)
        with _lock:
            _settled.add(key)
    finally:
        with _lock:
            _pending.discard(key)


def _trigram_schema(conn: Connection) -> str:
    """The schema pg_trgm lives in, adding it (to public) if it is not there yet: trusted since PostgreSQL 13,
    so a database owner may. Fails without the rights, and the list is then read without an index."""
    conn.execute(text("CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public"))
    return conn.scalar(text("SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
                            "WHERE e.extname = 'pg_trgm'"))


def _build(engine: Engine, field: str, kind: str, name: str) -> None:
    text_table = engine.dialect.name == "sqlite" and kind == CONTAINS
    if _make(engine, field, kind, name) and text_table:
        text_search.known(str(engine.url), name)  # committed: other connections see it now


def _drop_abandoned(conn: Connection, name: str) -> None:
    """A CONCURRENTLY build whose process was killed leaves an invalid index, and IF NOT EXISTS would then skip
    the build forever: drop it, unless a build of it is running right now (another process's)."""
    abandoned = conn.scalar(text(
        "SELECT count(*) FROM pg_class c JOIN pg_index i ON i.indexrelid = c.oid "
        "JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = current_schema() AND c.relname = :name AND NOT i.indisvalid "
        "AND NOT EXISTS (SELECT 1 FROM pg_stat_progress_create_index p WHERE p.index_relid = c.oid)"),
        {"name": name})
    if abandoned:
        log.warning("dropping index %s: its build was stopped before it finished; building it again", name)
        conn.execute(text(f"DROP INDEX CONCURRENTLY IF EXISTS {name}"))


def _make(engine: Engine, field: str, kind: str, name: str) -> bool:
    """Make the index (or text table); True when it is there afterwards."""
    sqlite = engine.dialect.name == "sqlite"
    # SQLite: one write transaction. PostgreSQL: CONCURRENTLY cannot run inside a transaction.
    with (engine.begin() if sqlite else engine.connect().execution_options(isolation_level="AUTOCOMMIT")) as conn:
        have = existing(conn)
        if name in have:
            return True
        if not sqlite:
            _drop_abandoned(conn, name)
        if len(have) >= MAX_INDEXES:
            log.warning("not indexing data.%s: %d data indexes exist already (drop unused %s* indexes to make "
                        "room)", field, len(have), PREFIX)
            return False
        try:
            if sqlite and kind == CONTAINS:
                with conn.begin_nested():  # the table with its triggers, or nothing
                    for statement in text_search.ddl(name, field):
                        conn.execute(text(statement))
            else:
                schema = _trigram_schema(conn) if kind == CONTAINS else ""
                conn.execute(text(_ddl(field, kind, engine.dialect.name, schema)))
            log.info("made index %s for tasks by data.%s (%s)", name, field, kind)
            return True
        except Exception as exc:  # e.g. PostgreSQL cannot cast some task's value to a number
            log.warning("could not index data.%s (%s): %s", field, kind, exc)
            if not sqlite:  # a failed CONCURRENTLY build leaves an invalid index behind
                conn.execute(text(f"DROP INDEX CONCURRENTLY IF EXISTS {name}"))
            return False
