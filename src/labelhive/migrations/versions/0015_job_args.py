"""job.args: every background job is a row that any process can run again (conversions, webhook deliveries,
storage writes, predictions), with the arguments it was queued with

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-05 12:40:00
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("job", schema=None) as batch_op:
        batch_op.add_column(sa.Column("args", sa.JSON().with_variant(JSONB(), "postgresql"), nullable=True))
    # The lease sweep and the old-rows pruning read jobs by state.
    op.create_index("ix_job_status_finished", "job", ["status", "finished_at"])


def downgrade() -> None:
    op.drop_index("ix_job_status_finished", table_name="job")
    with op.batch_alter_table("job", schema=None) as batch_op:
        batch_op.drop_column("args")
