"""Runs remember the folder's scan fingerprint (names, sizes, mtimes), so discovery skips unchanged
packets without hashing their files.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("runs") as batch:
        batch.add_column(sa.Column("scan_fingerprint", sa.String(128), nullable=True))
    op.create_index("ix_runs_folder_scan", "runs", ["packet_folder", "scan_fingerprint"])


def downgrade() -> None:
    op.drop_index("ix_runs_folder_scan", table_name="runs")
    with op.batch_alter_table("runs") as batch:
        batch.drop_column("scan_fingerprint")
