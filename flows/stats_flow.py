"""Prefect 3 flow: compute the rejection-reason statistics and store them as a snapshot, on a schedule.

The flow only sequences two tasks; the statistics are ``analytics.stats_from_database`` (the same code
``precheck stats`` runs) and the snapshot table is ``store.models.StatsSnapshot``. Both tasks touch
the database, so both retry.

Serve it with ``serve_stats_flow(out_dir=..., interval_s=3600)`` (or a cron string), or combine
``stats_deployment(...)`` with other deployments in one ``prefect.serve(...)``.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from prefect import flow, get_run_logger, serve, task
from prefect.cache_policies import NO_CACHE
from pydantic import BaseModel, ConfigDict

from analytics.compute import RejectionStats, names_from_policy
from analytics.service import stats_from_database, store_snapshot
from pipeline.policy import DEFAULT_POLICY_DIR, load_policy
from store.engine import database_for

DEPLOYMENT_NAME = "precheck-stats"
DEFAULT_INTERVAL_S = 3600


class StatsFlowResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    snapshot_id: int
    applications: int
    returned: int
    return_share: float | None


# --- extract and compute --------------------------------------------------------------------------------------------

@task(name="compute-stats", cache_policy=NO_CACHE, retries=2, retry_delay_seconds=[2, 10])
def compute_stats_task(db_url: str | None, out_dir: Path | None, period: str, region: str | None,
                       policy_dir: Path) -> RejectionStats:
    """Read the current verdicts and compute the statistics."""
    names = names_from_policy(load_policy(policy_dir))
    return stats_from_database(database_for(db_url, out_dir), period=period, region=region, names=names)


# --- load -----------------------------------------------------------------------------------------------------------

@task(name="store-stats-snapshot", cache_policy=NO_CACHE, retries=2, retry_delay_seconds=[2, 10])
def store_snapshot_task(stats: RejectionStats, db_url: str | None, out_dir: Path | None) -> int:
    """Save the statistics as one row of ``stats_snapshots``."""
    return store_snapshot(database_for(db_url, out_dir), stats, source="flow")


@flow(name="precheck-stats")
def stats_flow(db_url: str | None = None, out_dir: Path | None = None, period: str = "month",
               region: str | None = None, policy_dir: Path = DEFAULT_POLICY_DIR) -> StatsFlowResult:
    """Compute the rejection-reason statistics and store a snapshot.

    Args:
        db_url: Database URL (default: ``PRECHECK_DATABASE_URL``, else ``out_dir/precheck.sqlite3``).
        out_dir: The OUT folder of the ingestion runs.
        period: ``week`` or ``month`` trend.
        region: Only this region code (None: all).
        policy_dir: Policy data, for region and disease names.
    """
    stats = compute_stats_task(db_url, out_dir, period, region, policy_dir)
    snapshot_id = store_snapshot_task(stats, db_url, out_dir)
    get_run_logger().info("stats snapshot %d: %d applications, %d returned", snapshot_id, stats.applications,
                          stats.returned)
    return StatsFlowResult(snapshot_id=snapshot_id, applications=stats.applications, returned=stats.returned,
                           return_share=stats.return_share)


def stats_deployment(out_dir: Path | None = None, db_url: str | None = None, *, interval_s: float | None = None,
                     cron: str | None = None, period: str = "month", name: str = DEPLOYMENT_NAME):
    """A deployment of ``stats_flow`` on a schedule (every ``interval_s`` seconds, or a cron string).

    Returns:
        A ``prefect.deployments.runner.RunnerDeployment``, ready for ``prefect.serve``.
    """
    parameters = {"db_url": db_url, "out_dir": str(out_dir) if out_dir else None, "period": period}
    if cron is not None:
        return stats_flow.to_deployment(name=name, cron=cron, parameters=parameters)
    interval = timedelta(seconds=interval_s or DEFAULT_INTERVAL_S)
    return stats_flow.to_deployment(name=name, interval=interval, parameters=parameters)


def serve_stats_flow(out_dir: Path | None = None, db_url: str | None = None, *, interval_s: float | None = None,
                     cron: str | None = None, period: str = "month") -> None:
    """Serve the statistics flow on its schedule until interrupted (blocks)."""
    serve(stats_deployment(out_dir, db_url, interval_s=interval_s, cron=cron, period=period))
