"""Drawing kit of the alternative templates: a per-document look, dates, mastheads, bordered cells and ink.

Only the generator's primitives are used (``Page`` from canvas.py, seals, signatures, handwriting and
thumbprints from stamps.py, ``format_date`` from dates.py, ``Marks`` and ``place_seal`` from layout.py);
every title, label wording and arrangement here is this package's own.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time

import numpy as np
from PIL import Image

from samples.generator import stamps
from samples.generator.canvas import BLACK, Box, Colour, Page, text_width
from samples.generator.dates import cn_upper, format_date
from samples.generator.documents import DocContent
from samples.generator.layout import Marks, place_seal
from samples.generator.people import make_name

PAPER = {"A4": (210.0, 297.0), "A5": (148.0, 210.0), "16K": (185.0, 260.0), "B5": (176.0, 250.0),
         "A5_land": (210.0, 148.0), "RX": (130.0, 190.0)}
SHADE: Colour = (236, 236, 236)
PRINT_RED: Colour = (196, 28, 36)
MM_PT = 0.3528  # millimetres per point

CITY = {"linfen": "临汾市", "fangchenggang": "防城港市"}
PHONE_AREA = {"linfen": "0357", "fangchenggang": "0770"}
STREETS = {"linfen": ("解放西路", "鼓楼北街", "五一东路", "向阳路", "平阳南街"),
           "fangchenggang": ("兴港大道", "渔洲坪路", "北部湾大道", "金花茶大道", "港口路")}

# Conditions printed beside the applied disease in a diagnosis list. None is a catalogue disease, a stage,
# a complication or a word close to one, so the list never changes what the certificate supports.
OTHER_DIAGNOSES = ("高脂血症", "高尿酸血症", "脂肪肝", "颈椎病", "腰椎间盘突出症", "老年性白内障", "胆囊结石",
                   "反流性食管炎", "睡眠障碍", "慢性咽炎")
OTHER_DIAGNOSES_MALE = ("前列腺增生",)

NO_LINE_START = frozenset("，。；：、）》”？！,.;:)%")  # punctuation a line never starts with

# Forms a date takes on these documents (keys of samples.generator.dates.STYLES), and how often.
DATE_FORMS = {"ymd_cn": 5, "iso": 4, "slash": 2, "dot": 3, "ymd_cn_pad": 2, "cn_upper": 1}


@dataclass
class Look:
    """Fonts, sizes and date form of one document, drawn once from its rng."""

    body: str
    bold: str
    size: float
    colon: str
    margin: float
    date_form: str
    ink: Colour
    hand: bool = False
    shade: bool = False  # label cells of bordered tables shaded grey

    def lab(self, label: str) -> str:
        return label + self.colon if label else ""


def new_look(rng: random.Random, *, hand: bool = False, upper_ok: bool = True) -> Look:
    body = rng.choice(["sans", "serif", "serif"])
    forms = {k: v for k, v in DATE_FORMS.items() if upper_ok or k != "cn_upper"}
    return Look(body=body, bold=rng.choice(["sans_bold", "serif_bold"]) if rng.random() < 0.7 else f"{body}_bold",
                size=rng.choice([9.0, 9.5, 10.0, 10.5, 11.0]), colon=rng.choice(["：", "：", "：", ":"]),
                margin=rng.uniform(13, 20), date_form=rng.choices(list(forms), weights=list(forms.values()))[0],
                ink=rng.choice(stamps.PEN_INKS), hand=hand, shade=rng.random() < 0.35)


# -- dates ----------------------------------------------------------------------------------------
def fmt(d: date | None, form: str) -> str:
    return format_date(d, form) if d else ""


def fmt_dt(dt: datetime, form: str) -> str:
    """A date and clock time as report systems print them (a Chinese-numeral date never carries a clock)."""
    if form == "cn_upper":
        return cn_upper(dt.date())
    sep = " " if form != "ymd_cn" else ""
    return f"{format_date(dt.date(), form)}{sep}{dt:%H:%M}"


def clock(rng: random.Random, d: date, lo: int = 8, hi: int = 17) -> datetime:
    return datetime.combine(d, time(rng.randrange(lo, hi), rng.randrange(60)))


def blank_date() -> str:
    return "      年    月    日"


# -- text -----------------------------------------------------------------------------------------
def put(page: Page, look: Look, x: float, y: float, text: str, *, size: float | None = None,
        font: str | None = None, colour: Colour = BLACK, align: str = "left") -> Box:
    return page.text(x, y, text, font or look.body, size or look.size, colour, align)


def fit(text: str, font: str, size: float, width: float) -> float:
    """``size`` shrunk so ``text`` fits ``width`` (never below 60 %)."""
    w = text_width(text, font, size)
    return size if w <= width or w == 0 else max(size * 0.6, size * width / w)


def ink_text(page: Page, rng: random.Random, look: Look, x: float, y: float, text: str,
             size: float | None = None, width: float | None = None) -> float:
    """Handwritten ``text`` with its baseline near ``y``, wrapped to ``width``; returns the next baseline."""
    size = size or look.size
    mm = size * MM_PT * 1.25
    step = mm * 1.9
    chunks = [text]
    if width:
        per = max(4, int(width / (mm * 1.35)))
        chunks = [text[i:i + per] for i in range(0, len(text), per)] or [""]
    for chunk in chunks:
        if chunk.strip():
            img, w, h = stamps.handwriting(rng, chunk, mm, colour=look.ink)
            page.image(Box(x, y - h * 0.72, w, h), img)
        y += step
    return y


def fill(page: Page, rng: random.Random, look: Look, x: float, y: float, text: str, *, size: float | None = None,
         width: float | None = None) -> float:
    """A filled-in value: handwritten when the look is hand-filled, else typed (shrunk to ``width``)."""
    size = size or look.size
    if look.hand and text:
        return ink_text(page, rng, look, x, y, text, size, width)
    if width:
        size = fit(text, look.body, size, width)
    put(page, look, x, y, text, size=size)
    return y + size * MM_PT * 1.9


def wrap(page: Page, look: Look, x: float, y: float, width: float, text: str, *, size: float | None = None,
         font: str | None = None, leading: float = 1.75, indent: float = 0.0) -> float:
    """Typed text wrapped to ``width`` (any CJK character may break); returns the next baseline."""
    size = size or look.size
    font = font or look.body
    line, first = "", True
    for ch in text:
        avail = width - (indent if first else 0)
        if line and ch not in NO_LINE_START and text_width(line + ch, font, size) > avail:
            page.text(x + (indent if first else 0), y, line, font, size)
            y += size * MM_PT * leading
            line, first = ch.lstrip(), False
        else:
            line += ch
    if line:
        page.text(x + (indent if first else 0), y, line, font, size)
        y += size * MM_PT * leading
    return y


def pairs_line(page: Page, rng: random.Random, look: Look, y: float, x0: float, x1: float,
               pairs: list[tuple[str, str]], *, underline: bool = False, weights: list[float] | None = None) -> float:
    """Label-value pairs side by side on one line; returns the next baseline."""
    weights = weights or [1.0] * len(pairs)
    total = sum(weights)
    x = x0
    for (label, val), wgt in zip(pairs, weights, strict=True):
        slot = (x1 - x0) * wgt / total
        box = put(page, look, x, y, look.lab(label))
        vx = box.x + box.w + 1.2
        fill(page, rng, look, vx, y, val, width=slot - (vx - x) - 3)
        if underline:
            page.line(vx - 0.5, y + 1.3, x + slot - 4, y + 1.3, 0.2)
        x += slot
    return y + look.size * MM_PT * rng.uniform(2.1, 2.6)


# -- bordered cells -------------------------------------------------------------------------------
def cells(page: Page, rng: random.Random, look: Look, x: float, y: float, h: float,
          row: list[tuple[str, float, str]], *, size: float | None = None, total: float | None = None) -> float:
    """One table row of bordered cells: (text, width mm, role) with role ``label``, ``head`` or ``value``.

    Labels may be shaded; values may be handwritten. With ``total`` the last cell takes what the others
    leave of it. Returns the y under the row.
    """
    size = size or look.size
    if total is not None and row:
        text, _w, role = row[-1]
        row = [*row[:-1], (text, total - sum(c[1] for c in row[:-1]), role)]
    cx = x
    for text, w, role in row:
        box = Box(cx, y, w, h)
        shaded = role == "head" or (role == "label" and look.shade)
        page.rect(box, 0.3, BLACK, SHADE if shaded else None)
        base = y + h / 2 + size * MM_PT * 0.36
        if role == "value":
            if look.hand and text:
                ink_text(page, rng, look, cx + 1.8, base, text, size)
            elif text:
                put(page, look, cx + 1.8, base, text, size=fit(text, look.body, size, w - 3.2))
        elif text:
            f = look.bold if role == "head" and rng.random() < 0.3 else look.body
            s = fit(text, f, size, w - 2.4)
            page.text(cx + w / 2, base, text, f, s, BLACK, "center")
        cx += w
    return y + h


def stacked(page: Page, rng: random.Random, look: Look, x: float, y: float, widths: list[float],
            labels: list[str], values: list[str], h: float) -> float:
    """Labels in a shaded header row with each value in the cell under it."""
    y = cells(page, rng, look, x, y, h * 0.85, [(lab, w, "head") for lab, w in zip(labels, widths, strict=True)],
              size=look.size * 0.92)
    return cells(page, rng, look, x, y, h, [(v, w, "value") for v, w in zip(values, widths, strict=True)])


# -- mastheads --------------------------------------------------------------------------------------
def spaced(title: str, rng: random.Random) -> str:
    if len(title) <= 5 and rng.random() < 0.35:
        return ("　" if rng.random() < 0.5 else " ").join(title)
    return title


def masthead(page: Page, rng: random.Random, look: Look, hospital: str | None, title: str, marks: Marks,
             mode: str, *, y: float | None = None, red_ok: bool = False) -> float:
    """Institution and title at the head of the page; returns the y below.

    ``mode``: ``stack`` (institution line, then title), ``joined`` (institution and title in one line),
    ``left`` (institution flush left beside a bar code, title centred under it) or ``title`` (title only).
    """
    y = look.margin + rng.uniform(2, 7) if y is None else y
    cx, w = page.w / 2, page.w - 2 * look.margin
    big = page.w > 160
    colour = PRINT_RED if red_ok and hospital and mode in ("stack", "left") and rng.random() < 0.3 else BLACK
    if hospital and mode == "joined":
        s = fit(hospital + title, look.bold, rng.uniform(15, 19) if big else rng.uniform(13, 15.5), w)
        put(page, look, cx, y + s * MM_PT, hospital + title, size=s, font=look.bold, align="center")
        y += s * MM_PT + rng.uniform(5, 8)
    else:
        if hospital and mode in ("stack", "left"):
            s = fit(hospital, look.bold, rng.uniform(13, 17) if big else rng.uniform(11.5, 14), w - 30)
            if mode == "left":
                put(page, look, look.margin, y + s * MM_PT, hospital, size=s, font=look.bold, colour=colour)
                barcode(page, rng, page.w - look.margin - 34, y - 2, 34, 7)
            else:
                put(page, look, cx, y + s * MM_PT, hospital, size=s, font=look.bold, colour=colour, align="center")
            if colour != BLACK:
                marks.add_red("red_title")
            y += s * MM_PT + rng.uniform(4, 7)
        s = rng.uniform(16, 20) if big else rng.uniform(14, 17)
        put(page, look, cx, y + s * MM_PT, spaced(title, rng), size=s, font=look.bold, align="center")
        y += s * MM_PT + rng.uniform(4, 7)
    if rng.random() < 0.55:
        page.line(look.margin, y - 1.5, page.w - look.margin, y - 1.5, rng.choice([0.25, 0.4, 0.6]))
        y += 2.5
    return y + rng.uniform(2, 5)


def address_line(page: Page, rng: random.Random, look: Look, region: str, y: float) -> float:
    """The institution's printed address and telephone, in small type."""
    street = rng.choice(STREETS.get(region, ("人民路",)))
    text = (f"地址{look.colon}{CITY.get(region, '')}{street}{rng.randrange(1, 300)}号    "
            f"电话{look.colon}{PHONE_AREA.get(region, '0000')}-{rng.randrange(2000000, 8999999)}")
    put(page, look, page.w / 2, y, text, size=look.size * 0.78, align="center")
    return y + 5


