"""Page text in reading order: OCR lines grouped into rows, with a map from characters back to boxes.

The spaCy components work on one string per page. This module builds that string
(rows top to bottom, the boxes of a row left to right, joined by one space; rows
joined by ``\\n``) and maps any character range of it back to the OCR lines, their
page-pixel boxes and confidences. It reads ``OcrPage`` only; it knows nothing of fields.
"""

from __future__ import annotations

from dataclasses import dataclass
from statistics import median

from models.ocr import OcrLine, OcrPage

BOX_JOINER = " "
ROW_JOINER = "\n"


@dataclass(frozen=True)
class Piece:
    """Where one OCR line's text sits in the page string."""

    line_index: int
    start: int
    end: int


@dataclass(frozen=True)
class Row:
    """One visual row: OCR lines at the same height, left to right."""

    start: int
    end: int
    line_indices: tuple[int, ...]
    y_centre: float
    height: float


@dataclass(frozen=True)
class PageText:
    """One page's text with its geometry.

    Attributes:
        page: The OCR page this was built from (coordinates: upright page pixels).
        text: Rows joined by ``\\n``; boxes on a row joined by one space.
        rows: Rows in reading order, with their character ranges in ``text``.
        pieces: One per OCR line, in page-string order.
    """

    page: OcrPage
    text: str
    rows: tuple[Row, ...]
    pieces: tuple[Piece, ...]

    # -- lookups -------------------------------------------------------------------------------

    def row_index_at(self, offset: int) -> int:
        """Index of the row holding character ``offset`` (the last row for offsets past the end)."""
        for index, row in enumerate(self.rows):
            if offset < row.end + len(ROW_JOINER):
                return index
        return max(len(self.rows) - 1, 0)

    def row_text(self, index: int) -> str:
        row = self.rows[index]
        return self.text[row.start:row.end]

    def pieces_in(self, start: int, end: int) -> list[Piece]:
        """OCR line pieces overlapping ``text[start:end]``."""
        return [p for p in self.pieces if p.start < end and start < p.end]

    def lines_in(self, start: int, end: int) -> list[OcrLine]:
        return [self.page.lines[p.line_index] for p in self.pieces_in(start, end)]

    def confidence_of(self, start: int, end: int) -> float:
        """The lowest OCR confidence of the lines under ``text[start:end]`` (0.0 when none)."""
        lines = self.lines_in(start, end)
        return min((line.confidence for line in lines), default=0.0)

    def char_confidences_of(self, start: int, end: int) -> list[float | None]:
        """Each character's own OCR confidence in ``text[start:end]`` (None where unknown, or a joiner)."""
        out: list[float | None] = [None] * max(0, end - start)
        for piece in self.pieces_in(start, end):
            chars = self.page.lines[piece.line_index].char_confidences
            if len(chars) != piece.end - piece.start:
                continue
            for offset in range(max(start, piece.start), min(end, piece.end)):
                out[offset - start] = chars[offset - piece.start]
        return out

    def bbox_of(self, start: int, end: int) -> list[int] | None:
        """Page-pixel box ``[x, y, w, h]`` of ``text[start:end]``.

        Within one OCR line the box is cut proportionally to character widths
        (CJK characters count double), a fair estimate for printed text; across
        lines it is the union of the cut boxes.
        """
        boxes = []
        for piece in self.pieces_in(start, end):
            line = self.page.lines[piece.line_index]
            boxes.append(_sub_box(line, max(start, piece.start) - piece.start, min(end, piece.end) - piece.start))
        if not boxes:
            return None
        x0 = min(b[0] for b in boxes)
        y0 = min(b[1] for b in boxes)
        x1 = max(b[0] + b[2] for b in boxes)
        y1 = max(b[1] + b[3] for b in boxes)
        return [x0, y0, x1 - x0, y1 - y0]

    def relative_y(self, start: int, end: int) -> float:
        """Vertical centre of ``text[start:end]`` within the page's text (0 first line, 1 last line)."""
        box = self.bbox_of(start, end)
        if box is None:
            return 0.5
        return self.relative_position(box[1] + box[3] / 2)

    def relative_position(self, y: float) -> float:
        """Where page-pixel ``y`` falls between the top of the first text line (0) and the bottom of the last (1).

        Measured on the text, not the image, so that a document photographed with a margin of
        desk around it still has its title at 0 and its signature block near 1. Pages whose text
        spans less than a fifth of their height (a few lines) use the page height instead.
        """
        height = self.page.height or 1
        top, bottom = self.text_extent
        if bottom - top < 0.2 * height:
            top, bottom = 0.0, float(height)
        return min(max((y - top) / max(bottom - top, 1.0), 0.0), 1.0)

    @property
    def text_extent(self) -> tuple[float, float]:
        """Top of the first OCR line and bottom of the last, in page pixels."""
        lines = self.page.lines
        if not lines:
            return 0.0, float(self.page.height)
        return float(min(line.bbox[1] for line in lines)), float(max(line.bbox[1] + line.bbox[3] for line in lines))

    @property
    def median_line_height(self) -> float:
        heights = [line.bbox[3] for line in self.page.lines if line.bbox[3] > 0]
        return float(median(heights)) if heights else 20.0


