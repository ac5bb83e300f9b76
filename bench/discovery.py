"""Discovery cost: how long one scheduled run takes to find that 1,000 packets are already done.

Builds an inbox of N packet folders (copies of one real corpus packet's manifest under new
application ids, its files hard-linked so no bytes are copied), stores one verdict per folder in
a fresh results database as a finished run would, then times ``flows.ingest.plan_ingest``, the
discovery step of every ``precheck serve`` run (listing, fingerprints, one database query).
The issue's target is under 5 s for 1,000 done packets; the time should grow with the inbox,
not with the database, so it is measured again after every packet got a second, older run.

    python -m bench.discovery --template out/bench/corpus-909-40/FCG-2025-360001 \
        --verdict out/bench/run/FCG-2025-360001/verdict.json [--count 1000]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy.orm import Session

from flows.discover import scan_folder
from flows.ingest import IngestSettings, packet_key, plan_ingest
from models.verdict import Verdict
from store.engine import open_database
from store.repository import RunInfo, save_verdict
from store.serialise import verdict_from_json

MANIFEST = "application.json"


def build_inbox(template: Path, inbox: Path, count: int) -> list[Path]:
    """``count`` packet folders shaped like ``template``, each with its own application id."""
    manifest = json.loads((template / MANIFEST).read_text(encoding="utf-8"))
    base_id = str(manifest["application_id"])
    folders = []
    for number in range(count):
        application_id = f"{base_id}-D{number:05d}"
        folder = inbox / application_id
        folder.mkdir(parents=True)
        for entry in manifest.get("files", []):
            source = template / str(entry["path"])
            if source.is_file():
                os.link(source, folder / source.name)
        (folder / MANIFEST).write_text(json.dumps({**manifest, "application_id": application_id}, ensure_ascii=False),
                                       encoding="utf-8")
        folders.append(folder)
    return folders


def record_done(engine, folders: list[Path], verdict: Verdict, finished_at: datetime) -> None:
    """Store a run for each folder with the fingerprint discovery will see, as a finished run would."""
    with Session(engine) as session, session.begin():  # one transaction for all rows
        for folder in folders:
            own = verdict.model_copy(update={"application_id": folder.name})
            info = RunInfo(packet_folder=packet_key(folder), output_dir=folder.name, finished_at=finished_at,
                           scan_fingerprint=scan_folder(folder).fingerprint)
            save_verdict(session, own, info)


def time_discovery(inbox: Path, engine, repeats: int = 3) -> tuple[float, int, int]:
    """Best of ``repeats`` timings of one discovery; also how many packets it found ready or deferred."""
    best, ready, deferred = float("inf"), 0, 0
    settings = IngestSettings()
    for _ in range(repeats):
        started = time.perf_counter()
        plan = plan_ingest(inbox, engine, settings, time.time() + settings.settle_s + 1)
        best = min(best, time.perf_counter() - started)
        ready, deferred = len(plan.ready), len(plan.deferred)
    return best, ready, deferred


def measure(template: Path, verdict_path: Path, work: Path, count: int) -> dict:
    shutil.rmtree(work, ignore_errors=True)
    inbox = work / "inbox"
    folders = build_inbox(template, inbox, count)
    verdict = verdict_from_json(json.loads(verdict_path.read_text(encoding="utf-8")))
    engine = open_database(None, work / "out")
    record_done(engine, folders, verdict, datetime.now(UTC) - timedelta(days=1))
    one_run, ready, deferred = time_discovery(inbox, engine)
    record_done(engine, folders, verdict, datetime.now(UTC))  # a second run each: the database doubles
    two_runs, ready2, deferred2 = time_discovery(inbox, engine)
    engine.dispose()
    return {"done_packets": count, "discover_s": round(one_run, 3), "discover_s_two_runs_each": round(two_runs, 3),
            "found_ready": ready + ready2, "found_deferred": deferred + deferred2}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--template", type=Path, required=True, help="a packet folder to copy")
    parser.add_argument("--verdict", type=Path, required=True, help="that packet's verdict.json")
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--work", type=Path, default=Path("out/bench/discovery"))
    args = parser.parse_args(argv)
    print(json.dumps(measure(args.template, args.verdict, args.work, args.count), indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
