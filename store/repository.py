"""Save verdicts as runs and read them back: the only module that writes applications and runs.

Saving a verdict adds a run and makes it the application's current run in one transaction; older
runs stay as history (``runs_for``) but are no longer current, so statistics over current runs
count every application once however often it is re-run.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Engine, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from models.document import DocumentRecord
from models.slots import Slot
from models.verdict import Verdict
from pipeline.idnumbers import redact_id_numbers
from store.engine import session_scope
from store.models import Application, Document, FindingRow, Run, SealRow
from store.serialise import verdict_from_json, verdict_to_json


class RunInfo(BaseModel):
    """Facts about one pre-check run that the verdict itself does not carry."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    packet_folder: str = Field(description="the packet folder (absolute path), the key for claims and skips")
    output_dir: str | None = Field(default=None, description="the packet's folder under OUT, relative to OUT")
    started_at: datetime | None = None
    finished_at: datetime = Field(default_factory=lambda: datetime.now(UTC))
    elapsed_s: float | None = None
    worker: str | None = Field(default=None, description="host / process that ran it")
    packet_fingerprint: str | None = Field(default=None, description="defaults to verdict.packet_fingerprint")
    scan_fingerprint: str | None = Field(default=None, description="names, sizes and mtimes seen by discovery")


class RunSummary(BaseModel):
    """One row of an application's run history."""

    model_config = ConfigDict(frozen=True)

    run_id: int
    application_id: str
    is_current: bool
    status: str
    packet_folder: str
    output_dir: str | None
    packet_fingerprint: str | None
    started_at: datetime | None
    finished_at: datetime
    elapsed_s: float | None
    codes: list[str]


@contextmanager
def _session(target: Engine | Session) -> Iterator[Session]:
    """Use the caller's session (its transaction) or open one on the engine."""
    if isinstance(target, Session):
        yield target
        return
    with session_scope(target) as session:
        yield session


def _application_hospital(documents: list[DocumentRecord]) -> str | None:
    """The hospital analytics attribute an application to: the diagnosis certificate's, else the first read."""
    ordered = sorted(documents, key=lambda d: d.slot != Slot.DIAGNOSIS_CERTIFICATE.value)
    for document in ordered:
        seal_hospital = next((s.hospital for s in document.seals if s.hospital), None)
        if document.hospital or seal_hospital:
            return document.hospital or seal_hospital
    return None


def _redact(text: str | None) -> str | None:
    """Free text from documents and manifests goes in with any full ID number masked."""
    return redact_id_numbers(text) if text else text