def _char_weight(ch: str) -> int:
    return 2 if ord(ch) > 0x2E7F else 1


def _sub_box(line: OcrLine, start: int, end: int) -> list[int]:
    x, y, w, h = line.bbox
    weights = [_char_weight(ch) for ch in line.text]
    total = sum(weights)
    if total == 0 or (start <= 0 and end >= len(line.text)):
        return [x, y, w, h]
    left = sum(weights[:start]) / total
    right = sum(weights[:end]) / total
    x0 = x + round(w * left)
    x1 = x + round(w * right)
    return [x0, y, max(x1 - x0, 1), h]


# Two boxes overlapping horizontally by more than this share of the narrower one are two rows
# (stacked lines, seal text over print) unless they are fragments of one line (``_fragments_of_one_line``).
ROW_OVERLAP_MAX = 0.3
# Fragments of one line that a seal's ring or a fold split: each box reaches into the gap, so they
# overlap by about a character. They sit on the same line (centres within this share of the lower
# height, heights alike) and overlap by at most half the narrower box and this many line heights.
FRAGMENT_CENTRE_SHIFT = 0.25
FRAGMENT_HEIGHT_RATIO = 1.5
FRAGMENT_OVERLAP_HEIGHTS = 1.5


def _fragments_of_one_line(a: OcrLine, b: OcrLine) -> bool:
    """Whether ``a`` and ``b`` are two overlapping pieces of one printed line, not two rows or layers.

    Same baseline band (centres close, heights alike) and a partial horizontal overlap no wider
    than a character or two: each piece sticks out on its own side (``202`` + ``24年11月3日``
    read either side of a seal's ring). A box lying within another (seal text over a printed
    line, a line detected twice) is never a fragment.
    """
    ax, ay, aw, ah = a.bbox
    bx, by, bw, bh = b.bbox
    low, high = min(ah, bh), max(ah, bh)
    if low <= 0 or high > FRAGMENT_HEIGHT_RATIO * low:
        return False
    if abs((ay + ah / 2) - (by + bh / 2)) > FRAGMENT_CENTRE_SHIFT * low:
        return False
    overlap = _x_overlap(a, b)
    if overlap > 0.5 * min(aw, bw) or overlap > FRAGMENT_OVERLAP_HEIGHTS * low:
        return False
    return (ax < bx and ax + aw < bx + bw) or (bx < ax and bx + bw < ax + aw)


def _joins_row(line: OcrLine, other: OcrLine) -> bool:
    """Whether ``line`` may stand on a row beside ``other`` (already known to be at its height)."""
    overlap = _x_overlap(line, other)
    if overlap <= ROW_OVERLAP_MAX * min(line.bbox[2], other.bbox[2]):
        return True
    return _fragments_of_one_line(line, other)


