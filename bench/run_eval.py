"""`make eval`: generate a fresh corpus with a seed the tests do not use, pre-check it, score it.

Writes ``out/eval/eval-<seed>.json`` and ``.md`` and prints the table. The committed sample
corpus (seed 2) and the tests' seeds are never used here.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from bench.evaluate import hash_tree, print_table, score, to_markdown

ROOT = Path(__file__).resolve().parent.parent
TEST_SEEDS = frozenset({2})  # the committed corpus; tests generate with their own small seeds


def repo_listing() -> set[str]:
    """Every file path in the checkout outside out/, .venv and .git (cheap: names only)."""
    skip = {"out", ".venv", ".git", ".pytest_cache", ".ruff_cache", ".hypothesis"}
    found = set()
    for dirpath, dirnames, filenames in os.walk(ROOT):
        if Path(dirpath) == ROOT:
            dirnames[:] = [d for d in dirnames if d not in skip]
        dirnames[:] = [d for d in dirnames if d != "__pycache__"]
        found.update(str(Path(dirpath, f).relative_to(ROOT)) for f in filenames)
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--count", type=int, default=60)
    parser.add_argument("--mix", choices=["public", "uniform"], default="public")
    parser.add_argument("--engine", choices=["rapidocr", "tesseract"], default="rapidocr")
    parser.add_argument("--work", type=Path, default=ROOT / "out" / "eval")
    args = parser.parse_args(argv)
    if args.seed in TEST_SEEDS:
        parser.error(f"seed {args.seed} is used by the committed samples; pick another")

    corpus = args.work / f"corpus-{args.seed}-{args.count}-{args.mix}"
    if not (corpus / "truth.json").exists():
        shutil.rmtree(corpus, ignore_errors=True)
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "samples.generate", "--seed", str(args.seed), "--count", str(args.count),
                        "--mix", args.mix, "--out", str(corpus), "--workers", "2"], check=True, cwd=ROOT)
        print(f"generated {args.count} packets in {time.perf_counter() - started:.0f} s")
    out = args.work / f"run-{args.seed}-{args.count}-{args.mix}-{args.engine}"
    shutil.rmtree(out, ignore_errors=True)
    before = hash_tree(corpus)
    listing_before = repo_listing()
    started = time.perf_counter()
    env = {**os.environ, "PREFECT_HOME": str(args.work / "prefect-home")}
    done = subprocess.run([str(Path(sys.executable).parent / "precheck"), "run", str(corpus), "--out", str(out),
                           "--engine", args.engine], cwd=ROOT, env=env, check=False)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        print(f"precheck run exited {done.returncode}", file=sys.stderr)
        return done.returncode
    truth = json.loads((corpus / "truth.json").read_text(encoding="utf-8"))
    result = score(truth, out, corpus, before=before)
    result.setdefault("integrity", {})["new_files_in_repo_outside_out"] = sorted(repo_listing() - listing_before)
    result["run"] = {"seed": args.seed, "count": args.count, "mix": args.mix, "engine": args.engine,
                     "wall_s": round(elapsed, 1), "s_per_packet": round(elapsed / max(args.count, 1), 2)}
    stem = args.work / f"eval-{args.seed}-{args.count}-{args.mix}-{args.engine}"
    stem.with_suffix(".json").write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    stem.with_suffix(".md").write_text(to_markdown(result), encoding="utf-8")
    print_table(result)
    print(f"run: {elapsed:.0f} s for {args.count} packets; report: {stem.with_suffix('.md')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
