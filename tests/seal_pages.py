"""Render synthetic document pages with seals and seal look-alikes, with the ground truth.

Used by ``tests/test_seals.py``, ``tests/test_seal_text.py`` and ``bench/seals_real.py --synthetic``.
It is drawn here, independently of ``samples/generator``, so that the detector is measured on two
unrelated renderers. Everything is in millimetres on an A4 page, rasterised at ``dpi``.

Seals: round (ring, ring text, star, purpose line), oval (ring, ring text, purpose line), in red,
blue or grey; worn (ink voids), rotated, over printed text and the date, partly off the page; a
grey page mimics a photocopy (greyscale, grey paper, noise).

Traps, each drawn without a seal: a red title, red rules and table borders, a small red round logo,
red lab flags (↑ ↓ and values), a red thumbprint (elliptical ridges), a red-and-gold national-emblem
-like disc, a small square red name seal (名章), a footer that mentions 盖章.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from functools import lru_cache

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

A4_MM = (210.0, 297.0)
SANS = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
SERIF_BOLD = "/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc"
SC_INDEX = 2  # Simplified Chinese face inside the Noto CJK collections
TRAPS = ("red_title", "red_rules", "red_logo", "red_lab_flags", "thumbprint", "emblem", "name_seal", "footer_seal_word")
INKS = {
    "red": [(205, 32, 38), (220, 50, 60), (190, 25, 55), (228, 70, 50), (235, 90, 100), (200, 40, 80)],
    "blue": [(40, 60, 170), (70, 60, 160), (30, 90, 160)],
}
SEAL_MM_PER_PX = 0.1  # seal stencils are drawn at 10 px/mm, then scaled to the page


@lru_cache(maxsize=64)
def _font(path: str, size_px: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, max(6, size_px), index=SC_INDEX)


@dataclass(frozen=True)
class SealSpec:
    """One seal impression to put on a page."""

    kind: str = "round"  # round | oval
    colour: str = "red"  # red | blue (grey comes from a grey page)
    name: str = "临汾市尧都中心医院"
    purpose: str = "诊断证明专用章"
    diameter_mm: float = 40.0  # round: diameter; oval: width (height is 0.72 of it)
    rotation_deg: float = 0.0
    wear: float = 0.0  # 0..0.6: share of the impression left without ink
    opacity: float = 0.88
    centre_mm: tuple[float, float] | None = None  # None: over the date at the foot of the page
    star: bool | None = None  # None: round seals have a star, ovals do not


@dataclass
class PageTruth:
    """What was drawn: seal boxes in page pixels ``[x, y, w, h]`` (clipped to the page)."""

    width: int
    height: int
    seals: list[dict] = field(default_factory=list)
    traps: list[str] = field(default_factory=list)
    grey: bool = False


# ---------------------------------------------------------------------------------------- seals


def _arc_text(mask: Image.Image, text: str, cx: float, cy: float, rx: float, ry: float, span_deg: float,
              size_px: int, font_path: str) -> None:
    """Glyphs along the upper arc, reading clockwise, tops pointing outward."""
    n = len(text)
    font = _font(font_path, size_px)
    for i, ch in enumerate(text):
        theta = math.radians(-span_deg / 2 + span_deg * (i + 0.5) / n)
        x = cx + rx * math.sin(theta)
        y = cy - ry * math.cos(theta)
        # outward normal of the ellipse gives the glyph's up direction
        nx, ny = math.sin(theta) / max(rx, 1e-6), -math.cos(theta) / max(ry, 1e-6)
        rot = math.degrees(math.atan2(nx, -ny))
        glyph = Image.new("L", (size_px * 2, size_px * 2), 0)
        ImageDraw.Draw(glyph).text((size_px, size_px), ch, font=font, fill=255, anchor="mm")
        glyph = glyph.rotate(-rot, resample=Image.BICUBIC, expand=False)
        mask.paste(255, (round(x - size_px), round(y - size_px)), glyph)


def _star(draw: ImageDraw.ImageDraw, cx: float, cy: float, r: float) -> None:
    pts = []
    for i in range(10):
        ang = -math.pi / 2 + i * math.pi / 5
        rr = r if i % 2 == 0 else r * 0.382
        pts.append((cx + rr * math.cos(ang), cy + rr * math.sin(ang)))
    draw.polygon(pts, fill=255)


def seal_stencil(spec: SealSpec, rng: random.Random) -> np.ndarray:
    """Coverage mask (float 0..1) of one seal at 10 px/mm, unrotated, without wear."""
    w_mm = spec.diameter_mm
    h_mm = spec.diameter_mm if spec.kind == "round" else spec.diameter_mm * 0.72
    pad = 4
    w, h = round(w_mm * 10) + 2 * pad, round(h_mm * 10) + 2 * pad
    mask = Image.new("L", (w, h), 0)
    draw = ImageDraw.Draw(mask)
    cx, cy = w / 2, h / 2
    rx, ry = w_mm * 5, h_mm * 5
    border = rng.uniform(0.9, 1.3) * 10
    draw.ellipse((cx - rx, cy - ry, cx + rx, cy + ry), outline=255, width=round(border))
    font = rng.choice([SANS, SERIF_BOLD])
    if spec.kind == "round":
        char = round(rx * rng.uniform(0.2, 0.25))
        span = min(300.0, 24.0 * len(spec.name) + 40)
        inset = border + 0.1 * rx + char / 2
        _arc_text(mask, spec.name, cx, cy, rx - inset, ry - inset, span, char, font)
        star = True if spec.star is None else spec.star
        if star:
            _star(draw, cx, cy, 0.3 * rx)
        if spec.purpose:
            size = round(0.16 * rx)
            draw.text((cx, cy + 0.55 * ry), spec.purpose, font=_font(font, size), fill=255, anchor="mm")
    else:
        char = round(ry * rng.uniform(0.24, 0.3))
        inset = border + 0.08 * ry + char / 2
        _arc_text(mask, spec.name, cx, cy, rx - inset, ry - inset, min(240.0, 18.0 * len(spec.name) + 50), char, font)
        if spec.star:
            _star(draw, cx, cy - 0.05 * ry, 0.22 * ry)
        if spec.purpose:
            size = round(0.2 * ry)
            draw.text((cx, cy + 0.45 * ry), spec.purpose, font=_font(font, size), fill=255, anchor="mm")
    return np.asarray(mask, dtype=np.float32) / 255.0


def _wear(alpha: np.ndarray, wear: float, rng: random.Random) -> np.ndarray:
    """Uneven stamping: a pressure gradient across the seal plus blotchy ink voids and speckle.

    ``wear`` is roughly the share of the impression that ends up without ink.
    """
    h, w = alpha.shape
    nrng = np.random.default_rng(rng.randrange(1 << 30))
    blotch = cv2.GaussianBlur(nrng.random((h, w)).astype(np.float32), (0, 0), max(2.0, 0.04 * max(h, w)))
    blotch = (blotch - blotch.min()) / max(float(np.ptp(blotch)), 1e-6)
    ang = rng.uniform(0, 2 * math.pi)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    ramp = ((xx - w / 2) * math.cos(ang) + (yy - h / 2) * math.sin(ang)) / max(h, w) + 0.5
    field_ = 0.6 * blotch + 0.4 * ramp
    keep = np.clip((field_ - np.quantile(field_, wear)) * 10 + 0.5, 0, 1) if wear > 0 else 1.0
    speckle = (nrng.random((h, w)) > 0.04 + 0.1 * wear).astype(np.float32)
    return alpha * keep * speckle


# ---------------------------------------------------------------------------------------- traps


def _thumbprint(rng: random.Random, px_mm: float) -> np.ndarray:
    """Whorl ridges inside an elliptical envelope, about 15 x 20 mm."""
    w_mm, h_mm = rng.uniform(13, 17), rng.uniform(18, 22)
    w, h = round(w_mm * px_mm), round(h_mm * px_mm)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    cx, cy = w / 2 + rng.uniform(-0.1, 0.1) * w, h * rng.uniform(0.4, 0.55)
    period = rng.uniform(0.45, 0.6) * px_mm
    rr = np.sqrt(((xx - cx) / 0.8) ** 2 + (yy - cy) ** 2)
    theta = np.arctan2(yy - cy, xx - cx)
    ridges = 0.5 + 0.5 * np.cos(2 * np.pi * (rr + 0.15 * period * np.sin(3 * theta)) / period)
    env = ((xx - w / 2) / (w / 2)) ** 2 + ((yy - h / 2) / (h / 2)) ** 2
    envelope = np.clip((1.0 - env) * 4, 0, 1)
    alpha = (ridges > 0.45).astype(np.float32) * envelope
    return cv2.GaussianBlur(alpha, (0, 0), 0.6)


def _emblem(rng: random.Random, px_mm: float) -> tuple[np.ndarray, np.ndarray]:
    """A red disc with a toothed rim and gold stars / bars: red and gold coverage masks."""
    d = round(rng.uniform(20, 26) * px_mm)
    red = Image.new("L", (d, d), 0)
    gold = Image.new("L", (d, d), 0)
    dr, dg = ImageDraw.Draw(red), ImageDraw.Draw(gold)
    c = d / 2
    teeth = []
    for i in range(48):
        ang = 2 * math.pi * i / 48
        r = c * (0.98 if i % 2 == 0 else 0.9)
        teeth.append((c + r * math.cos(ang), c + r * math.sin(ang)))
    dr.polygon(teeth, fill=255)
    _star(dg, c * 0.8, c * 0.7, c * 0.22)
    for k in range(4):
        ang = math.radians(200 + 35 * k)
        _star(dg, c + c * 0.55 * math.cos(ang) + c * 0.15, c + c * 0.45 * math.sin(ang) + c * 0.1, c * 0.08)
    dg.rectangle((c * 0.45, c * 1.15, c * 1.55, c * 1.35), fill=255)
    dg.arc((c * 0.2, c * 0.2, c * 1.8, c * 1.8), 20, 160, fill=255, width=max(2, round(d * 0.03)))
    return np.asarray(red, np.float32) / 255, np.asarray(gold, np.float32) / 255


def _logo(rng: random.Random, px_mm: float) -> np.ndarray:
    """A small hospital logo: ring, cross, a few tiny characters on the ring."""
    d = round(rng.uniform(10, 14) * px_mm)
    img = Image.new("L", (d, d), 0)
    dr = ImageDraw.Draw(img)
    c = d / 2
    dr.ellipse((1, 1, d - 2, d - 2), outline=255, width=max(2, round(d * 0.07)))
    arm = d * 0.12
    dr.rectangle((c - arm, c - 3 * arm, c + arm, c + 3 * arm), fill=255)
    dr.rectangle((c - 3 * arm, c - arm, c + 3 * arm, c + arm), fill=255)
    if rng.random() < 0.6:
        _arc_text(img, "人民医院", c, c, c * 0.72, c * 0.72, 150, max(6, round(d * 0.13)), SANS)
    return np.asarray(img, np.float32) / 255


def _name_seal(rng: random.Random, px_mm: float, name: str) -> np.ndarray:
    """A square doctor's name seal (名章): 2 x 2 characters, red characters or red ground."""
    s = round(rng.uniform(13, 18) * px_mm)
    img = Image.new("L", (s, s), 0)
    dr = ImageDraw.Draw(img)
    chars = (name + "之印")[:4]
    font = _font(SERIF_BOLD, round(s * 0.42))
    positions = [(0.72, 0.28), (0.72, 0.72), (0.28, 0.28), (0.28, 0.72)]  # read right column first
    if rng.random() < 0.5:  # 朱文: red characters in a red frame
        dr.rectangle((1, 1, s - 2, s - 2), outline=255, width=max(2, round(s * 0.07)))
        for ch, (px, py) in zip(chars, positions, strict=False):
            dr.text((px * s, py * s), ch, font=font, fill=255, anchor="mm")
    else:  # 白文: white characters on a red ground
        dr.rectangle((1, 1, s - 2, s - 2), fill=255)
        for ch, (px, py) in zip(chars, positions, strict=False):
            dr.text((px * s, py * s), ch, font=font, fill=0, anchor="mm")
    return np.asarray(img, np.float32) / 255