def _group_rows(lines: tuple[OcrLine, ...]) -> list[list[int]]:
    """Indices of lines grouped into rows: same height band, not overlapping horizontally.

    Boxes that overlap are kept on separate rows (they are stacked lines or seal text over
    print), except fragments of one line split with a small overlap (``_fragments_of_one_line``).
    """
    order = sorted(range(len(lines)), key=lambda i: (lines[i].bbox[1] + lines[i].bbox[3] / 2, lines[i].bbox[0]))
    rows: list[list[int]] = []
    row_geom: list[tuple[float, float]] = []  # (y centre, height) of each row's first line
    for index in order:
        _, y, _, h = lines[index].bbox
        yc = y + h / 2
        best = None
        for r in range(len(rows) - 1, max(len(rows) - 4, -1), -1):
            ryc, rh = row_geom[r]
            if abs(yc - ryc) > 0.5 * min(h, rh):
                continue
            if not all(_joins_row(lines[index], lines[j]) for j in rows[r]):
                continue
            best = r
            break
        if best is None:
            rows.append([index])
            row_geom.append((yc, float(h)))
        else:
            rows[best].append(index)
    for row in rows:
        row.sort(key=lambda i: lines[i].bbox[0])
    rows.sort(key=lambda row: min(lines[i].bbox[1] + lines[i].bbox[3] / 2 for i in row))
    return rows


def _x_overlap(a: OcrLine, b: OcrLine) -> float:
    ax0, _, aw, _ = a.bbox
    bx0, _, bw, _ = b.bbox
    return max(0.0, min(ax0 + aw, bx0 + bw) - max(ax0, bx0))


def build_page_text(page: OcrPage) -> PageText:
    """Group one page's OCR lines into rows and lay them out as one string.

    Args:
        page: OCR output for one upright page.

    Returns:
        The page string with its row and line maps. An empty page gives an empty string.
    """
    lines = page.lines
    parts: list[str] = []
    pieces: list[Piece] = []
    rows: list[Row] = []
    offset = 0
    for row_number, row in enumerate(_group_rows(lines)):
        if row_number:
            parts.append(ROW_JOINER)
            offset += len(ROW_JOINER)
        row_start = offset
        for position, index in enumerate(row):
            if position:
                parts.append(BOX_JOINER)
                offset += len(BOX_JOINER)
            text = lines[index].text.replace("\n", " ")
            parts.append(text)
            pieces.append(Piece(index, offset, offset + len(text)))
            offset += len(text)
        centres = [lines[i].bbox[1] + lines[i].bbox[3] / 2 for i in row]
        heights = [lines[i].bbox[3] for i in row]
        rows.append(Row(row_start, offset, tuple(row), sum(centres) / len(centres), float(median(heights))))
    return PageText(page=page, text="".join(parts), rows=tuple(rows), pieces=tuple(pieces))


def page_text_from_string(text: str, *, page: int = 1, line_height: int = 40, width: int = 1000) -> PageText:
    """A ``PageText`` whose string is exactly ``text``: each text line one row of one synthetic OCR line.

    Used when a pipeline is run on plain text (a PDF text layer joined into a string, a test);
    boxes are laid out top to bottom at ``line_height`` pixels.
    """
    lines: list[OcrLine] = []
    pieces: list[Piece] = []
    rows: list[Row] = []
    offset = 0
    for number, row_text in enumerate(text.split(ROW_JOINER)):
        y = 20 + number * line_height
        h = int(line_height * 0.75)
        indices: tuple[int, ...] = ()
        if row_text:
            lines.append(OcrLine(text=row_text, bbox=[20, y, max(1, min(width - 40, 24 * len(row_text))), h],
                                 confidence=1.0))
            pieces.append(Piece(len(lines) - 1, offset, offset + len(row_text)))
            indices = (len(lines) - 1,)
        rows.append(Row(offset, offset + len(row_text), indices, y + h / 2, float(h)))
        offset += len(row_text) + len(ROW_JOINER)
    height = 40 + len(rows) * line_height
    ocr = OcrPage(page=page, width=width, height=height, lines=tuple(lines), engine="text_layer")
    return PageText(page=ocr, text=text, rows=tuple(rows), pieces=tuple(pieces))
