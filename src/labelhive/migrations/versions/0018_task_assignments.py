"""task_assignment and project.task_distribution: tasks given to members to annotate or review, and whether
annotators are served only those

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06 04:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "task_assignment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("type", sa.String(length=2), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["project_id"], ["project.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["task_id"], ["task.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("task_id", "user_id", "type", name="uq_task_assignment"),
    )
    op.create_index("ix_task_assignment_task_id", "task_assignment", ["task_id"])
    op.create_index("ix_task_assignment_user", "task_assignment", ["user_id", "project_id", "type"])
    op.add_column("project", sa.Column("task_distribution", sa.String(length=32), nullable=False,
                                      server_default="auto_distribution"))


def downgrade() -> None:
    with op.batch_alter_table("project", schema=None) as batch_op:
        batch_op.drop_column("task_distribution")
    op.drop_index("ix_task_assignment_user", table_name="task_assignment")
    op.drop_index("ix_task_assignment_task_id", table_name="task_assignment")
    op.drop_table("task_assignment")
