"""Page-building helpers shared by the document builders: a style drawn per document, headers,
label/value rows, wrapped paragraphs, tables, handwriting and ink placement."""

from __future__ import annotations

import random
from dataclasses import dataclass

from samples.generator import fonts, stamps
from samples.generator.canvas import BLACK, Box, Colour, Page, text_width

PAPER_SIZES = {"A4": (210.0, 297.0), "A5": (148.0, 210.0), "16K": (185.0, 260.0), "B5": (176.0, 250.0),
               "half_A4": (210.0, 148.0), "rx": (140.0, 200.0)}
PRINT_REDS: tuple[Colour, ...] = ((200, 30, 35), (215, 45, 45), (190, 20, 60), (225, 60, 40))


@dataclass
class Style:
    """The look of one document, drawn once from the document's rng."""

    body: str
    title_font: str
    size: float
    colon: str
    margin: float
    header_colour: Colour
    rule_colour: Colour
    logo: bool
    date_style: str
    underline_values: bool
    hand_filled: bool = False
    ink: Colour = (25, 35, 90)

    @property
    def red_header(self) -> bool:
        return self.header_colour[0] > 150 and self.header_colour[1] < 100

    @property
    def red_rule(self) -> bool:
        return self.rule_colour[0] > 150 and self.rule_colour[1] < 100


def draw_style(rng: random.Random, date_style: str, *, red_ok: bool = True, hand_filled: bool = False) -> Style:
    body = rng.choice(fonts.body_faces())
    red = red_ok and rng.random() < 0.4
    return Style(
        body=body,
        title_font=rng.choice(["serif_bold", "sans_bold", "serif_bold", body]),
        size=rng.choice([9.5, 10.0, 10.5, 11.0, 12.0]),
        colon=rng.choice(["：", "：", ":", "： "]),
        margin=rng.uniform(12, 22),
        header_colour=rng.choice(PRINT_REDS) if red else BLACK,
        rule_colour=rng.choice(PRINT_REDS) if red and rng.random() < 0.7 else BLACK,
        logo=rng.random() < 0.35,
        date_style=date_style,
        underline_values=rng.random() < 0.35,
        hand_filled=hand_filled,
        ink=rng.choice(stamps.PEN_INKS),
    )


@dataclass
class Marks:
    """What red (or other) ink a builder put on its pages, for the ground truth."""

    seals: list[str]
    red_non_seal: list[str]

    def add_red(self, what: str) -> None:
        if what not in self.red_non_seal:
            self.red_non_seal.append(what)


def header(page: Page, rng: random.Random, style: Style, hospital: str | None, title: str, marks: Marks,
           y: float | None = None) -> float:
    """Institution name, optional logo, title and rule; returns the y below it."""
    y = y if y is not None else style.margin + rng.uniform(4, 10)
    cx = page.w / 2
    if hospital:
        hsize = rng.uniform(14, 19) if page.w > 160 else rng.uniform(12, 15)
        box = page.text(cx, y + hsize * 0.35, hospital, style.title_font, hsize, style.header_colour, "center")
        if style.red_header:
            marks.add_red("red_title")
        if style.logo:
            img, d = stamps.hospital_logo(rng, style.header_colour)
            page.image(Box(box.x - d - 3, box.cy - d / 2 - 0.5, d, d), img, multiply=False)
            if style.red_header:
                marks.add_red("logo")
        y += hsize * 0.35 + rng.uniform(5, 9)
    tsize = rng.uniform(15, 21) if page.w > 160 else rng.uniform(13, 17)
    spaced = rng.random() < 0.4 and len(title) <= 6
    shown = " ".join(title) if spaced else title
    colour = style.header_colour if (not hospital and style.red_header) else BLACK
    page.text(cx, y + tsize * 0.35, shown, style.title_font, tsize, colour, "center")
    y += tsize * 0.35 + rng.uniform(3, 6)
    if rng.random() < 0.7:
        page.line(style.margin, y, page.w - style.margin, y, rng.choice([0.3, 0.5, 0.8]), style.rule_colour)
        if rng.random() < 0.4:
            page.line(style.margin, y + 0.9, page.w - style.margin, y + 0.9, 0.25, style.rule_colour)
        if style.red_rule:
            marks.add_red("red_rule")
        y += 3
    return y + rng.uniform(3, 6)


