"""Stored snapshots of the rejection-reason statistics (written by the analytics flow)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict
from sqlalchemy import Engine, select

from store.engine import session_scope
from store.models import StatsSnapshot


class SnapshotRecord(BaseModel):
    model_config = ConfigDict(frozen=True)

    snapshot_id: int
    computed_at: datetime
    source: str
    period: str
    applications: int
    returned: int
    payload: dict[str, Any]


def save_snapshot(engine: Engine, payload: dict[str, Any], *, period: str, applications: int, returned: int,
                  source: str = "flow", computed_at: datetime | None = None) -> int:
    """Store one statistics snapshot and return its id.

    Args:
        engine: The results database.
        payload: The statistics as JSON-ready data (``RejectionStats.model_dump(mode="json")``).
        period: ``week`` or ``month``, the trend granularity of the payload.
        applications: Applications counted (kept as columns for quick queries).
        returned: Of those, returned to the applicant.
        source: Who computed it (``flow``, ``cli``).
        computed_at: When; now by default.
    """
    row = StatsSnapshot(computed_at=computed_at or datetime.now(UTC), source=source, period=period,
                        applications=applications, returned=returned, payload=payload)
    with session_scope(engine) as session:
        session.add(row)
        session.flush()
        return row.id


def latest_snapshots(engine: Engine, limit: int = 10) -> list[SnapshotRecord]:
    """The most recent snapshots, newest first."""
    with session_scope(engine) as session:
        rows = session.scalars(select(StatsSnapshot).order_by(StatsSnapshot.id.desc()).limit(limit)).all()
        return [SnapshotRecord(snapshot_id=r.id, computed_at=r.computed_at, source=r.source, period=r.period,
                               applications=r.applications, returned=r.returned, payload=r.payload) for r in rows]
