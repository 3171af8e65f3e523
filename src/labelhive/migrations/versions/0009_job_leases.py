"""leases on background work: export snapshots, jobs and storage syncs

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05 06:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

TABLES = {"export_snapshot": ("created", "in_progress"), "job": ("queued", "running"),
          "storage": ("queued", "in_progress")}


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True))
    # Work that was running under the old code has no process renewing it: its lease ends now, so the first
    # sweep says it stopped instead of leaving it running forever.
    conn = op.get_bind()
    for table, running in TABLES.items():
        conn.execute(sa.text(f"UPDATE {table} SET lease_until = CURRENT_TIMESTAMP WHERE status IN :s")
                     .bindparams(sa.bindparam("s", expanding=True)), {"s": list(running)})


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("lease_until")
