"""A private PostgreSQL server from Debian's binaries, on a free loopback port.

Used by the test suite (``tests/pg.py``) and by ``deploy/cluster.py``. The server is initialised in a
temporary directory with its socket there, and stopped and deleted on exit. PostgreSQL refuses to
run as root, so under root it runs as the ``postgres`` system user the Debian package creates.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

SERVER_USER = "postgres"
STARTUP_TIMEOUT_S = 30.0


class PostgresUnavailable(RuntimeError):
    """PostgreSQL binaries are missing or the server would not start."""


def find_bin_dir() -> Path | None:
    """Newest ``/usr/lib/postgresql/<version>/bin`` holding initdb and postgres, or None."""
    candidates = []
    for path in Path("/usr/lib/postgresql").glob("*/bin"):
        if (path / "initdb").is_file() and (path / "postgres").is_file():
            with contextlib.suppress(ValueError):
                candidates.append((float(path.parent.name), path))
    return max(candidates)[1] if candidates else None


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class PgServer:
    """A running server: connect as ``user`` over TCP on 127.0.0.1:``port`` (trust authentication)."""

    bin_dir: Path
    root: Path
    port: int
    user: str
    process: subprocess.Popen

    def url(self, database: str = "postgres", driver: str = "psycopg") -> str:
        return f"postgresql+{driver}://{self.user}@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str | None = None) -> str:
        """Create an empty database and return its SQLAlchemy URL."""
        import psycopg

        name = name or f"t_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(host="127.0.0.1", port=self.port, user=self.user, dbname="postgres",
                             autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)


def _run_as(user: str | None) -> dict:
    if user is None:
        return {}
    entry = pwd.getpwnam(user)
    return {"user": entry.pw_uid, "group": entry.pw_gid, "extra_groups": []}


def _wait_ready(server: PgServer, log_path: Path) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise PostgresUnavailable(f"postgres exited: {log_path.read_text(errors='replace')[-2000:]}")
        ready = subprocess.run([str(server.bin_dir / "pg_isready"), "-q", "-h", "127.0.0.1", "-p", str(server.port)],
                               check=False)
        if ready.returncode == 0:
            return
        time.sleep(0.1)
    raise PostgresUnavailable(f"postgres did not start in {STARTUP_TIMEOUT_S:.0f} s")


@contextlib.contextmanager
def postgres_server() -> Iterator[PgServer]:
    """Start a private PostgreSQL server; stop it and delete its files on exit.

    Raises:
        PostgresUnavailable: The binaries are not installed, or initdb / the server failed.
    """
    bin_dir = find_bin_dir()
    if bin_dir is None:
        raise PostgresUnavailable("PostgreSQL is not installed (apt-get install -y postgresql)")
    run_user = SERVER_USER if os.geteuid() == 0 else None
    root = Path(tempfile.mkdtemp(prefix="precheck-pg-"))
    as_user = _run_as(run_user)
    if run_user is not None:
        entry = pwd.getpwnam(run_user)
        os.chown(root, entry.pw_uid, entry.pw_gid)
    data, log_path = root / "data", root / "server.log"
    process = None
    try:
        initdb = subprocess.run(
            [str(bin_dir / "initdb"), "-D", str(data), "-U", "precheck", "-A", "trust", "-E", "UTF8",
             "--locale=C.UTF-8", "--no-sync"],
            capture_output=True, text=True, check=False, **as_user)
        if initdb.returncode != 0:
            raise PostgresUnavailable(f"initdb failed: {initdb.stderr[-2000:]}")
        port = free_port()
        with open(log_path, "wb") as log:
            process = subprocess.Popen(
                [str(bin_dir / "postgres"), "-D", str(data), "-p", str(port), "-h", "127.0.0.1",
                 "-k", str(root), "-c", "fsync=off", "-c", "synchronous_commit=off",
                 "-c", "full_page_writes=off", "-c", "max_connections=40", "-c", "shared_buffers=16MB"],
                stdout=log, stderr=subprocess.STDOUT, **as_user)
        server = PgServer(bin_dir=bin_dir, root=root, port=port, user="precheck", process=process)
        _wait_ready(server, log_path)
        yield server
    finally:
        if process is not None and process.poll() is None:
            process.send_signal(signal.SIGQUIT)  # "immediate" shutdown: the data directory is deleted next
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        shutil.rmtree(root, ignore_errors=True)
