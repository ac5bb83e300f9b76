"""Score a seal / date detector on the hand-labelled real images (``/work/shared/realdata``).

The detector is passed in (``detect(path) -> {"seals": [...], "issue_date": "YYYY-MM-DD" | None}``),
so this module measures any detector without importing one. Labels follow
``realdata/SOURCES.md``: ``seal_count`` counts seals of any colour, ``notes`` tags
``[FP-red-non-seal]`` images whose red print is not a seal, ``report_date`` is the labelled issue date.

    python -m bench.eval_real --detect package.module:function [--data DIR] [--json FILE]
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from collections.abc import Callable
from pathlib import Path

DEFAULT_DATA = Path("/work/shared/realdata")


def _rate(num: int, den: int) -> float | None:
    return round(num / den, 4) if den else None


def score_real(labels_path: Path, images_dir: Path, detect: Callable[[Path], dict]) -> dict:
    """Run ``detect`` on every labelled image and score has-seal and report-date reading.

    Args:
        labels_path: ``labels.json``: a list of ``{"file", "seal_count", "notes", "report_date", ...}``.
        images_dir: Folder holding the labelled files.
        detect: Returns ``{"seals": [...], "issue_date": "YYYY-MM-DD" | None}`` for one image path.

    Returns:
        Counts and rates: has-seal accuracy / precision / recall, false seals on images tagged
        ``[FP-red-non-seal]`` without a seal, report-date exact accuracy where labelled, and per-image rows.
        ``{"skipped": True, "reason": ...}`` when the labels or the folder are absent.
    """
    labels_path, images_dir = Path(labels_path), Path(images_dir)
    if not labels_path.is_file() or not images_dir.is_dir():
        return {"skipped": True, "reason": f"real-image set not found ({labels_path}, {images_dir})"}
    labels = json.loads(labels_path.read_text(encoding="utf-8"))
    tp = fp = tn = fn = 0
    fp_red_images = fp_red_false = 0
    date_total = date_ok = 0
    rows = []
    for label in labels:
        path = images_dir / label["file"]
        if not path.is_file():
            continue
        result = detect(path) or {}
        predicted = bool(result.get("seals"))
        actual = (label.get("seal_count") or 0) > 0
        tp += predicted and actual
        fp += predicted and not actual
        tn += not predicted and not actual
        fn += not predicted and actual
        if "[FP-red-non-seal]" in (label.get("notes") or "") and not actual:
            fp_red_images += 1
            fp_red_false += predicted
        date_hit = None
        if label.get("report_date"):
            date_total += 1
            date_hit = result.get("issue_date") == label["report_date"]
            date_ok += date_hit
        rows.append({"file": label["file"], "seal_truth": actual, "seal_pred": predicted,
                     "seals_found": len(result.get("seals") or []), "date_ok": date_hit})
    n = tp + fp + tn + fn
    return {
        "skipped": False, "images": n,
        "has_seal": {"accuracy": _rate(tp + tn, n), "precision": _rate(tp, tp + fp), "recall": _rate(tp, tp + fn),
                     "tp": tp, "fp": fp, "tn": tn, "fn": fn},
        "false_seals_on_red_non_seal": {"images": fp_red_images, "with_false_seal": fp_red_false,
                                        "rate": _rate(fp_red_false, fp_red_images)},
        "report_date": {"labelled": date_total, "exact": date_ok, "accuracy": _rate(date_ok, date_total)},
        "per_image": rows,
    }


def _load_detect(spec: str) -> Callable[[Path], dict]:
    module, _, name = spec.partition(":")
    return getattr(importlib.import_module(module), name)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.eval_real", description=__doc__.splitlines()[0])
    parser.add_argument("--detect", required=True, help="module:function returning {'seals': [...], 'issue_date': ...}")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    result = score_real(args.data / "labels.json", args.data / "images", _load_detect(args.detect))
    if result["skipped"]:
        print(f"skipped: {result['reason']}")
        return 0
    hs, fr, rd = result["has_seal"], result["false_seals_on_red_non_seal"], result["report_date"]
    print(f"images {result['images']}: has-seal accuracy {hs['accuracy']}, precision {hs['precision']}, recall {hs['recall']}")
    print(f"false seals on red non-seal images: {fr['with_false_seal']}/{fr['images']}")
    print(f"report date exact: {rd['exact']}/{rd['labelled']}")
    if args.json:
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