def value(page: Page, rng: random.Random, style: Style, x: float, y: float, text: str, size: float | None = None) -> Box:
    """A filled-in value: typed in the body face, or handwritten when the style is hand-filled."""
    size = size or style.size
    if style.hand_filled and text:
        img, w, h = stamps.handwriting(rng, text, size * 0.42, colour=style.ink)
        box = Box(x, y - h * 0.72, w, h)
        page.image(box, img)
        return box
    return page.text(x, y, text, style.body, size)


def kv_row(page: Page, rng: random.Random, style: Style, y: float, pairs: list[tuple[str, str]],
           x0: float | None = None, x1: float | None = None) -> float:
    """Label/value pairs spread over one line; returns the next baseline."""
    x0 = style.margin if x0 is None else x0
    x1 = page.w - style.margin if x1 is None else x1
    slot = (x1 - x0) / max(1, len(pairs))
    for i, (label, val) in enumerate(pairs):
        x = x0 + i * slot
        lab = label + style.colon if label else ""
        page.text(x, y, lab, style.body, style.size)
        vx = x + text_width(lab, style.body, style.size) + 1
        value(page, rng, style, vx, y, val)
        if style.underline_values:
            page.line(vx - 0.5, y + 1.2, x + slot - 3, y + 1.2, 0.2)
    return y + style.size * 0.353 * rng.uniform(1.8, 2.3)


def paragraph(page: Page, style: Style, x: float, y: float, width: float, text: str, size: float | None = None,
              leading: float = 1.7, font: str | None = None) -> float:
    """Wrap ``text`` (CJK: any character may break) into ``width``; returns the next baseline."""
    size = size or style.size
    font = font or style.body
    line = ""
    for ch in text:
        if text_width(line + ch, font, size) > width and line:
            page.text(x, y, line, font, size)
            y += size * 0.353 * leading
            line = ch.lstrip()
        else:
            line += ch
    if line:
        page.text(x, y, line, font, size)
        y += size * 0.353 * leading
    return y


def table(page: Page, style: Style, x: float, y: float, widths: list[float], rows: list[list[str]],
          row_h: float, *, grid: str = "full", header_rows: int = 1, size: float | None = None,
          colours: dict[tuple[int, int], Colour] | None = None) -> float:
    """A table; ``grid`` is "full", "hlines" (rules between header and body) or "none". Returns y below it."""
    size = size or style.size * 0.92
    colours = colours or {}
    total = sum(widths)
    for r, row in enumerate(rows):
        cx = x
        for c, cell in enumerate(row):
            font = style.title_font if r < header_rows and grid != "none" and c >= 0 and style.body == "sans" else style.body
            page.text(cx + 1.2, y + row_h * 0.7, cell, font, size, colours.get((r, c), BLACK))
            cx += widths[c]
        if grid == "full" or (grid == "hlines" and r < header_rows):
            page.line(x, y + row_h, x + total, y + row_h, 0.25)
        y += row_h
    if grid == "full":
        top = y - row_h * len(rows)
        page.line(x, top, x + total, top, 0.3)
        cx = x
        for w in [0, *widths]:
            cx += w
            page.line(cx, top, cx, y, 0.25)
    elif grid == "hlines":
        page.line(x, y - row_h * len(rows), x + total, y - row_h * len(rows), 0.4)
        page.line(x, y, x + total, y, 0.4)
    return y


def place_seal(page: Page, img, w: float, h: float, cx: float, cy: float) -> Box:
    box = Box(cx - w / 2, cy - h / 2, w, h)
    page.image(box, img)
    return box
