"""storages

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27 18:13:22.941002
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table('storage',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('type', sa.String(length=32), nullable=False),
    sa.Column('title', sa.String(length=2048), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('settings', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('status', sa.String(length=32), nullable=False),
    sa.Column('last_sync', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_sync_count', sa.Integer(), nullable=True),
    sa.Column('last_sync_job', sa.String(length=256), nullable=True),
    sa.Column('traceback', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('storage', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_storage_project_id'), ['project_id'], unique=False)

    op.create_table('storage_link',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('storage_id', sa.Integer(), nullable=False),
    sa.Column('task_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=4096), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['storage_id'], ['storage.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['task_id'], ['task.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('storage_link', schema=None) as batch_op:
        batch_op.create_index('ix_storage_link_key', ['storage_id', 'key'], unique=False)
        batch_op.create_index(batch_op.f('ix_storage_link_task_id'), ['task_id'], unique=False)




def downgrade() -> None:

    with op.batch_alter_table('storage_link', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_storage_link_task_id'))
        batch_op.drop_index('ix_storage_link_key')

    op.drop_table('storage_link')
    with op.batch_alter_table('storage', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_storage_project_id'))

    op.drop_table('storage')

