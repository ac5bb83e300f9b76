"""Read a seal's ring text and name the registry hospital that stamped it.

``read_seal`` refits the seal's ellipse on a crop of the page, keeps only the seal's own ink (its
colour family, or the mid-grey tone of a photocopied seal, so black text printed under it drops
out), unwraps the text band into a straight strip with a polar transform and reads the strip with
RapidOCR's recogniser. The strip starts at the gap in the ring text (the foot of the seal unless the
seal is rotated), so the name reads left to right. The text is then matched to the registry by
character-level longest common subsequence, weighted so that the distinctive characters of a name
count more than 市 / 人民 / 医院, and so that dropped or confused characters are tolerated.

Detection is ``pipeline.seals``' job; what a missing or unknown hospital means is the checks' job.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np

from models.document import Seal
from pipeline.seals import HUE_FAMILIES, Ellipse, SealParams, colour_masks, mid_tone_ink, prepare_work, refit_ellipse

__all__ = ["RingReading", "best_hospital", "read_ring_text", "read_seal", "text_similarity", "unwrap_ring"]

# Characters that name a kind or level of institution rather than a particular one.
_GENERIC = set("省市县区镇乡人民中心医院卫生服务站社区第一二三四五附属分总专用章诊断证明门急诊科")
_STRIP_HEIGHT = 48  # the PP-OCR recogniser's input height


@dataclass(frozen=True)
class RingReading:
    """One reading of a seal's ring text."""

    text: str
    confidence: float
    start_deg: float


# ----------------------------------------------------------------------------- geometry


def _seal_ellipse(image: np.ndarray, seal: Seal) -> tuple[np.ndarray, Ellipse, np.ndarray]:
    """Crop around the seal (scaled so the seal is ~360 px across), its refitted ellipse in crop
    pixels, and a grey image of the seal's own ink (dark ink on white)."""
    x, y, w, h = seal.bbox
    margin = 0.12
    ih, iw = image.shape[:2]
    x0, y0 = max(0, int(x - margin * w)), max(0, int(y - margin * h))
    x1, y1 = min(iw, int(x + w + margin * w)), min(ih, int(y + h + margin * h))
    crop = image[y0:y1, x0:x1]
    if crop.ndim == 2:
        crop = cv2.cvtColor(crop, cv2.COLOR_GRAY2BGR)
    scale = 360.0 / max(w, h, 1)
    crop = cv2.resize(crop, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA if scale < 1 else cv2.INTER_CUBIC)
    ch, cw = crop.shape[:2]
    params = SealParams(work_long_side=max(ch, cw), min_work_long_side=min(ch, cw))
    work = prepare_work(crop, params)
    # the box of a (possibly partial) seal: centre and semi-axes from the box, clipped sides aside
    cx = (x + w / 2 - x0) * scale
    cy = (y + h / 2 - y0) * scale
    hyp: Ellipse = (cx, cy, w * scale / 2, h * scale / 2, 0.0)
    if seal.colour in ("red", "blue", "other"):
        _, mask = colour_masks(work)[seal.colour]
        # a soft ink map for the recogniser: chroma of the seal's hue family from just above the
        # paper's noise, so thin faint strokes keep their shape (the detector's mask is binary)
        in_family = np.zeros(work.hue.shape, bool)
        for lo, hi in HUE_FAMILIES[seal.colour]:
            in_family |= (work.hue >= lo - 10) & (work.hue < hi + 10)
        ink = np.clip((work.chroma - 4.0) * 10.0, 0, 255).astype(np.uint8)
        ink[~in_family | ~work.paper] = 0
    else:
        mid = mid_tone_ink(work)
        dark = (work.lum < 120).astype(np.uint8)
        mask = mid if cv2.countNonZero(mid) > 0.02 * mid.size else np.maximum(mid, dark)
        ink = (255 - work.lum).astype(np.uint8)
        ink[(mask == 0) & (work.lum > 120)] = 0
    refined = refit_ellipse(mask, hyp)
    ell = refined if refined is not None else hyp
    # keep the refit only when it stayed on the seal box
    if abs(ell[0] - cx) > 0.25 * w * scale or abs(ell[1] - cy) > 0.25 * h * scale:
        ell = hyp
    return crop, ell, (255 - ink).astype(np.uint8)


