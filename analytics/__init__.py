"""Rejection-reason analytics over the results database (``precheck stats`` and the scheduled stats flow).

Public API: ``stats_from_database(engine, ...) -> RejectionStats``, ``store_snapshot(engine, stats, source)``,
``compute_stats(facts, ...)`` (pure), ``print_stats`` / ``to_csv`` / ``to_json`` / ``write_chart``, and for the
command line ``add_stats_arguments(parser)`` + ``run_stats(args, console)`` or ``cli_main(argv)``.
"""

from analytics.compute import (
    DIMENSIONS,
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
from analytics.output import print_stats, to_csv, to_json
from analytics.service import stats_from_database, store_snapshot

__all__ = [
    "DIMENSIONS",
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
