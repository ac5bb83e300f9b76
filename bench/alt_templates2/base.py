"""Drawing base of the second alternative family: a per-document sheet, dates with clocks, header bands,
ruled grids with merged cells, fill-in blanks and ink.

Built on the generator's primitives only (``Page`` from canvas.py, seals, signatures, handwriting,
thumbprints and logos from stamps.py, ``format_date`` from dates.py, ``Marks`` from layout.py). The layouts
themselves live in ``clinical.py`` and ``forms.py``.

Every handwritten string a builder draws is also listed in ``Built.texts`` (typed text is in the pages'
text operations); a physician's signature adds ``"签名:<role>"`` there, so tests can check what a
reader should find without OCR.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from samples.generator import stamps
from samples.generator.canvas import BLACK, MM_PER_PT, Box, Colour, Page, text_width
from samples.generator.dates import format_date
from samples.generator.documents import Built, DocContent
from samples.generator.layout import Marks
from samples.generator.people import make_name

SIZES = {"A4": (210.0, 297.0), "A4L": (297.0, 210.0), "A5": (148.0, 210.0), "A5L": (210.0, 148.0),
         "16K": (185.0, 260.0), "B5": (176.0, 250.0), "B5L": (250.0, 176.0), "RXL": (200.0, 140.0)}
GREY: Colour = (90, 90, 96)
LIGHT: Colour = (228, 230, 234)
BAND: Colour = (214, 226, 240)
LOGO_INKS: tuple[Colour, ...] = ((30, 80, 150), (20, 110, 90), (40, 60, 120), (200, 30, 40))

CITY = {"linfen": "临汾市", "fangchenggang": "防城港市"}
DATE_FORMS = {"ymd_cn": 4, "ymd_cn_pad": 2, "iso": 4, "slash": 2, "slash_pad": 2, "dot": 3, "cn_upper": 2,
              "compact_space": 1}
CN_NUM = "一二三四五六七八九十"
WEEKDAYS = "一二三四五六日"


@dataclass
class Sheet:
    """One document being drawn: its pages, ink record and look (fonts, size, colon, date form)."""

    spec: DocContent
    rng: random.Random
    page: Page
    body: str
    bold: str
    size: float
    colon: str
    date_form: str
    ink: Colour
    margin: float
    marks: Marks = field(default_factory=lambda: Marks([], []))
    pages: list[Page] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.pages.append(self.page)

    # -- geometry ----------------------------------------------------------------------------
    @property
    def x0(self) -> float:
        return self.margin

    @property
    def x1(self) -> float:
        return self.page.w - self.margin

    @property
    def width(self) -> float:
        return self.page.w - 2 * self.margin

    def lh(self, k: float = 2.0, size: float | None = None) -> float:
        return (size or self.size) * MM_PER_PT * k

    def new_page(self) -> Page:
        self.page = Page(self.page.w, self.page.h)
        self.pages.append(self.page)
        return self.page

    def built(self) -> Built:
        return Built(self.pages, self.marks, texts=self.texts)

    # -- text ----------------------------------------------------------------------------------
    def lab(self, label: str) -> str:
        return f"{label}{self.colon}" if label else ""

    def t(self, x: float, y: float, text: str, *, size: float | None = None, font: str | None = None,
          colour: Colour = BLACK, align: str = "left", width: float | None = None) -> Box:
        size = size or self.size
        font = font or self.body
        if width:
            size = fit(text, font, size, width)
        return self.page.text(x, y, text, font, size, colour, align)

    def para(self, x: float, y: float, width: float, text: str, *, size: float | None = None,
             font: str | None = None, leading: float = 1.8, indent: float = 0.0) -> float:
        """Typed text wrapped to ``width``; returns the baseline after the last line."""
        size = size or self.size
        font = font or self.body
        line, first = "", True
        for ch in text:
            avail = width - (indent if first else 0)
            if line and ch not in "，。；：、）”！？,.;:)%" and text_width(line + ch, font, size) > avail:
                self.page.text(x + (indent if first else 0), y, line, font, size)
                y += size * MM_PER_PT * leading
                line, first = ch.lstrip(), False
            else:
                line += ch
        if line:
            self.page.text(x + (indent if first else 0), y, line, font, size)
            y += size * MM_PER_PT * leading
        return y

    def hand(self, x: float, y: float, text: str, *, size: float | None = None, width: float | None = None) -> Box:
        """Pen writing with its baseline near ``y`` (shrunk to ``width``); listed in ``texts``."""
        mm = (size or self.size) * MM_PER_PT * 1.3
        img, w, h = stamps.handwriting(self.rng, text, mm, colour=self.ink)
        if width and w > width:
            w, h = width, h * width / w
        box = Box(x, y - h * 0.7, w, h)
        self.page.image(box, img)
        self.texts.append(text)
        return box

    def value(self, x: float, y: float, text: str, *, hand: bool = False, size: float | None = None,
              width: float | None = None) -> Box:
        if not text:
            return Box(x, y, 0, 0)
        if hand:
            return self.hand(x, y, text, size=size, width=width)
        return self.t(x, y, text, size=size, width=width)

    # -- dates -----------------------------------------------------------------------------------
    def d(self, day: date | None, form: str | None = None) -> str:
        return format_date(day, form or self.date_form) if day else ""

    def dt(self, at: datetime | None, form: str | None = None, *, seconds: bool | None = None) -> str:
        """A date with its clock time after it (a date in Chinese numerals keeps no clock)."""
        if at is None:
            return ""
        form = form or self.date_form
        if form == "cn_upper":
            return format_date(at.date(), form)
        seconds = self.rng.random() < 0.5 if seconds is None else seconds
        clock = f"{at:%H:%M:%S}" if seconds else f"{at:%H:%M}"
        return f"{format_date(at.date(), form)}{'' if form == 'ymd_cn' and self.rng.random() < 0.3 else ' '}{clock}"

    def at(self, day: date | None, lo: int = 8, hi: int = 17) -> datetime | None:
        if day is None:
            return None
        return datetime.combine(day, time(self.rng.randrange(lo, hi), self.rng.randrange(60), self.rng.randrange(60)))

    # -- ink --------------------------------------------------------------------------------------
    def seal(self, cx: float, cy: float, purpose: str | None, *, oval: bool = False, force: bool = False) -> None:
        """The hospital's seal centred near (cx, cy) when the spec says the document is sealed."""
        spec = self.spec
        if not spec.hospital or not (spec.sealed or force):
            return
        colour = self.rng.choice(stamps.SEAL_BLUES) if spec.blue_seal else None
        if oval and purpose:
            img, w, h = stamps.oval_seal(self.rng, spec.hospital, purpose, colour=colour)
            self.page.image(Box(cx - w / 2 + self.rng.uniform(-3, 3), cy - h / 2 + self.rng.uniform(-3, 3), w, h), img)
            self.marks.seals.append("hospital_oval")
        else:
            img, dm = stamps.round_seal(self.rng, spec.hospital, purpose, colour=colour)
            self.page.image(Box(cx - dm / 2 + self.rng.uniform(-4, 4), cy - dm / 2 + self.rng.uniform(-3, 3), dm, dm), img)
            self.marks.seals.append("hospital_round")

    def office_seal(self, name: str, purpose: str | None, cx: float, cy: float) -> None:
        img, dm = stamps.round_seal(self.rng, name, purpose)
        self.page.image(Box(cx - dm / 2 + self.rng.uniform(-3, 3), cy - dm / 2 + self.rng.uniform(-3, 3), dm, dm), img)
        self.marks.seals.append("agency")

    def physician(self, x: float, y: float, role: str = "医师", *, name: str | None = None, seal_ok: bool = True,
                  typed_ok: bool = True, max_w: float | None = None) -> float:
        """A physician's signature starting at ``x`` on baseline ``y``; returns the x after it."""
        name = name or doctor(self.rng)
        r = self.rng.random()
        self.texts.append(f"签名:{role}")
        if seal_ok and r < 0.12:
            img, s = stamps.name_seal(self.rng, name)
            self.page.image(Box(x, y - s * 0.72, s, s), img)
            self.marks.add_red("name_seal")
            return x + s
        if typed_ok and r < 0.3:
            box = self.t(x, y, name, font="kai" if self.rng.random() < 0.5 else self.body)
            return box.x + box.w
        img, w, h = stamps.signature(self.rng, name, self.rng.uniform(5.5, 7.5))
        if max_w and w > max_w:
            w, h = max_w, h * max_w / w
        self.page.image(Box(x, y - h * 0.75, w, h), img)
        return x + w

    def own_name(self, x: float, y: float, name: str, *, size: float = 6.0) -> float:
        """A lay person's own handwritten name; returns the x after it."""
        img, w, h = stamps.handwriting(self.rng, name, size, colour=self.ink)
        self.page.image(Box(x, y - h * 0.72, w, h), img)
        self.texts.append(name)
        return x + w

    def thumb(self, x: float, y: float) -> None:
        img, w, h = stamps.thumbprint(self.rng)
        self.page.image(Box(x, y - h * 0.7, w, h), img)
        self.marks.add_red("thumbprint")

    def tick(self, x: float, y: float) -> None:
        """A pen tick in a printed check box whose baseline is ``y``."""
        img, s = stamps.scribble_tick(self.rng, self.ink)
        self.page.image(Box(x - s * 0.15, y - s * 0.85, s, s), img)


