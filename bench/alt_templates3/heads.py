"""Page heads and fact strips of the third family: a hospital information system's dense header band,
a centred letterhead with a coloured title, and patient facts as a grid of small ``label：value`` cells."""

from __future__ import annotations

from bench.alt_templates3 import paper
from bench.alt_templates3.sheet import GREY, Doc, shrink
from samples.generator.canvas import BLACK, MM_PER_PT, Box, Colour, text_width

TITLE_BLUE: Colour = (25, 70, 150)
TITLE_RED: Colour = (200, 28, 36)


def his_band(doc: Doc, title: str, *, code: str = "qr", side: list[str] | None = None, y: float | None = None,
             name: str | None = None) -> float:
    """A system printout's band: a code block at one side, the institution (``name``, else the hospital) and
    title stacked left-aligned, small lines (times, page) flush right. ``code`` is ``qr``, ``bar`` or ``none``.
    Returns the y below its rule."""
    rng, page, spec = doc.rng, doc.page, doc.spec
    y = doc.margin - 2 if y is None else y
    x = doc.x0
    h = 19.0
    if code == "qr":
        paper.matrix_code(page, rng, x, y, h - 2)
        x += h + 2
    elif code == "bar":
        page.text(x, y + 3.2, f"就诊卡 {rng.randrange(10**9, 10**10)}", "sans", 6.5, GREY)
        paper.barcode(page, rng, x, y + 5, 34, 8)
        x += 38
    side = side or []
    side_w = max([text_width(s, doc.font, 7.5) for s in side] + [0])
    room = doc.x1 - side_w - 4 - x
    name = name or spec.hospital or ""
    s = shrink(name, doc.bold, rng.uniform(13, 15.5), room)
    page.text(x, y + 6.5, name, doc.bold, s, BLACK)
    ts = shrink(title, doc.bold, rng.uniform(12, 14), room)
    page.text(x, y + 14.5, title, doc.bold, ts, BLACK)
    for i, line in enumerate(side):
        page.text(doc.x1, y + 4 + i * 4.2, line, doc.font, 7.5, BLACK, "right")
    y += h + 1
    page.line(doc.x0, y, doc.x1, y, rng.choice([0.5, 0.8]))
    return y + 2


def letterhead(doc: Doc, title: str, *, colour: Colour = BLACK, hospital: bool = True, y: float | None = None,
               rule: bool = True, logo: bool = False) -> float:
    """Hospital name over a (possibly coloured, letter-spaced) title, centred. Returns the y below."""
    rng, page, spec = doc.rng, doc.page, doc.spec
    y = doc.margin + rng.uniform(2, 5) if y is None else y
    cx = page.w / 2
    if hospital and spec.hospital:
        hs = shrink(spec.hospital, doc.bold, rng.uniform(14, 17) if page.w > 150 else 12.5, doc.w - 20)
        y += hs * MM_PER_PT
        box = page.text(cx, y, spec.hospital, doc.bold, hs, BLACK, "center")
        if logo:
            d = hs * MM_PER_PT * 1.5
            paper.circle_logo(page, rng, box.x - d - 2.5, box.cy - d / 2, d, rng.choice([TITLE_BLUE, (30, 110, 80)]))
        y += rng.uniform(3.5, 5.5)
    ts = rng.uniform(17, 21) if page.w > 150 else rng.uniform(14, 16)
    shown = "  ".join(title) if len(title) <= 5 else title
    ts = shrink(shown, doc.bold, ts, doc.w)
    y += ts * MM_PER_PT
    page.text(cx, y, shown, doc.bold, ts, colour, "center")
    if colour[0] > 150 and colour[1] < 100:
        doc.marks.add_red("red_title")
    y += 3.5
    if rule:
        page.line(doc.x0, y, doc.x1, y, 0.35)
        y += 1
    return y + 4


def info_cells(doc: Doc, y: float, items: list[tuple[str, str]], cols: int, *, x0: float | None = None,
               x1: float | None = None, row_h: float = 7.0, size: float | None = None, wide: tuple[str, ...] = ()) -> float:
    """Facts as a ruled grid of ``label：value`` cells, ``cols`` per row; labels in ``wide`` take two cells and
    the last cell of a row stretches to its end, as report systems print them. Returns the y below the grid."""
    x0 = doc.x0 if x0 is None else x0
    x1 = doc.x1 if x1 is None else x1
    size = size or doc.size * 0.9
    cw = (x1 - x0) / cols
    rows: list[list[list]] = [[]]
    used = 0
    for label, val in items:
        span = min(cols, 2 if label in wide else 1)
        if used + span > cols:
            rows.append([])
            used = 0
        rows[-1].append([label, val, used, span])
        used += span
    for r, row in enumerate(rows):
        row[-1][3] = cols - row[-1][2]  # stretch the last cell over any gap
        for label, val, c, span in row:
            box = Box(x0 + c * cw, y + r * row_h, cw * span, row_h)
            doc.page.rect(box, 0.2, (120, 120, 126))
            lab = doc.lab(label)
            lw = text_width(lab, doc.font, size * 0.92)
            doc.page.text(box.x + 1.2, box.y + row_h * 0.68, lab, doc.font, size * 0.92, GREY)
            if val:
                doc.text(box.x + 1.2 + lw + 0.8, box.y + row_h * 0.68, val, size=size, fit_w=box.w - lw - 3)
    return y + len(rows) * row_h


def footer_rule(doc: Doc, left: str, right: str = "", *, size: float = 7.5) -> float:
    """A thin rule near the sheet's foot with small print under it at both ends; returns the rule's y."""
    y = doc.page.h - doc.margin + 1
    doc.page.line(doc.x0, y - 4, doc.x1, y - 4, 0.25)
    doc.text(doc.x0, y, left, size=size, colour=GREY, fit_w=doc.w * (0.62 if right else 1.0))
    if right:
        doc.text(doc.x1, y, right, size=size, colour=GREY, align="right")
    return y - 4
