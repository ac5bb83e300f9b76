"""Rejection-reason analytics over the results database (``precheck stats`` and the scheduled stats flow).

Public API (loaded lazily): ``stats_from_database(engine, ...) -> RejectionStats``,
``store_snapshot(engine, stats, source)``, ``compute_stats(facts, ...)`` (pure), ``print_stats`` / ``to_csv`` /
``to_json``, ``analytics.chart.write_chart``, and for the command line ``analytics.cli.add_stats_arguments(parser)``
+ ``analytics.cli.run_stats(args, console)`` or ``analytics.cli.cli_main(argv)``.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_EXPORTS = {
    "analytics.options": ("DIMENSIONS", "PERIODS"),
    "analytics.compute": ("PUBLIC_HEADLINES", "DisplayNames", "GroupStats", "Headline", "ReasonCount",
                          "RejectionStats", "compute_stats", "names_from_policy"),
    "analytics.facts": ("ApplicationFacts", "FindingFact", "load_facts"),
    "analytics.output": ("print_stats", "to_csv", "to_json"),
    "analytics.service": ("stats_from_database", "store_snapshot"),
}
_MODULE_OF = {name: module for module, names in _EXPORTS.items() for name in names}
__all__ = [
    "DIMENSIONS",
    "PERIODS",
    "PUBLIC_HEADLINES",
    "ApplicationFacts",
    "DisplayNames",
    "FindingFact",
    "GroupStats",
    "Headline",
    "ReasonCount",
    "RejectionStats",
    "compute_stats",
    "load_facts",
    "names_from_policy",
    "print_stats",
    "stats_from_database",
    "store_snapshot",
    "to_csv",
    "to_json",
]


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module 'analytics' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)


if TYPE_CHECKING:
    from analytics.compute import (
        PUBLIC_HEADLINES,
        DisplayNames,
        GroupStats,
        Headline,
        ReasonCount,
        RejectionStats,
        compute_stats,
        names_from_policy,
    )
    from analytics.facts import ApplicationFacts, FindingFact, load_facts
    from analytics.options import DIMENSIONS, PERIODS
    from analytics.output import print_stats, to_csv, to_json
    from analytics.service import stats_from_database, store_snapshot
