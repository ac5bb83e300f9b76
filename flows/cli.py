"""The ``precheck`` command. The only place that maps exceptions to exit codes and one-line messages."""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import traceback
from pathlib import Path

from rich.console import Console
from rich.table import Table

from analytics.options import add_stats_arguments
from pipeline.errors import ExitCode, PrecheckError
from pipeline.policy import DEFAULT_POLICY_DIR

STATUS_ZH = {"pass": "通过", "manual_review": "人工复核", "return": "退回补正", "rejected": "清单无法读取"}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="precheck", description="门诊慢特病申请材料智能预审")
    parser.add_argument("-v", "--verbose", action="store_true", help="show tracebacks and debug logs")
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="pre-check every packet in INBOX once")
    run.add_argument("inbox", type=Path)
    run.add_argument("--out", type=Path, required=True)
    run.add_argument("--policy-dir", type=Path)
    run.add_argument("--engine", choices=["rapidocr", "tesseract"])
    run.add_argument("--settings", type=Path, help="YAML settings file (limits per file, engine, workers)")
    run.add_argument("--db-url", help="database URL (default: $PRECHECK_DATABASE_URL, else OUT/precheck.sqlite3)")
    run.add_argument("--workers", type=int, help="packets processed in parallel (default 2)")

    stats = sub.add_parser("stats", help="rejection-reason statistics from the results database")
    add_stats_arguments(stats)

    serve = sub.add_parser("serve", help="pre-check new and changed packets in INBOX on a schedule")
    serve.add_argument("inbox", type=Path)
    serve.add_argument("--out", type=Path, required=True)
    when = serve.add_mutually_exclusive_group()
    when.add_argument("--interval", type=float, default=300.0, help="seconds between ingestion runs (default 300)")
    when.add_argument("--cron", help="cron expression instead of an interval")
    serve.add_argument("--policy-dir", type=Path)
    serve.add_argument("--engine", choices=["rapidocr", "tesseract"])
    serve.add_argument("--settings", type=Path, help="YAML settings file (limits per file, engine, workers)")
    serve.add_argument("--db-url", help="database URL (default: $PRECHECK_DATABASE_URL, else OUT/precheck.sqlite3)")
    serve.add_argument("--workers", type=int)

    check = sub.add_parser("check-data", help="validate the policy data files")
    check.add_argument("--policy-dir", type=Path, default=DEFAULT_POLICY_DIR)
    return parser


def _print_summary(results: list, console: Console) -> None:
    table = Table(title=f"预审结果（{len(results)} 份申请）")
    for column in ("application", "region", "status", "findings"):
        table.add_column(column)
    for result in results:
        table.add_row(result.application_id or f"({result.folder})", result.region or "-",
                      f"{result.status} {STATUS_ZH.get(result.status, '')}", " ".join(result.codes) or "-")
    console.print(table)
    counts: dict[str, int] = {}
    for result in results:
        counts[result.status] = counts.get(result.status, 0) + 1
    console.print("  ".join(f"{k}: {v}" for k, v in sorted(counts.items())))


def _cmd_run(args: argparse.Namespace, console: Console) -> int:
    from flows.logsafe import install_redaction
    from flows.precheck_flow import run_inbox
    from flows.settings import load_settings_file, policy_book

    if not args.inbox.is_dir():
        console.print(f"[red]收件箱不存在或不是文件夹：{args.inbox}[/red]")
        return ExitCode.BAD_ARGS
    inbox, out = args.inbox.resolve(), args.out.resolve()
    if out == inbox or out.is_relative_to(inbox):
        console.print("[red]输出目录不能位于收件箱内[/red]")
        return ExitCode.BAD_ARGS
    settings = load_settings_file(args.settings, policy_dir=args.policy_dir, ocr_engine=args.engine,
                                  max_workers=args.workers, db_url=args.db_url)
    policy_book(settings.policy_dir)
    install_redaction()
    out.mkdir(parents=True, exist_ok=True)
    results = run_inbox(inbox, out, settings)
    _print_summary(results, console)
    console.print(f"结果目录：{out}（批次列表：{out / 'index.html'}）")
    return ExitCode.OK


def _cmd_stats(args: argparse.Namespace, console: Console) -> int:
    from analytics.cli import run_stats

    return run_stats(args, console)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _cmd_serve(args: argparse.Namespace, console: Console) -> int:
    from flows.serve import local_prefect_server, serve_ingestion
    from flows.settings import load_settings_file, policy_book

    inbox, out = args.inbox.resolve(), args.out.resolve()
    if not inbox.is_dir():
        console.print(f"[red]收件箱不存在或不是文件夹：{inbox}[/red]")
        return ExitCode.BAD_ARGS
    if out == inbox or out.is_relative_to(inbox):
        console.print("[red]输出目录不能位于收件箱内[/red]")
        return ExitCode.BAD_ARGS
    settings = load_settings_file(args.settings, policy_dir=args.policy_dir, ocr_engine=args.engine,
                                  max_workers=args.workers, db_url=args.db_url)
    policy_book(settings.policy_dir)
    out.mkdir(parents=True, exist_ok=True)
    # SIGTERM ends the process like Ctrl-C, so the private Prefect server is stopped on the way out.
    signal.signal(signal.SIGTERM, _interrupt)
    schedule = f"cron {args.cron}" if args.cron else f"every {args.interval:g} s"
    try:
        if os.environ.get("PREFECT_API_URL"):
            console.print(f"serving {inbox} -> {out} ({schedule}) on {os.environ['PREFECT_API_URL']}")
            serve_ingestion(inbox, out, settings.model_dump_json(), interval_s=args.interval, cron=args.cron)
        else:
            with local_prefect_server(out / ".prefect") as api_url:
                os.environ["PREFECT_API_URL"] = api_url
                console.print(f"serving {inbox} -> {out} ({schedule}); private Prefect server {api_url}")
                serve_ingestion(inbox, out, settings.model_dump_json(), interval_s=args.interval, cron=args.cron)
    except KeyboardInterrupt:
        console.print("stopped")
    return ExitCode.OK


def _cmd_check_data(args: argparse.Namespace, console: Console) -> int:
    from pipeline.policy import load_policy

    book = load_policy(args.policy_dir)
    console.print(f"policy data OK: {len(book.regions)} regions, {len(book.catalog.diseases)} diseases "
                  f"(catalog {book.catalog.catalog_version}), {len(book.all_hospitals)} institutions")
    return ExitCode.OK


def configure_environment(verbose: bool) -> None:
    """Process-wide settings, set before Prefect or an OCR engine is imported."""
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")  # Tesseract: one thread per process, never the OpenMP default
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # numpy BLAS threads fight the per-packet processes
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")  # no telemetry off a closed network
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")  # slow, busy machines
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "INFO" if verbose else "WARNING")
    logging.getLogger("precheck").setLevel(logging.DEBUG if verbose else logging.INFO)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    console = Console()
    configure_environment(verbose=args.verbose)
    try:
        handlers = {"run": _cmd_run, "serve": _cmd_serve, "stats": _cmd_stats, "check-data": _cmd_check_data}
        handler = handlers[args.command]
        return int(handler(args, console))
    except PrecheckError as exc:
        console.print(f"[red]错误：{exc}[/red]")
        if exc.hint:
            console.print(f"提示：{exc.hint}")
        if args.verbose:
            traceback.print_exc()
        return int(exc.exit_code)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
