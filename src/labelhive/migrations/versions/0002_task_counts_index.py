"""Covering index for the data manager's totals

Every task-list response carries the matching tasks' count and the sums of their annotation and
prediction counters; with this index SQLite and PostgreSQL answer that from the index alone.

Revision ID: 0002
Revises: 0001
"""
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_task_project_counts", "task", ["project_id", "total_annotations", "total_predictions"])


def downgrade() -> None:
    op.drop_index("ix_task_project_counts", table_name="task")