# ---------------------------------------------------------------------------------------- page

BODY = [
    "姓名：张建国  性别：男  年龄：60岁  门诊号：20250312001",
    "临床诊断：原发性高血压3级（极高危）",
    "病情摘要：患者反复头晕、头痛五年，血压最高达190/110mmHg，长期口服降压药物治疗。",
    "查体：血压178/102mmHg，心率76次/分，律齐，双下肢无水肿。",
    "辅助检查：心脏彩超示左心室肥厚；尿微量白蛋白升高；颈动脉斑块形成。",
    "处理意见：建议长期规律服药，低盐低脂饮食，定期复查血压、肾功能。",
    "建议申请门诊慢特病待遇，继续门诊治疗。",
]
LAB_ROWS = [("白细胞", "11.6", "↑", "3.5-9.5"), ("红细胞", "3.81", "↓", "4.3-5.8"), ("血红蛋白", "118", "↓", "130-175"),
            ("血小板", "356", "↑", "125-350"), ("葡萄糖", "8.9", "↑", "3.9-6.1"), ("肌酐", "72", "", "57-111")]


def _text(draw: ImageDraw.ImageDraw, xy: tuple[float, float], text: str, size: int, fill, font=SANS) -> None:
    draw.text(xy, text, font=_font(font, size), fill=fill)


