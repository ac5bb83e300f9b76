"""Ink marks as RGBA images: official seals, doctors' name seals, thumbprints, emblems, logos, handwriting.

Everything is drawn as a coverage mask at :data:`PX_PER_MM` and then inked:
colour, uneven pressure, worn edges, speckle and partial opacity, so no two
impressions look alike. The caller places the image on a page in millimetres.
"""

from __future__ import annotations

import math
import random

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from samples.generator import fonts

PX_PER_MM = 10.0
Colour = tuple[int, int, int]

SEAL_REDS: tuple[Colour, ...] = (
    (205, 32, 38), (220, 50, 60), (190, 25, 55), (228, 70, 50), (200, 40, 80), (176, 22, 30), (235, 88, 96),
)
SEAL_BLUES: tuple[Colour, ...] = ((40, 60, 170), (70, 60, 160))
PEN_INKS: tuple[Colour, ...] = ((25, 35, 90), (20, 20, 25), (30, 45, 120), (40, 40, 60))


def _px(mm: float) -> int:
    return max(1, round(mm * PX_PER_MM))


def _glyph(ch: str, font_key: str, size_px: int) -> Image.Image:
    font = fonts.pil_font(font_key, size_px)
    box = font.getbbox(ch)
    w, h = max(1, box[2] - box[0]), max(1, box[3] - box[1])
    img = Image.new("L", (w + 4, h + 4), 0)
    ImageDraw.Draw(img).text((2 - box[0], 2 - box[1]), ch, font=font, fill=255)
    return img


def _paste_centered(mask: Image.Image, glyph: Image.Image, cx: float, cy: float) -> None:
    mask.paste(255, (round(cx - glyph.width / 2), round(cy - glyph.height / 2)), glyph)


def _star(draw: ImageDraw.ImageDraw, cx: float, cy: float, r: float) -> None:
    pts = []
    for i in range(10):
        ang = -math.pi / 2 + i * math.pi / 5
        rr = r if i % 2 == 0 else r * 0.382
        pts.append((cx + rr * math.cos(ang), cy + rr * math.sin(ang)))
    draw.polygon(pts, fill=255)


def _arc_text(mask: Image.Image, text: str, cx: float, cy: float, rx: float, ry: float,
              span_deg: float, size_px: int, font_key: str, squeeze: float = 1.0) -> None:
    """Set ``text`` along the upper arc of an ellipse, reading left to right, glyph tops outward."""
    n = len(text)
    if n == 0:
        return
    step = span_deg / max(1, n - 1) if n > 1 else 0
    start = -90 - span_deg / 2
    for i, ch in enumerate(text):
        theta = math.radians(start + i * step)
        x = cx + rx * math.cos(theta)
        y = cy + ry * math.sin(theta)
        g = _glyph(ch, font_key, size_px)
        if squeeze != 1.0:
            g = g.resize((max(1, round(g.width * squeeze)), g.height))
        # normal direction of the ellipse at theta
        nx, ny = math.cos(theta) / rx, math.sin(theta) / ry
        rot = math.degrees(math.atan2(nx, -ny))
        g = g.rotate(-rot, expand=True, resample=Image.Resampling.BILINEAR)
        _paste_centered(mask, g, x, y)


def _ink(mask: Image.Image, colour: Colour, rng: np.random.Generator, *, opacity: float,
         wear: float, rotate_deg: float, speckle: float = 0.04) -> Image.Image:
    """Turn a coverage mask into an inked RGBA impression."""
    m = np.asarray(mask).astype(np.float32) / 255.0
    h, w = m.shape
    low = cv2.resize(rng.random((6, 6)).astype(np.float32), (w, h), interpolation=cv2.INTER_CUBIC)
    pressure = 0.55 + 0.45 * np.clip(low, 0, 1)
    # pressure gradient: one side of the stamp printed lighter (worn / tilted stamp)
    ang = rng.uniform(0, 2 * math.pi)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    ramp = ((xx / w - 0.5) * math.cos(ang) + (yy / h - 0.5) * math.sin(ang)) + 0.5
    pressure *= 1.0 - wear * np.clip(ramp, 0, 1) ** 2
    fine = rng.random((h, w)).astype(np.float32)
    holes = fine < speckle
    a = m * pressure
    a[holes] *= 0.25
    a = cv2.GaussianBlur(a, (0, 0), 0.7)
    a = np.clip(a * opacity, 0, 1)
    rgba = np.zeros((h, w, 4), np.uint8)
    rgba[..., 0], rgba[..., 1], rgba[..., 2] = colour
    rgba[..., 3] = (a * 255).astype(np.uint8)
    img = Image.fromarray(rgba, "RGBA")
    if rotate_deg:
        img = img.rotate(rotate_deg, expand=True, resample=Image.Resampling.BILINEAR)
    return img


