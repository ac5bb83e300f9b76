"""``precheck stats``: rejection reasons from the results database, as tables, CSV, JSON and a chart.

``flows/cli.py`` adds the subcommand with ``analytics.options.add_stats_arguments`` (cheap to import) and
runs it with ``run_stats``;
``python -m analytics`` runs the same command on its own (``cli_main``).
"""

from __future__ import annotations

import argparse
import os
import sys

from rich.console import Console

from analytics.compute import names_from_policy
from analytics.options import add_stats_arguments
from analytics.output import print_stats, to_csv, to_json
from analytics.service import stats_from_database, store_snapshot
from pipeline.errors import ExitCode, PrecheckError
from pipeline.policy import load_policy
from store.engine import ENV_URL, open_existing_database


def run_stats(args: argparse.Namespace, console: Console) -> int:
    """Run ``precheck stats`` with parsed arguments.

    Returns:
        The exit code: 0, or ``BAD_ARGS`` when no database is named or found.

    Raises:
        PrecheckError: Policy data invalid, database unreachable, no CJK font for the chart.
    """
    if args.out is None and args.db_url is None and not _env_url():
        console.print(f"[red]请用 --out 指定结果目录，或用 --db-url / {ENV_URL} 指定数据库[/red]")
        return ExitCode.BAD_ARGS
    names = names_from_policy(load_policy(args.policy_dir))
    engine = open_existing_database(args.db_url, args.out)
    try:
        stats = stats_from_database(engine, period=args.period, region=args.region, since=args.since,
                                    until=args.until, names=names)
        if args.save_snapshot:
            snapshot_id = store_snapshot(engine, stats, source="cli")
            console.print(f"已保存统计快照 #{snapshot_id}", style="dim")
    finally:
        engine.dispose()
    if args.format == "table":
        print_stats(stats, console, dimensions=args.by, top=args.top)
    else:
        text = to_csv(stats, args.by) if args.format == "csv" else to_json(stats, args.by)
        if args.output is not None:
            args.output.parent.mkdir(parents=True, exist_ok=True)
            args.output.write_text(text, encoding="utf-8")
            console.print(f"已写入 {args.output}", style="dim")
        else:
            sys.stdout.write(text if text.endswith("\n") else text + "\n")
    if args.chart is not None:
        from analytics.chart import write_chart

        write_chart(stats, args.chart, period=args.period)
        console.print(f"图表：{args.chart}", style="dim")
    return ExitCode.OK


def _env_url() -> str | None:
    return os.environ.get(ENV_URL) or None


def cli_main(argv: list[str] | None = None) -> int:
    """Stand-alone entry point (``python -m analytics``), with the same options as ``precheck stats``."""
    parser = argparse.ArgumentParser(prog="precheck stats", description="退回原因统计（来自预审结果数据库）")
    add_stats_arguments(parser)
    args = parser.parse_args(argv)
    console = Console(stderr=args.format != "table")
    try:
        return int(run_stats(args, console))
    except PrecheckError as exc:
        console.print(f"[red]错误：{exc}[/red]")
        if exc.hint:
            console.print(f"提示：{exc.hint}")
        return int(exc.exit_code)
