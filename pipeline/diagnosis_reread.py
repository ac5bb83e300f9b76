"""Read a diagnosis row again, alone, when what the page gave names no disease.

A diagnosis that names no disease of the catalog is a DIAGNOSIS_MISMATCH, a return. The
recogniser sometimes drops one character of a row read with the whole page, at high
confidence (诊断意见：乙状结肠术后 for 乙状结肠癌术后, its 癌 gone): the same row recognised on its
own, from a box padded around it, reads it whole. So before a return rests on it, the row
is read again, with a few paddings in turn; a new reading replaces it only when it names a disease.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from models.fields import ExtractedFields
from models.ocr import OcrLine, OcrPage
from models.policy import PolicyBook
from pipeline.ocr import LineDetectingEngine, OcrEngine
from pipeline.pages import Page

# Boxes padded by these row heights (above and below, on the right) are tried in turn: which one
# reads the lost character back varies (on a crop of seed 9559's row only the second did).
PADDINGS = ((0.3, 2.0), (0.5, 2.0), (0.5, 1.0))


def diagnosis_checked_slots(policy: PolicyBook) -> frozenset[str]:
    """The slots whose diagnosis some region's rules compare with the applied disease."""
    return frozenset(str(slot) for region in policy.regions.values() for kind in region.kinds.values()
                     for slot, rule in kind.materials.items() if rule.diagnosis_must_match)


def reread_diagnosis_rows(uprights: Sequence[Page], ocr_pages: Sequence[OcrPage], fields: ExtractedFields,
                          engine: OcrEngine,
                          extract: Callable[[list[OcrPage]], ExtractedFields]) -> tuple[list[OcrPage], ExtractedFields]:
    """``ocr_pages`` and ``fields`` with the diagnosis rows read again when the diagnosis names no disease.

    Meant for the materials whose diagnosis is checked (``diagnosis_checked_slots``): an exam report
    naming findings only (脑萎缩) is no mismatch, and reading it again would cost time for nothing.

    Args:
        uprights: The upright pages (their images are read again).
        ocr_pages: The pages as first read.
        fields: What was extracted from them.
        engine: The OCR engine; only one that recognises given line boxes reads again.
        extract: Extraction of fields from pages (the caller's, with its language pipeline and policy).

    Returns:
        The new pages and fields when the re-read rows name a disease, else the ones given.
    """
    diagnosis = fields.diagnosis
    if (diagnosis is None or fields.disease_code is not None or fields.disease_codes
            or not isinstance(engine, LineDetectingEngine) or diagnosis.evidence.bbox is None):
        return list(ocr_pages), fields
    page_number = diagnosis.evidence.page
    index = next((i for i, page in enumerate(ocr_pages) if page.page == page_number), None)
    if index is None or uprights[index].text_layer is not None:
        return list(ocr_pages), fields
    upright, ocr = uprights[index], ocr_pages[index]
    rows = [i for i, line in enumerate(ocr.lines) if _overlaps(line.bbox, diagnosis.evidence.bbox)]
    if not rows:
        return list(ocr_pages), fields
    for pad_y, pad_right in PADDINGS:
        lines = list(ocr.lines)
        for i in rows:
            again = _read_alone(upright, ocr.page, lines[i], engine, pad_y, pad_right)
            if again is not None:
                lines[i] = again
        pages = list(ocr_pages)
        pages[index] = ocr.model_copy(update={"lines": tuple(lines)})
        new_fields = extract(pages)
        if new_fields.disease_code is not None or new_fields.disease_codes:
            return pages, new_fields
    return list(ocr_pages), fields


def _read_alone(upright: Page, page: int, line: OcrLine, engine: LineDetectingEngine, pad_y: float,
                pad_right: float) -> OcrLine | None:
    x, y, w, h = line.bbox
    x0, y0 = max(0.0, x - pad_y * h), max(0.0, y - pad_y * h)
    x1 = min(upright.width - 1.0, x + w + pad_right * h)
    y1 = min(upright.height - 1.0, y + h + pad_y * h)
    quad = np.float32([[x0, y0], [x1, y0], [x1, y1], [x0, y1]])
    read = engine.read(upright.image, page, line_boxes=[quad]).lines
    return read[0] if len(read) == 1 and read[0].text.strip() else None


def _overlaps(a: Sequence[int], b: Sequence[int]) -> bool:
    ax, ay, aw, ah = a
    bx, by, bw, bh = b
    return ax < bx + bw and bx < ax + aw and ay < by + bh and by < ay + ah
