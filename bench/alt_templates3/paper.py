"""Paper and printed furniture of the third family: tinted stock, a faint security pattern or repeated
watermark under the print, bar codes, two-dimensional codes and dashed rules.

The background is one opaque picture laid first, so the print stays on top of it (render_raster draws
opaque images before text, and the PDF backend draws operations in order).
"""

from __future__ import annotations

import math
import random

import numpy as np
from PIL import Image, ImageDraw

from samples.generator import fonts
from samples.generator.canvas import BLACK, Box, Colour, Page

# Pale stock that forms are printed on; none is saturated enough to pass for ink.
TINTS: dict[str, Colour] = {"white": (255, 255, 255), "pink": (253, 238, 240), "yellow": (253, 249, 224),
                            "blue": (236, 243, 252), "green": (238, 248, 238), "ivory": (250, 247, 238)}
_PX_PER_MM = 4.0  # background detail needs no more: it is faint and under the print


def tint(rng: random.Random, *names: str) -> Colour:
    return TINTS[rng.choice(names)]


def background(page: Page, rng: random.Random, *, words: str | None = None, waves: bool = False,
               colour: Colour = (205, 212, 224)) -> None:
    """A faint repeated watermark ``words`` turned 30 degrees and/or a wavy security pattern over the sheet."""
    W, H = round(page.w * _PX_PER_MM), round(page.h * _PX_PER_MM)
    base = np.empty((H, W, 3), np.float32)
    base[...] = page.paper
    ink = np.zeros((H, W), np.float32)
    if waves:
        yy, xx = np.mgrid[0:H, 0:W].astype(np.float32)
        period = rng.uniform(9, 14) * _PX_PER_MM
        amp = rng.uniform(1.5, 3.0) * _PX_PER_MM
        phase = (yy + amp * np.sin(xx / (period * 1.7))) % (period / 3)
        ink = np.maximum(ink, (phase < 1.1).astype(np.float32) * 0.45)
    if words:
        mask = Image.new("L", (W * 2, H * 2), 0)
        draw = ImageDraw.Draw(mask)
        font = fonts.pil_font("sans", round(rng.uniform(7, 10) * _PX_PER_MM))
        step_x = font.getlength(words) + 18 * _PX_PER_MM
        step_y = 28 * _PX_PER_MM
        for row, y in enumerate(np.arange(0, H * 2, step_y)):
            for x in np.arange(-step_x * (row % 2) / 2, W * 2, step_x):
                draw.text((float(x), float(y)), words, font=font, fill=255)
        mask = mask.rotate(rng.choice([30, 25, -30]), resample=Image.Resampling.BILINEAR)
        mask = mask.crop((W // 2, H // 2, W // 2 + W, H // 2 + H))
        ink = np.maximum(ink, np.asarray(mask, np.float32) / 255.0 * 0.6)
    c = np.asarray(colour, np.float32)
    out = base * (1 - ink[..., None]) + c * ink[..., None]
    rgba = np.dstack([np.clip(out, 0, 255).astype(np.uint8), np.full((H, W), 255, np.uint8)])
    page.image(Box(0, 0, page.w, page.h), Image.fromarray(rgba, "RGBA"), multiply=False)


def barcode(page: Page, rng: random.Random, x: float, y: float, w: float, h: float, *, number: str | None = None) -> Box:
    """A one-dimensional bar code with its number under it; returns the box it takes."""
    cx = x
    while cx < x + w - 1:
        bw = rng.choice([0.25, 0.25, 0.5, 0.75])
        page.rect(Box(cx, y, bw, h), 0, None, BLACK)
        cx += bw + rng.choice([0.25, 0.5, 0.75])
    if number:
        page.text(x + w / 2, y + h + 2.6, number, "sans", 6.5, BLACK, "center")
    return Box(x, y, w, h + (3.2 if number else 0))


def matrix_code(page: Page, rng: random.Random, x: float, y: float, size: float, *, modules: int = 25) -> Box:
    """A two-dimensional code: three finder patterns, a timing row and random modules."""
    m = size / modules
    fx = (0, modules - 7)
    for r in range(modules):
        for c in range(modules):
            finder = next(((r - r0, c - c0) for r0 in fx for c0 in fx
                           if (r0, c0) != (modules - 7, modules - 7) and 0 <= r - r0 < 7 and 0 <= c - c0 < 7), None)
            if finder is not None:
                fr, fc = finder
                on = fr in (0, 6) or fc in (0, 6) or (2 <= fr <= 4 and 2 <= fc <= 4)
            elif r == 6 or c == 6:
                on = (r + c) % 2 == 0
            else:
                on = rng.random() < 0.5
            if on:
                page.rect(Box(x + c * m, y + r * m, m + 0.03, m + 0.03), 0, None, BLACK)
    return Box(x, y, size, size)


def dashes(page: Page, x0: float, y: float, x1: float, *, dash: float = 1.6, gap: float = 1.2, width: float = 0.25,
           colour: Colour = BLACK) -> None:
    """A dashed horizontal rule (till-roll separators, cut lines)."""
    x = x0
    while x < x1:
        page.line(x, y, min(x + dash, x1), y, width, colour)
        x += dash + gap


def circle_logo(page: Page, rng: random.Random, x: float, y: float, d: float, colour: Colour) -> None:
    """A printed round emblem with a cross (a logo, drawn with rules: not ink, never red here)."""
    page.ellipse(Box(x, y, d, d), max(0.5, d * 0.07), colour)
    c, a, b = d / 2, d * 0.24, d * 0.08
    page.rect(Box(x + c - a, y + c - b, 2 * a, 2 * b), 0, None, colour)
    page.rect(Box(x + c - b, y + c - a, 2 * b, 2 * a), 0, None, colour)
    for k in range(rng.choice([0, 8, 12])):
        ang = 2 * math.pi * k / 12
        page.line(x + c + math.cos(ang) * d * 0.36, y + c + math.sin(ang) * d * 0.36,
                  x + c + math.cos(ang) * d * 0.42, y + c + math.sin(ang) * d * 0.42, 0.2, colour)
