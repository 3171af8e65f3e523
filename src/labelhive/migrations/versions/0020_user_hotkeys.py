"""user.custom_hotkeys: each user's editor shortcuts (Label Studio's /api/current-user/hotkeys)

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-06 05:00:00
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("user", sa.Column("custom_hotkeys", sa.JSON().with_variant(JSONB(), "postgresql"), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.drop_column("custom_hotkeys")
