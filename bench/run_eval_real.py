"""`make eval-real`: the pre-check's reading against the plain red-mask baseline on the real images.

Skipped, with a message, when ``../shared/realdata`` is absent. Images are read in place.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from bench.eval_real import score_real
from bench.real_detect import detect_baseline, detect_pipeline

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "realdata"


def _timed(detect):
    seconds: list[float] = []

    def wrapped(path: Path) -> dict:
        started = time.perf_counter()
        try:
            return detect(path)
        finally:
            seconds.append(time.perf_counter() - started)

    return wrapped, seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--json", type=Path, default=ROOT / "out" / "eval" / "real.json")
    args = parser.parse_args(argv)
    labels, images = args.data / "labels.json", args.data / "images"
    if not labels.is_file() or not images.is_dir():
        print(f"eval-real skipped: {args.data} not found (the real images are not part of the repository)")
        return 0
    results = {}
    for name, detect in (("precheck", detect_pipeline), ("red-mask baseline", detect_baseline)):
        wrapped, seconds = _timed(detect)
        result = score_real(labels, images, wrapped)
        result["s_per_image"] = round(sum(seconds) / max(len(seconds), 1), 2)
        results[name] = result
    print(f"{'detector':<20} {'acc':>6} {'prec':>6} {'recall':>6} {'FP red-non-seal':>16} {'date':>8} {'s/img':>6}")
    for name, r in results.items():
        hs, fp, rd = r["has_seal"], r["false_seals_on_red_non_seal"], r["report_date"]
        print(f"{name:<20} {hs['accuracy']:>6.2f} {hs['precision']:>6.2f} {hs['recall']:>6.2f} "
              f"{fp['with_false_seal']:>7}/{fp['images']:<8} {rd['exact']:>3}/{rd['labelled']:<4} {r['s_per_image']:>6}")
    misses = [row["file"] for row in results["precheck"]["per_image"] if row["seal_truth"] != row["seal_pred"]]
    print("precheck seal errors:", ", ".join(misses) or "none")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