def new_sheet(spec: DocContent, rng: random.Random, paper: str, *, upper_ok: bool = True,
              sizes: tuple[float, ...] = (9.0, 9.5, 10.0, 10.5)) -> Sheet:
    forms = {k: v for k, v in DATE_FORMS.items() if upper_ok or k != "cn_upper"}
    body = rng.choice(["sans", "serif", "wqy", "uming", "sans"])
    bold = rng.choice(["sans_bold", "serif_bold"])
    return Sheet(spec=spec, rng=rng, page=Page(*SIZES[paper]), body=body, bold=bold, size=rng.choice(sizes),
                 colon=rng.choice(["：", "：", "：", ":", "： "]),
                 date_form=rng.choices(list(forms), weights=list(forms.values()))[0],
                 ink=rng.choice(stamps.PEN_INKS), margin=rng.uniform(11, 17))


# -- helpers ------------------------------------------------------------------------------------
def fit(text: str, font: str, size: float, width: float) -> float:
    w = text_width(text, font, size)
    return size if w <= width or w == 0 else max(size * 0.55, size * width / w)


def doctor(rng: random.Random) -> str:
    return make_name(rng, rng.random() < 0.5)


def cn_list(items: list[str], rng: random.Random) -> list[str]:
    """Items numbered with Chinese numerals: 一、… or （一）…"""
    form = rng.choice(["{n}、{t}", "{n}、{t}", "（{n}）{t}"])
    return [form.format(n=CN_NUM[i] if i < 10 else str(i + 1), t=t) for i, t in enumerate(items)]


