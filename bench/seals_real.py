"""Seal detection on the real-image set, the product's detector beside the plain red-mask baseline.

Runs ``pipeline.seals.detect_seals`` and ``pipeline.seal_baseline.detect_seals_baseline`` on every
image of the real set (default ``/work/shared/realdata``; labels for a development split of it) and
prints one table: has-seal accuracy, precision, recall, false seals on the images tagged
``[FP-red-non-seal]`` that carry no seal, recall of blue and grey seals, and CPU / wall seconds per
image. Writes the per-image results to ``out/bench/seals_real.json``.

``--sensitivity`` re-runs the detector with each main threshold moved by -20 % and +20 % and
reports how accuracy and false seals move: a result that holds only at one setting is overfitted.
``--read`` also reads the ring text of every detected seal and reports its character similarity
to the labelled seal text (organisation names only; nothing personal is printed).

``--synthetic N`` adds N pages drawn by ``tests/seal_pages.py`` (a renderer independent of the
packet generator: round / oval / blue / grey-photocopy / worn / rotated / overlapping seals and
every red look-alike), and ``--corpus DIR`` every readable document of a generated corpus
(``samples/corpus`` or ``python -m samples.generate`` output, scored against its truth.json:
a document has a seal when any page has one). Both are reported for the detector and the baseline.

    python -m bench.seals_real [--data DIR] [--sensitivity] [--read] [--synthetic N] [--corpus DIR]
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import time
from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np

from models.document import Seal
from pipeline.seal_baseline import detect_seals_baseline
from pipeline.seals import SealParams, detect_seals

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = Path("/work/shared/realdata")

Detector = Callable[[np.ndarray], list[Seal]]

# Thresholds varied by --sensitivity (name, kind): each is moved -20 % and +20 %.
SENSITIVITY_FIELDS = (
    "chroma_floor", "chroma_cap", "chroma_noise_factor", "min_text_heights", "max_aspect", "min_roundness",
    "partial_min_roundness", "min_border_peak", "partial_min_border_peak", "min_ring_contrast", "max_border_width",
    "max_fill", "min_interior_ink", "grey_min_border_peak", "min_star", "starless_text_heights", "min_paper_ratio",
)


def load_set(data: Path) -> tuple[list[Path], dict[str, dict]]:
    images = sorted(p for p in (data / "images").iterdir() if p.suffix.lower() in {".jpg", ".jpeg", ".png"})
    labels = {e["file"]: e for e in json.loads((data / "labels.json").read_text(encoding="utf-8"))}
    return images, labels


def run_detector(detector: Detector, images: list[tuple[str, np.ndarray]]) -> dict[str, dict]:
    out = {}
    for name, image in images:
        c0, w0 = time.process_time(), time.perf_counter()
        seals = detector(image)
        out[name] = {
            "cpu_s": time.process_time() - c0,
            "wall_s": time.perf_counter() - w0,
            "seals": [s.model_dump(exclude={"crop", "text", "hospital"}) for s in seals],
        }
    return out


def score(results: dict[str, dict], labels: dict[str, dict]) -> dict[str, float | int]:
    tp = fp = tn = fn = 0
    red_fp_total = red_fp = 0
    blue_total = blue_hit = grey_total = grey_hit = 0
    for name, label in labels.items():
        if name not in results:
            continue
        seals = results[name]["seals"]
        truth = label["seal_count"] > 0
        found = bool(seals)
        tp += truth and found
        fn += truth and not found
        fp += found and not truth
        tn += not truth and not found
        notes = label.get("notes", "")
        if "[FP-red-non-seal]" in notes and not truth:
            red_fp_total += 1
            red_fp += found
        colours = {s["colour"] for s in seals}
        if "[blue-seal]" in notes:
            blue_total += 1
            blue_hit += "blue" in colours
        if "[grey-seal]" in notes:
            grey_total += 1
            grey_hit += "grey" in colours
    n = tp + fp + tn + fn
    cpu = [r["cpu_s"] for r in results.values()]
    wall = [r["wall_s"] for r in results.values()]
    return {
        "labelled": n,
        "accuracy": (tp + tn) / n if n else 0.0,
        "precision": tp / (tp + fp) if tp + fp else 0.0,
        "recall": tp / (tp + fn) if tp + fn else 0.0,
        "tp": tp, "fp": fp, "tn": tn, "fn": fn,
        "red_non_seal_images": red_fp_total,
        "red_non_seal_false_seals": red_fp,
        "blue_images": blue_total, "blue_recall": blue_hit / blue_total if blue_total else 0.0,
        "grey_images": grey_total, "grey_recall": grey_hit / grey_total if grey_total else 0.0,
        "cpu_s_mean": float(np.mean(cpu)) if cpu else 0.0,
        "cpu_s_p90": float(np.percentile(cpu, 90)) if cpu else 0.0,
        "wall_s_mean": float(np.mean(wall)) if wall else 0.0,
    }


def print_table(rows: dict[str, dict]) -> None:
    cols = [
        ("accuracy", "{:.3f}"), ("precision", "{:.3f}"), ("recall", "{:.3f}"),
        ("red_non_seal_false_seals", "{}"), ("blue_recall", "{:.2f}"), ("grey_recall", "{:.2f}"),
        ("cpu_s_mean", "{:.3f}"), ("cpu_s_p90", "{:.3f}"), ("wall_s_mean", "{:.3f}"),
    ]
    header = f"{'method':<12}" + "".join(f"{c:>26}" if c == "red_non_seal_false_seals" else f"{c:>12}" for c, _ in cols)
    print(header)
    for name, m in rows.items():
        cells = []
        for c, fmt in cols:
            text = fmt.format(m[c])
            if c == "red_non_seal_false_seals":
                text = f"{m[c]} of {m['red_non_seal_images']}"
                cells.append(f"{text:>26}")
            else:
                cells.append(f"{text:>12}")
        print(f"{name:<12}" + "".join(cells))


def sensitivity(images: list[tuple[str, np.ndarray]], labels: dict[str, dict]) -> list[dict]:
    base = SealParams()
    rows = []
    for field in SENSITIVITY_FIELDS:
        value = getattr(base, field)
        for factor in (0.8, 1.2):
            params = dataclasses.replace(base, **{field: type(value)(value * factor)})
            res = run_detector(lambda img, p=params: detect_seals(img, 1, p), images)
            m = score(res, labels)
            rows.append({"field": field, "factor": factor, "value": getattr(params, field),
                         "accuracy": m["accuracy"], "red_non_seal_false_seals": m["red_non_seal_false_seals"],
                         "recall": m["recall"]})
            print(f"  {field:>24} x{factor:.1f} = {getattr(params, field):<8.3g} accuracy {m['accuracy']:.3f}"
                  f"  recall {m['recall']:.3f}  false seals on red-non-seal {m['red_non_seal_false_seals']}")
    accs = [r["accuracy"] for r in rows]
    print(f"  accuracy over all {len(rows)} variations: min {min(accs):.3f}, mean {np.mean(accs):.3f}; "
          f"variations with a false seal on a red-non-seal image: {sum(r['red_non_seal_false_seals'] > 0 for r in rows)}")
    return rows


def reading(images: list[tuple[str, np.ndarray]], labels: dict[str, dict], results: dict[str, dict]) -> dict:
    from pipeline.policy import load_policy
    from pipeline.seal_text import read_seal, text_similarity

    hospitals = load_policy().all_hospitals
    sims = []
    c0 = time.process_time()
    n_read = 0
    for name, image in images:
        label = labels.get(name)
        if not label or not label.get("seal_text"):
            continue
        truth = label["seal_text"].split(" (")[0].replace("…", "")
        best = 0.0
        for s in results[name]["seals"]:
            seal = read_seal(image, Seal(**s), hospitals)
            n_read += 1
            if seal.text:
                best = max(best, text_similarity(truth, seal.text, cyclic=True))
        sims.append(best)
    cpu = time.process_time() - c0
    summary = {
        "images_with_label_text": len(sims),
        "mean_similarity": float(np.mean(sims)) if sims else 0.0,
        "at_least_0.5": int(sum(s >= 0.5 for s in sims)),
        "at_least_0.8": int(sum(s >= 0.8 for s in sims)),
        "seals_read": n_read,
        "cpu_s_per_seal": cpu / n_read if n_read else 0.0,
    }
    print(f"ring text vs labelled seal text, {summary['images_with_label_text']} images: mean character similarity "
          f"{summary['mean_similarity']:.2f}; >= 0.5 on {summary['at_least_0.5']}, >= 0.8 on {summary['at_least_0.8']}; "
          f"{summary['cpu_s_per_seal']:.2f} CPU s per seal read")
    return summary


def _binary_metrics(rows: list[tuple[bool, bool, bool, bool]]) -> dict[str, float | int | str]:
    """rows: (has seal, found, grey seal, red non-seal print without a seal)."""
    tp = sum(t and f for t, f, _, _ in rows)
    tn = sum(not t and not f for t, f, _, _ in rows)
    fp = sum(f and not t for t, f, _, _ in rows)
    fn = sum(t and not f for t, f, _, _ in rows)
    grey = [f for t, f, g, _ in rows if t and g]
    traps = [f for t, f, _, r in rows if r and not t]
    n = len(rows)
    return {
        "n": n, "accuracy": (tp + tn) / n if n else 0.0, "recall": tp / (tp + fn) if tp + fn else 0.0,
        "fp": fp, "fn": fn,
        "grey_recall": sum(grey) / len(grey) if grey else 0.0, "grey_n": len(grey),
        "specificity_red_non_seal": 1 - sum(traps) / len(traps) if traps else 1.0, "red_non_seal_n": len(traps),
    }


def _print_binary(title: str, metrics: dict[str, dict], cpu: dict[str, float]) -> None:
    print(title)
    print(f"{'method':<12}{'n':>6}{'accuracy':>10}{'recall':>9}{'FP':>5}{'FN':>5}{'grey recall':>14}"
          f"{'spec. red-non-seal':>21}{'cpu s/page':>12}")
    for name, m in metrics.items():
        print(f"{name:<12}{m['n']:>6}{m['accuracy']:>10.3f}{m['recall']:>9.3f}{m['fp']:>5}{m['fn']:>5}"
              f"{m['grey_recall']:>9.3f} ({m['grey_n']:>2}){m['specificity_red_non_seal']:>14.3f} ({m['red_non_seal_n']:>3})"
              f"{cpu[name]:>12.3f}")


def synthetic(n_pages: int) -> dict:
    """Detector and baseline on ``n_pages`` random pages from ``tests/seal_pages.py``."""
    from pipeline.policy import load_policy
    from tests.seal_pages import iou, random_page

    names = [h.name for h in load_policy().all_hospitals]
    rows: dict[str, list] = {"seals": [], "baseline": []}
    cpu = {"seals": 0.0, "baseline": 0.0}
    boxes_ok = boxes = 0
    for seed in range(n_pages):
        page, truth = random_page(seed, names)
        has, grey, trap = bool(truth.seals), truth.grey, bool(truth.traps) and not truth.grey
        for name, fn in (("seals", detect_seals), ("baseline", detect_seals_baseline)):
            c0 = time.process_time()
            found = fn(page, 1)
            cpu[name] += time.process_time() - c0
            rows[name].append((has, bool(found), grey, trap))
            if name == "seals":
                for drawn in truth.seals:
                    boxes += 1
                    best = max((iou(s.bbox, drawn["bbox"]) for s in found), default=0.0)
                    boxes_ok += best > (0.5 if drawn["partial"] else 0.7)
    metrics = {k: _binary_metrics(v) for k, v in rows.items()}
    metrics["seals"]["box_iou_ok"] = boxes_ok / boxes if boxes else 0.0
    _print_binary(f"synthetic pages (tests/seal_pages.py, seeds 0..{n_pages - 1}); red-non-seal = trap print, colour page",
                  metrics, {k: v / max(n_pages, 1) for k, v in cpu.items()})
    print(f"seal boxes found with IoU > 0.7 (> 0.5 when partly off the page): {metrics['seals']['box_iou_ok']:.3f} of {boxes}")
    return metrics


def corpus(root: Path) -> dict:
    """Detector and baseline on every readable document of a generated corpus (truth.json)."""
    from pipeline.errors import PrecheckError
    from pipeline.pages import load_document

    truth = json.loads((root / "truth.json").read_text(encoding="utf-8"))
    rows: dict[str, list] = {"seals": [], "baseline": []}
    cpu = {"seals": 0.0, "baseline": 0.0}
    documents: list[dict] = []
    pages = 0
    for packet in truth["packets"]:
        for doc in packet["documents"]:
            if not doc.get("readable"):
                continue
            try:
                loaded = load_document(root / packet["application_id"] / doc["file"])
            except PrecheckError:
                continue
            pages += len(loaded.pages)
            grey = doc.get("seal_colour") == "grey"
            trap = bool(doc.get("has_red_non_seal"))
            record = {"file": f"{packet['application_id']}/{doc['file']}", "has_seal": bool(doc["has_seal"]),
                      "seal_colour": doc.get("seal_colour"), "seal_kinds": doc.get("seal_kinds", []),
                      "red_non_seal": doc.get("red_non_seal", []), "grey": grey}
            for name, fn in (("seals", detect_seals), ("baseline", detect_seals_baseline)):
                found: list[Seal] = []
                for page in loaded.pages:
                    c0 = time.process_time()
                    found += fn(page.image, page.index)
                    cpu[name] += time.process_time() - c0
                rows[name].append((bool(doc["has_seal"]), bool(found), grey, trap))
                record[name] = [{"page": s.page, "bbox": s.bbox, "score": s.score, "colour": s.colour,
                                 "shape": s.shape} for s in found]
            documents.append(record)
    metrics = {k: _binary_metrics(v) for k, v in rows.items()}
    _print_binary(f"generated corpus {root} (documents; a document has a seal when any page has one)", metrics,
                  {k: v / max(pages, 1) for k, v in cpu.items()})
    _print_misses(documents)
    return {"metrics": metrics, "documents": documents}


def _print_misses(documents: list[dict]) -> None:
    """The detector's false negatives and false positives, one line each (file names only)."""
    for doc in documents:
        found = bool(doc["seals"])
        if found == doc["has_seal"]:
            continue
        kind = "FN" if doc["has_seal"] else "FP"
        detail = (f"colour={doc['seal_colour']} kinds={','.join(doc['seal_kinds'])}" if doc["has_seal"]
                  else "seals=" + "; ".join(f"p{s['page']} {s['colour']} {s['bbox']} {s['score']}" for s in doc["seals"]))
        print(f"  {kind} {doc['file']}  {detail}  red_non_seal={','.join(doc['red_non_seal'])}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--out", type=Path, default=ROOT / "out" / "bench" / "seals_real.json")
    ap.add_argument("--sensitivity", action="store_true")
    ap.add_argument("--read", action="store_true")
    ap.add_argument("--synthetic", type=int, default=0, metavar="N")
    ap.add_argument("--corpus", type=Path, default=None, metavar="DIR")
    args = ap.parse_args(argv)
    cv2.setNumThreads(1)

    paths, labels = load_set(args.data)
    images = [(p.name, cv2.imread(str(p), cv2.IMREAD_COLOR)) for p in paths]
    images = [(n, im) for n, im in images if im is not None]
    # warm up both (first-call allocations) so seconds per image are steady-state
    detect_seals(images[0][1], 1)
    detect_seals_baseline(images[0][1], 1)

    detectors: dict[str, Detector] = {
        "seals": lambda img: detect_seals(img, 1),
        "baseline": lambda img: detect_seals_baseline(img, 1),
    }
    results = {name: run_detector(fn, images) for name, fn in detectors.items()}
    metrics = {name: score(res, labels) for name, res in results.items()}
    print(f"real images: {len(images)} ({sum(n in labels for n, _ in images)} labelled); has-seal = seal_count > 0")
    print_table(metrics)
    unlabelled = {name: len(results["seals"][name]["seals"]) for name, _ in images if name not in labels}
    print(f"unlabelled images with a seal found: seals {sum(v > 0 for v in unlabelled.values())} of {len(unlabelled)}, "
          f"baseline {sum(bool(results['baseline'][n]['seals']) for n in unlabelled)} of {len(unlabelled)}")

    report: dict = {"metrics": metrics, "results": results}
    if args.sensitivity:
        print("sensitivity (one threshold at a time, -20 % / +20 %):")
        report["sensitivity"] = sensitivity(images, labels)
    if args.read:
        report["reading"] = reading(images, labels, results["seals"])
    if args.synthetic:
        report["synthetic"] = synthetic(args.synthetic)
    if args.corpus is not None:
        report["corpus"] = corpus(args.corpus)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"written {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
