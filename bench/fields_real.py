"""Measure field extraction on the real images: report-date accuracy, diagnosis hits, document type.

Usage::

    .venv/bin/python -m bench.fields_real [--images DIR] [--labels FILE] [--cache DIR] [-v]

Each labelled image is loaded, made upright (``geometry.upright_page`` when that
module is present) and read once with RapidOCR; the OCR output is cached
outside the repository (default ``/tmp/realocr/pipeline``), so later runs only
time the extraction. Prints figures only: never names, numbers or texts read
from the images (they hold real personal data), unless ``-v`` is given, which
prints the dates and the diagnosis comparison per file for debugging.
"""

from __future__ import annotations

import argparse
import difflib
import json
import re
import sys
import time
from pathlib import Path

from models.ocr import OcrPage
from pipeline.extract import extract_fields
from pipeline.nlp import build_nlp
from pipeline.policy import load_policy

DEFAULT_IMAGES = Path("/work/shared/realdata/images")
DEFAULT_LABELS = Path("/work/shared/realdata/labels.json")
DEFAULT_CACHE = Path("/tmp/realocr/pipeline")
# labels.json kinds -> the slot a file of that kind would be uploaded as
KIND_TO_SLOT = {"exam_report": "exam_report", "lab_report": "exam_report", "id_card": "id_card"}
DIAGNOSIS_HIT_RATIO = 0.6


def ocr_pages(path: Path, cache_dir: Path) -> list[OcrPage]:
    """The file's OCR pages, from the cache or by running the pipeline's loader, geometry and RapidOCR."""
    cached = cache_dir / f"{path.stem}.json"
    if cached.exists():
        return [OcrPage.model_validate(item) for item in json.loads(cached.read_text(encoding="utf-8"))]
    from pipeline.ocr import RapidOcrEngine, ocr_page
    from pipeline.pages import load_document

    try:
        from pipeline.geometry import upright_page
    except ImportError:
        def upright_page(page):  # type: ignore[no-untyped-def]  # geometry not written yet
            return page

    engine = RapidOcrEngine()
    document = load_document(path)
    pages = [ocr_page(upright_page(page), engine) for page in document.pages]
    cache_dir.mkdir(parents=True, exist_ok=True)
    cached.write_text(json.dumps([p.model_dump(mode="json") for p in pages], ensure_ascii=False), encoding="utf-8")
    return pages


def _compact(text: str) -> str:
    return re.sub(r"[\s:：,，.。;；、()（）\[\]【】\-—_]", "", text)


def diagnosis_hit(expected: str, read: str | None) -> bool:
    """A hit when the read diagnosis contains, is contained in, or is similar enough to the label."""
    if not read:
        return False
    a, b = _compact(expected), _compact(read)
    if not a or not b:
        return False
    if a in b or (b in a and len(b) >= 0.6 * len(a)):
        return True
    return difflib.SequenceMatcher(None, a, b).ratio() >= DIAGNOSIS_HIT_RATIO


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=Path, default=DEFAULT_IMAGES)
    parser.add_argument("--labels", type=Path, default=DEFAULT_LABELS)
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("-v", "--verbose", action="store_true", help="per-file dates and diagnosis (personal data)")
    args = parser.parse_args(argv)

    labels = json.loads(args.labels.read_text(encoding="utf-8"))
    policy = load_policy()
    nlp = build_nlp(policy)
    dated = dated_ok = undated = undated_quiet = 0
    dx_total = dx_hits = 0
    typed = typed_ok = 0
    extract_s = 0.0
    for item in labels:
        path = args.images / item["file"]
        if not path.exists():
            continue
        pages = ocr_pages(path, args.cache)
        slot = KIND_TO_SLOT.get(item["kind"])
        started = time.perf_counter()
        fields = extract_fields(pages, nlp, policy, slot)
        extract_s += time.perf_counter() - started
        read_date = fields.issue_date.value.isoformat() if fields.issue_date else None
        if item.get("report_date"):
            dated += 1
            dated_ok += read_date == item["report_date"]
        elif item["kind"] in KIND_TO_SLOT:
            undated += 1
            undated_quiet += read_date is None
        if item.get("diagnosis"):
            dx_total += 1
            dx_hits += diagnosis_hit(item["diagnosis"], fields.diagnosis.value if fields.diagnosis else None)
        if slot is not None:
            typed += 1
            typed_ok += fields.detected_type == slot
        if args.verbose:
            print(f"{item['file']}: date {read_date} / {item.get('report_date')}; type {fields.detected_type} "
                  f"{fields.type_score:.2f}; dx {fields.diagnosis.value if fields.diagnosis else None!r} "
                  f"/ {item.get('diagnosis')!r}")
    print(f"report date exact: {dated_ok}/{dated} ({dated_ok / max(dated, 1):.0%})")
    print(f"no date where none labelled (reports, ID cards): {undated_quiet}/{undated}")
    print(f"diagnosis hits: {dx_hits}/{dx_total} ({dx_hits / max(dx_total, 1):.0%})")
    print(f"document type (reports, ID cards): {typed_ok}/{typed} ({typed_ok / max(typed, 1):.0%})")
    print(f"extraction time: {extract_s:.2f} s for {len(labels)} files")
    return 0


if __name__ == "__main__":
    sys.exit(main())
