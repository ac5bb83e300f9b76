"""Grey stand-ins for the pictures printed on reports: CT / MR slices, ultrasound sectors and ECG strips."""

from __future__ import annotations

import random

import numpy as np
from PIL import Image


def picture(rng: random.Random, kind: str, w: int, h: int) -> Image.Image:
    """An opaque RGBA picture of ``w`` x ``h`` pixels for a report of ``kind``."""
    g = np.random.default_rng(rng.randrange(2**32))
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    if kind == "ecg":
        arr = np.full((h, w), 250.0)
        arr[(yy.astype(int) % 8 == 0) | (xx.astype(int) % 8 == 0)] = 226
        arr[(yy.astype(int) % 40 == 0) | (xx.astype(int) % 40 == 0)] = 200
        period = rng.uniform(55, 80)
        for lead in range(3):
            base = h * (lead + 0.6) / 3.3
            phase = np.mod(xx[0] + lead * 13, period)
            trace = (base - 28 * np.exp(-((phase - period * 0.5) ** 2) / 3.0) + 7 * np.exp(-((phase - period * 0.5 + 9) ** 2) / 5)
                     - 6 * np.exp(-((phase - period * 0.8) ** 2) / 30.0) + g.normal(0, 0.6, w))
            for x in range(w):
                t = int(np.clip(trace[x], 1, h - 2))
                arr[t - 1:t + 1, x] = 30
    elif kind == "ultrasound":
        cx = w / 2
        ang = np.arctan2(xx - cx, yy + 8)
        rr = np.hypot(xx - cx, yy + 8)
        sector = (np.abs(ang) < 0.62) & (rr < h * 0.96) & (rr > h * 0.08)
        speckle = g.gamma(1.5, 1.0, (h, w))
        organ = np.exp(-(((xx - cx * 1.1) / (w * 0.25)) ** 2 + ((yy - h * 0.55) / (h * 0.2)) ** 2))
        arr = np.where(sector, np.clip(30 + 55 * speckle * (0.5 + organ) * np.exp(-rr / (1.6 * h)), 0, 230), 0)
    else:  # ct, mri, pathology fall back to a cross-section
        body = ((xx - w / 2) / (w * 0.44)) ** 2 + ((yy - h / 2) / (h * 0.4)) ** 2 < 1
        left = ((xx - w * 0.33) / (w * 0.13)) ** 2 + ((yy - h * 0.48) / (h * 0.24)) ** 2 < 1
        right = ((xx - w * 0.67) / (w * 0.13)) ** 2 + ((yy - h * 0.48) / (h * 0.24)) ** 2 < 1
        spot = ((xx - w * rng.uniform(0.3, 0.7)) / (w * 0.04)) ** 2 + ((yy - h * rng.uniform(0.35, 0.6)) / (h * 0.05)) ** 2 < 1
        arr = np.where(body, 120 + 25 * g.random((h, w)), 8.0)
        dark = 25.0 if kind == "ct" else 70.0
        arr = np.where(left | right, dark + 15 * g.random((h, w)), arr)
        arr = np.where(spot, 170.0, arr)
        if kind == "mri":
            arr = 255 - arr * 0.8
            arr = np.where(body, arr, 5)
    arr = np.clip(arr, 0, 255).astype(np.uint8)
    return Image.fromarray(np.stack([arr, arr, arr, np.full_like(arr, 255)], axis=-1), "RGBA")