def pick_red(rng: random.Random) -> Colour:
    r, g, b = rng.choice(SEAL_REDS)
    j = rng.randrange(-12, 13)
    return (min(255, max(0, r + j)), min(255, max(0, g + j // 2)), min(255, max(0, b + j // 2)))


def round_seal(rng: random.Random, name: str, purpose: str | None, *, diameter_mm: float | None = None,
               colour: Colour | None = None, font: str | None = None) -> tuple[Image.Image, float]:
    """A round official seal (公章 / 专用章): ring, name along the arc, star, optional purpose line.

    Returns the RGBA impression and its size in millimetres (square, after rotation).
    """
    nrng = np.random.default_rng(rng.randrange(2**32))
    d = diameter_mm or rng.uniform(38, 44)
    size = _px(d + 2)
    mask = Image.new("L", (size, size), 0)
    draw = ImageDraw.Draw(mask)
    c = size / 2
    ring = _px(rng.uniform(0.9, 1.4))
    r = _px(d / 2)
    draw.ellipse([c - r, c - r, c + r, c + r], outline=255, width=ring)
    if rng.random() < 0.25:
        ri = r - ring - _px(0.8)
        draw.ellipse([c - ri, c - ri, c + ri, c + ri], outline=255, width=max(1, ring // 3))
    font = font or rng.choice(["serif_bold", "sans_bold", "serif_bold", "sans"])
    n = len(name)
    char_mm = min(d * 0.17, d * 2.9 / max(n, 8))
    span = min(290.0, max(180.0, 14.5 * n + 60))
    text_r = r - ring - _px(char_mm * 0.72)
    _arc_text(mask, name, c, c, text_r, text_r, span, _px(char_mm), font, squeeze=rng.uniform(0.72, 0.95))
    _star(draw, c, c - (_px(d * 0.02) if purpose else 0), _px(d * rng.uniform(0.13, 0.17)))
    if purpose:
        pf = _px(d * 0.095)
        pfont = fonts.pil_font(font, pf)
        draw.text((c, c + _px(d * 0.25)), purpose, font=pfont, fill=255, anchor="mm")
    colour = colour or pick_red(rng)
    img = _ink(mask, colour, nrng, opacity=rng.uniform(0.6, 0.95), wear=rng.uniform(0.1, 0.6),
               rotate_deg=rng.uniform(-25, 25))
    return img, img.width / PX_PER_MM


def oval_seal(rng: random.Random, name: str, purpose: str, *, colour: Colour | None = None) -> tuple[Image.Image, float, float]:
    """An oval seal (报告专用章 style): name along the upper arc, purpose line across the middle."""
    nrng = np.random.default_rng(rng.randrange(2**32))
    wmm, hmm = rng.uniform(40, 46), rng.uniform(27, 31)
    W, H = _px(wmm + 2), _px(hmm + 2)
    mask = Image.new("L", (W, H), 0)
    draw = ImageDraw.Draw(mask)
    ring = _px(rng.uniform(0.8, 1.2))
    draw.ellipse([_px(1), _px(1), W - _px(1), H - _px(1)], outline=255, width=ring)
    font = rng.choice(["serif_bold", "sans_bold"])
    char_mm = min(hmm * 0.2, 5.2)
    rx, ry = W / 2 - ring - _px(char_mm * 0.9), H / 2 - ring - _px(char_mm * 0.8)
    _arc_text(mask, name, W / 2, H / 2, rx, ry, min(200.0, 12.0 * len(name) + 40), _px(char_mm), font, 0.8)
    draw.text((W / 2, H / 2 + _px(hmm * 0.12)), purpose, font=fonts.pil_font(font, _px(hmm * 0.15)), fill=255,
              anchor="mm")
    if rng.random() < 0.5:
        num = "".join(str(rng.randrange(10)) for _ in range(rng.choice([6, 10, 13])))
        draw.text((W / 2, H - ring - _px(3.2)), num, font=fonts.pil_font("sans", _px(2.6)), fill=255, anchor="mm")
    img = _ink(mask, colour or pick_red(rng), nrng, opacity=rng.uniform(0.6, 0.95), wear=rng.uniform(0.1, 0.5),
               rotate_deg=rng.uniform(-15, 15))
    return img, img.width / PX_PER_MM, img.height / PX_PER_MM


def name_seal(rng: random.Random, person_name: str) -> tuple[Image.Image, float]:
    """A doctor's small square name seal (私章): red, person name: not a hospital seal."""
    nrng = np.random.default_rng(rng.randrange(2**32))
    side = rng.uniform(11, 17)
    S = _px(side)
    chars = list(person_name + ("印" if len(person_name) == 3 else "之印" if len(person_name) == 2 else ""))[:4]
    while len(chars) < 4:
        chars.append("印")
    order = [chars[2], chars[3], chars[0], chars[1]]  # left column, then the right column read first
    intaglio = rng.random() < 0.5  # 阴文: white characters on a red field
    mask = Image.new("L", (S, S), 255 if intaglio else 0)
    draw = ImageDraw.Draw(mask)
    border = _px(0.8)
    draw.rectangle([0, 0, S - 1, S - 1], outline=0 if intaglio else 255, width=0 if intaglio else border)
    font = rng.choice(["serif_bold", "kai", "sans_bold"])
    cell = (S - 2 * border) / 2
    for i, ch in enumerate(order):
        col, row = divmod(i, 2)
        g = _glyph(ch, font, round(cell * 0.9))
        g = g.resize((round(cell * 0.86), round(cell * 0.86)))
        x = border + col * cell + cell / 2
        y = border + row * cell + cell / 2
        if intaglio:
            mask.paste(0, (round(x - g.width / 2), round(y - g.height / 2)), g)
        else:
            _paste_centered(mask, g, x, y)
    img = _ink(mask, pick_red(rng), nrng, opacity=rng.uniform(0.65, 0.95), wear=rng.uniform(0.1, 0.4),
               rotate_deg=rng.uniform(-6, 6))
    return img, img.width / PX_PER_MM


def thumbprint(rng: random.Random) -> tuple[Image.Image, float, float]:
    """A red fingerprint (按手印): concentric distorted ridges, as on forms and powers of attorney."""
    nrng = np.random.default_rng(rng.randrange(2**32))
    wmm, hmm = rng.uniform(13, 17), rng.uniform(17, 22)
    W, H = _px(wmm), _px(hmm)
    yy, xx = np.mgrid[0:H, 0:W].astype(np.float32)
    cx, cy = W * rng.uniform(0.4, 0.6), H * rng.uniform(0.4, 0.55)
    warp = cv2.resize(nrng.random((5, 5)).astype(np.float32), (W, H), interpolation=cv2.INTER_CUBIC) * 6.0
    rr = np.sqrt(((xx - cx) / (W / 2)) ** 2 + ((yy - cy) / (H / 2)) ** 2)
    ridges = 0.5 + 0.5 * np.sin(rr * rng.uniform(40, 55) + warp)
    inside = np.clip((1.0 - rr) * 4, 0, 1)
    mask = Image.fromarray((np.clip(ridges * inside, 0, 1) * 255).astype(np.uint8), "L")
    colour = (rng.randrange(185, 225), rng.randrange(20, 60), rng.randrange(40, 80))
    img = _ink(mask, colour, nrng, opacity=rng.uniform(0.5, 0.85), wear=0.3, rotate_deg=rng.uniform(-20, 20),
               speckle=0.08)
    return img, img.width / PX_PER_MM, img.height / PX_PER_MM


def hospital_logo(rng: random.Random, colour: Colour) -> tuple[Image.Image, float]:
    """A printed round hospital logo (red non-seal print): ring with a cross or a stylised mark."""
    d = rng.uniform(9, 15)
    S = _px(d)
    mask = Image.new("L", (S, S), 0)
    draw = ImageDraw.Draw(mask)
    w = _px(d * 0.08)
    draw.ellipse([1, 1, S - 2, S - 2], outline=255, width=w)
    c = S / 2
    style = rng.randrange(3)
    if style == 0:
        a, b = S * 0.28, S * 0.09
        draw.rectangle([c - a, c - b, c + a, c + b], fill=255)
        draw.rectangle([c - b, c - a, c + b, c + a], fill=255)
    elif style == 1:
        draw.ellipse([c - S * 0.25, c - S * 0.25, c + S * 0.25, c + S * 0.25], fill=255)
        draw.rectangle([c - S * 0.05, c - S * 0.2, c + S * 0.05, c + S * 0.2], fill=0)
        draw.rectangle([c - S * 0.2, c - S * 0.05, c + S * 0.2, c + S * 0.05], fill=0)
    else:
        draw.polygon([(c, S * 0.2), (S * 0.78, S * 0.72), (S * 0.22, S * 0.72)], outline=255, width=w)
        draw.line([(c, S * 0.3), (c, S * 0.7)], fill=255, width=w)
    rgba = np.zeros((S, S, 4), np.uint8)
    rgba[..., :3] = colour
    rgba[..., 3] = np.asarray(mask)
    return Image.fromarray(rgba, "RGBA"), d


def national_emblem(rng: random.Random) -> tuple[Image.Image, float]:
    """A simplified printed national emblem for ID card backs (red and gold: not a seal)."""
    d = 14.0
    S = _px(d)
    img = Image.new("RGBA", (S, S), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    red, gold = (214, 40, 40, 255), (235, 190, 60, 255)
    draw.ellipse([0, 0, S - 1, S - 1], fill=gold)
    draw.ellipse([S * 0.12, S * 0.12, S * 0.88, S * 0.88], fill=red)
    draw.rectangle([S * 0.28, S * 0.52, S * 0.72, S * 0.72], fill=gold)
    draw.rectangle([S * 0.36, S * 0.45, S * 0.64, S * 0.52], fill=gold)
    for i, (x, y, r) in enumerate([(0.5, 0.28, 0.09), (0.3, 0.22, 0.04), (0.36, 0.35, 0.04), (0.64, 0.35, 0.04),
                                   (0.7, 0.22, 0.04)]):
        m = Image.new("L", (S, S), 0)
        _star(ImageDraw.Draw(m), x * S, y * S, r * S * (1.0 if i else 1.2))
        img.paste(gold, (0, 0), m)
    return img, d


def handwriting(rng: random.Random, text: str, size_mm: float, *, colour: Colour | None = None,
                slant: float | None = None) -> tuple[Image.Image, float, float]:
    """Pen handwriting: each character in a brush (kai) face, jittered in size, angle and baseline."""
    nrng = np.random.default_rng(rng.randrange(2**32))
    colour = colour or rng.choice(PEN_INKS)
    slant = rng.uniform(-8, 4) if slant is None else slant
    px = _px(size_mm)
    glyphs = []
    for ch in text:
        if ch == " ":
            glyphs.append(None)
            continue
        g = _glyph(ch, rng.choice(["kai", "kai", "sans"]) if not ch.isascii() else "kai", round(px * rng.uniform(0.85, 1.15)))
        g = g.rotate(slant + rng.uniform(-6, 6), expand=True, resample=Image.Resampling.BILINEAR)
        if rng.random() < 0.5:
            g = g.filter(ImageFilter.MaxFilter(3))
        glyphs.append(g)
    W = sum((g.width if g else px // 2) for g in glyphs) + px
    H = round(px * 1.8)
    mask = Image.new("L", (W, H), 0)
    x = px // 4
    for g in glyphs:
        if g is None:
            x += px // 2
            continue
        y = round(H / 2 - g.height / 2 + rng.uniform(-0.08, 0.08) * px)
        mask.paste(255, (x, y), g)
        x += g.width - round(px * rng.uniform(0.0, 0.12))
    mask = mask.crop((0, 0, min(W, x + px // 4), H))
    img = _ink(mask, colour, nrng, opacity=rng.uniform(0.8, 1.0), wear=0.1, rotate_deg=0, speckle=0.01)
    return img, img.width / PX_PER_MM, img.height / PX_PER_MM


def signature(rng: random.Random, person_name: str, height_mm: float = 7.0) -> tuple[Image.Image, float, float]:
    """A physician's signature: the name in a fast hand plus a flourish stroke."""
    img, w, h = handwriting(rng, person_name, height_mm * rng.uniform(0.8, 1.0), slant=rng.uniform(-18, -6))
    if rng.random() < 0.7:
        arr = np.asarray(img).copy()
        mask = Image.new("L", img.size, 0)
        draw = ImageDraw.Draw(mask)
        W, H = img.size
        pts = []
        x0, y0 = W * rng.uniform(0.0, 0.3), H * rng.uniform(0.55, 0.8)
        x1, y1 = W * rng.uniform(0.8, 1.0), H * rng.uniform(0.3, 0.7)
        cxp, cyp = W * rng.uniform(0.3, 0.7), H * rng.uniform(0.8, 1.0)
        for i in range(25):
            t = i / 24
            pts.append(((1 - t) ** 2 * x0 + 2 * (1 - t) * t * cxp + t * t * x1,
                        (1 - t) ** 2 * y0 + 2 * (1 - t) * t * cyp + t * t * y1))
        draw.line(pts, fill=255, width=max(2, _px(0.35)))
        m = np.asarray(mask)
        arr[..., 3] = np.maximum(arr[..., 3], (m * 0.9).astype(np.uint8))
        img = Image.fromarray(arr, "RGBA")
    return img, w, h


def scribble_tick(rng: random.Random, colour: Colour) -> tuple[Image.Image, float]:
    """A pen tick mark (✓), e.g. red pen on a form."""
    S = _px(6)
    mask = Image.new("L", (S, S), 0)
    ImageDraw.Draw(mask).line([(S * 0.1, S * 0.55), (S * 0.4, S * 0.85), (S * 0.9, S * 0.15)], fill=255,
                              width=_px(0.5))
    rgba = np.zeros((S, S, 4), np.uint8)
    rgba[..., :3] = colour
    rgba[..., 3] = np.asarray(mask)
    return Image.fromarray(rgba, "RGBA"), 6.0
