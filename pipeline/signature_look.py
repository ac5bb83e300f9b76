"""A second look for the physician-signature label around a form's seals, where the page's reading missed its row.

A form's hospital opinion ends on the physician's signature, beside or under the hospital's seal. The seal's
ink across that row can hide it from the detector altogether (接诊医师： 许娟静 beside a red seal on a scanned
form, alternative templates 3, seed 7302: no label found, so whether the form is signed went to a person). As
for a date under a seal (:mod:`pipeline.second_look`), the regions around each seal are read again from the
original with coloured ink faded; a row there holding a physician label is added to the page's lines with the
rows read beside it (the signature as read), and the signature is looked for as usual. Rows the page had read
stay as they were.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from models.document import Seal
from models.fields import ExtractedFields
from models.ocr import OcrLine, OcrPage
from pipeline.ocr import OcrEngine, covered_share
from pipeline.pages import Page
from pipeline.second_look import OVERLAP_REPLACED, date_regions, fade_coloured_ink, reread_faded
from pipeline.signature import find_signature_fields

SAME_ROW = 0.5  # of the shorter line's height, shared vertically: the signature read beside its label


def _holds_a_label(line: OcrLine, page: OcrPage) -> bool:
    return bool(find_signature_fields(page.model_copy(update={"lines": (line,)})))


def _same_row(a: OcrLine, b: OcrLine) -> bool:
    top, bottom = max(a.bbox[1], b.bbox[1]), min(a.bbox[1] + a.bbox[3], b.bbox[1] + b.bbox[3])
    return bottom - top >= SAME_ROW * min(a.bbox[3], b.bbox[3])


def _new_rows(page: OcrPage, read: Sequence[OcrLine]) -> list[OcrLine]:
    """The physician-label rows in ``read`` the page lacks, with the rows read beside them."""
    fresh = [line for line in read if not any(covered_share(line, old) >= OVERLAP_REPLACED
                                              or covered_share(old, line) >= OVERLAP_REPLACED for old in page.lines)]
    labels = [line for line in fresh if _holds_a_label(line, page)]
    return [line for line in fresh if any(line is label or _same_row(line, label) for label in labels)]


def look_for_signature_label(uprights: Sequence[Page], ocr_pages: Sequence[OcrPage], seals: Sequence[Seal],
                             fields: ExtractedFields, engine: OcrEngine,
                             extract: Callable[[list[OcrPage]], ExtractedFields]
                             ) -> tuple[list[OcrPage], ExtractedFields]:
    """The pages and fields with the physician label's row read again around the seals, when no label was found
    on the form (``signature_evidence`` searched, without a box) and that finds one; else those given."""
    given = list(ocr_pages), fields
    searched = fields.signature_evidence
    if fields.signature_present is not None or searched is None or searched.bbox is not None or not seals:
        return given
    pages = list(ocr_pages)
    for index, (upright, page) in enumerate(zip(uprights, ocr_pages, strict=True)):
        page_seals = [seal for seal in seals if seal.page == upright.index]
        if upright.text_layer is not None or not page_seals:
            continue
        added: list[OcrLine] = []
        for region in date_regions(upright, page_seals, fallback=False):
            added += _new_rows(page, reread_faded(upright, region, engine, fade_coloured_ink))
        if not added:
            continue
        merged = sorted([*page.lines, *added], key=lambda line: (line.bbox[1], line.bbox[0]))
        pages[index] = page.model_copy(update={"lines": tuple(merged)})
        again = extract(pages)
        if again.signature_evidence is not None and again.signature_evidence.bbox is not None:
            return pages, again
        pages[index] = page
    return given