def barcode(page: Page, rng: random.Random, x: float, y: float, w: float, h: float) -> None:
    """A printed bar code with its number under it."""
    cx = x
    while cx < x + w:
        bw = rng.choice([0.25, 0.25, 0.5, 0.75])
        if rng.random() < 0.55:
            page.rect(Box(cx, y, bw, h), 0, None, BLACK)
        cx += bw + rng.choice([0.25, 0.5])
    page.text(x + w / 2, y + h + 2.6, str(rng.randrange(10**11, 10**12)), "sans", 6.5, BLACK, "center")


# -- ink ------------------------------------------------------------------------------------------
def hospital_seal(page: Page, rng: random.Random, spec: DocContent, marks: Marks, cx: float, cy: float,
                  purpose: str | None, *, oval: bool = False) -> None:
    """The issuing hospital's seal (blue where the spec says so)."""
    if not spec.hospital:
        return
    colour = rng.choice(stamps.SEAL_BLUES) if spec.blue_seal else None
    if oval and purpose:
        img, w, h = stamps.oval_seal(rng, spec.hospital, purpose, colour=colour)
        place_seal(page, img, w, h, cx + rng.uniform(-4, 4), cy + rng.uniform(-3, 3))
        marks.seals.append("hospital_oval")
    else:
        img, d = stamps.round_seal(rng, spec.hospital, purpose, colour=colour)
        place_seal(page, img, d, d, cx + rng.uniform(-5, 5), cy + rng.uniform(-4, 4))
        marks.seals.append("hospital_round")


