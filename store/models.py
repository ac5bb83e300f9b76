"""SQLAlchemy 2 tables of the results database: applications, runs, documents, findings, seals,
packet claims and analytics snapshots.

One ``Application`` per application id; every pre-check of it is a ``Run``. Exactly one run per
application is current (``runs.is_current``, enforced by a partial unique index), so counting
current runs never counts an application twice, while older runs stay as history. Documents,
findings and seals hang off a run and are deleted with it.

The schema is created and changed only by the Alembic migrations in ``store/migrations``; keep the
two in step (``tests/test_store.py`` compares them).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

# Stable constraint names, so migrations can refer to them on every backend.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UtcDateTime(TypeDecorator[datetime]):
    """A timestamp stored in UTC and always returned timezone-aware (SQLite keeps no zone of its own)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Application(Base):
    """One application (申请), keyed by its application id; facts from its latest run."""

    __tablename__ = "applications"

    application_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    region: Mapped[str | None] = mapped_column(String(32))
    kind: Mapped[str | None] = mapped_column(String(16))
    disease: Mapped[str | None] = mapped_column(String(200))
    disease_code: Mapped[str | None] = mapped_column(String(16))
    submitted_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str | None] = mapped_column(String(16))
    first_seen_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())

    runs: Mapped[list[Run]] = relationship(back_populates="application", order_by="Run.id")


class Run(Base):
    """One pre-check of one packet folder: the verdict it produced and when."""

    __tablename__ = "runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    application_id: Mapped[str] = mapped_column(
        ForeignKey("applications.application_id", ondelete="CASCADE"), index=True
    )
    is_current: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(16))
    packet_folder: Mapped[str] = mapped_column(String(1024))
    output_dir: Mapped[str | None] = mapped_column(String(512))
    packet_fingerprint: Mapped[str | None] = mapped_column(String(128), index=True)
    scan_fingerprint: Mapped[str | None] = mapped_column(String(128))
    region: Mapped[str | None] = mapped_column(String(32))
    kind: Mapped[str | None] = mapped_column(String(16))
    policy: Mapped[str | None] = mapped_column(String(32))
    disease: Mapped[str | None] = mapped_column(String(200))
    disease_code: Mapped[str | None] = mapped_column(String(16))
    hospital: Mapped[str | None] = mapped_column(String(200), doc="issuing hospital of the diagnosis certificate")
    submitted_on: Mapped[date | None] = mapped_column(Date, index=True)
    started_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    finished_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
    elapsed_s: Mapped[float | None] = mapped_column(Float)
    pipeline_version: Mapped[str | None] = mapped_column(String(32))
    catalog_version: Mapped[str | None] = mapped_column(String(32))
    worker: Mapped[str | None] = mapped_column(String(200))
    verdict_json: Mapped[dict[str, Any]] = mapped_column(JSON)

    application: Mapped[Application] = relationship(back_populates="runs")
    documents: Mapped[list[Document]] = relationship(
        back_populates="run", cascade="all, delete-orphan", passive_deletes=True, order_by="Document.position"
    )
    findings: Mapped[list[FindingRow]] = relationship(
        back_populates="run", cascade="all, delete-orphan", passive_deletes=True, order_by="FindingRow.position"
    )

    __table_args__ = (
        # At most one current run per application, on SQLite and PostgreSQL alike.
        Index(
            "uq_runs_current_application",
            "application_id",
            unique=True,
            sqlite_where=text("is_current"),
            postgresql_where=text("is_current"),
        ),
        Index("ix_runs_folder_fingerprint", "packet_folder", "packet_fingerprint"),
        Index("ix_runs_folder_scan", "packet_folder", "scan_fingerprint"),
    )


class Document(Base):
    """One uploaded file of a run (``verdict.documents[]``), in manifest order."""

    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    file: Mapped[str] = mapped_column(String(512))
    slot: Mapped[str | None] = mapped_column(String(32))
    detected_type: Mapped[str] = mapped_column(String(32))
    media_type: Mapped[str | None] = mapped_column(String(64))
    sha256: Mapped[str | None] = mapped_column(String(64))
    pages: Mapped[int] = mapped_column(Integer, default=0)
    readable: Mapped[bool] = mapped_column(Boolean, default=True)
    issue_date: Mapped[date | None] = mapped_column(Date)
    hospital: Mapped[str | None] = mapped_column(String(200))
    disease_code: Mapped[str | None] = mapped_column(String(16))
    stage: Mapped[str | None] = mapped_column(String(64))
    ocr_confidence: Mapped[float | None] = mapped_column(Float)

    run: Mapped[Run] = relationship(back_populates="documents")
    seals: Mapped[list[SealRow]] = relationship(
        back_populates="document", cascade="all, delete-orphan", passive_deletes=True, order_by="SealRow.position"
    )


class FindingRow(Base):
    """One finding of a run, with the facts analytics group by (code, slot, hospital)."""

    __tablename__ = "findings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    code: Mapped[str] = mapped_column(String(40), index=True)
    severity: Mapped[str] = mapped_column(String(8))
    slot: Mapped[str | None] = mapped_column(String(32))
    file: Mapped[str | None] = mapped_column(String(512))
    hospital: Mapped[str | None] = mapped_column(String(200))
    message: Mapped[str] = mapped_column(Text)
    evidence_page: Mapped[int | None] = mapped_column(Integer)

    run: Mapped[Run] = relationship(back_populates="findings")


class SealRow(Base):
    """A seal (公章) found on a document page."""

    __tablename__ = "seals"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    page: Mapped[int] = mapped_column(Integer)
    bbox: Mapped[list[int]] = mapped_column(JSON)
    score: Mapped[float] = mapped_column(Float)
    colour: Mapped[str | None] = mapped_column(String(16))
    shape: Mapped[str | None] = mapped_column(String(16))
    text: Mapped[str | None] = mapped_column(String(400))
    hospital: Mapped[str | None] = mapped_column(String(200))

    document: Mapped[Document] = relationship(back_populates="seals")


class Claim(Base):
    """A lease on one packet folder, so two workers never process the same packet at once."""

    __tablename__ = "claims"

    packet_key: Mapped[str] = mapped_column(String(1024), primary_key=True)
    owner: Mapped[str] = mapped_column(String(200))
    acquired_at: Mapped[datetime] = mapped_column(UtcDateTime())
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)


class StatsSnapshot(Base):
    """One computed set of rejection-reason statistics (the analytics flow writes one per run)."""

    __tablename__ = "stats_snapshots"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    computed_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
    source: Mapped[str] = mapped_column(String(32))
    period: Mapped[str] = mapped_column(String(8))
    applications: Mapped[int] = mapped_column(Integer)
    returned: Mapped[int] = mapped_column(Integer)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