def arabic_list(items: list[str], rng: random.Random) -> list[str]:
    form = rng.choice(["{n}) {t}", "{n}.{t}", "{n}、{t}"])
    return [form.format(n=i, t=t) for i, t in enumerate(items, start=1)]


def weekday(d: date) -> str:
    return f"星期{WEEKDAYS[d.weekday()]}"


def age(spec: DocContent) -> int:
    return spec.person.age_on(spec.issue_date or spec.submitted_on)


def earlier_same_day(sheet: Sheet, at: datetime | None, *, days: int = 0) -> datetime | None:
    """A time before ``at`` on the same day (or ``days`` before): sampling, registration, examination."""
    if at is None:
        return None
    h = sheet.rng.randrange(7, max(8, at.hour))
    return (at - timedelta(days=days)).replace(hour=h, minute=sheet.rng.randrange(60), second=sheet.rng.randrange(60))


# -- header band -------------------------------------------------------------------------------------
def barcode(page: Page, rng: random.Random, x: float, y: float, w: float, h: float, *, digits: bool = True) -> None:
    cx = x
    while cx < x + w - 0.5:
        bw = rng.choice([0.3, 0.3, 0.6, 0.9])
        page.rect(Box(cx, y, bw, h), 0, None, BLACK)
        cx += bw + rng.choice([0.3, 0.6, 0.9])
    if digits:
        page.text(x + w / 2, y + h + 2.4, "".join(str(rng.randrange(10)) for _ in range(rng.choice([10, 12, 13]))),
                  "sans", 6.0, BLACK, "center")


