"""Read what the statistics need from the results database: one record per application (its current run).

Only current runs are read, so an application re-run any number of times is counted once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Engine, select

from store.engine import session_scope
from store.models import FindingRow, Run


@dataclass(frozen=True)
class FindingFact:
    code: str
    severity: str
    slot: str | None


@dataclass(frozen=True)
class ApplicationFacts:
    """The facts of one application's current verdict that statistics group by."""

    application_id: str
    status: str
    region: str | None
    disease_code: str | None
    disease: str | None
    hospital: str | None
    submitted_on: date | None
    finished_at: datetime
    findings: tuple[FindingFact, ...]

    @property
    def period_date(self) -> date:
        """The date the application is counted under: submission, else when it was pre-checked."""
        return self.submitted_on or self.finished_at.date()


def load_facts(engine: Engine, *, region: str | None = None, since: date | None = None,
               until: date | None = None) -> list[ApplicationFacts]:
    """Every application's current run with its findings, ordered by application id.

    Args:
        engine: The results database.
        region: Only this region code.
        since: Only applications submitted on or after this date.
        until: Only applications submitted on or before this date.
    """
    runs = select(Run.id, Run.application_id, Run.status, Run.region, Run.disease_code, Run.disease, Run.hospital,
                  Run.submitted_on, Run.finished_at).where(Run.is_current.is_(True))
    if region is not None:
        runs = runs.where(Run.region == region)
    if since is not None:
        runs = runs.where(Run.submitted_on >= since)
    if until is not None:
        runs = runs.where(Run.submitted_on <= until)
    runs = runs.order_by(Run.application_id)
    findings = (select(FindingRow.run_id, FindingRow.code, FindingRow.severity, FindingRow.slot)
                .join(Run, Run.id == FindingRow.run_id).where(Run.is_current.is_(True))
                .order_by(FindingRow.run_id, FindingRow.position))
    with session_scope(engine) as session:
        run_rows = session.execute(runs).all()
        by_run: dict[int, list[FindingFact]] = {}
        for run_id, code, severity, slot in session.execute(findings):
            by_run.setdefault(run_id, []).append(FindingFact(code=code, severity=severity, slot=slot))
    return [
        ApplicationFacts(application_id=row.application_id, status=row.status, region=row.region,
                         disease_code=row.disease_code, disease=row.disease, hospital=row.hospital,
                         submitted_on=row.submitted_on, finished_at=row.finished_at,
                         findings=tuple(by_run.get(row.id, ())))
        for row in run_rows
    ]