def office_seal(page: Page, rng: random.Random, name: str, purpose: str | None, marks: Marks,
                cx: float, cy: float) -> None:
    """A non-hospital office's round seal (insurance agency, residents' committee)."""
    img, d = stamps.round_seal(rng, name, purpose)
    place_seal(page, img, d, d, cx + rng.uniform(-4, 4), cy + rng.uniform(-3, 3))
    marks.seals.append("agency")


def doctor_sign(page: Page, rng: random.Random, look: Look, x: float, y: float, marks: Marks,
                name: str | None = None, *, printed_ok: bool = True, seal_ok: bool = True) -> float:
    """A physician's signature at ``x`` on baseline ``y``: pen, a red name seal or a printed e-signature.

    Returns the x after it.
    """
    name = name or doctor_name(rng)
    r = rng.random()
    if seal_ok and r < 0.15:
        img, s = stamps.name_seal(rng, name)
        page.image(Box(x, y - s * 0.7, s, s), img)
        marks.add_red("name_seal")
        return x + s
    if printed_ok and r < 0.3:
        box = put(page, look, x, y, name)
        return box.x + box.w
    img, w, h = stamps.signature(rng, name, rng.uniform(6, 8))
    page.image(Box(x, y - h * 0.75, w, h), img)
    return x + w


