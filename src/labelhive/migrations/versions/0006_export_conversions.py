"""export snapshots remember their converted formats

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-27 22:00:00
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("export_snapshot", schema=None) as batch_op:
        batch_op.add_column(sa.Column(
            "converted", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("export_snapshot", schema=None) as batch_op:
        batch_op.drop_column("converted")
