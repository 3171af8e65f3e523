"""projects tally the keys of their task data

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-28 00:30:00
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # NULL for existing projects: counted from their tasks the first time the data manager asks.
    with op.batch_alter_table("project", schema=None) as batch_op:
        batch_op.add_column(sa.Column(
            "data_columns", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("project", schema=None) as batch_op:
        batch_op.drop_column("data_columns")
