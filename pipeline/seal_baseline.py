"""The plain red-mask-and-contour seal finder, kept only as a yardstick for ``pipeline.seals``.

This is the method of the common public OpenCV seal-extraction scripts: one fixed HSV range for
red, a morphological closing, external contours, and an area / aspect filter. It sees no blue or
grey seals and cannot tell a seal from other red print; the benchmark (``bench/seals_real.py``)
reports it beside the real detector. Nothing in the product calls it.
"""

from __future__ import annotations

import cv2
import numpy as np

from models.document import Seal

__all__ = ["detect_seals_baseline"]

# The usual OpenCV "red" ranges (H in 0..180): 0-10 and 156-180, S and V above 43 / 46.
_RED_LOW = ((0, 43, 46), (10, 255, 255))
_RED_HIGH = ((156, 43, 46), (180, 255, 255))


def detect_seals_baseline(image: np.ndarray, page: int, min_area_frac: float = 0.002) -> list[Seal]:
    """Red regions of seal-like size and aspect, largest first.

    Args:
        image: The page, BGR uint8.
        page: 1-based page number copied into each ``Seal``.
        min_area_frac: Smallest contour area kept, as a fraction of the page area.

    Returns:
        Seals with ``colour="red"`` and a score equal to the contour's fill of its box.
    """
    if image.ndim == 2:
        image = cv2.cvtColor(image, cv2.COLOR_GRAY2BGR)
    h, w = image.shape[:2]
    scale = min(1.0, 1500 / max(h, w))
    small = cv2.resize(image, (round(w * scale), round(h * scale))) if scale < 1 else image
    hsv = cv2.cvtColor(small, cv2.COLOR_BGR2HSV)
    mask = cv2.inRange(hsv, _RED_LOW[0], _RED_LOW[1]) | cv2.inRange(hsv, _RED_HIGH[0], _RED_HIGH[1])
    mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (9, 9)))
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    page_area = small.shape[0] * small.shape[1]
    found = []
    for contour in contours:
        x, y, bw, bh = cv2.boundingRect(contour)
        area = cv2.contourArea(contour)
        if area < min_area_frac * page_area or not 0.5 <= bw / max(bh, 1) <= 2.0:
            continue
        fill = area / max(bw * bh, 1)
        box = [round(x / scale), round(y / scale), max(1, round(bw / scale)), max(1, round(bh / scale))]
        shape = "round" if 0.85 <= bw / max(bh, 1) <= 1.18 else "oval"
        found.append((area, Seal(page=page, bbox=box, score=round(min(1.0, fill), 3), colour="red", shape=shape)))
    found.sort(key=lambda item: item[0], reverse=True)
    return [seal for _, seal in found]
