"""Initial schema: applications, runs, documents, findings, seals, claims, stats snapshots.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# Migrations are frozen: they spell out column types instead of importing today's models.
UTC_TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "applications",
        sa.Column("application_id", sa.String(64), nullable=False),
        sa.Column("region", sa.String(32)),
        sa.Column("kind", sa.String(16)),
        sa.Column("disease", sa.String(200)),
        sa.Column("disease_code", sa.String(16)),
        sa.Column("submitted_on", sa.Date()),
        sa.Column("status", sa.String(16)),
        sa.Column("first_seen_at", UTC_TS, nullable=False),
        sa.Column("updated_at", UTC_TS, nullable=False),
        sa.PrimaryKeyConstraint("application_id", name="pk_applications"),
    )
    op.create_table(
        "runs",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("application_id", sa.String(64), nullable=False),
        sa.Column("is_current", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("packet_folder", sa.String(1024), nullable=False),
        sa.Column("output_dir", sa.String(512)),
        sa.Column("packet_fingerprint", sa.String(128)),
        sa.Column("region", sa.String(32)),
        sa.Column("kind", sa.String(16)),
        sa.Column("policy", sa.String(32)),
        sa.Column("disease", sa.String(200)),
        sa.Column("disease_code", sa.String(16)),
        sa.Column("hospital", sa.String(200)),
        sa.Column("submitted_on", sa.Date()),
        sa.Column("started_at", UTC_TS),
        sa.Column("finished_at", UTC_TS, nullable=False),
        sa.Column("elapsed_s", sa.Float()),
        sa.Column("pipeline_version", sa.String(32)),
        sa.Column("catalog_version", sa.String(32)),
        sa.Column("worker", sa.String(200)),
        sa.Column("verdict_json", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["application_id"], ["applications.application_id"],
                                name="fk_runs_application_id_applications", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_runs"),
    )
    op.create_index("ix_runs_application_id", "runs", ["application_id"])
    op.create_index("ix_runs_finished_at", "runs", ["finished_at"])
    op.create_index("ix_runs_submitted_on", "runs", ["submitted_on"])
    op.create_index("ix_runs_packet_fingerprint", "runs", ["packet_fingerprint"])
    op.create_index("ix_runs_folder_fingerprint", "runs", ["packet_folder", "packet_fingerprint"])
    op.create_index("uq_runs_current_application", "runs", ["application_id"], unique=True,
                    sqlite_where=sa.text("is_current"), postgresql_where=sa.text("is_current"))
    op.create_table(
        "documents",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("file", sa.String(512), nullable=False),
        sa.Column("slot", sa.String(32)),
        sa.Column("detected_type", sa.String(32), nullable=False),
        sa.Column("media_type", sa.String(64)),
        sa.Column("sha256", sa.String(64)),
        sa.Column("pages", sa.Integer(), nullable=False),
        sa.Column("readable", sa.Boolean(), nullable=False),
        sa.Column("issue_date", sa.Date()),
        sa.Column("hospital", sa.String(200)),
        sa.Column("disease_code", sa.String(16)),
        sa.Column("stage", sa.String(64)),
        sa.Column("ocr_confidence", sa.Float()),
        sa.ForeignKeyConstraint(["run_id"], ["runs.id"], name="fk_documents_run_id_runs", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_documents"),
    )
    op.create_index("ix_documents_run_id", "documents", ["run_id"])
    op.create_table(
        "findings",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(40), nullable=False),
        sa.Column("severity", sa.String(8), nullable=False),
        sa.Column("slot", sa.String(32)),
        sa.Column("file", sa.String(512)),
        sa.Column("hospital", sa.String(200)),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("evidence_page", sa.Integer()),
        sa.ForeignKeyConstraint(["run_id"], ["runs.id"], name="fk_findings_run_id_runs", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_findings"),
    )
    op.create_index("ix_findings_code", "findings", ["code"])
    op.create_index("ix_findings_run_id", "findings", ["run_id"])
    op.create_table(
        "seals",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("page", sa.Integer(), nullable=False),
        sa.Column("bbox", sa.JSON(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("colour", sa.String(16)),
        sa.Column("shape", sa.String(16)),
        sa.Column("text", sa.String(400)),
        sa.Column("hospital", sa.String(200)),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], name="fk_seals_document_id_documents",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_seals"),
    )
    op.create_index("ix_seals_document_id", "seals", ["document_id"])
    op.create_table(
        "claims",
        sa.Column("packet_key", sa.String(1024), nullable=False),
        sa.Column("owner", sa.String(200), nullable=False),
        sa.Column("acquired_at", UTC_TS, nullable=False),
        sa.Column("expires_at", UTC_TS, nullable=False),
        sa.PrimaryKeyConstraint("packet_key", name="pk_claims"),
    )
    op.create_index("ix_claims_expires_at", "claims", ["expires_at"])
    op.create_table(
        "stats_snapshots",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("computed_at", UTC_TS, nullable=False),
        sa.Column("source", sa.String(32), nullable=False),
        sa.Column("period", sa.String(8), nullable=False),
        sa.Column("applications", sa.Integer(), nullable=False),
        sa.Column("returned", sa.Integer(), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_stats_snapshots"),
    )
    op.create_index("ix_stats_snapshots_computed_at", "stats_snapshots", ["computed_at"])


def downgrade() -> None:
    for table in ("stats_snapshots", "claims", "seals", "findings", "documents", "runs", "applications"):
        op.drop_table(table)
