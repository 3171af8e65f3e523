"""export_snapshot.attempts and job.attempts: background work taken over from a stopped process is retried

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05 08:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for table in ("export_snapshot", "job"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("attempts", sa.Integer(), nullable=False, server_default="1"))


def downgrade() -> None:
    for table in ("export_snapshot", "job"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("attempts")
