"""Read an identity card's front again, enlarged, when no name was read on it.

Most ID cards arrive as a phone photo of a photocopy: the card takes a tenth of an A4 sheet
and its name is printed 8-10 pixels tall. The page's detector then often misses the name's
row altogether while it finds the 18-digit number, printed larger. Cropped around the
number, up to the card's top, and enlarged, the same print is found and mostly read
(measured on the name-less cards of 22 stored corpora: the name's row was read on 21 of 38,
whole on 8). When not even the number was read, the front is looked for beside the card's
back, whose large title 居民身份证 the page does read. Rows the page had missed are added to
its lines; a row it had read is replaced only by a surer reading, and the number's never.
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
    """``ocr_pages`` and ``fields`` with the card's rows read again, when that reads its number, a name or
    a guess at one.

    Only for an identity card (by slot or detected type) on which no name was read, on an image page
    (a text layer has nothing to enlarge). With no number read either, the front is first looked for
    beside the card's back (:func:`_front_beside_the_back`).

    Args:
        uprights: The upright pages (their originals are cropped).
        ocr_pages: The pages as first read.
        fields: What was extracted from them.
        slot: The manifest's slot of the file.
        engine: The OCR engine.
        extract: Extraction of fields from pages (the caller's, with its language pipeline and policy).

    Returns:
        The new pages and fields when the number, a name, or a name-like box too unsure to be taken
        as one (``person_name_guesses``) is read on them; else the ones given.
    """
    given = list(ocr_pages), fields
    if fields.person_name is not None or not ({fields.detected_type, slot} & CARD_TYPES):
        return given
    pages = list(ocr_pages)
    if fields.id_number is None:
        pages, fields = _front_beside_the_back(uprights, pages, fields, engine, extract)
        if fields.id_number is None:
            return given
    number = fields.id_number
    assert number is not None
    index = next((i for i, page in enumerate(pages) if page.page == number.evidence.page), None)
    if index is None or uprights[index].text_layer is not None or number.evidence.bbox is None:
        return given
    ocr = pages[index]
    row = _line_holding(ocr.lines, number.evidence.bbox)
    if row is None:
        return given
    x, y, w, h = row.bbox
    region = [round(x - LEFT_OF_NUMBER * w), round(y - ABOVE_NUMBER * w),
              round((1 + LEFT_OF_NUMBER + RIGHT_OF_NUMBER) * w), round(ABOVE_NUMBER * w + h)]
    read = reread_faded(uprights[index], region, engine, _unchanged, min_line_px=MIN_LINE_PX, line_height=h)
    # the number's own row is never replaced: the identity check rests on it as first read
    lines = _merged(ocr.lines, [line for line in read if line.text.strip()], keep=row)
    if lines != _in_reading_order(ocr.lines):
        pages[index] = ocr.model_copy(update={"lines": tuple(lines)})
        again = extract(pages)
        if again.person_name is not None or again.person_name_guesses:
            return pages, again
    return (pages, fields) if pages != list(ocr_pages) else given


# A card's back, its title 居民身份证 about a third of the card wide, and the front a card's height or so
# above or below it (a photocopy of both sides on one sheet), in widths of that title.
CARD_WIDTH_PER_TITLE = 2.9
CARD_HEIGHT_PER_TITLE = 1.8
NUMBER_HEIGHT_PER_TITLE = 0.6  # the front's number is printed smaller than the back's title
_BACK_TITLE = "居民身份证"


def _front_beside_the_back(uprights: Sequence[Page], pages: list[OcrPage], fields: ExtractedFields,
                           engine: OcrEngine,
                           extract: Callable[[list[OcrPage]], ExtractedFields]) -> tuple[list[OcrPage], ExtractedFields]:
    """The pages with the card's front read again, enlarged, above its back's title, else below it, when
    that reads the front's number (a blurred photocopy whose front the page's detector barely saw:
    fresh seeds 9622 and 9625, ILLEGIBLE cards whose number reads whole this way)."""
    for index, (upright, ocr) in enumerate(zip(uprights, pages, strict=True)):
        if upright.text_layer is not None:
            continue
        title = next((line for line in ocr.lines if _BACK_TITLE in "".join(line.text.split())
                      and len("".join(line.text.split())) <= len(_BACK_TITLE) + 2), None)
        if title is None:
            continue
        x, y, w, h = title.bbox
        card_width, card_height = CARD_WIDTH_PER_TITLE * w, CARD_HEIGHT_PER_TITLE * w
        left = round(x + w / 2 - 0.6 * card_width)
        for top in (y - 2.4 * card_height, y + 0.7 * card_height):  # above the back, then below it
            region = [left, round(top), round(1.2 * card_width), round(2.1 * card_height)]
            read = reread_faded(upright, region, engine, _unchanged, min_line_px=MIN_LINE_PX,
                                line_height=NUMBER_HEIGHT_PER_TITLE * h)
            lines = _merged(ocr.lines, [line for line in read if line.text.strip()], keep=None)
            if lines == _in_reading_order(ocr.lines):
                continue
            again_pages = list(pages)
            again_pages[index] = ocr.model_copy(update={"lines": tuple(lines)})
            again = extract(again_pages)
            if again.id_number is not None:
                return again_pages, again
        return pages, fields
    return pages, fields


def _in_reading_order(lines: Sequence[OcrLine]) -> list[OcrLine]:
    return sorted(lines, key=lambda line: (line.bbox[1], line.bbox[0]))


def _merged(lines: Sequence[OcrLine], again: Sequence[OcrLine], keep: OcrLine | None) -> list[OcrLine]:
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
    return _in_reading_order(merged)


def _line_holding(lines: Sequence[OcrLine], box: Sequence[int]) -> OcrLine | None:
    """The line whose box holds most of ``box`` (a field's evidence box lies within its line)."""
    x, y, w, h = box
    probe = OcrLine(text="", confidence=1.0, bbox=[x, y, w, h])
    best = max(lines, key=lambda line: covered_share(probe, line), default=None)
    return best if best is not None and covered_share(probe, best) > 0.5 else None
