"""Grey pictures printed on third-family reports: a CT / MR slice, an ultrasound sector with its depth scale,
a monochrome twelve-lead ECG strip (laser-printed in grey, so its grid is not red ink)."""

from __future__ import annotations

import random

import numpy as np
from PIL import Image


def film(rng: random.Random, kind: str, w: int, h: int) -> Image.Image:
    """An opaque RGBA picture of ``w`` x ``h`` pixels for a report of ``kind``."""
    g = np.random.default_rng(rng.randrange(2**32))
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    if kind == "ecg":
        arr = np.full((h, w), 252.0)
        arr[(yy.astype(int) % 6 == 0) | (xx.astype(int) % 6 == 0)] = 232
        arr[(yy.astype(int) % 30 == 0) | (xx.astype(int) % 30 == 0)] = 205
        rr = rng.uniform(50, 70)
        for lead in range(4):
            base = h * (lead + 0.7) / 4.4
            ph = np.mod(xx[0] + lead * 17, rr)
            trace = base - 22 * np.exp(-((ph - rr * 0.45) ** 2) / 2.5) + 6 * np.exp(-((ph - rr * 0.45 - 6) ** 2) / 4)
            trace += -5 * np.exp(-((ph - rr * 0.75) ** 2) / 25) - 3 * np.exp(-((ph - rr * 0.2) ** 2) / 10)
            trace += g.normal(0, 0.4, w)
            for x in range(w):
                t = int(np.clip(trace[x], 1, h - 2))
                arr[t - 1:t + 1, x] = 25
    elif kind == "ultrasound":
        cx = w / 2
        ang = np.arctan2(xx - cx, yy + 12)
        rad = np.hypot(xx - cx, yy + 12)
        sector = (np.abs(ang) < 0.7) & (rad < h * 0.95) & (rad > h * 0.1)
        tissue = g.gamma(1.3, 1.0, (h, w)) * (0.6 + 0.5 * np.exp(-((xx - cx) ** 2 + (yy - h * 0.5) ** 2) / (w * h * 0.05)))
        arr = np.where(sector, np.clip(25 + 60 * tissue * np.exp(-rad / (1.8 * h)), 0, 235), 0.0)
        for k in range(1, 6):
            arr[int(h * k / 6), w - 8:w - 3] = 200  # depth scale ticks
    else:
        skull = ((xx - w / 2) / (w * 0.42)) ** 2 + ((yy - h / 2) / (h * 0.45)) ** 2
        arr = np.where(skull < 1, 95 + 30 * g.random((h, w)), 6.0)
        arr = np.where((skull > 0.88) & (skull < 1), 235.0, arr)
        lesion = ((xx - w * rng.uniform(0.35, 0.65)) / (w * 0.05)) ** 2 + ((yy - h * rng.uniform(0.3, 0.6)) / (h * 0.05)) ** 2
        arr = np.where(lesion < 1, 165.0, arr)
        if kind == "mri":
            arr = np.where(skull < 0.88, 255 - arr * 0.9, arr * 0.3)
    arr = np.clip(arr, 0, 255).astype(np.uint8)
    return Image.fromarray(np.stack([arr, arr, arr, np.full_like(arr, 255)], axis=-1), "RGBA")
