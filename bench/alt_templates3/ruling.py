"""Ruled tables of the third family, laid out the way HTML lays out tables: each row lists its cells left to
right, a cell may span columns and reach down over later rows, and later rows skip the columns it covers.

Labels may be written vertically down a narrow cell, carry an English gloss (inline or on a second line),
and values may be typed, pen-written or wrapped. Also: an ID number written one digit per printed box.
"""

from __future__ import annotations

from dataclasses import dataclass

from bench.alt_templates3.sheet import GREY, Doc
from samples.generator.canvas import BLACK, MM_PER_PT, Box, Colour

SHADE: Colour = (232, 234, 238)


@dataclass
class Cell:
    """One cell: ``kind`` is ``label``, ``vlabel`` (top to bottom), ``value``, ``pen``, ``wrap`` or ``empty``."""

    text: str = ""
    kind: str = "value"
    span: int = 1
    down: int = 1
    key: str | None = None
    en: str | None = None
    centre: bool = False


def L(text: str, en: str | None = None, **kw) -> Cell:
    return Cell(text, "label", en=en, **kw)


def V(text: str, **kw) -> Cell:
    return Cell(text, "value", **kw)


def table(doc: Doc, x: float, y: float, widths: list[float], heights: list[float], rows: list[list[Cell]], *,
          shade: bool = False, size: float | None = None, rule: float = 0.3, en_stacked: bool = False) -> dict[str, Box]:
    """Draw the table; returns the boxes of the cells that have a ``key``."""
    size = size or doc.size
    xs = [x]
    for w in widths:
        xs.append(xs[-1] + w)
    ys = [y]
    for h in heights:
        ys.append(ys[-1] + h)
    taken: set[tuple[int, int]] = set()
    boxes: dict[str, Box] = {}
    for r, row in enumerate(rows):
        c = 0
        for cell in row:
            while (r, c) in taken:
                c += 1
            if c >= len(widths):
                raise ValueError(f"row {r} has more cells than columns")
            for rr in range(r, r + cell.down):
                for cc in range(c, c + cell.span):
                    taken.add((rr, cc))
            box = Box(xs[c], ys[r], xs[c + cell.span] - xs[c], ys[r + cell.down] - ys[r])
            fill = SHADE if shade and cell.kind in ("label", "vlabel") else None
            doc.page.rect(box, rule, BLACK, fill)
            if cell.key:
                boxes[cell.key] = box
            _content(doc, box, cell, size, en_stacked)
            c += cell.span
    return boxes


def _content(doc: Doc, box: Box, cell: Cell, size: float, en_stacked: bool) -> None:
    text = cell.text
    if not text or cell.kind == "empty":
        return
    mid = box.y + box.h / 2 + size * MM_PER_PT * 0.35
    if cell.kind == "vlabel":
        step = min((box.h - 2) / max(1, len(text)), size * MM_PER_PT * 1.5)
        top = box.y + box.h / 2 - step * (len(text) - 1) / 2 + size * MM_PER_PT * 0.35
        for i, ch in enumerate(text):
            doc.page.text(box.cx, top + i * step, ch, doc.font, size, BLACK, "center")
        return
    if cell.kind == "label":
        if cell.en and en_stacked:
            doc.text(box.cx, mid - 1.6, text, size=size, align="center", fit_w=box.w - 2)
            doc.text(box.cx, mid + 2.2, cell.en, size=6.0, font="sans", colour=GREY, align="center", fit_w=box.w - 1.5)
        else:
            shown = f"{text} {cell.en}" if cell.en else text
            doc.text(box.cx, mid, shown, size=size, align="center", fit_w=box.w - 2)
        return
    if cell.kind == "pen":
        doc.pen_text(box.x + 2, mid, text, size=size, max_w=box.w - 4)
        return
    if cell.kind == "wrap":
        doc.wrap(box.x + 2, box.y + size * MM_PER_PT + 3, box.w - 4, text, size=size, lead=1.6)
        return
    if cell.centre:
        doc.text(box.cx, mid, text, size=size, align="center", fit_w=box.w - 2)
    else:
        doc.text(box.x + 1.8, mid, text, size=size, fit_w=box.w - 3.2)


def digit_boxes(doc: Doc, x: float, y: float, digits: str, *, cell: float = 5.2, hand: bool = False,
                size: float | None = None) -> Box:
    """``digits`` one per printed square (身份证号码 on paper forms), baseline ``y``; returns the strip's box."""
    size = size or doc.size
    top = y - cell * 0.78
    for i, ch in enumerate(digits):
        b = Box(x + i * cell, top, cell, cell)
        doc.page.rect(b, 0.25)
        if hand:
            doc.pen_text(b.x + cell * 0.18, y, ch, size=size, max_w=cell * 0.7)
        else:
            doc.page.text(b.cx, y, ch, doc.font, size, BLACK, "center")
    return Box(x, top, cell * len(digits), cell)


def underline(doc: Doc, x: float, y: float, w: float, s: str, *, hand: bool = False) -> float:
    """A printed blank of width ``w`` with ``s`` filled in on it; returns the x after it."""
    doc.page.line(x, y + 1.3, x + w, y + 1.3, 0.25)
    if s:
        doc.fill(x + 1.5, y, s, hand=hand, max_w=w - 2.5)
    return x + w
