"""project_task_stats: each project's task count and annotation/prediction sums, kept by database triggers

The data manager's unfiltered pages answer their totals from this row instead of counting the project's tasks
(108-173 ms at a million tasks). Triggers, not application code, keep it: every way tasks are written (bulk
imports through Core, cascaded deletes, counter updates) is covered, in the writer's own transaction.
PostgreSQL uses statement-level triggers with transition tables, so an import of a million rows updates the
row once, not a million times; SQLite has row triggers only, and a one-row update there is cheap.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-05 08:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

SQLITE = [
    """CREATE TRIGGER task_stats_insert AFTER INSERT ON task BEGIN
         INSERT INTO project_task_stats (project_id, tasks, annotations, predictions)
         VALUES (NEW.project_id, 1, NEW.total_annotations, NEW.total_predictions)
         ON CONFLICT (project_id) DO UPDATE SET tasks = tasks + 1,
           annotations = annotations + excluded.annotations, predictions = predictions + excluded.predictions;
       END""",
    """CREATE TRIGGER task_stats_delete AFTER DELETE ON task BEGIN
         UPDATE project_task_stats SET tasks = tasks - 1, annotations = annotations - OLD.total_annotations,
           predictions = predictions - OLD.total_predictions WHERE project_id = OLD.project_id;
       END""",
    """CREATE TRIGGER task_stats_update AFTER UPDATE OF total_annotations, total_predictions, project_id ON task
       BEGIN
         UPDATE project_task_stats SET tasks = tasks - 1, annotations = annotations - OLD.total_annotations,
           predictions = predictions - OLD.total_predictions WHERE project_id = OLD.project_id;
         INSERT INTO project_task_stats (project_id, tasks, annotations, predictions)
         VALUES (NEW.project_id, 1, NEW.total_annotations, NEW.total_predictions)
         ON CONFLICT (project_id) DO UPDATE SET tasks = tasks + 1,
           annotations = annotations + excluded.annotations, predictions = predictions + excluded.predictions;
       END""",
    """CREATE TRIGGER project_stats_delete AFTER DELETE ON project BEGIN
         DELETE FROM project_task_stats WHERE project_id = OLD.id;
       END""",
]

_PG_ADD = """INSERT INTO project_task_stats AS s (project_id, tasks, annotations, predictions)
  SELECT project_id, count(*), coalesce(sum(total_annotations), 0), coalesce(sum(total_predictions), 0)
  FROM new_rows GROUP BY project_id
  ON CONFLICT (project_id) DO UPDATE SET tasks = s.tasks + excluded.tasks,
    annotations = s.annotations + excluded.annotations, predictions = s.predictions + excluded.predictions;"""
_PG_SUBTRACT = """UPDATE project_task_stats AS s SET tasks = s.tasks - o.n, annotations = s.annotations - o.a,
    predictions = s.predictions - o.p
  FROM (SELECT project_id, count(*) AS n, coalesce(sum(total_annotations), 0) AS a,
               coalesce(sum(total_predictions), 0) AS p FROM old_rows GROUP BY project_id) AS o
  WHERE s.project_id = o.project_id;"""

POSTGRESQL = [
    f"""CREATE FUNCTION task_stats_insert() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN {_PG_ADD} RETURN NULL; END $$""",
    f"""CREATE FUNCTION task_stats_delete() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN {_PG_SUBTRACT} RETURN NULL; END $$""",
    f"""CREATE FUNCTION task_stats_update() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN {_PG_SUBTRACT} {_PG_ADD} RETURN NULL; END $$""",
    """CREATE TRIGGER task_stats_insert AFTER INSERT ON task REFERENCING NEW TABLE AS new_rows
       FOR EACH STATEMENT EXECUTE FUNCTION task_stats_insert()""",
    """CREATE TRIGGER task_stats_delete AFTER DELETE ON task REFERENCING OLD TABLE AS old_rows
       FOR EACH STATEMENT EXECUTE FUNCTION task_stats_delete()""",
    # Statement-level UPDATE triggers cannot name columns when they have transition tables: every UPDATE of
    # task runs it, and it nets to nothing when the counters did not change.
    """CREATE TRIGGER task_stats_update AFTER UPDATE ON task REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
       FOR EACH STATEMENT EXECUTE FUNCTION task_stats_update()""",
    """CREATE FUNCTION project_stats_delete() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN DELETE FROM project_task_stats WHERE project_id = OLD.id; RETURN NULL; END $$""",
    """CREATE TRIGGER project_stats_delete AFTER DELETE ON project FOR EACH ROW
       EXECUTE FUNCTION project_stats_delete()""",
]


def upgrade() -> None:
    op.create_table(
        "project_task_stats",
        sa.Column("project_id", sa.Integer(), primary_key=True),
        sa.Column("tasks", sa.BigInteger(), nullable=False, server_default="0"),
        sa.Column("annotations", sa.BigInteger(), nullable=False, server_default="0"),
        sa.Column("predictions", sa.BigInteger(), nullable=False, server_default="0"),
    )
    op.execute("""INSERT INTO project_task_stats (project_id, tasks, annotations, predictions)
                  SELECT project_id, count(*), coalesce(sum(total_annotations), 0),
                         coalesce(sum(total_predictions), 0) FROM task GROUP BY project_id""")
    for statement in POSTGRESQL if op.get_bind().dialect.name == "postgresql" else SQLITE:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for name, table in (("task_stats_insert", "task"), ("task_stats_delete", "task"),
                            ("task_stats_update", "task"), ("project_stats_delete", "project")):
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
            op.execute(f"DROP FUNCTION IF EXISTS {name}()")
    else:
        for name in ("task_stats_insert", "task_stats_delete", "task_stats_update", "project_stats_delete"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_table("project_task_stats")
