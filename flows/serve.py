"""`precheck serve`: the ingestion flow on Prefect's scheduler, stopped cleanly by Ctrl-C / SIGTERM.

Prefect only schedules against an API server (its ephemeral in-process API refuses schedules), so
when no ``PREFECT_API_URL`` is configured this starts a private Prefect server on loopback, with its
state under ``OUT/.prefect``, and stops it on exit: the operator has nothing to set up. With
``PREFECT_API_URL`` set (a shared server, see docs/scale.md) it serves against that one.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

SERVER_START_TIMEOUT_S = 180.0


def _die_with_parent() -> None:
    """Linux: the private server gets SIGTERM when `precheck serve` dies, even by kill -9."""
    libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def healthy(api_url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{api_url}/health", timeout=2) as response:  # loopback only
            return response.status == 200
    except OSError:
        return False


@contextlib.contextmanager
def local_prefect_server(home: Path) -> Iterator[str]:
    """Run ``prefect server start`` on a free loopback port; yield its API URL; stop it afterwards."""
    home.mkdir(parents=True, exist_ok=True)
    port = free_port()
    env = {**os.environ, "PREFECT_HOME": str(home), "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
           "PREFECT_UI_ENABLED": "false"}
    env.pop("PREFECT_API_URL", None)
    prefect_bin = Path(sys.executable).parent / "prefect"
    log = (home / "server.log").open("ab")
    process = subprocess.Popen([str(prefect_bin), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
                               env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
                               preexec_fn=_die_with_parent)
    api_url = f"http://127.0.0.1:{port}/api"
    try:
        deadline = time.monotonic() + SERVER_START_TIMEOUT_S
        while not healthy(api_url):
            if process.poll() is not None:
                raise RuntimeError(f"Prefect server exited ({process.returncode}); see {home / 'server.log'}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"Prefect server did not start in {SERVER_START_TIMEOUT_S:.0f} s")
            time.sleep(0.5)
        yield api_url
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        log.close()


def serve_ingestion(inbox: Path, out: Path, settings_json: str, *, interval_s: float | None, cron: str | None,
                    stats_interval_s: float = 3600.0) -> None:
    """Serve the ingestion flow (and the statistics flow) on their schedules until stopped (blocks)."""
    from prefect import serve

    from flows.ingest import IngestSettings, ingest_inbox_flow
    from flows.settings import RunSettings
    from flows.stats_flow import stats_deployment

    settings = RunSettings.model_validate_json(settings_json)
    parameters = {"inbox": str(inbox), "out_root": str(out), "settings": settings.model_dump(mode="json"),
                  "ingest": IngestSettings().model_dump(mode="json")}
    if cron:
        ingest = ingest_inbox_flow.to_deployment(name="precheck-ingest", cron=cron, parameters=parameters)
    else:
        ingest = ingest_inbox_flow.to_deployment(name="precheck-ingest", interval=timedelta(seconds=interval_s or 300),
                                                 parameters=parameters)
    stats = stats_deployment(out, settings.db_url, interval_s=stats_interval_s)
    serve(ingest, stats, limit=1)
