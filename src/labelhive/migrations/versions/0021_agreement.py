"""task.agreement and agreement_pair: inter-annotator agreement per task and per annotator pair, kept as
annotations land

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-06 05:30:00
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("task", sa.Column("agreement", sa.Float(), nullable=True))
    op.create_index("ix_task_project_agreement", "task", ["project_id", "agreement"])
    op.create_table(
        "agreement_pair",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("user_a", sa.Integer(), nullable=False),
        sa.Column("user_b", sa.Integer(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("labels", sa.JSON().with_variant(JSONB(), "postgresql"), nullable=True),
        sa.ForeignKeyConstraint(["project_id"], ["project.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["task_id"], ["task.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_a"], ["user.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_b"], ["user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_agreement_pair_task_id", "agreement_pair", ["task_id"])
    op.create_index("ix_agreement_pair_project_users", "agreement_pair", ["project_id", "user_a", "user_b"])


def downgrade() -> None:
    op.drop_table("agreement_pair")
    op.drop_index("ix_task_project_agreement", table_name="task")
    with op.batch_alter_table("task", schema=None) as batch_op:
        batch_op.drop_column("agreement")