def _ray_points(ell: Ellipse, theta: np.ndarray, rho: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Pixel coordinates of relative radii ``rho`` (rows) along rays ``theta`` (columns)."""
    cx, cy, a, b, ang = ell
    phi = math.radians(ang)
    ex = a * np.cos(theta) * math.cos(phi) - b * np.sin(theta) * math.sin(phi)
    ey = a * np.cos(theta) * math.sin(phi) + b * np.sin(theta) * math.cos(phi)
    rho = np.asarray(rho, np.float32)
    if rho.ndim == 1:
        rho = rho[:, None]
    return (cx + rho * ex[None, :]).astype(np.float32), (cy + rho * ey[None, :]).astype(np.float32)


def _border_inner_edge(ink: np.ndarray, ell: Ellipse, theta: np.ndarray) -> np.ndarray:
    """Per ray, the relative radius where the border ring's ink ends on the inside.

    Following the border itself, rather than trusting the fitted ellipse everywhere, keeps the
    text band straight when the impression is a little out of round or the fit a little off.
    Rays through a gap in the border take the value of their neighbours.
    """
    rho = np.linspace(0.6, 1.12, 105, dtype=np.float32)
    map_x, map_y = _ray_points(ell, theta, rho)
    dark = cv2.remap(ink, map_x, map_y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=255) < 150
    _n_rows, n_cols = dark.shape
    start = int(np.searchsorted(rho, 0.8))
    edge = np.full(n_cols, np.nan, np.float32)
    for j in range(n_cols):
        hits = np.nonzero(dark[start:, j])[0]
        if len(hits) == 0:
            continue
        i = start + hits[-1]  # outermost ink: the border's outside
        while i > 0 and dark[i - 1, j]:
            i -= 1
        edge[j] = rho[i]
    good = ~np.isnan(edge)
    if good.sum() < 0.3 * n_cols:
        return np.full(n_cols, 0.9, np.float32)
    idx = np.arange(n_cols)
    edge = np.interp(idx, idx[good], edge[good], period=n_cols).astype(np.float32)
    k = max(3, (n_cols // 24) | 1)
    padded = np.concatenate([edge[-k:], edge, edge[:k]])
    windows = np.lib.stride_tricks.sliding_window_view(padded, 2 * k + 1)
    return np.median(windows, axis=1)[:n_cols].astype(np.float32)


def unwrap_ring(ink: np.ndarray, ell: Ellipse, start_deg: float, band: float = 0.34,
                height_px: int = _STRIP_HEIGHT) -> np.ndarray:
    """Unwrap the ring-text band of a seal into a horizontal strip.

    Columns run clockwise (as seen on the page) from ``start_deg`` (0 = the +x axis of the
    ellipse, 90 = its foot for an unrotated seal). Rows run inward from just inside the border
    ring (glyph tops) over ``band`` of the radius, following the border's inner edge ray by ray.

    Returns:
        A grey strip ``height_px`` high, as wide as the band's mid-line is long at that scale.
    """
    _, _, a, b, _ = ell
    circumference = math.pi * (3 * (a + b) - math.sqrt((3 * a + b) * (a + 3 * b)))  # Ramanujan
    band_px = band * (a + b) / 2
    width = max(8, round(circumference * (0.9 - band / 2) * height_px / max(band_px, 1.0)))
    theta = np.radians(start_deg) + np.linspace(0, 2 * np.pi, width, endpoint=False)
    top = _border_inner_edge(ink, ell, theta) - 0.015
    rows = np.linspace(0.0, 1.0, height_px, dtype=np.float32)[:, None]
    rho = top[None, :] - rows * band
    map_x, map_y = _ray_points(ell, theta, rho)
    return cv2.remap(ink, map_x, map_y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=255)


def _gap_start(ink: np.ndarray, ell: Ellipse) -> float:
    """Angle (degrees) at the middle of the widest gap in the ring text: where the text starts."""
    strip = unwrap_ring(ink, ell, 0.0, band=0.26, height_px=16)
    cols = strip.shape[1]
    inked = (strip < 160).mean(axis=0) > 0.03
    if inked.all() or not inked.any():
        return 90.0
    empty = ~inked
    doubled = np.concatenate([empty, empty])
    best_len, best_end, run = 0, 0, 0
    for i, e in enumerate(doubled):
        run = run + 1 if e else 0
        if run > best_len:
            best_len, best_end = run, i
    best_len = min(best_len, cols)
    centre = (best_end - best_len / 2) % cols
    return float(centre / cols * 360.0)


# ----------------------------------------------------------------------------- OCR


def _recognise(strips: list[np.ndarray]) -> list[tuple[str, float]]:
    """The process-wide PP-OCR recogniser on each strip (BGR)."""
    from pipeline.ppocr import shared_models

    images = [cv2.cvtColor(s, cv2.COLOR_GRAY2BGR) if s.ndim == 2 else s for s in strips]
    return shared_models().recognise(images)


def read_ring_text(image: np.ndarray, seal: Seal, starts: Sequence[float] | None = None) -> list[RingReading]:
    """Read the ring text of one seal; best (most confident) first.

    Args:
        image: The page the seal was found on (BGR or grey uint8).
        seal: The detected seal (its ``bbox`` and ``colour`` are used).
        starts: Start angles of the strip in degrees (see ``unwrap_ring``); by default the middle
            of the widest gap in the ring text, which is where the text begins and ends.

    Returns:
        Readings with text and the recogniser's confidence (0..1).
    """
    _, ell, ink = _seal_ellipse(image, seal)
    angles = list(starts) if starts is not None else [_gap_start(ink, ell)]
    strips = [_trim(unwrap_ring(ink, ell, start)) for start in angles]
    readings = [RingReading(text=t.strip(), confidence=c, start_deg=s)
                for (t, c), s in zip(_recognise(strips), angles, strict=True)]
    return sorted(readings, key=lambda r: (len(_cjk(r.text)) >= 2, r.confidence), reverse=True)


def _trim(strip: np.ndarray) -> np.ndarray:
    """Drop blank columns at both ends and pad a little (the recogniser likes some margin)."""
    inked = np.nonzero((strip < 160).any(axis=0))[0]
    if len(inked) == 0:
        return strip
    x0, x1 = max(0, inked[0] - 6), min(strip.shape[1], inked[-1] + 7)
    out = strip[:, x0:x1].astype(np.float32)
    # stretch so that the seal's strongest ink is black: faint impressions read better
    darkest = float(np.percentile(out, 2))
    if darkest < 200:
        out = np.clip((out - darkest) * 255.0 / max(255.0 - darkest, 1.0), 0, 255)
    out = out.astype(np.uint8)
    return cv2.copyMakeBorder(out, 4, 4, 12, 12, cv2.BORDER_CONSTANT, value=255)


# ----------------------------------------------------------------------------- registry


def _cjk(text: str) -> str:
    return "".join(ch for ch in text if "\u4e00" <= ch <= "\u9fff")


def _weights(name: str) -> list[float]:
    return [0.4 if ch in _GENERIC else 1.0 for ch in name]


def _weighted_lcs(name: str, text: str) -> float:
    """Largest total weight of ``name``'s characters found in order in ``text``."""
    w = _weights(name)
    prev = [0.0] * (len(text) + 1)
    for i, ch in enumerate(name):
        cur = [0.0] * (len(text) + 1)
        for j, tj in enumerate(text):
            cur[j + 1] = prev[j] + w[i] if ch == tj else max(prev[j + 1], cur[j])
        prev = cur
    return prev[-1]


def text_similarity(name: str, text: str, cyclic: bool = False) -> float:
    """Share of ``name``'s characters (distinctive ones weighted higher) found in order in ``text``.

    1.0 when ``text`` contains ``name`` intact (anywhere, with anything around it); a dropped or
    misread character costs its weight; characters of ``text`` not in ``name`` cost nothing.
    With ``cyclic``, ``text`` is read as a ring (ring text has no fixed start): the name may run
    across the end of the string back to its beginning.
    """
    name, text = _cjk(name), _cjk(text)
    if not name or not text:
        return 0.0
    total = sum(_weights(name))
    if not cyclic:
        return _weighted_lcs(name, text) / total
    return max(_weighted_lcs(name, text[k:] + text[:k]) for k in range(len(text))) / total


def _rotate_to(name: str, text: str) -> str:
    """``text`` (a ring reading) rotated so that the part matching ``name`` comes first."""
    cjk = _cjk(text)
    if not cjk:
        return text
    best_k = max(range(len(cjk)), key=lambda k: (_weighted_lcs(name, cjk[k:] + cjk[:k]), cjk[k] == name[0]))
    return cjk[best_k:] + cjk[:best_k]


def _spellings(hospital: Any) -> tuple[str, tuple[str, ...]]:
    if isinstance(hospital, str):
        return hospital, (hospital,)
    name = str(hospital.name)
    return name, (name, *tuple(getattr(hospital, "aliases", ()) or ()))


def best_hospital(text: str, hospitals: Iterable[Any], min_similarity: float = 0.7) -> tuple[str | None, float]:
    """The registry hospital whose name or alias ``text`` reads as, and the similarity.

    Args:
        text: Ring text as read.
        hospitals: Registry entries (objects with ``name`` and ``aliases``) or plain names.
        min_similarity: Below this, no hospital is named.

    Returns:
        ``(registry name, similarity)``, or ``(None, best similarity)`` when nothing is close
        enough. Ties go to the longer spelling (more characters agreeing).
    """
    best: tuple[float, int, str | None] = (0.0, 0, None)
    for hospital in hospitals:
        name, spellings = _spellings(hospital)
        for spelling in spellings:
            sim = text_similarity(spelling, text, cyclic=True)
            # a short alias must be read almost whole; a long name may lose a few characters
            needed = max(min_similarity, 1.0 - 1.2 / max(len(_cjk(spelling)), 1))
            key = (sim, len(spelling), name)
            if sim >= needed and key[:2] > best[:2]:
                best = key
            elif best[2] is None and sim > best[0]:
                best = (sim, 0, None)
    return best[2], round(best[0], 3)


def read_seal(image: np.ndarray, seal: Seal, hospitals: Sequence[Any] | Iterable[Any]) -> Seal:
    """Return ``seal`` with ``text`` (ring text as read) and ``hospital`` (registry name) filled.

    The ring is read once from the gap in its text; when that reading is unsure or names no
    registry hospital, once more from the seal's foot. At most two recogniser calls per seal.

    Args:
        image: The page the seal was detected on, BGR uint8 (the same pixels as ``seal.bbox``).
        seal: A seal from ``pipeline.seals.detect_seals``.
        hospitals: The institution registry, e.g. ``load_policy().all_hospitals``.

    Returns:
        A new ``Seal``; ``text`` is None when nothing legible was read, ``hospital`` None when the
        text matches no registry name or alias closely enough. When a hospital matched, ``text``
        is the reading turned to start where the name starts.

    Raises:
        EngineError: the recogniser failed (propagated from the OCR engine).
    """
    hospitals = list(hospitals)
    _, ell, ink = _seal_ellipse(image, seal)
    gap = _gap_start(ink, ell)
    best: tuple[bool, float, float, str | None, str | None] = (False, 0.0, 0.0, None, None)
    for start in (gap, 90.0):
        if start != gap and ((best[0] and best[2] >= 0.8) or abs((start - gap + 180) % 360 - 180) < 30):
            break
        (text, conf), = _recognise([_trim(unwrap_ring(ink, ell, start))])
        text = text.strip()
        if len(_cjk(text)) < 2 or conf < 0.3:
            continue
        name, sim = best_hospital(text, hospitals)
        candidate = (name is not None, sim, conf, text, name)
        if candidate[:3] > best[:3]:
            best = candidate
    _, _, _, text, name = best
    if text is not None and name is not None:
        text = _rotate_to(name, text)
    return seal.model_copy(update={"text": text, "hospital": name})
