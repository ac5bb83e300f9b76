"""Measure field extraction on the real images: report-date accuracy, diagnosis hits, document type.

Usage::

    .venv/bin/python -m bench.fields_real [--images DIR] [--labels FILE] [--cache DIR] [-v]
    .venv/bin/python -m bench.fields_real --corpus samples/corpus [--cache DIR] [-v]

With ``--corpus`` it measures the generated sample packets instead, against their
``truth.json`` (type, issue date, hospital, name, masked ID number, diagnosis, disease, stage).

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


def _upright_images(path: Path) -> list:
    """The file's page images made upright the way ``ocr_pages`` read them (geometry is deterministic)."""
    from pipeline.pages import load_document

    try:
        from pipeline.geometry import upright_page
    except ImportError:
        return [page.image for page in load_document(path).pages]
    return [upright_page(page).image for page in load_document(path).pages]


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


def _stage_hit(expected: str, read: str | None) -> bool:
    """A stage hit when the normalised stage read names the expected one (roman and Chinese numerals folded)."""
    if not read:
        return False
    fold = str.maketrans({"Ⅰ": "1", "Ⅱ": "2", "Ⅲ": "3", "Ⅳ": "4", "一": "1", "二": "2", "三": "3", "四": "4"})
    a, b = _compact(expected).translate(fold), _compact(read).translate(fold)
    return a in b or b in a or difflib.SequenceMatcher(None, a, b).ratio() >= DIAGNOSIS_HIT_RATIO


def run_corpus(corpus: Path, cache_root: Path, verbose: bool) -> int:
    """Figures per field over the readable documents of a generated corpus."""
    truth = json.loads((corpus / "truth.json").read_text(encoding="utf-8"))
    policy = load_policy()
    nlp = build_nlp(policy)
    counts: dict[str, list[int]] = {}

    def score(field: str, ok: bool) -> None:
        counts.setdefault(field, [0, 0])
        counts[field][0] += int(ok)
        counts[field][1] += 1

    extract_s = 0.0
    documents = 0
    for packet in truth["packets"]:
        folder = corpus / packet["application_id"]
        for doc in packet["documents"]:
            if not doc.get("readable") or not doc.get("legible") or not (folder / doc["file"]).exists():
                continue
            documents += 1
            pages = ocr_pages(folder / doc["file"], cache_root / packet["application_id"])
            images = _upright_images(folder / doc["file"]) if doc["slot"] == "application_form" else None
            started = time.perf_counter()
            fields = extract_fields(pages, nlp, policy, doc["slot"], page_images=images)
            extract_s += time.perf_counter() - started
            if images is not None and packet["region"] == "linfen":
                unsigned = any(e["code"] == "SIGNATURE_MISSING" and e["file"] == doc["file"]
                               for e in packet["expected_findings"])
                score("signature_present (linfen forms)", fields.signature_present is (not unsigned))
            expected_type = "id_card" if doc["detected_type"] == "agent_id_card" else doc["detected_type"]
            score("detected_type", fields.detected_type == expected_type)
            wrong_type = fields.detected_type not in (expected_type, "unknown") and fields.type_score >= 0.6
            score("no confident wrong type", not wrong_type)
            read_date = fields.issue_date.value.isoformat() if fields.issue_date else None
            if doc.get("issue_date"):
                score("issue_date", read_date == doc["issue_date"])
            elif doc["detected_type"] in ("diagnosis_certificate", "exam_report", "medical_record",
                                          "medication_record"):
                score("no issue_date where none printed", read_date is None)
            if doc.get("hospital"):
                score("hospital", fields.hospital is not None and fields.hospital.value == doc["hospital"])
            if doc.get("person_name"):
                score("person_name", fields.person_name is not None and fields.person_name.value == doc["person_name"])
            if doc.get("id_number"):
                score("id_number (masked)", fields.id_number is not None and fields.id_number.value == doc["id_number"])
            if doc.get("diagnosis"):
                score("diagnosis", diagnosis_hit(doc["diagnosis"], fields.diagnosis.value if fields.diagnosis else None))
            if doc.get("disease_code"):
                score("disease_code", fields.disease_code == doc["disease_code"])
            if doc.get("stage"):
                score("stage", _stage_hit(doc["stage"], fields.stage.value if fields.stage else None))
            if verbose:
                print(f"{packet['application_id']}/{doc['file']} [{doc['capture']}]: type {fields.detected_type}"
                      f"/{expected_type}; date {read_date}/{doc.get('issue_date')}; hospital "
                      f"{fields.hospital.value if fields.hospital else None}/{doc.get('hospital')}; name "
                      f"{fields.person_name.value if fields.person_name else None}/{doc.get('person_name')}; dx "
                      f"{fields.diagnosis.value if fields.diagnosis else None}/{doc.get('diagnosis')}; code "
                      f"{fields.disease_code}/{doc.get('disease_code')}; stage "
                      f"{fields.stage.value if fields.stage else None}/{doc.get('stage')}")
    print(f"corpus {corpus} (seed {truth.get('seed')}, {len(truth['packets'])} packets, {documents} legible documents)")
    for field, (ok, total) in counts.items():
        print(f"{field}: {ok}/{total} ({ok / max(total, 1):.0%})")
    print(f"extraction time: {extract_s:.2f} s")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=Path, default=DEFAULT_IMAGES)
    parser.add_argument("--labels", type=Path, default=DEFAULT_LABELS)
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--corpus", type=Path, default=None, help="a generated corpus folder with truth.json")
    parser.add_argument("-v", "--verbose", action="store_true", help="per-file dates and diagnosis (personal data)")
    args = parser.parse_args(argv)
    if args.corpus is not None:
        cache = args.cache if args.cache != DEFAULT_CACHE else Path("/tmp/realocr/corpus") / args.corpus.name
        return run_corpus(args.corpus, cache, args.verbose)

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
