"""Start the scaled-out set-up on this machine: PostgreSQL, a Prefect server backed by it, a process
work pool, N workers and the deployment of the ingestion flow (see docs/scale.md).

    python -m deploy.cluster INBOX --out OUT [--workers 2] [--interval 10]

Everything listens on loopback only and is stopped by Ctrl-C / SIGTERM. On several machines the same
pieces run apart: one PostgreSQL, one Prefect server, workers wherever the inbox and OUT are mounted.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from deploy.postgres import PgServer, postgres_server
from flows.serve import free_port, healthy

ROOT = Path(__file__).resolve().parent.parent
POOL = "precheck-pool"
DEPLOYMENT = "precheck-ingest/precheck-ingest-pool"
START_TIMEOUT_S = 240.0


@dataclass
class Cluster:
    api_url: str
    results_db_url: str
    workers: list[subprocess.Popen]
    home: Path


def _prefect(args: list[str], env: dict[str, str], **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([str(Path(sys.executable).parent / "prefect"), *args], env=env, check=True,
                          capture_output=True, text=True, **kwargs)


def _stop(process: subprocess.Popen, timeout_s: float = 60) -> None:
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


@contextlib.contextmanager
def run_cluster(inbox: Path, out: Path, *, workers: int = 2, interval_s: float = 10.0,
                pg: PgServer | None = None, threads: int = 2) -> Iterator[Cluster]:
    """Start PostgreSQL (unless given), the Prefect server, the pool, the deployment and the workers.

    ``threads``: packets each flow run pre-checks at once (a worker runs one flow run at a time).
    """
    home = out / ".cluster"
    home.mkdir(parents=True, exist_ok=True)
    with contextlib.ExitStack() as stack:
        if pg is None:
            pg = stack.enter_context(postgres_server())
        prefect_db = pg.create_database("prefect")
        results_db = pg.create_database("precheck")
        port = free_port()
        api_url = f"http://127.0.0.1:{port}/api"
        env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
        env.update(PREFECT_HOME=str(home), PREFECT_SERVER_ANALYTICS_ENABLED="false", PREFECT_UI_ENABLED="false",
                   PREFECT_API_DATABASE_CONNECTION_URL=prefect_db.replace("+psycopg", "+asyncpg"),
                   PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS="180")
        log = (home / "server.log").open("ab")
        server = subprocess.Popen([str(Path(sys.executable).parent / "prefect"), "server", "start", "--host",
                                   "127.0.0.1", "--port", str(port)], env=env, stdout=log, stderr=subprocess.STDOUT,
                                  start_new_session=True)
        stack.callback(log.close)
        stack.callback(_stop, server)
        deadline = time.monotonic() + START_TIMEOUT_S
        while not healthy(api_url):
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"Prefect server did not start; see {home / 'server.log'}")
            time.sleep(0.5)
        client_env = {**env, "PREFECT_API_URL": api_url}
        client_env.pop("PREFECT_API_DATABASE_CONNECTION_URL")
        _prefect(["work-pool", "create", POOL, "--type", "process", "--overwrite"], client_env)
        subprocess.run([sys.executable, "-m", "deploy.register", str(inbox), str(out), results_db, str(interval_s),
                        str(threads)],
                       env=client_env, check=True, cwd=ROOT)
        procs = []
        for number in range(workers):
            worker_log = (home / f"worker-{number + 1}.log").open("ab")
            stack.callback(worker_log.close)
            worker = subprocess.Popen([str(Path(sys.executable).parent / "prefect"), "worker", "start", "--pool", POOL,
                                       "--name", f"worker-{number + 1}", "--limit", "1"],
                                      env=client_env, stdout=worker_log, stderr=subprocess.STDOUT, cwd=ROOT,
                                      start_new_session=True)
            stack.callback(_stop, worker)
            procs.append(worker)
        yield Cluster(api_url=api_url, results_db_url=results_db, workers=procs, home=home)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("inbox", type=Path)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--interval", type=float, default=10.0)
    parser.add_argument("--threads", type=int, default=2, help="packets each flow run pre-checks at once")
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    with run_cluster(args.inbox.resolve(), args.out.resolve(), workers=args.workers, interval_s=args.interval,
                     threads=args.threads) as c:
        print(f"Prefect API {c.api_url}; results {c.results_db_url}; {len(c.workers)} workers. Ctrl-C stops all.")
        with contextlib.suppress(KeyboardInterrupt):
            while all(w.poll() is None for w in c.workers):
                time.sleep(1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
