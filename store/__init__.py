"""The results database: SQLAlchemy models, Alembic migrations and the functions that read and write it.

Public API (import from ``store``):

- ``open_database(url, out_dir) -> Engine`` / ``database_for(...)`` (cached per process)
- ``save_verdict(engine_or_session, verdict, RunInfo(...)) -> run_id``
- ``current_verdicts(...)``, ``current_verdict(...)``, ``runs_for(...)``, ``count_current(...)``
- ``is_unchanged(...)``, ``latest_run_for_folder(...)`` (skip unchanged packets)
- ``acquire_claim`` / ``renew_claim`` / ``release_claim`` / ``claim_owner`` (one worker per packet)
- ``save_snapshot`` / ``latest_snapshots`` (analytics results)
"""

from store.claims import acquire_claim, claim_owner, release_claim, renew_claim
from store.engine import (
    ENV_URL,
    database_for,
    dispose_cached_engines,
    open_database,
    resolve_url,
    session_scope,
    upgrade_database,
)
from store.repository import (
    RunInfo,
    RunSummary,
    count_current,
    current_verdict,
    current_verdicts,
    is_unchanged,
    latest_run_for_folder,
    runs_for,
    save_verdict,
)
from store.serialise import read_verdict_file, verdict_from_json, verdict_to_json
from store.snapshots import SnapshotRecord, latest_snapshots, save_snapshot

__all__ = [
    "ENV_URL",
    "RunInfo",
    "RunSummary",
    "SnapshotRecord",
    "acquire_claim",
    "claim_owner",
    "count_current",
    "current_verdict",
    "current_verdicts",
    "database_for",
    "dispose_cached_engines",
    "is_unchanged",
    "latest_run_for_folder",
    "latest_snapshots",
    "open_database",
    "read_verdict_file",
    "release_claim",
    "renew_claim",
    "resolve_url",
    "runs_for",
    "save_snapshot",
    "save_verdict",
    "session_scope",
    "upgrade_database",
    "verdict_from_json",
    "verdict_to_json",
]
