"""Detect functions for `make eval-real`: the full reading stage, and the plain red-mask baseline.

Each takes one image path and returns ``{"seals": [...], "issue_date": "YYYY-MM-DD" | None}``,
the shape ``bench.eval_real.score_real`` expects. The real images are only read, never copied.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from models.policy import PolicyBook
from pipeline.extract import extract_fields
from pipeline.geometry import upright_page
from pipeline.ocr import ocr_page
from pipeline.pages import load_document
from pipeline.policy import load_policy
from pipeline.reading import shared_engine, shared_nlp
from pipeline.seal_baseline import detect_seals_baseline
from pipeline.seals import detect_seals


@lru_cache(maxsize=1)
def _policy() -> PolicyBook:
    return load_policy()


def detect_pipeline(path: Path) -> dict:
    """Seals and the report date as the pre-check reads them (geometry, OCR once, seals, fields)."""
    policy = _policy()
    document = load_document(path)
    seals, ocr_pages, images = [], [], []
    for page in document.pages:
        upright = upright_page(page)
        seals += detect_seals(upright.image, page.index)
        ocr_pages.append(ocr_page(upright, shared_engine("rapidocr")))
        images.append(upright.image)
    fields = extract_fields(ocr_pages, shared_nlp(policy), policy, None, page_images=images)
    return {"seals": [s.model_dump() for s in seals],
            "issue_date": fields.issue_date.value.isoformat() if fields.issue_date else None}


def detect_baseline(path: Path) -> dict:
    """The plain red-mask-and-contour baseline (no date reading)."""
    document = load_document(path)
    seals = [s for page in document.pages for s in detect_seals_baseline(page.image, page.index)]
    return {"seals": [s.model_dump() if hasattr(s, "model_dump") else s for s in seals], "issue_date": None}
