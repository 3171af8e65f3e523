"""import_batch and task.import_batch_id: big imports commit in chunks, and a failed one is deleted

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-05 08:30:00
"""
import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "import_batch",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("project_id", sa.Integer(), sa.ForeignKey("project.id", ondelete="CASCADE"), nullable=False),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("error", sa.Text()),
        sa.Column("lease_until", sa.DateTime(timezone=True)),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True)),
    )
    op.create_index("ix_import_batch_project_id", "import_batch", ["project_id"])
    # A plain nullable column: SQLite adds it without copying the table, PostgreSQL without a rewrite.
    op.add_column("task", sa.Column("import_batch_id", sa.Integer()))


def downgrade() -> None:
    with op.batch_alter_table("task", schema=None) as batch_op:
        batch_op.drop_column("import_batch_id")
    op.drop_index("ix_import_batch_project_id", table_name="import_batch")
    op.drop_table("import_batch")
