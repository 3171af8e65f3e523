"""project.honeypot_percentage and project.annotators_see_others: ground-truth tasks mixed into annotators'
streams, and whether annotators read each other's annotations

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-06 06:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("project", sa.Column("honeypot_percentage", sa.Integer(), nullable=False, server_default="0"))
    op.add_column("project", sa.Column("annotators_see_others", sa.Boolean(), nullable=False,
                                      server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("project", schema=None) as batch_op:
        batch_op.drop_column("annotators_see_others")
        batch_op.drop_column("honeypot_percentage")
