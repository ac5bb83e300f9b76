"""`make bench`: pages per minute of the full pre-check against bare Tesseract on the same pages.

Steps: generate (or take) a corpus; rasterise every page once to PNG for the Tesseract baseline;
run `precheck run` from a cold start while sampling the RSS of its whole process tree; run bare
`tesseract IMAGE stdout -l chi_sim` (default settings, one page at a time, as most scripts call it);
report the ratio and a per-stage breakdown (from each packet's ``timings.json``); last, time the
discovery of 1,000 packets that are already done (``bench.discovery``).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import subprocess
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

import cv2
import psutil

from bench import discovery
from flows.precheck_flow import TIMINGS_NAME
from pipeline.pages import FileLimits, load_document

ROOT = Path(__file__).resolve().parent.parent


def ensure_corpus(corpus: Path | None, seed: int, count: int, work: Path) -> Path:
    if corpus is not None:
        return corpus
    target = work / f"corpus-{seed}-{count}"
    if not (target / "truth.json").exists():
        subprocess.run([sys.executable, "-m", "samples.generate", "--seed", str(seed), "--count", str(count),
                        "--out", str(target)], check=True, cwd=ROOT)
    return target


def rasterise_pages(corpus: Path, target: Path) -> list[Path]:
    """Every page of every listed file, as the PNG a script would hand to Tesseract."""
    target.mkdir(parents=True, exist_ok=True)
    pages: list[Path] = []
    for manifest_path in sorted(corpus.glob("*/application.json")):
        try:
            files = json.loads(manifest_path.read_text(encoding="utf-8")).get("files", [])
        except (ValueError, UnicodeDecodeError):
            continue
        for entry in files:
            path = manifest_path.parent / str(entry.get("path", ""))
            try:
                document = load_document(path, FileLimits())
            except Exception:  # unreadable uploads are part of the corpus; the baseline skips them
                continue
            for page in document.pages:
                out = target / f"{manifest_path.parent.name}__{path.stem}__p{page.index:03d}.png"
                cv2.imwrite(str(out), page.original)
                pages.append(out)
    return pages


class TreeRss:
    """Samples the summed RSS of a process and all its children until stopped."""

    def __init__(self, pid: int, interval_s: float = 0.2) -> None:
        self.pid, self.interval_s, self.peak_bytes = pid, interval_s, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        try:
            root = psutil.Process(self.pid)
        except psutil.NoSuchProcess:
            return
        while not self._stop.is_set():
            total = 0
            try:
                for proc in [root, *root.children(recursive=True)]:
                    with contextlib.suppress(psutil.NoSuchProcess):
                        total += proc.memory_info().rss
            except psutil.NoSuchProcess:
                break
            self.peak_bytes = max(self.peak_bytes, total)
            time.sleep(self.interval_s)

    def __enter__(self) -> TreeRss:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def run_pipeline(corpus: Path, out: Path) -> dict:
    env = {**os.environ, "PREFECT_HOME": str(out.parent / "prefect-home")}
    started = time.perf_counter()
    proc = subprocess.Popen([str(Path(sys.executable).parent / "precheck"), "run", str(corpus), "--out", str(out)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, cwd=ROOT)
    with TreeRss(proc.pid) as rss:
        _, stderr = proc.communicate()
    wall = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(f"precheck run failed ({proc.returncode}):\n{stderr.decode(errors='replace')[-2000:]}")
    return {"wall_s": wall, "peak_rss_mb": rss.peak_bytes / 2**20}


def stage_breakdown(out: Path) -> dict[str, dict[str, float]]:
    """Seconds per stage summed over the packets' ``timings.json``: reading stages (per document:
    load, geometry, ocr, seals, extract, second_look, save) and packet stages (checks, evidence,
    verdict, report, database). In a parallel run these are thread seconds, not wall seconds."""
    totals: dict[str, dict[str, float]] = {"reading": defaultdict(float), "packet": defaultdict(float)}
    for path in out.glob(f"*/{TIMINGS_NAME}"):
        timings = json.loads(path.read_text(encoding="utf-8"))
        for group, stages in totals.items():
            for stage, seconds in (timings.get(group) or {}).items():
                stages[stage] += seconds
    return {group: {k: round(v, 2) for k, v in sorted(stages.items())} for group, stages in totals.items()}


def discovery_of_done(corpus: Path, out: Path, work: Path, count: int) -> dict | None:
    """Time one discovery over ``count`` packets already done (see ``bench.discovery``)."""
    for verdict in sorted(out.glob("*/verdict.json")):
        template = corpus / verdict.parent.name
        if (template / "application.json").is_file():
            return discovery.measure(template, verdict, work / "discovery", count)
    return None


def run_bare_tesseract(pages: list[Path]) -> float:
    env = {k: v for k, v in os.environ.items() if k != "OMP_THREAD_LIMIT"}
    started = time.perf_counter()
    for page in pages:
        subprocess.run(["tesseract", str(page), "stdout", "-l", "chi_sim"], stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, env=env, check=False)
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus", type=Path)
    parser.add_argument("--seed", type=int, default=909)
    parser.add_argument("--count", type=int, default=40)
    parser.add_argument("--work", type=Path, default=ROOT / "out" / "bench")
    parser.add_argument("--results", type=Path, default=ROOT / "bench" / "results.json")
    parser.add_argument("--skip-tesseract", action="store_true")
    parser.add_argument("--discovery-count", type=int, default=1000, help="done packets for the discovery timing")
    args = parser.parse_args(argv)

    corpus = ensure_corpus(args.corpus, args.seed, args.count, args.work)
    pages = rasterise_pages(corpus, args.work / "pages")
    packets = len(list(corpus.glob("*/application.json")))
    out = args.work / "run"
    if out.exists():
        subprocess.run(["rm", "-rf", str(out)], check=True)
    pipeline = run_pipeline(corpus, out)
    tesseract_s = None if args.skip_tesseract else run_bare_tesseract(pages)
    results = {
        "machine": {"cores": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "corpus": str(corpus), "packets": packets, "pages": len(pages),
        "pipeline_wall_s": round(pipeline["wall_s"], 2),
        "pages_per_min": round(len(pages) / pipeline["wall_s"] * 60, 1),
        "s_per_packet": round(pipeline["wall_s"] / max(packets, 1), 2),
        "peak_rss_mb": round(pipeline["peak_rss_mb"], 1),
        "stage_s": stage_breakdown(out),
        "discovery": discovery_of_done(corpus, out, args.work, args.discovery_count),
        "bare_tesseract_s": None if tesseract_s is None else round(tesseract_s, 2),
        "ratio_pipeline_to_tesseract": None if tesseract_s is None else round(pipeline["wall_s"] / tesseract_s, 3),
    }
    args.results.parent.mkdir(parents=True, exist_ok=True)
    args.results.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"pages: {results['pages']} in {packets} packets; pipeline {results['pipeline_wall_s']} s "
          f"({results['pages_per_min']} pages/min, {results['s_per_packet']} s/packet), peak RSS "
          f"{results['peak_rss_mb']} MB")
    print(f"bare tesseract: {results['bare_tesseract_s']} s  ->  ratio pipeline/tesseract = "
          f"{results['ratio_pipeline_to_tesseract']}")
    print("thread seconds per reading stage (summed over documents):", results["stage_s"]["reading"])
    print("thread seconds per packet stage (summed over packets):", results["stage_s"]["packet"])
    if results["discovery"]:
        found = results["discovery"]
        print(f"discovering {found['done_packets']} done packets: {found['discover_s']} s "
              f"({found['discover_s_two_runs_each']} s with two runs each in the database)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
