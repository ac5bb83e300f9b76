"""`precheck serve` (issue 8): scheduled ingestion picks up packets, survives kill -9 and keeps exactly
one current verdict per application; two serve processes on one inbox never double-process."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.packets import manifest, write_packet
from tests.test_run_cli import tree_hashes

pytestmark = pytest.mark.slow
PRECHECK = str(Path(sys.executable).parent / "precheck")


def start_serve(inbox: Path, out: Path, log: Path) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env["PREFECT_HOME"] = str(out.parent / f"home-{log.stem}")
    handle = log.open("ab")
    return subprocess.Popen([PRECHECK, "serve", str(inbox), "--out", str(out), "--interval", "5"],
                            stdout=handle, stderr=subprocess.STDOUT, env=env, start_new_session=True)


def current_runs(out: Path) -> dict[str, int]:
    path = out / "precheck.sqlite3"
    if not path.exists():
        return {}
    with sqlite3.connect(path, timeout=30) as db:
        try:
            rows = db.execute("select application_id, sum(is_current) from runs group by application_id").fetchall()
        except sqlite3.OperationalError:
            return {}
    return {app: int(current) for app, current in rows}


def wait_for(predicate, timeout_s: float, what: str, logs: list[Path]) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(2)
    tails = "\n".join(f"--- {log}\n{log.read_text(errors='replace')[-3000:]}" for log in logs if log.exists())
    raise AssertionError(f"timed out waiting for {what}\n{tails}")


def stop(process: subprocess.Popen) -> int:
    process.send_signal(signal.SIGTERM)
    try:
        return process.wait(timeout=90)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        raise


def test_serve_survives_kill_and_processes_each_packet_once(tmp_path):
    """GIVEN an inbox of packets and `precheck serve` running
    WHEN it is killed with -9 mid-batch, restarted twice side by side, and a packet is added meanwhile
    THEN every packet ends with exactly one current verdict and no upload changed."""
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    ids = [f"SV-{n}" for n in range(1, 7)]
    for app_id in ids:
        write_packet(inbox, manifest(application_id=app_id))
    before = tree_hashes(inbox)
    logs = [tmp_path / "serve-a.log", tmp_path / "serve-b.log", tmp_path / "serve-c.log"]

    first = start_serve(inbox, out, logs[0])
    try:
        wait_for(lambda: len(current_runs(out)) >= 1, 600, "a first verdict", logs)
    finally:
        os.killpg(first.pid, signal.SIGKILL)
        first.wait()

    second, third = start_serve(inbox, out, logs[1]), start_serve(inbox, out, logs[2])
    try:
        write_packet(inbox, manifest(application_id="SV-LATE"))
        before.update({k: v for k, v in tree_hashes(inbox).items() if k.startswith("SV-LATE")})
        wanted = set(ids) | {"SV-LATE"}
        wait_for(lambda: wanted <= set(current_runs(out)), 900, "every packet's verdict", logs)
        time.sleep(15)  # a few more scheduled runs: nothing may be processed again
        runs = current_runs(out)
        assert all(runs[app] == 1 for app in wanted), runs
        for app in wanted:
            assert (out / app / "verdict.json").is_file()
    finally:
        codes = [stop(second), stop(third)]
    assert codes == [0, 0]
    assert tree_hashes(inbox) == before
    with sqlite3.connect(out / "precheck.sqlite3") as db:
        total = db.execute("select count(*) from runs where packet_folder like ?", (f"%{os.sep}SV-LATE",)).fetchone()[0]
    assert total == 1, "a packet added while serving is pre-checked exactly once"
