"""Command line: ``python -m samples.generate --seed N --count N [--mix public|uniform] --out DIR``."""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import Counter
from pathlib import Path

from samples.generator import generate_corpus


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m samples.generate", description="Generate synthetic packets + truth.json")
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--mix", choices=("public", "uniform"), default="public")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--workers", type=int, default=min(2, os.cpu_count() or 1))
    args = parser.parse_args(argv)
    start = time.perf_counter()
    truth = generate_corpus(args.out, seed=args.seed, count=args.count, mix=args.mix, workers=args.workers)
    elapsed = time.perf_counter() - start
    statuses = Counter(p["expected_status"] for p in truth["packets"])
    codes = Counter(f["code"] for p in truth["packets"] for f in p["expected_findings"])
    print(f"{args.count} packets in {elapsed:.1f} s -> {args.out}")
    print("status: " + ", ".join(f"{k}={v}" for k, v in sorted(statuses.items())))
    print("findings: " + ", ".join(f"{k}={v}" for k, v in sorted(codes.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
