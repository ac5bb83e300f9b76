"""Read an identity card's front again, enlarged, when no name was read on it.

Most ID cards arrive as a phone photo of a photocopy: the card takes a tenth of an A4 sheet
and its name is printed 8-10 pixels tall. The page's detector then often misses the name's
row altogether while it finds the 18-digit number, printed larger. Cropped around the
number, up to the card's top, and enlarged, the same print is found and mostly read
(measured on the name-less cards of 22 stored corpora: the name's row was read on 21 of 38,
whole on 8). The rows read again that the page had missed are added to its lines; rows it
had read stay as they were.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from models.fields import ExtractedFields
from models.ocr import OcrLine, OcrPage
from pipeline.ocr import OcrEngine, covered_share
from pipeline.pages import Page
from pipeline.second_look import reread_faded

CARD_TYPES = frozenset({"id_card", "agent_id_card", "residence_permit"})

# The card front around its number row, in widths of that row (the 18 digits take about half
# the card's width, the card is 0.63 as tall as wide, and its name sits at the top, left)
ABOVE_NUMBER = 1.3
LEFT_OF_NUMBER = 0.75
RIGHT_OF_NUMBER = 0.15
MIN_LINE_PX = 40  # the number row's height the crop is enlarged to (the recogniser reads at 48)
NEW_ROW_OVERLAP = 0.3  # a re-read row this much covered by a first-pass line is that line's row


def _unchanged(image: np.ndarray) -> np.ndarray:
    return image


def reread_card_front(uprights: Sequence[Page], ocr_pages: Sequence[OcrPage], fields: ExtractedFields,
                      slot: str | None, engine: OcrEngine,
                      extract: Callable[[list[OcrPage]], ExtractedFields]) -> tuple[list[OcrPage], ExtractedFields]:
    """``ocr_pages`` and ``fields`` with the card's rows read again, when that reads a name or guesses at one.

    Only for an identity card (by slot or detected type) on which no name but the ID number was
    read, on an image page (a text layer has nothing to enlarge).

    Args:
        uprights: The upright pages (their originals are cropped).
        ocr_pages: The pages as first read.
        fields: What was extracted from them.
        slot: The manifest's slot of the file.
        engine: The OCR engine.
        extract: Extraction of fields from pages (the caller's, with its language pipeline and policy).

    Returns:
        The new pages and fields when a name, or a name-like box too unsure to be taken as one
        (``person_name_guesses``), is read on them; else the ones given.
    """
    number = fields.id_number
    if (fields.person_name is not None or number is None or number.evidence.bbox is None
            or not ({fields.detected_type, slot} & CARD_TYPES)):
        return list(ocr_pages), fields
    index = next((i for i, page in enumerate(ocr_pages) if page.page == number.evidence.page), None)
    if index is None or uprights[index].text_layer is not None:
        return list(ocr_pages), fields
    ocr = ocr_pages[index]
    row = _line_holding(ocr.lines, number.evidence.bbox)
    if row is None:
        return list(ocr_pages), fields
    x, y, w, h = row.bbox
    region = [round(x - LEFT_OF_NUMBER * w), round(y - ABOVE_NUMBER * w),
              round((1 + LEFT_OF_NUMBER + RIGHT_OF_NUMBER) * w), round(ABOVE_NUMBER * w + h)]
    read = reread_faded(uprights[index], region, engine, _unchanged, min_line_px=MIN_LINE_PX, line_height=h)
    # the number's own row is never replaced: the identity check rests on it as first read
    lines = _merged(ocr.lines, [line for line in read if line.text.strip()], keep=row)
    if lines == sorted(ocr.lines, key=lambda line: (line.bbox[1], line.bbox[0])):
        return list(ocr_pages), fields
    pages = list(ocr_pages)
    pages[index] = ocr.model_copy(update={"lines": tuple(lines)})
    new_fields = extract(pages)
    if new_fields.person_name is None and not new_fields.person_name_guesses:
        return list(ocr_pages), fields
    return pages, new_fields


def _merged(lines: Sequence[OcrLine], again: Sequence[OcrLine], keep: OcrLine) -> list[OcrLine]:
    """``lines`` with the rows read again: a row the page missed is added; a row it read is replaced by
    the new reading when that is the surer one (马派花 at 0.66 read again 马淑花 at 0.81), else kept."""
    merged = list(lines)
    for line in again:
        same_row = [i for i, old in enumerate(merged) if covered_share(line, old) >= NEW_ROW_OVERLAP
                    or covered_share(old, line) >= NEW_ROW_OVERLAP]
        if not same_row:
            merged.append(line)
        elif len(same_row) == 1 and merged[same_row[0]] is not keep \
                and line.confidence > merged[same_row[0]].confidence:
            merged[same_row[0]] = line
    return sorted(merged, key=lambda line: (line.bbox[1], line.bbox[0]))


def _line_holding(lines: Sequence[OcrLine], box: Sequence[int]) -> OcrLine | None:
    """The line whose box holds most of ``box`` (a field's evidence box lies within its line)."""
    x, y, w, h = box
    probe = OcrLine(text="", confidence=1.0, bbox=[x, y, w, h])
    best = max(lines, key=lambda line: covered_share(probe, line), default=None)
    return best if best is not None and covered_share(probe, best) > 0.5 else None