def _insert_ignore(session: Session, values: dict) -> None:
    """INSERT the application row unless it exists (ON CONFLICT DO NOTHING on both backends)."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(Application).values(**values).on_conflict_do_nothing(index_elements=["application_id"])
    session.execute(statement)


def _build_run(verdict: Verdict, info: RunInfo, hospital: str | None) -> Run:
    run = Run(
        application_id=verdict.application_id, is_current=True, status=verdict.status.value,
        packet_folder=info.packet_folder, output_dir=info.output_dir,
        packet_fingerprint=info.packet_fingerprint or verdict.packet_fingerprint,
        scan_fingerprint=info.scan_fingerprint,
        region=verdict.region, kind=verdict.kind, policy=verdict.policy, disease=_redact(verdict.disease),
        disease_code=verdict.disease_code, hospital=hospital, submitted_on=verdict.submitted_on,
        started_at=info.started_at, finished_at=info.finished_at,
        elapsed_s=info.elapsed_s if info.elapsed_s is not None else verdict.elapsed_s,
        pipeline_version=verdict.pipeline_version, catalog_version=verdict.catalog_version,
        worker=info.worker, verdict_json=verdict_to_json(verdict),
    )
    hospitals_by_file: dict[str, str | None] = {}
    for position, record in enumerate(verdict.documents):
        document = Document(
            position=position, file=record.file, slot=record.slot, detected_type=record.detected_type,
            media_type=record.media_type, sha256=record.sha256, pages=record.pages, readable=record.readable,
            issue_date=record.issue_date, hospital=record.hospital, disease_code=record.disease_code,
            stage=record.stage, ocr_confidence=record.ocr_confidence,
        )
        document.seals = [
            SealRow(position=n, page=s.page, bbox=list(s.bbox), score=s.score, colour=s.colour, shape=s.shape,
                    text=_redact(s.text), hospital=s.hospital)
            for n, s in enumerate(record.seals)
        ]
        run.documents.append(document)
        hospitals_by_file.setdefault(record.file, record.hospital)
    for position, finding in enumerate(verdict.findings):
        run.findings.append(FindingRow(
            position=position, code=finding.code.value, severity=finding.severity.value, slot=finding.slot,
            file=finding.file, hospital=hospitals_by_file.get(finding.file or "") or hospital,
            message=_redact(finding.message) or "", evidence_page=finding.evidence.page if finding.evidence else None,
        ))
    return run


def save_verdict(target: Engine | Session, verdict: Verdict, info: RunInfo) -> int:
    """Store a verdict as a new run and make it the application's current run.

    In one transaction: create the application row if new, mark its previous runs not current,
    add the run with its documents, findings and seals, and refresh the application's facts.

    Args:
        target: An engine (a transaction is opened and committed here) or a session (the caller's
            transaction is used and the caller commits).
        verdict: The verdict as written to ``verdict.json`` (evidence crop paths included).
        info: Where and when the run happened.

    Returns:
        The new run's id.
    """
    now = datetime.now(UTC)
    hospital = _application_hospital(verdict.documents)
    with _session(target) as session:
        _insert_ignore(session, {"application_id": verdict.application_id, "first_seen_at": now, "updated_at": now})
        application = session.execute(
            select(Application).where(Application.application_id == verdict.application_id).with_for_update()
        ).scalar_one()
        session.execute(
            update(Run).where(Run.application_id == verdict.application_id, Run.is_current.is_(True))
            .values(is_current=False)
        )
        session.flush()
        run = _build_run(verdict, info, hospital)
        session.add(run)
        application.region = verdict.region
        application.kind = verdict.kind
        application.disease = _redact(verdict.disease)
        application.disease_code = verdict.disease_code
        application.submitted_on = verdict.submitted_on
        application.status = verdict.status.value
        application.updated_at = now
        session.flush()
        return run.id


def _summary(run: Run) -> RunSummary:
    return RunSummary(
        run_id=run.id, application_id=run.application_id, is_current=run.is_current, status=run.status,
        packet_folder=run.packet_folder, output_dir=run.output_dir, packet_fingerprint=run.packet_fingerprint,
        started_at=run.started_at, finished_at=run.finished_at, elapsed_s=run.elapsed_s,
        codes=sorted({f.code for f in run.findings}),
    )


def runs_for(target: Engine | Session, application_id: str) -> list[RunSummary]:
    """Every run of one application, oldest first (the last one is normally the current one)."""
    with _session(target) as session:
        runs = session.scalars(select(Run).where(Run.application_id == application_id).order_by(Run.id)).all()
        return [_summary(run) for run in runs]


def current_verdicts(target: Engine | Session, *, region: str | None = None,
                     submitted_from: date | None = None, submitted_to: date | None = None) -> list[Verdict]:
    """The current verdict of every application, ordered by application id.

    Args:
        target: Engine or session.
        region: Only applications of this region code.
        submitted_from: Only applications submitted on or after this date.
        submitted_to: Only applications submitted on or before this date.
    """
    query = select(Run.verdict_json).where(Run.is_current.is_(True)).order_by(Run.application_id)
    if region is not None:
        query = query.where(Run.region == region)
    if submitted_from is not None:
        query = query.where(Run.submitted_on >= submitted_from)
    if submitted_to is not None:
        query = query.where(Run.submitted_on <= submitted_to)
    with _session(target) as session:
        return [verdict_from_json(data) for data in session.scalars(query)]


def current_verdict(target: Engine | Session, application_id: str) -> Verdict | None:
    """The current verdict of one application, or None when it was never stored."""
    query = select(Run.verdict_json).where(Run.application_id == application_id, Run.is_current.is_(True))
    with _session(target) as session:
        data = session.scalars(query).first()
        return verdict_from_json(data) if data is not None else None


def latest_run_for_folder(target: Engine | Session, packet_folder: str) -> RunSummary | None:
    """The most recent run of a packet folder (whatever application id it declared), or None."""
    query = select(Run).where(Run.packet_folder == packet_folder).order_by(Run.id.desc()).limit(1)
    with _session(target) as session:
        run = session.scalars(query).first()
        return _summary(run) if run is not None else None


def is_unchanged(target: Engine | Session, packet_folder: str, packet_fingerprint: str) -> bool:
    """True when the folder's latest run saw exactly this content (the packet can be skipped)."""
    query = (select(Run.packet_fingerprint).where(Run.packet_folder == packet_folder)
             .order_by(Run.id.desc()).limit(1))
    with _session(target) as session:
        return session.scalars(query).first() == packet_fingerprint


def seen_scans(target: Engine | Session, packet_folders: list[str]) -> dict[str, str | None]:
    """The scan fingerprint of each folder's latest run, in one query (discovery cost does not grow per packet)."""
    if not packet_folders:
        return {}
    latest = (select(Run.packet_folder, func.max(Run.id).label("run_id"))
              .where(Run.packet_folder.in_(packet_folders)).group_by(Run.packet_folder).subquery())
    query = select(Run.packet_folder, Run.scan_fingerprint).join(latest, Run.id == latest.c.run_id)
    with _session(target) as session:
        return {folder: scan for folder, scan in session.execute(query)}


def count_current(target: Engine | Session) -> dict[str, int]:
    """Number of applications per current status (``{"pass": 3, "return": 2, ...}``)."""
    query = select(Run.status, func.count()).where(Run.is_current.is_(True)).group_by(Run.status)
    with _session(target) as session:
        return {status: count for status, count in session.execute(query).all()}
