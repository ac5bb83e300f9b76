"""What ``precheck stats`` can be asked for: breakdowns, periods and the command-line options.

Cheap to import, so the ``precheck`` parser can add these options without loading the database or
analytics code.
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from pipeline.policy import DEFAULT_POLICY_DIR
from store.settings import ENV_URL

DIMENSIONS = ("region", "disease", "hospital", "slot", "week", "month")
PERIODS = ("week", "month")


def parse_dimensions(text: str) -> list[str]:
    """``"region,slot"`` -> ``["region", "slot"]``; unknown names are an argparse error."""
    chosen = [part.strip() for part in text.split(",") if part.strip()]
    unknown = [d for d in chosen if d not in DIMENSIONS]
    if unknown:
        raise argparse.ArgumentTypeError(f"unknown breakdown {', '.join(unknown)}; choose from {', '.join(DIMENSIONS)}")
    return chosen


def add_stats_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the ``precheck stats`` options to a (sub)parser."""
    source = parser.add_argument_group("database")
    source.add_argument("--out", type=Path, help="OUT folder of earlier runs (default database OUT/precheck.sqlite3)")
    source.add_argument("--db-url", help=f"SQLAlchemy database URL (default: ${ENV_URL}, else the SQLite file in OUT)")
    parser.add_argument("--format", choices=("table", "csv", "json"), default="table", help="output format")
    parser.add_argument("--output", type=Path, help="write the csv/json output to this file instead of stdout")
    parser.add_argument("--chart", type=Path, metavar="FILE.png", help="also draw a bar / trend chart")
    parser.add_argument("--period", choices=PERIODS, default="month", help="trend granularity (chart, snapshot)")
    parser.add_argument("--by", type=parse_dimensions, default=list(DIMENSIONS), metavar="DIMS",
                        help=f"comma-separated breakdowns to show (default: {','.join(DIMENSIONS)})")
    parser.add_argument("--region", help="only this region code")
    parser.add_argument("--since", type=date.fromisoformat, help="only applications submitted on/after YYYY-MM-DD")
    parser.add_argument("--until", type=date.fromisoformat, help="only applications submitted on/before YYYY-MM-DD")
    parser.add_argument("--top", type=int, default=15, help="rows of the reason table")
    parser.add_argument("--save-snapshot", action="store_true", help="also store the result in stats_snapshots")
    parser.add_argument("--policy-dir", type=Path, default=DEFAULT_POLICY_DIR, help="for region and disease names")
