"""read_file(): turn one uploaded file into a DocumentReading (pages, OCR, seals, fields).

Orders the reading stages for one file; each stage lives in its own module:
pages (decode) -> geometry (upright) -> ocr (text layer or engine) -> seals -> extract.
Each page is OCR'd once; every later stage reuses that reading. Writes only into
``work_dir`` (the upright page image, kept for evidence crops and report thumbnails).
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from functools import lru_cache
from pathlib import Path

import cv2
import numpy as np
from pydantic import BaseModel, ConfigDict, Field
from spacy.language import Language

from models.document import Seal
from models.ocr import OcrPage
from models.policy import PolicyBook
from models.reading import DocumentReading, Expected, PageInfo
from pipeline.card_reread import CARD_TYPES, reread_card_front
from pipeline.diagnosis_reread import diagnosis_checked_slots, reread_diagnosis_rows
from pipeline.disease_check import confirm_criterion_wording, confirm_expected_disease
from pipeline.diseases import resolve_disease
from pipeline.errors import InputFileError
from pipeline.extract import extract_fields
from pipeline.geometry import upright_page
from pipeline.hospital_check import confirm_registry_hospital, registry_spellings
from pipeline.name_check import confirm_expected_name
from pipeline.nlp import build_nlp
from pipeline.ocr import LineDetectingEngine, OcrEngine, get_engine, ocr_page
from pipeline.packet import PacketFile
from pipeline.pages import FileLimits, Page, load_document
from pipeline.ruled_rows import reread_rows_crossed_by_rules
from pipeline.seal_hospital import hospital_from_seals
from pipeline.seals import detect_seals
from pipeline.second_look import (
    needs_second_look,
    report_date_doubtful,
    second_look_for_date,
    widen_rows_cut_at_their_end,
)
from pipeline.signature_label import signature_by_label_print
from pipeline.signature_look import look_for_signature_label

THUMBNAIL_LONG_SIDE = 360
# Materials whose date a check needs: when none was read, or only one the material is not dated by
# (an exam report's 检查日期), take a second look at where the date hides before settling.
DATED_TYPES = frozenset({"diagnosis_certificate", "exam_report", "medical_record", "medication_record",
                         "application_form", "previous_approval", "power_of_attorney"})
PAGE_IMAGE_QUALITY = 88


class ReadSettings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    ocr_engine: str = "rapidocr"
    file_limits: FileLimits = Field(default_factory=FileLimits)
    keep_page_images: bool = True


_NLP_LOCK = threading.Lock()
_NLP_CACHE: dict[int, tuple[PolicyBook, Language]] = {}


def shared_nlp(policy: PolicyBook) -> Language:
    """The spaCy pipeline for ``policy``, built once per process (its patterns come from the policy)."""
    with _NLP_LOCK:
        cached = _NLP_CACHE.get(id(policy))
        if cached is None or cached[0] is not policy:
            cached = (policy, build_nlp(policy))
            _NLP_CACHE[id(policy)] = cached
        return cached[1]


@lru_cache(maxsize=4)
def shared_engine(name: str) -> OcrEngine:
    return get_engine(name)


def _save_page_image(image: np.ndarray, target: Path) -> tuple[str, str]:
    """Write the upright page (for crops) and a thumbnail (for the report). Returns both paths."""
    target.parent.mkdir(parents=True, exist_ok=True)
    cv2.imwrite(str(target), image, [cv2.IMWRITE_JPEG_QUALITY, PAGE_IMAGE_QUALITY])
    scale = THUMBNAIL_LONG_SIDE / max(image.shape[:2])
    thumb = cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else image
    thumb_path = target.with_name(target.stem + "_thumb.jpg")
    cv2.imwrite(str(thumb_path), thumb, [cv2.IMWRITE_JPEG_QUALITY, 80])
    return str(target), str(thumb_path)


def _page_stem(item: PacketFile) -> str:
    return f"{item.index + 1:02d}_" + "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in Path(item.entry.path).stem)[:40]


def read_page(page: Page, engine: OcrEngine, timings: dict[str, float]) -> tuple[Page, OcrPage, list[Seal]]:
    """Upright one page, read its text once and find its seals.

    With an engine that detects lines apart from reading them, the detection runs once,
    during the orientation, and the OCR reads the lines it found; its time is counted as OCR.
    """
    detection_s = 0.0

    def timed_detection(image: np.ndarray) -> list[np.ndarray]:
        nonlocal detection_s
        started = time.perf_counter()
        try:
            return engine.detect_lines(image)  # type: ignore[attr-defined]
        finally:
            detection_s += time.perf_counter() - started

    started = time.perf_counter()
    upright = upright_page(page, detect_lines=timed_detection if isinstance(engine, LineDetectingEngine) else None)
    timings["geometry"] += time.perf_counter() - started - detection_s
    started = time.perf_counter()
    ocr = widen_rows_cut_at_their_end(upright, ocr_page(upright, engine), engine)
    ocr = reread_rows_crossed_by_rules(upright, ocr, engine)
    timings["ocr"] += time.perf_counter() - started + detection_s
    started = time.perf_counter()
    seals = detect_seals(upright.image, page.index)
    timings["seals"] += time.perf_counter() - started
    return upright, ocr, seals


def read_file(item: PacketFile, work_dir: Path, settings: ReadSettings, policy: PolicyBook,
              expected: Expected | None = None) -> DocumentReading:
    """Read one usable file. A file that cannot be decoded becomes ``error``, never an exception.

    Args:
        item: A manifest entry whose file exists, is inside the packet and has a supported type.
        work_dir: The packet's output folder; page images go under ``pages/``.
        settings: Engine and limits.
        policy: The policy book (the extraction's entity patterns are built from it).
        expected: What the manifest says the material should show: a name or diagnosis read otherwise
            is checked against its print (:func:`pipeline.name_check.confirm_expected_name`,
            :func:`pipeline.disease_check.confirm_expected_disease`).
    """
    assert item.path is not None
    slot = item.entry.slot.value if item.entry.slot else None
    timings: dict[str, float] = defaultdict(float)
    started = time.perf_counter()
    try:
        document = load_document(item.path, settings.file_limits)
    except InputFileError as exc:
        return DocumentReading(file=item.entry.path, slot=slot, error=str(exc))
    timings["load"] += time.perf_counter() - started
    engine = shared_engine(settings.ocr_engine)
    pages: list[PageInfo] = []
    ocr_pages: list[OcrPage] = []
    images: list[np.ndarray] = []
    uprights: list[Page] = []
    seals: list[Seal] = []
    warnings = list(document.warnings)
    for page in document.pages:
        upright, ocr, page_seals = read_page(page, engine, timings)
        ocr_pages.append(ocr)
        uprights.append(upright)
        images.append(upright.image)
        seals.extend(page_seals)
        warnings.extend(ocr.warnings)
        image_path = thumb_path = None
        if settings.keep_page_images:
            saving = time.perf_counter()
            target = work_dir / "pages" / f"{_page_stem(item)}_p{page.index:03d}.jpg"
            image_path, thumb_path = _save_page_image(upright.image, target)
            timings["save"] += time.perf_counter() - saving
        pages.append(PageInfo(page=page.index, width=upright.width, height=upright.height, dpi=page.dpi,
                              rotation_deg=upright.rotation_deg, image_path=image_path,
                              thumbnail=str(Path(thumb_path).relative_to(work_dir)) if thumb_path else None))
    started = time.perf_counter()
    nlp = shared_nlp(policy)
    fields = extract_fields(ocr_pages, nlp, policy, slot, page_images=images)
    timings["extract"] += time.perf_counter() - started
    issued = fields.issue_date
    if (fields.detected_type in DATED_TYPES or slot in DATED_TYPES) and (
            needs_second_look(issued.role if issued else None, issued is not None)
            or report_date_doubtful(issued, fields.dates, ocr_pages, seals)):
        started = time.perf_counter()
        looked = second_look_for_date(uprights, ocr_pages, seals, engine, date_read=issued is not None)
        if any(new is not old for new, old in zip(looked, ocr_pages, strict=True)):  # a date row was added
            ocr_pages = looked
            fields = extract_fields(ocr_pages, nlp, policy, slot, page_images=images)
        timings["second_look"] += time.perf_counter() - started
    if fields.person_name is None and {fields.detected_type, slot} & CARD_TYPES:
        started = time.perf_counter()
        ocr_pages, fields = reread_card_front(
            uprights, ocr_pages, fields, slot, engine,
            lambda read: extract_fields(read, nlp, policy, slot, page_images=images))
        timings["second_look"] += time.perf_counter() - started
    if {fields.detected_type, slot} & diagnosis_checked_slots(policy):
        started = time.perf_counter()
        ocr_pages, fields = reread_diagnosis_rows(
            uprights, ocr_pages, fields, engine, lambda read: extract_fields(read, nlp, policy, slot, page_images=images))
        timings["second_look"] += time.perf_counter() - started
    if seals and not fields.hospital_in_registry:
        started = time.perf_counter()
        seals, fields = hospital_from_seals(uprights, seals, fields, policy)
        timings["seals"] += time.perf_counter() - started
    if fields.hospital is not None and not fields.hospital_in_registry:
        started = time.perf_counter()
        fields = confirm_registry_hospital(uprights, ocr_pages, fields, registry_spellings(policy.all_hospitals), engine)
        timings["extract"] += time.perf_counter() - started
    if fields.signature_present is None and fields.signature_evidence is not None:
        started = time.perf_counter()
        ocr_pages, fields = look_for_signature_label(
            uprights, ocr_pages, seals, fields, engine,
            lambda read: extract_fields(read, nlp, policy, slot, page_images=images))
        fields = signature_by_label_print(uprights, ocr_pages, fields, engine)
        timings["extract"] += time.perf_counter() - started
    if expected is not None:
        started = time.perf_counter()
        fields = confirm_expected_name(uprights, ocr_pages, fields, expected.name, engine)
        disease = resolve_disease(expected.disease, policy.catalog)
        fields = confirm_expected_disease(uprights, ocr_pages, fields, disease, engine)
        terms = policy.region_terms(expected.region, disease) if disease is not None and expected.region else None
        fields = confirm_criterion_wording(uprights, ocr_pages, fields, disease, terms.criterion if terms else None,
                                           engine)
        timings["extract"] += time.perf_counter() - started
    sources = {page.source_kind for page in document.pages}
    text_source = "text_layer" if sources == {"pdf_text"} else "mixed" if "pdf_text" in sources else "ocr"
    return DocumentReading(file=item.entry.path, slot=slot, pages=tuple(pages), text_source=text_source,
                           ocr=tuple(ocr_pages), seals=tuple(seals), fields=fields, warnings=tuple(warnings),
                           elapsed_s={k: round(v, 3) for k, v in timings.items()})