def _composite(page: np.ndarray, alpha: np.ndarray, colour: tuple[int, int, int], x0: int, y0: int,
               opacity: float = 1.0) -> tuple[int, int, int, int] | None:
    """Multiply ``colour`` ink with coverage ``alpha`` onto ``page`` (RGB float) at (x0, y0); returns the
    clipped box of the inked pixels."""
    h, w = alpha.shape
    ph, pw = page.shape[:2]
    xa, ya, xb, yb = max(0, x0), max(0, y0), min(pw, x0 + w), min(ph, y0 + h)
    if xb <= xa or yb <= ya:
        return None
    a = alpha[ya - y0: yb - y0, xa - x0: xb - x0, None] * opacity
    ink = np.asarray(colour, np.float32)[None, None, :] / 255.0
    region = page[ya:yb, xa:xb]
    page[ya:yb, xa:xb] = region * (1 - a + a * ink)
    ys, xs = np.nonzero(alpha[ya - y0: yb - y0, xa - x0: xb - x0] > 0.2)
    if len(xs) == 0:
        return None
    return xa + int(xs.min()), ya + int(ys.min()), xa + int(xs.max()) + 1, ya + int(ys.max()) + 1


def render_page(seals: tuple[SealSpec, ...] | list[SealSpec] = (), traps: tuple[str, ...] | list[str] = (), *,
                grey: bool = False, seed: int = 0, dpi: float = 150.0, jpeg_quality: int | None = 85,
                title: str = "临汾市尧都中心医院 诊断证明书") -> tuple[np.ndarray, PageTruth]:
    """Draw one A4 page and return it as BGR uint8 with its truth.

    Args:
        seals: Seal impressions to stamp.
        traps: Names from :data:`TRAPS` to draw (red non-seal print and look-alikes).
        grey: Render as a greyscale photocopy on grey paper (seals turn grey).
        seed: Seed of every random choice (paper tint, ink, wear, noise).
        dpi: Raster resolution.
        jpeg_quality: Re-encode as JPEG at this quality (None: no compression).
        title: The page title, black unless the ``red_title`` trap is drawn.
    """
    rng = random.Random(seed)
    px_mm = dpi / 25.4
    pw, ph = round(A4_MM[0] * px_mm), round(A4_MM[1] * px_mm)
    paper = (255, rng.randint(246, 255), rng.randint(236, 252))
    img = Image.new("RGB", (pw, ph), paper)
    draw = ImageDraw.Draw(img)
    truth = PageTruth(width=pw, height=ph, traps=list(traps), grey=grey)
    red = rng.choice(INKS["red"])
    mm = px_mm

    # title
    title_colour = red if "red_title" in traps else (20, 20, 20)
    _text(draw, (25 * mm, 18 * mm), title, round(7.5 * mm), title_colour, SERIF_BOLD)
    if "red_rules" in traps:
        draw.line((20 * mm, 31 * mm, 190 * mm, 31 * mm), fill=red, width=max(2, round(0.8 * mm)))
    # body text
    size = round(rng.uniform(3.4, 4.2) * mm)
    y = 40 * mm
    for line in BODY:
        _text(draw, (22 * mm, y), line, size, (25, 25, 25))
        y += size * 1.9
    # a table: red borders when trapped, red flags when trapped
    table_colour = red if "red_rules" in traps else (40, 40, 40)
    top = y + 4 * mm
    row_h = 8 * mm
    for r in range(len(LAB_ROWS) + 1):
        draw.line((20 * mm, top + r * row_h, 190 * mm, top + r * row_h), fill=table_colour, width=2)
    for cx_mm in (20, 70, 110, 130, 190):
        draw.line((cx_mm * mm, top, cx_mm * mm, top + len(LAB_ROWS) * row_h), fill=table_colour, width=2)
    for r, (item, value, flag, ref) in enumerate(LAB_ROWS):
        ty = top + r * row_h + 1.5 * mm
        flagged = flag and "red_lab_flags" in traps
        _text(draw, (23 * mm, ty), item, size, (25, 25, 25))
        _text(draw, (73 * mm, ty), value, size, red if flagged else (25, 25, 25))
        _text(draw, (113 * mm, ty), flag, size, red if flagged else (25, 25, 25))
        _text(draw, (133 * mm, ty), ref, size, (25, 25, 25))
    y = top + len(LAB_ROWS) * row_h + 10 * mm
    for line in BODY[3:6]:
        _text(draw, (22 * mm, y), line, size, (25, 25, 25))
        y += size * 1.9
    # signature and date block
    date_xy = (135 * mm, 245 * mm)
    _text(draw, (22 * mm, 238 * mm), "医师签名：", size, (25, 25, 25))
    _text(draw, date_xy, "2025年3月12日", size, (25, 25, 25))
    footer = "注：本证明须加盖医院公章方为有效，涂改无效。" if "footer_seal_word" in traps else "本证明仅供门诊慢特病申请使用。"
    _text(draw, (22 * mm, 280 * mm), footer, round(size * 0.85), (60, 60, 60))

    page = np.asarray(img, np.float32) / 255.0
    if "red_logo" in traps:
        logo = _logo(rng, mm)
        _composite(page, logo, red, round(12 * mm), round(14 * mm))
    if "emblem" in traps:
        er, eg = _emblem(rng, mm)
        x0, y0 = round(150 * mm), round(60 * mm)
        _composite(page, er, (214, 30, 40), x0, y0)
        _composite(page, eg, (240, 200, 60), x0, y0)
    if "thumbprint" in traps:
        _composite(page, _thumbprint(rng, mm), rng.choice(INKS["red"]), round(95 * mm), round(222 * mm),
                   opacity=rng.uniform(0.6, 0.9))
    if "name_seal" in traps:
        _composite(page, _name_seal(rng, mm, "王建华"), red, round(48 * mm), round(232 * mm), opacity=0.9)

    for spec in seals:
        stencil = seal_stencil(spec, rng)
        scale = mm * SEAL_MM_PER_PX
        stencil = cv2.resize(stencil, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
        if spec.rotation_deg:
            h, w = stencil.shape
            side = int(math.hypot(h, w)) + 2
            canvas = np.zeros((side, side), np.float32)
            canvas[(side - h) // 2:(side - h) // 2 + h, (side - w) // 2:(side - w) // 2 + w] = stencil
            rot = cv2.getRotationMatrix2D((side / 2, side / 2), spec.rotation_deg, 1.0)
            stencil = cv2.warpAffine(canvas, rot, (side, side), flags=cv2.INTER_LINEAR)
        stencil = _wear(stencil, spec.wear, rng)
        cx_mm, cy_mm = spec.centre_mm or (date_xy[0] / mm + 16 + rng.uniform(-4, 4), date_xy[1] / mm + rng.uniform(-5, 3))
        colour = rng.choice(INKS[spec.colour]) if spec.colour in INKS else red
        x0 = round(cx_mm * mm - stencil.shape[1] / 2)
        y0 = round(cy_mm * mm - stencil.shape[0] / 2)
        box = _composite(page, stencil, colour, x0, y0, opacity=spec.opacity)
        if box is None:
            continue
        full_w, full_h = stencil.shape[1], stencil.shape[0]
        ys, xs = np.nonzero(stencil > 0.2)
        fx0, fy0, fx1, fy1 = x0 + xs.min(), y0 + ys.min(), x0 + xs.max() + 1, y0 + ys.max() + 1
        partial = fx0 < 0 or fy0 < 0 or fx1 > pw or fy1 > ph
        del full_w, full_h
        truth.seals.append({
            "bbox": [int(box[0]), int(box[1]), int(box[2] - box[0]), int(box[3] - box[1])],
            "full_bbox": [int(fx0), int(fy0), int(fx1 - fx0), int(fy1 - fy0)],
            "colour": "grey" if grey else spec.colour,
            "kind": spec.kind,
            "name": spec.name,
            "partial": bool(partial),
        })

    out = np.clip(page * 255.0, 0, 255).astype(np.uint8)
    nrng = np.random.default_rng(seed)
    if grey:
        g = cv2.cvtColor(out, cv2.COLOR_RGB2GRAY).astype(np.float32)
        paper_level = rng.uniform(195, 228)
        contrast = rng.uniform(0.85, 1.1)
        g = paper_level - (255.0 - g) * contrast * paper_level / 255.0
        g += nrng.normal(0, rng.uniform(2, 6), g.shape)
        g = cv2.GaussianBlur(g, (0, 0), rng.uniform(0.4, 0.9))
        out = cv2.cvtColor(np.clip(g, 0, 255).astype(np.uint8), cv2.COLOR_GRAY2RGB)
    else:
        out = np.clip(out.astype(np.float32) + nrng.normal(0, 2.0, out.shape), 0, 255).astype(np.uint8)
    bgr = cv2.cvtColor(out, cv2.COLOR_RGB2BGR)
    if jpeg_quality:
        ok, buf = cv2.imencode(".jpg", bgr, [cv2.IMWRITE_JPEG_QUALITY, jpeg_quality])
        bgr = cv2.imdecode(buf, cv2.IMREAD_COLOR) if ok else bgr
    return bgr, truth


def iou(a: list[int] | tuple[int, ...], b: list[int] | tuple[int, ...]) -> float:
    """Intersection over union of two ``[x, y, w, h]`` boxes."""
    ax1, ay1, bx1, by1 = a[0] + a[2], a[1] + a[3], b[0] + b[2], b[1] + b[3]
    iw = max(0, min(ax1, bx1) - max(a[0], b[0]))
    ih = max(0, min(ay1, by1) - max(a[1], b[1]))
    inter = iw * ih
    union = a[2] * a[3] + b[2] * b[3] - inter
    return inter / union if union > 0 else 0.0


def random_page(seed: int, hospitals: list[str]) -> tuple[np.ndarray, PageTruth]:
    """A page from a random mix: half carry one or two seals, most carry some red non-seal print."""
    rng = random.Random(seed * 7919 + 13)
    traps = tuple(t for t in TRAPS if rng.random() < 0.3)
    grey = rng.random() < 0.25
    seals: list[SealSpec] = []
    if rng.random() < 0.5:
        for k in range(1 if rng.random() < 0.85 else 2):
            kind = "oval" if rng.random() < 0.25 else "round"
            seals.append(SealSpec(
                kind=kind,
                colour="blue" if rng.random() < 0.15 else "red",
                name=rng.choice(hospitals),
                purpose=rng.choice(["诊断证明专用章", "门诊专用章", "医务科", "", "检验专用章"]),
                diameter_mm=rng.uniform(36, 44),
                rotation_deg=rng.uniform(-35, 35) if rng.random() < 0.5 else 0.0,
                wear=rng.choice([0.0, 0.0, 0.1, 0.2, 0.35]),
                opacity=rng.uniform(0.65, 0.95),
                centre_mm=None if k == 0 and rng.random() < 0.7 else (rng.uniform(25, 190), rng.uniform(60, 280)),
            ))
    dpi = rng.choice([100.0, 125.0, 150.0, 200.0])
    return render_page(seals, traps, grey=grey, seed=seed, dpi=dpi, jpeg_quality=rng.choice([None, 75, 90]))
