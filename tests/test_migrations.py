"""The Alembic migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from labelhive import db
from labelhive.models import Base


def _not_a_data_index(name, type_, _parents) -> bool:
    # The server adds ix_task_data_* at run time for big projects (services/data_indexes.py); on PostgreSQL an
    # earlier test's index outlives the TRUNCATE between tests. They are not part of the migrated schema.
    return not (type_ == "index" and (name or "").startswith("ix_task_data_"))


def test_migrations_match_the_models(database_url):
    engine = db.make_engine(database_url)
    db.upgrade(engine)
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_name": _not_a_data_index})
        assert compare_metadata(context, Base.metadata) == []
    engine.dispose()


def test_the_stats_triggers_survive_every_migration(database_url):
    """Migration 0012's triggers keep the data manager's totals; a later migration that copies a table (SQLite's
    batch mode) would drop the table's triggers with it."""
    from sqlalchemy import text

    engine = db.make_engine(database_url)
    db.upgrade(engine)
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            names = set(conn.scalars(text("SELECT name FROM sqlite_master WHERE type = 'trigger'")))
        else:
            names = set(conn.scalars(text("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")))
    engine.dispose()
    assert {"task_stats_insert", "task_stats_delete", "task_stats_update", "project_stats_delete"} <= names
