"""Compute the statistics from a database (facts query + pure computation), and store them as a snapshot."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Engine

from analytics.compute import DisplayNames, RejectionStats, compute_stats
from analytics.facts import load_facts
from store.snapshots import save_snapshot


def stats_from_database(engine: Engine, *, period: str = "month", region: str | None = None,
                        since: date | None = None, until: date | None = None, names: DisplayNames | None = None,
                        now: datetime | None = None) -> RejectionStats:
    """Rejection-reason statistics over the current verdict of every stored application.

    Args:
        engine: The results database.
        period: ``week`` or ``month`` (trend granularity of the chart and snapshot).
        region: Only this region code.
        since: Only applications submitted on or after this date.
        until: Only applications submitted on or before this date.
        names: Display names for region and disease codes.
        now: Computation time (tests).
    """
    facts = load_facts(engine, region=region, since=since, until=until)
    filters = {"region": region, "since": since.isoformat() if since else None,
               "until": until.isoformat() if until else None}
    return compute_stats(facts, period=period, names=names, filters=filters, now=now)


def store_snapshot(engine: Engine, stats: RejectionStats, source: str) -> int:
    """Save the statistics in ``stats_snapshots`` and return the snapshot id."""
    return save_snapshot(engine, stats.model_dump(mode="json"), period=stats.period, applications=stats.applications,
                         returned=stats.returned, source=source, computed_at=stats.computed_at)