def qr_block(page: Page, rng: random.Random, x: float, y: float, size: float) -> None:
    """A two-dimensional code: finder squares in three corners and random modules."""
    n = 21
    m = size / n
    finder = {(r, c) for r in range(7) for c in range(7)}
    for r in range(n):
        for c in range(n):
            corner = None
            for (r0, c0) in ((0, 0), (0, n - 7), (n - 7, 0)):
                if (r - r0, c - c0) in finder:
                    corner = (r - r0, c - c0)
            if corner is not None:
                rr, cc = corner
                on = rr in (0, 6) or cc in (0, 6) or (2 <= rr <= 4 and 2 <= cc <= 4)
            else:
                on = rng.random() < 0.48
            if on:
                page.rect(Box(x + c * m, y + r * m, m + 0.02, m + 0.02), 0, None, BLACK)


def band(sheet: Sheet, title: str, *, english: str | None = None, code: str = "bar", hospital: bool = True,
         y: float | None = None) -> float:
    """Header band: a logo circle, the institution's name (with an English line), the title, and a bar
    code or two-dimensional code at the right. Returns the y below the band's rule."""
    rng, page, spec = sheet.rng, sheet.page, sheet.spec
    y = sheet.margin + rng.uniform(0, 3) if y is None else y
    x0, x1 = sheet.x0, sheet.x1
    tinted = rng.random() < 0.3
    band_h = 20.0 if english else 17.0
    if tinted:
        page.rect(Box(x0, y - 2, x1 - x0, band_h + 2), 0, None, BAND)
    lx = x0 + 1
    if hospital and spec.hospital and rng.random() < 0.85:
        colour = rng.choice(LOGO_INKS)
        img, dm = stamps.hospital_logo(rng, colour)
        dm = min(dm, band_h - 3)
        page.image(Box(lx, y + (band_h - dm) / 2 - 1, dm, dm), img)
        if colour[0] > 150 and colour[1] < 100:
            sheet.marks.add_red("logo")
        lx += dm + 3
    right = x1 - (36 if code == "bar" else 18 if code == "qr" else 0)
    if hospital and spec.hospital:
        s = fit(spec.hospital, sheet.bold, rng.uniform(13, 16), right - lx - 4)
        page.text(lx, y + 6.5, spec.hospital, sheet.bold, s, BLACK, "left")
        if english:
            page.text(lx, y + 11.5, english, "sans", 7.0, GREY, "left")
    if code == "bar":
        barcode(page, rng, x1 - 34, y + 1, 33, 8)
    elif code == "qr":
        qr_block(page, rng, x1 - 16, y, 15.5)
    y += band_h
    page.line(x0, y, x1, y, rng.choice([0.6, 0.8, 1.0]))
    if rng.random() < 0.5:
        page.line(x0, y + 0.9, x1, y + 0.9, 0.25)
    ts = rng.uniform(14.5, 17.5) if page.w > 160 else rng.uniform(13, 15)
    y += ts * MM_PER_PT + rng.uniform(4, 6)
    page.text(page.w / 2, y, title, sheet.bold, ts, BLACK, "center")
    return y + rng.uniform(5, 7)


def centred_head(sheet: Sheet, title: str, *, hospital: bool = True, y: float | None = None,
                 rule: str = "double") -> float:
    """Institution name letter-spaced over the title, with a double or thick-thin rule. Returns the y below."""
    rng, page, spec = sheet.rng, sheet.page, sheet.spec
    y = sheet.margin + rng.uniform(3, 7) if y is None else y
    cx = page.w / 2
    if hospital and spec.hospital:
        s = rng.uniform(13, 16) if page.w > 160 else rng.uniform(11.5, 13.5)
        name = spec.hospital
        if rng.random() < 0.4 and len(name) <= 12:
            name = " ".join(name)
        s = fit(name, sheet.bold, s, sheet.width)
        y += s * MM_PER_PT
        page.text(cx, y, name, sheet.bold, s, BLACK, "center")
        y += rng.uniform(4, 6)
    ts = rng.uniform(16, 20) if page.w > 160 else rng.uniform(14, 16.5)
    y += ts * MM_PER_PT
    page.text(cx, y, title, sheet.bold, ts, BLACK, "center")
    y += rng.uniform(3.5, 5)
    if rule == "double":
        page.line(sheet.x0, y, sheet.x1, y, 0.8)
        page.line(sheet.x0, y + 1.1, sheet.x1, y + 1.1, 0.25)
        y += 2
    elif rule == "single":
        page.line(sheet.x0, y, sheet.x1, y, 0.4)
    return y + rng.uniform(4, 7)


