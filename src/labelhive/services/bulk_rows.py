"""Many rows into a table at once, quickly: SQLite's executemany with values encoded here, PostgreSQL's COPY."""
from datetime import datetime, timezone
from functools import lru_cache

import orjson
from sqlalchemy import JSON, DateTime, insert
from sqlalchemy.orm import Session


def bulk_insert(session: Session, table, rows: list[dict]) -> None:
    """Insert many rows that all have the same keys.

    On SQLite, SQLAlchemy's per-value type processing costs more than SQLite's own work at 100k rows,
    so values are encoded here (JSON as text, datetimes in SQLAlchemy's SQLite format) and handed to
    the driver's executemany. PostgreSQL gets one COPY: an executemany there is one INSERT per row, and
    each would run the task table's statement triggers (migration 0012) once.
    """
    names = list(rows[0])
    # Python-side column defaults (Core would apply them), evaluated once for the batch.
    defaults = {c.name: (c.default.arg(None) if c.default.is_callable else c.default.arg)
                for c in table.c if c.name not in rows[0] and c.default is not None and not c.primary_key}
    if session.get_bind().dialect.name == "postgresql":
        _copy(session, table, names, defaults, rows)
        return
    if session.get_bind().dialect.name != "sqlite":
        session.execute(insert(table), rows)
        return
    fixed = tuple(_encode(table.c[n].type, v) for n, v in defaults.items())
    encoders = [_sqlite_encoder(table.c[name].type) for name in names]
    columns = names + list(defaults)
    sql = f'INSERT INTO "{table.name}" ({", ".join(columns)}) VALUES ({", ".join("?" * len(columns))})'
    values = [tuple(enc(row[n]) if enc else row[n] for n, enc in zip(names, encoders)) + fixed for row in rows]
    session.connection().exec_driver_sql(sql, values)


def _copy(session: Session, table, names: list[str], defaults: dict, rows: list[dict]) -> None:
    from psycopg.types.json import Jsonb

    columns = names + list(defaults)
    as_json = [isinstance(table.c[name].type, JSON) for name in columns]
    fixed = tuple(defaults.values())
    cursor = session.connection().connection.driver_connection.cursor()  # in the session's transaction
    quoted = ", ".join(f'"{c}"' for c in columns)
    with cursor, cursor.copy(f'COPY "{table.name}" ({quoted}) FROM STDIN') as copy:
        for row in rows:
            values = tuple(row[n] for n in names) + fixed
            copy.write_row(tuple(Jsonb(v) if j and v is not None else v for v, j in zip(values, as_json)))


def _encode(column_type, value):
    enc = _sqlite_encoder(column_type)
    return enc(value) if enc else value


@lru_cache(maxsize=16)
def _sqlite_datetime(value: datetime) -> str:
    # Rows of one import share a timestamp, so this formats once per batch.
    return value.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f")


def _sqlite_encoder(column_type):
    if isinstance(column_type, JSON):
        return lambda v: None if v is None else orjson.dumps(v).decode()
    if isinstance(column_type, DateTime):
        return lambda v: None if v is None else _sqlite_datetime(v)
    return None
