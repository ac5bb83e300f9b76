"""The results database: SQLAlchemy models, Alembic migrations and the functions that read and write it.

Public API (import from ``store``; loaded lazily, so ``import store`` costs nothing until used):

- ``open_database(url, out_dir) -> Engine`` / ``database_for(...)`` (cached per process)
- ``save_verdict(engine_or_session, verdict, RunInfo(...)) -> run_id``
- ``current_verdicts(...)``, ``current_verdict(...)``, ``runs_for(...)``, ``count_current(...)``
- ``is_unchanged(...)``, ``latest_run_for_folder(...)`` (skip unchanged packets)
- ``acquire_claim`` / ``renew_claim`` / ``release_claim`` / ``claim_owner`` (one worker per packet)
- ``save_snapshot`` / ``latest_snapshots`` (analytics results)
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_EXPORTS = {
    "store.claims": ("acquire_claim", "claim_owner", "release_claim", "renew_claim"),
    "store.settings": ("DEFAULT_FILENAME", "ENV_URL"),
    "store.engine": ("database_for", "dispose_cached_engines", "open_database", "open_existing_database",
                     "resolve_url", "session_scope", "upgrade_database"),
    "store.errors": ("DatabaseError", "DatabaseMissingError"),
    "store.repository": ("RunInfo", "RunSummary", "count_current", "current_verdict", "current_verdicts",
                         "is_unchanged", "latest_run_for_folder", "runs_for", "save_verdict"),
    "store.serialise": ("read_verdict_file", "verdict_from_json", "verdict_to_json"),
    "store.snapshots": ("SnapshotRecord", "latest_snapshots", "save_snapshot"),
}
_MODULE_OF = {name: module for module, names in _EXPORTS.items() for name in names}
__all__ = [
    "DEFAULT_FILENAME",
    "ENV_URL",
    "DatabaseError",
    "DatabaseMissingError",
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
    "open_existing_database",
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


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module 'store' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)


if TYPE_CHECKING:
    from store.claims import acquire_claim, claim_owner, release_claim, renew_claim
    from store.engine import (
        database_for,
        dispose_cached_engines,
        open_database,
        open_existing_database,
        resolve_url,
        session_scope,
        upgrade_database,
    )
    from store.errors import DatabaseError, DatabaseMissingError
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
    from store.settings import DEFAULT_FILENAME, ENV_URL
    from store.snapshots import SnapshotRecord, latest_snapshots, save_snapshot