def own_signature(page: Page, rng: random.Random, x: float, y: float, name: str, *, size: float = 6.0) -> float:
    """A lay person's handwritten name (applicant, principal, agent); returns the x after it."""
    img, w, h = stamps.handwriting(rng, name, size)
    page.image(Box(x, y - h * 0.72, w, h), img)
    return x + w


def thumb(page: Page, rng: random.Random, x: float, y: float, marks: Marks) -> None:
    img, w, h = stamps.thumbprint(rng)
    page.image(Box(x, y - h * 0.7, w, h), img)
    marks.add_red("thumbprint")


def doctor_name(rng: random.Random) -> str:
    return make_name(rng, rng.random() < 0.55)


# -- content helpers -------------------------------------------------------------------------------
def diagnosis_items(rng: random.Random, spec: DocContent, *, extra_p: float = 0.55) -> list[str]:
    """The diagnosis as list items: the spec's diagnosis, sometimes with other conditions around it."""
    main = spec.diagnosis or spec.disease_name or ""
    pool = list(OTHER_DIAGNOSES) + (list(OTHER_DIAGNOSES_MALE) if spec.person.male else [])
    items = [main]
    if rng.random() < extra_p:
        extra = rng.sample(pool, rng.choice((1, 1, 2)))
        items = [*extra, main] if rng.random() < 0.45 else [main, *extra]
    return items


def numbered(items: list[str], rng: random.Random) -> list[str]:
    form = rng.choice(["{n}.{t}", "{n}、{t}", "{n}. {t}", "（{n}）{t}"])
    return [form.format(n=i, t=t) for i, t in enumerate(items, start=1)]


def scan_picture(rng: random.Random, kind: str, w: int = 300, h: int = 220) -> Image.Image:
    """A grey stand-in for a printed image (an ECG strip, an ultrasound sector, a CT slice)."""
    g = np.random.default_rng(rng.randrange(2**32))
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    if kind == "ecg":
        arr = np.full((h, w), 248.0)
        arr[(yy.astype(int) % 10 == 0) | (xx.astype(int) % 10 == 0)] = 222
        base = h / 2 + 5 * np.sin(xx[0] / 9)
        spikes = 45 * np.exp(-((np.mod(xx[0], 70) - 35) ** 2) / 4.0)
        trace = (base - spikes).astype(int)
        for x in range(w):
            t = int(np.clip(trace[x], 2, h - 3))
            arr[t - 1:t + 2, x] = 25
    elif kind == "ultrasound":
        ang = np.arctan2(xx - w / 2, yy + 5)
        rr = np.hypot(xx - w / 2, yy + 5)
        sector = (np.abs(ang) < 0.7) & (rr < h * 0.97)
        arr = np.where(sector, 40 + 120 * g.random((h, w)) * np.exp(-rr / (1.3 * h)), 0)
    else:
        body = ((xx - w / 2) / (w * 0.45)) ** 2 + ((yy - h / 2) / (h * 0.42)) ** 2 < 1
        inner = ((xx - w * 0.6) / (w * 0.14)) ** 2 + ((yy - h * 0.45) / (h * 0.2)) ** 2 < 1
        arr = np.where(body, 95 + 40 * g.random((h, w)), 0) + np.where(inner, 70, 0)
    arr = np.clip(arr, 0, 255).astype(np.uint8)
    return Image.fromarray(np.stack([arr, arr, arr, np.full_like(arr, 255)], axis=-1), "RGBA")
