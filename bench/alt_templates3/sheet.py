"""The drawing context of the third alternative family: one document's pages, look, typed and pen text, dates.

Built on the generator's primitives only (``Page`` from canvas.py, handwriting from stamps.py, ``format_date``
from dates.py, ``Marks`` from layout.py). Ink with a meaning of its own (signatures, seals, prints) is in
``ink.py``; paper, codes and rulings in ``paper.py`` and ``ruling.py``; the layouts in the document modules.

Every pen-written string is also listed in ``Built.texts`` (typed text is in the pages' text operations), and a
physician's signature adds ``"签名:<role>"`` there, so tests can check what a reader should find without OCR.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from samples.generator import stamps
from samples.generator.canvas import BLACK, MM_PER_PT, Box, Colour, Page, text_width
from samples.generator.dates import STYLES, format_date
from samples.generator.documents import Built, DocContent
from samples.generator.layout import Marks

# Paper sizes in mm (w, h); "R80" is a thermal till roll 80 mm wide, cut to its content's length by the builder.
PAPER = {"A4": (210.0, 297.0), "A4L": (297.0, 210.0), "A5": (148.0, 210.0), "A5L": (210.0, 148.0),
         "16K": (185.0, 260.0), "B5": (176.0, 250.0), "R80": (80.0, 220.0)}
GREY: Colour = (100, 100, 106)
FAINT: Colour = (150, 150, 156)
# How often each date form is drawn: hospital systems print ISO and 年月日 most, hands write dots and 年月日.
DATE_WEIGHTS = {"ymd_cn": 4, "ymd_cn_pad": 3, "iso": 4, "slash": 2, "slash_pad": 3, "dot": 3, "cn_upper": 1,
                "compact_space": 1}
BODY_FACES = ("sans", "serif", "wqy", "uming")


@dataclass
class Doc:
    """One document being drawn: its spec, random stream, pages, look and what ink it carries."""

    spec: DocContent
    rng: random.Random
    page: Page
    font: str
    bold: str
    size: float
    colon: str
    date_form: str
    pen: Colour
    margin: float
    marks: Marks = field(default_factory=lambda: Marks([], []))
    pages: list[Page] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.pages.append(self.page)

    # -- geometry -------------------------------------------------------------------------------------
    @property
    def x0(self) -> float:
        return self.margin

    @property
    def x1(self) -> float:
        return self.page.w - self.margin

    @property
    def w(self) -> float:
        return self.page.w - 2 * self.margin

    def line_h(self, k: float = 1.9, size: float | None = None) -> float:
        """The distance between baselines of ``size`` point text set ``k`` times its size apart."""
        return (size or self.size) * MM_PER_PT * k

    def add_page(self, paper: Colour | None = None) -> Page:
        self.page = Page(self.page.w, self.page.h, paper=paper or self.page.paper)
        self.pages.append(self.page)
        return self.page

    def built(self) -> Built:
        return Built(self.pages, self.marks, texts=self.texts)

    # -- typed text -----------------------------------------------------------------------------------
    def lab(self, label: str) -> str:
        return f"{label}{self.colon}"

    def text(self, x: float, y: float, s: str, *, size: float | None = None, font: str | None = None,
             colour: Colour = BLACK, align: str = "left", fit_w: float | None = None) -> Box:
        """Typed ``s`` on baseline ``y``; shrunk (never below 60 %) to fit ``fit_w`` when given."""
        size = size or self.size
        font = font or self.font
        if fit_w and s:
            size = shrink(s, font, size, fit_w)
        return self.page.text(x, y, s, font, size, colour, align)

    def wrap(self, x: float, y: float, width: float, s: str, *, size: float | None = None, font: str | None = None,
             lead: float = 1.75, hang: float = 0.0) -> float:
        """``s`` wrapped into ``width`` (lines after the first indented by ``hang``); returns the next baseline."""
        size = size or self.size
        font = font or self.font
        line, first = "", True
        for ch in s:
            avail = width - (0 if first else hang)
            if line and ch not in "，。、；：）)%" and text_width(line + ch, font, size) > avail:
                self.page.text(x + (0 if first else hang), y, line, font, size)
                y += size * MM_PER_PT * lead
                line, first = ch.lstrip(), False
            else:
                line += ch
        if line:
            self.page.text(x + (0 if first else hang), y, line, font, size)
            y += size * MM_PER_PT * lead
        return y

    # -- pen text ---------------------------------------------------------------------------------------
    def pen_text(self, x: float, y: float, s: str, *, size: float | None = None, max_w: float | None = None) -> Box:
        """Pen writing sitting on baseline ``y``, squeezed into ``max_w``; listed in ``texts``."""
        mm = (size or self.size) * MM_PER_PT * 1.25
        img, w, h = stamps.handwriting(self.rng, s, mm, colour=self.pen)
        if max_w and w > max_w:
            w, h = max_w, h * max_w / w
        box = Box(x, y - h * 0.72, w, h)
        self.page.image(box, img)
        self.texts.append(s)
        return box

    def fill(self, x: float, y: float, s: str, *, hand: bool, size: float | None = None,
             max_w: float | None = None) -> Box:
        """A filled-in value, by pen or typed."""
        if not s:
            return Box(x, y, 0, 0)
        if hand:
            return self.pen_text(x, y, s, size=size, max_w=max_w)
        return self.text(x, y, s, size=size, fit_w=max_w)

    # -- dates ------------------------------------------------------------------------------------------
    def day(self, d: date | None, form: str | None = None) -> str:
        return format_date(d, form or self.date_form) if d else ""

    def moment(self, d: date | None, lo: int = 8, hi: int = 17) -> datetime | None:
        """A clock time on day ``d`` between ``lo`` and ``hi`` o'clock (None without a day)."""
        if d is None:
            return None
        return datetime.combine(d, time(self.rng.randrange(lo, hi), self.rng.randrange(60), self.rng.randrange(60)))

    def stamp(self, at: datetime | None, form: str | None = None, *, seconds: bool = True) -> str:
        """A system time stamp: the date in a numeric form, then the clock (2025-03-12 14:22:05)."""
        if at is None:
            return ""
        form = form or self.date_form
        if form in ("cn_upper", "compact_space"):
            form = "iso"  # systems never print a clock after Chinese numerals or spaced characters
        clock = f"{at:%H:%M:%S}" if seconds else f"{at:%H:%M}"
        return f"{format_date(at.date(), form)} {clock}"

    def before(self, at: datetime | None, *, days: int = 0, minutes: tuple[int, int] = (20, 240)) -> datetime | None:
        """A time ``days`` before ``at`` (same day: some minutes earlier, not before 07:00)."""
        if at is None:
            return None
        earlier = at - timedelta(days=days, minutes=self.rng.randrange(*minutes))
        floor = datetime.combine(earlier.date(), time(7, self.rng.randrange(60)))
        return max(earlier, floor) if days == 0 else earlier

    def printed(self, d: date | None) -> datetime | None:
        """When a system printout was made: mostly the same day, sometimes later, never after submission."""
        if d is None:
            return None
        later = d
        if self.rng.random() < 0.35:
            later = min(self.spec.submitted_on, d + timedelta(days=self.rng.randrange(1, 20)))
        return self.moment(max(d, later), 8, 18)


