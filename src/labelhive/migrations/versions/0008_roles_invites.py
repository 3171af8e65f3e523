"""organization roles and invite links

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04 19:00:00
"""
import secrets

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.add_column(sa.Column("role", sa.String(2), nullable=False, server_default="AD"))
    with op.batch_alter_table("organization", schema=None) as batch_op:
        batch_op.add_column(sa.Column("invite_token", sa.String(64), nullable=True))
    conn = op.get_bind()
    # Everybody could do everything before roles existed: the first member of each organization owns it and the
    # others keep full powers as administrators. Deactivated accounts say so in their role.
    conn.execute(sa.text(
        'UPDATE "user" SET role = \'OW\' WHERE id IN (SELECT min(id) FROM "user" GROUP BY organization_id)'))
    conn.execute(sa.text('UPDATE "user" SET role = \'DI\' WHERE is_active = :f'), {"f": False})
    for (org_id,) in conn.execute(sa.text("SELECT id FROM organization")).all():
        conn.execute(sa.text("UPDATE organization SET invite_token = :t WHERE id = :i"),
                     {"t": secrets.token_urlsafe(24), "i": org_id})


def downgrade() -> None:
    with op.batch_alter_table("organization", schema=None) as batch_op:
        batch_op.drop_column("invite_token")
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.drop_column("role")
