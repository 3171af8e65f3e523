"""storage.meta: a sync's timings and counts as Label Studio reports them (attempts, time_queued,
time_in_progress, time_completed, duration, tasks_existed / total_annotations); annotations by author, for
per-member counts (a membership's annotations_count, and each annotator's own work)

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06 03:00:00
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("storage", sa.Column("meta", sa.JSON().with_variant(JSONB(), "postgresql"), nullable=True))
    op.create_index("ix_annotation_author_project", "annotation", ["completed_by_id", "project_id"])


def downgrade() -> None:
    op.drop_index("ix_annotation_author_project", table_name="annotation")
    with op.batch_alter_table("storage", schema=None) as batch_op:
        batch_op.drop_column("meta")
