"""PostgreSQL: labelhive_number(text), a cast to a number that gives NULL for text that is not one

A filter or index on a data field as a Number cast the field with CAST(... AS FLOAT), which fails on "n/a":
with a number index on a field, a task whose field held text could not be imported or saved (and a filter
over such a project failed). Indexes made with the old cast are dropped; the server remakes them on demand.
SQLite's CAST already gives 0 for text and is left as it is.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-05 08:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

# A SQL function (inlined into queries and usable in an index), not plpgsql with an exception handler, which
# would start a subtransaction for each of a million rows.
FUNCTION = r"""CREATE OR REPLACE FUNCTION labelhive_number(value text) RETURNS double precision
  LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN value ~ '^\s*[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)?\s*$'
              THEN value::double precision END $$"""


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(FUNCTION)
    names = op.get_bind().execute(sa.text(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE c.relkind = 'i' AND n.nspname = current_schema() AND c.relname LIKE 'ix_task_data_%_number'"))
    for (name,) in list(names):
        op.execute(f'DROP INDEX IF EXISTS "{name}"')


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS labelhive_number(text)")
