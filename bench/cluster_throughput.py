"""Throughput of the scaled-out set-up (docs/scale.md): one and two Prefect workers on this machine.

For each configuration it starts ``deploy.cluster`` (PostgreSQL, Prefect server, process work
pool, W workers, the ingestion deployment), copies the first N packets of a corpus into the
empty inbox at once, and times from the copy to the last current verdict in the results
database. Each configuration gets a fresh PostgreSQL server, inbox and OUT.

    python -m bench.cluster_throughput --corpus out/bench/corpus-909-40 [--packets 12]
                                       [--configs 1x2,2x1]   # workers x threads per flow run
"""

from __future__ import annotations

import argparse
import json
import shutil
import time
from pathlib import Path

from sqlalchemy import create_engine, text

from deploy.cluster import run_cluster
from pipeline.pages import FileLimits, load_document

ROOT = Path(__file__).resolve().parent.parent
POLL_S = 2.0


def count_pages(packets: list[Path]) -> int:
    pages = 0
    for folder in packets:
        manifest = json.loads((folder / "application.json").read_text(encoding="utf-8"))
        for entry in manifest.get("files", []):
            try:
                pages += len(load_document(folder / str(entry["path"]), FileLimits()).pages)
            except Exception:  # an unreadable upload is part of the corpus; it has no pages to read
                continue
    return pages


def current_runs(url: str) -> int:
    engine = create_engine(url)
    try:
        with engine.connect() as db:
            return int(db.execute(text("select count(*) from runs where is_current")).scalar_one())
    except Exception:  # the schema appears with the first flow run
        return 0
    finally:
        engine.dispose()


def measure(packets: list[Path], work: Path, workers: int, threads: int, timeout_s: float) -> dict:
    shutil.rmtree(work, ignore_errors=True)
    inbox, out = work / "inbox", work / "out"
    inbox.mkdir(parents=True)
    with run_cluster(inbox, out, workers=workers, interval_s=5, threads=threads) as cluster:
        started = time.monotonic()
        for folder in packets:
            shutil.copytree(folder, inbox / folder.name)
        done = 0
        while time.monotonic() - started < timeout_s:
            done = current_runs(cluster.results_db_url)
            if done >= len(packets):
                break
            time.sleep(POLL_S)
        elapsed = time.monotonic() - started
    return {"workers": workers, "threads_per_flow_run": threads, "packets": len(packets), "done": done,
            "wall_s": round(elapsed, 1), "packets_per_min": round(done / elapsed * 60, 2)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--packets", type=int, default=12)
    parser.add_argument("--configs", default="1x2,2x1", help="workers x threads per flow run, comma separated")
    parser.add_argument("--work", type=Path, default=ROOT / "out" / "bench" / "cluster")
    parser.add_argument("--timeout", type=float, default=1800.0)
    args = parser.parse_args(argv)
    packets = sorted(p.parent for p in args.corpus.glob("*/application.json"))[: args.packets]
    pages = count_pages(packets)
    results = []
    for config in args.configs.split(","):
        workers, threads = (int(v) for v in config.split("x"))
        result = measure(packets, args.work / config, workers, threads, args.timeout)
        result["pages_per_min"] = round(pages * result["done"] / len(packets) / result["wall_s"] * 60, 1)
        results.append(result)
        print(json.dumps(result), flush=True)
    (args.work / "results.json").write_text(json.dumps({"pages": pages, "runs": results}, indent=1) + "\n",
                                           encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