# -- ruled grids -------------------------------------------------------------------------------------
@dataclass
class Cell:
    """One cell of a ruled grid: row, column, spans, text and role (``label``, ``value``, ``vlabel`` for a
    label written top to bottom, ``hand`` for a handwritten value, ``blank``)."""

    r: int
    c: int
    text: str = ""
    role: str = "value"
    rs: int = 1
    cs: int = 1
    key: str | None = None
    align: str | None = None


def grid(sheet: Sheet, x: float, y: float, widths: list[float], heights: list[float], cells: list[Cell], *,
         shade: bool = False, size: float | None = None) -> dict[str, Box]:
    """Draw a fully ruled grid with merged cells; returns the boxes of cells that have a ``key``."""
    page = sheet.page
    size = size or sheet.size
    xs = [x]
    for w in widths:
        xs.append(xs[-1] + w)
    ys = [y]
    for h in heights:
        ys.append(ys[-1] + h)
    boxes: dict[str, Box] = {}
    for cell in cells:
        bx, by = xs[cell.c], ys[cell.r]
        bw, bh = xs[cell.c + cell.cs] - bx, ys[cell.r + cell.rs] - by
        box = Box(bx, by, bw, bh)
        fill_c = LIGHT if shade and cell.role in ("label", "vlabel") else None
        page.rect(box, 0.3, BLACK, fill_c)
        if cell.key:
            boxes[cell.key] = box
        text = cell.text
        if not text:
            continue
        if cell.role == "vlabel" and bh / (len(text) + 0.8) < size * MM_PER_PT * 1.1:
            text = "\n".join(text[i:i + 2] for i in range(0, len(text), 2))  # too low to stand: two a line
            cell = Cell(cell.r, cell.c, text, "label", cell.rs, cell.cs, cell.key, cell.align)
        if cell.role == "vlabel":
            step = min(bh / (len(text) + 0.8), size * MM_PER_PT * 1.6)
            top = by + bh / 2 - step * (len(text) - 1) / 2 + size * MM_PER_PT * 0.35
            for i, ch in enumerate(text):
                page.text(bx + bw / 2, top + i * step, ch, sheet.body, size, BLACK, "center")
            continue
        lines = text.split("\n")
        lead = size * MM_PER_PT * 1.6
        base = by + bh / 2 - lead * (len(lines) - 1) / 2 + size * MM_PER_PT * 0.35
        for i, line in enumerate(lines):
            ly = base + i * lead
            if cell.role == "label":
                s = fit(line, sheet.body, size, bw - 2)
                page.text(bx + bw / 2, ly, line, sheet.body, s, BLACK, cell.align or "center")
            elif cell.role == "hand":
                sheet.hand(bx + 2, ly, line, size=size, width=bw - 4)
            else:
                s = fit(line, sheet.body, size, bw - 3.5)
                if (cell.align or "left") == "center":
                    page.text(bx + bw / 2, ly, line, sheet.body, s, BLACK, "center")
                else:
                    page.text(bx + 1.8, ly, line, sheet.body, s, BLACK, "left")
    return boxes


def blank_line(sheet: Sheet, x: float, y: float, w: float, text: str, *, hand: bool = False,
               size: float | None = None) -> float:
    """A printed blank (underline) of width ``w`` with ``text`` filled in on it; returns the x after it."""
    sheet.page.line(x, y + 1.2, x + w, y + 1.2, 0.25)
    if text:
        size = size or sheet.size
        if hand:
            sheet.hand(x + 1.5, y, text, size=size, width=w - 2)
        else:
            tw = text_width(text, sheet.body, size)
            s = fit(text, sheet.body, size, w - 2)
            sheet.t(x + max(1.0, (w - min(tw, w - 2)) / 2), y, text, size=s)
    return x + w


def blank_date(spaced: bool = True) -> str:
    return "        年      月      日" if spaced else "    年   月   日"


def check_row(sheet: Sheet, x: float, y: float, options: list[str], chosen: str | None, *,
              size: float | None = None, gap: float = 4.0) -> float:
    """Printed check boxes ``□ option`` with a pen tick in the chosen one; returns the x after the row."""
    size = size or sheet.size
    for opt in options:
        box = sheet.t(x, y, "□", size=size)
        if opt == chosen:
            sheet.tick(box.x, y)
        b2 = sheet.t(box.x + box.w + 0.6, y, opt, size=size)
        x = b2.x + b2.w + gap
    return x
