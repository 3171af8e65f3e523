"""SQLite's answer to a `contains` filter on a data field in a big project: an FTS5 table with the trigram
tokenizer, which serves LIKE '%...%' from its index (PostgreSQL gets a pg_trgm index instead, see
data_indexes.py). Without it, every task's JSON is read: 0.55 s per page at 1M tasks.

One table per field (rowid = task id, v = the field's value), filled once and kept in step with the task
table by triggers, in the same transactions as the writes. Made in the background like the data indexes,
when a big project is first filtered so; until then, and for fields whose name cannot go into SQL, the filter
reads the JSON as before. The trigram tokenizer folds ASCII case, as SQLite's LIKE does.
"""
import threading

from sqlalchemy import column, select, table, text
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

_known: set[tuple[str, str]] = set()  # (database, table) made or found by this process
_lock = threading.Lock()


def ddl(name: str, field: str) -> list[str]:
    """The table, its rows and its triggers for data.<field>; `field` is plain (see data_indexes.usable)."""
    value = f"json_extract(%s.data, '$.{field}')"
    new, old = value % "NEW", value % "OLD"
    return [
        f"CREATE VIRTUAL TABLE {name} USING fts5(v, tokenize='trigram')",
        f"INSERT INTO {name} (rowid, v) SELECT id, {value % 'task'} FROM task WHERE {value % 'task'} IS NOT NULL",
        f"CREATE TRIGGER {name}_insert AFTER INSERT ON task WHEN {new} IS NOT NULL BEGIN "
        f"INSERT INTO {name} (rowid, v) VALUES (NEW.id, {new}); END",
        f"CREATE TRIGGER {name}_delete AFTER DELETE ON task BEGIN DELETE FROM {name} WHERE rowid = OLD.id; END",
        f"CREATE TRIGGER {name}_update AFTER UPDATE OF data ON task BEGIN "
        f"DELETE FROM {name} WHERE rowid = OLD.id; "
        f"INSERT INTO {name} (rowid, v) SELECT NEW.id, {new} WHERE {new} IS NOT NULL; END",
    ]


def existing(conn: Connection, prefix: str) -> set[str]:
    """The text-search tables this SQLite database holds (not FTS5's own shadow tables)."""
    rows = conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE :p "
                             "AND sql LIKE 'CREATE VIRTUAL TABLE%'"), {"p": prefix + "%"})
    return {r[0] for r in rows}


def known(database: str, name: str) -> None:
    with _lock:
        _known.add((database, name))


def forget() -> None:
    with _lock:
        _known.clear()


def matching_ids(session: Session, name: str, pattern: str):
    """The task ids whose value is LIKE `pattern`, from the table `name` if this process knows it is there;
    None otherwise (the caller then compares the JSON)."""
    with _lock:
        if (str(session.get_bind().url), name) not in _known:
            return None
    fts = table(name, column("rowid"), column("v"))
    return select(fts.c.rowid).where(fts.c.v.like(pattern))
