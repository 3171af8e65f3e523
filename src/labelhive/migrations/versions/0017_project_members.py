"""project_member: roles are enforced, and Annotators and Reviewers work in the projects they are added to.
Every existing Annotator and Reviewer is added to every project of their organization, so nobody loses access
they had before.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06 03:10:00
"""
import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "project_member",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["project_id"], ["project.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("project_id", "user_id", name="uq_project_member"),
    )
    op.create_index("ix_project_member_user", "project_member", ["user_id"])
    op.execute("INSERT INTO project_member (project_id, user_id, created_at) "
               "SELECT p.id, u.id, CURRENT_TIMESTAMP FROM project p JOIN \"user\" u "
               "ON u.organization_id = p.organization_id WHERE u.role IN ('AN', 'RE')")


def downgrade() -> None:
    op.drop_index("ix_project_member_user", table_name="project_member")
    op.drop_table("project_member")
