"""The scaled-out set-up (issue 8): Prefect server on PostgreSQL, a process work pool, two workers and the
ingestion deployment; 20 packets dropped in the inbox each get exactly one verdict."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import create_engine, text

from deploy.cluster import run_cluster
from tests.packets import manifest, write_packet

pytest_plugins = ["tests.pg"]

pytestmark = [pytest.mark.slow, pytest.mark.postgres]
PACKETS = 20


def test_two_workers_process_each_packet_exactly_once(tmp_path, pg_server):
    """GIVEN the cluster running WHEN 20 packets are dropped in the inbox THEN each gets one verdict, once."""
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    inbox.mkdir()
    with run_cluster(inbox, out, workers=2, interval_s=5, pg=pg_server) as cluster:
        started = time.monotonic()
        for number in range(PACKETS):
            write_packet(inbox, manifest(application_id=f"CL-{number:02d}"))
        engine = create_engine(cluster.results_db_url)
        deadline = time.monotonic() + 1200
        done = 0
        while time.monotonic() < deadline:
            time.sleep(3)
            try:
                with engine.connect() as db:
                    done = db.execute(text("select count(*) from runs where is_current")).scalar_one()
            except Exception:  # the schema appears with the first flow run
                continue
            if done >= PACKETS:
                break
        elapsed = time.monotonic() - started
        time.sleep(12)  # let further scheduled runs pass: nothing may be processed again
        with engine.connect() as db:
            runs = db.execute(text("select application_id, count(*) from runs group by application_id")).all()
            workers = db.execute(text("select count(distinct worker) from runs")).scalar_one()
        engine.dispose()
        logs = "\n".join(p.read_text(errors="replace")[-2000:] for p in sorted(cluster.home.glob("*.log")))
    assert done >= PACKETS, logs
    assert len(runs) == PACKETS and all(count == 1 for _, count in runs), runs
    assert all((out / f"CL-{n:02d}" / "verdict.json").is_file() for n in range(PACKETS))
    print(f"{PACKETS} packets in {elapsed:.0f} s with 2 workers ({workers} worker processes wrote runs)")
