"""Re-read a date row whose day a table's vertical rule crosses.

A form's date often runs past its cell: the cell's right border then cuts through the day
(申请日期：2025年9月28日 with the rule through the 28). The OCR drops the crossed digits and
splits the row at the rule, so the date reads ``2025年9月`` with a lone ``日`` beyond the rule,
or ``2026年11月1日`` for 11月18日. Here the rule is painted out (inpainted from the paper and
strokes around it) and the row read again, once, at the cost of one line recognition.
"""

from __future__ import annotations

import re

import cv2
import numpy as np

from models.ocr import OcrLine, OcrPage
from pipeline import dates
from pipeline.ocr import LineDetectingEngine, OcrEngine
from pipeline.pages import Page

# A row whose date stops at its month, or whose day is one digit (the second under the rule).
_MONTH_AT_ROW_END = re.compile(r"(?<!\d)(?:19|20)\d\d\s?年\s?[01]?\d\s?月\s*$")
_ONE_DIGIT_DAY_AT_ROW_END = re.compile(
    r"(?<!\d)(?:19|20)\d\d\s?(?:([-./])\s?[01]?\d\s?\1|年\s?[01]?\d\s?月)\s?\d\s?日?\s*$")
RULE_LENGTH = 3.0  # row heights: a rule runs through the rows above and below; no character is this tall
RULE_CONTEXT = 2.5  # row heights looked at above and below the row to see the rule run on
INK_OFFSET = 10  # grey levels darker than the local mean that count as ink
NEIGHBOUR_GAP = 3.0  # row heights: a short piece beyond the rule (日, 8日) belongs to the row
NEIGHBOUR_MAX_CHARS = 3
WIDENING = 1.0  # row heights added on the right when no piece lies beyond the rule
INPAINT_RADIUS = 3


def reread_rows_crossed_by_rules(page: Page, ocr: OcrPage, engine: OcrEngine) -> OcrPage:
    """Re-read, with vertical rules painted out, each date row that ends incomplete where a rule crosses it.

    The re-read replaces the row only when it completes the same date with a two-digit day: where
    only the month was read, or starting with the one-digit day read (``1日`` becomes ``18日``).
    Anything else (a date really on the 1st, a reading the inpainting spoiled: ``1日`` for a 16 the
    rule ran through) leaves the row as it was.
    """
    if page.text_layer is not None or not isinstance(engine, LineDetectingEngine):
        return ocr
    lines = list(ocr.lines)
    changed = False
    grey: np.ndarray | None = None
    for i, line in enumerate(lines):
        if not (_MONTH_AT_ROW_END.search(line.text) or _ONE_DIGIT_DAY_AT_ROW_END.search(line.text)):
            continue
        x, y, _, h = line.bbox
        right = _row_end(line, lines, page.width)
        if grey is None:
            grey = cv2.cvtColor(page.image, cv2.COLOR_BGR2GRAY) if page.image.ndim == 3 else page.image
        rules = vertical_rules(grey, (x, y, right - x, h))
        if rules is None:
            continue
        cleaned = _painted_out(page.image, rules)
        quad = np.float32([[x, y], [right, y], [right, y + h], [x, y + h]])
        read = engine.read(cleaned, ocr.page, line_boxes=[quad]).lines
        if len(read) == 1 and dates.completes_the_day(line.text, read[0].text):
            lines[i] = read[0]
            changed = True
    return ocr.model_copy(update={"lines": tuple(lines)}) if changed else ocr


def _row_end(line: OcrLine, lines: list[OcrLine], page_width: int) -> int:
    """Right end of the row: that of a short piece beyond the rule on the same row (the lone 日), else
    ``WIDENING`` row heights past the line."""
    x, y, w, h = line.bbox
    end = x + w
    for other in lines:
        ox, oy, ow, oh = other.bbox
        same_row = abs((oy + oh / 2) - (y + h / 2)) < h / 2
        if (other is not line and same_row and 0 <= ox - end <= NEIGHBOUR_GAP * h
                and len(other.text.strip()) <= NEIGHBOUR_MAX_CHARS):
            return min(page_width - 1, ox + ow)
    return int(min(page_width - 1, end + WIDENING * h))


def vertical_rules(grey: np.ndarray, box: tuple[int, int, int, int]) -> tuple[np.ndarray, int, int] | None:
    """The vertical rules crossing ``box``: a mask (255 on the rules) of the region looked at, with that
    region's left and top in page pixels; None when no rule crosses the box.

    Ink is what is darker than its neighbourhood (shading-proof); a rule is ink that runs
    ``RULE_LENGTH`` row heights straight down, seen over ``RULE_CONTEXT`` heights above and below.
    """
    x, y, w, h = box
    top, bottom = max(0, int(y - RULE_CONTEXT * h)), min(grey.shape[0], int(y + h + RULE_CONTEXT * h))
    left, right = max(0, int(x)), min(grey.shape[1], int(x + w))
    if right - left < 2 or bottom - top < RULE_LENGTH * h:
        return None
    crop = grey[top:bottom, left:right]
    block = max(3, int(2 * h) | 1)
    ink = cv2.adaptiveThreshold(crop, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, block, INK_OFFSET)
    runs = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, int(RULE_LENGTH * h))))
    if not runs[int(y) - top:int(y + h) - top].any():
        return None  # a rule above or below the row, not through it
    return runs, left, top


def _painted_out(image: np.ndarray, rules: tuple[np.ndarray, int, int]) -> np.ndarray:
    """A copy of ``image`` with the rules filled from the paper and strokes around them (in their region only)."""
    mask, left, top = rules
    bottom, right = top + mask.shape[0], left + mask.shape[1]
    out = image.copy()
    out[top:bottom, left:right] = cv2.inpaint(np.ascontiguousarray(image[top:bottom, left:right]), mask,
                                              INPAINT_RADIUS, cv2.INPAINT_TELEA)
    return out