def new_doc(spec: DocContent, rng: random.Random, paper: str, *, sizes: tuple[float, ...] = (9.5, 10.0, 10.5),
            tint: Colour = (255, 255, 255), upper_ok: bool = True, length: float | None = None) -> Doc:
    """A fresh document on ``paper`` (``length`` overrides the paper's height: till rolls), look drawn from rng."""
    w, h = PAPER[paper]
    forms = {k: v for k, v in DATE_WEIGHTS.items() if k in STYLES and (upper_ok or k != "cn_upper")}
    font = rng.choice(BODY_FACES)
    return Doc(spec=spec, rng=rng, page=Page(w, length or h, paper=tint), font=font,
               bold=rng.choice(["sans_bold", "serif_bold", "sans_bold"]), size=rng.choice(sizes),
               colon=rng.choice(["：", "：", ":", "： "]), date_form=rng.choices(list(forms), list(forms.values()))[0],
               pen=rng.choice(stamps.PEN_INKS), margin=rng.uniform(10, 16))


def shrink(s: str, font: str, size: float, width: float) -> float:
    """The size at which ``s`` fits ``width`` (not below 60 % of ``size``)."""
    w = text_width(s, font, size)
    return size if w <= width or w <= 0 else max(size * 0.6, size * width / w)


def age_of(spec: DocContent) -> str:
    return f"{spec.person.age_on(spec.issue_date or spec.submitted_on)}岁"


def serial(rng: random.Random, digits: int) -> str:
    return str(rng.randrange(10 ** (digits - 1), 10**digits))
