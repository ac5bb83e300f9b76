"""Find official seals (公章) on one upright page image: red, blue, gold and grey (photocopied).

Reads pixels, writes nothing. Reading the ring text is ``pipeline.seal_text``'s job; deciding
whether a missing seal matters is the checks' job.

How it works, in four steps:

1. *Paper-relative colour.* The page is scaled to a fixed working size and divided by its own
   paper colour (a per-channel max filter estimates the paper under the ink), so tinted paper,
   shadows and colour casts of phone photos turn neutral. Chroma and hue are taken in CIE Lab of
   the normalised image. Each hue family (red / pink / orange-red; blue / purple / teal; gold)
   gets its own chroma threshold from the colour noise of the page's near-black ink along that
   family's hue (a bluish photo makes black text blue, not red), and a seal's faint stroke edges
   are recovered by growing strong ink into weaker ink of the same hue (hysteresis). A photocopied
   seal is found in the mid-grey tone between black text and paper.
2. *Candidates.* Ink is closed into blobs; a blob's outline gives an ellipse by a trimmed fit (so
   print touching the seal is outvoted), blobs of overlapping impressions are split at the peaks
   of their distance transform, arcs of a worn ring are grouped and their hull fitted, and a
   circle Hough transform catches seals fused with print of their own colour. Every hypothesis is
   refitted to the border ring itself (ray by ray, the outer edge of the ring).
3. *Structure.* Each hypothesis is unwrapped to polar coordinates (angle x relative radius) and
   measured: a border ring at one radius covering most rays, thin (a line, not the hollowed edge
   of a solid shape) and denser than the inside (not a fingerprint or a filled emblem); ink inside
   (not an empty drawn circle) but not too much; the border's outer edge on the ellipse (round or
   oval, not a rectangle: titles, rules, table borders); an outline that follows a circle rather
   than a square (square name seals 名章); size against the page's body text (a seal is 38-45 mm,
   about ten character heights; a logo or a lab flag is two to four). A five-pointed star in the
   centre is found by template search over size, rotation and position.
4. *Decision.* Hard gates on those measures (stricter for seals partly off the page, and for grey
   or gold ones, which must show a star unless they are clearly seal-sized rings), then a score in
   0..1 for ranking; overlapping detections are merged and boxes mapped back to input pixels.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import cv2
import numpy as np

from models.document import Seal, SealColour, SealShape

__all__ = [
    "HUE_FAMILIES", "Ellipse", "SealFeatures", "SealParams", "WorkImage", "colour_masks", "crop_seal", "detect_seals",
    "detect_seals_debug", "mid_tone_ink", "prepare_work", "refit_ellipse",
]


@dataclass(frozen=True)
class SealParams:
    """Thresholds of the seal detector; the defaults are the product's settings.

    Sizes are in pixels of the working image (the page scaled so its long side is
    ``work_long_side``) or relative to the seal radius, so they do not depend on the DPI.
    """

    work_long_side: int = 1000  # pages are scaled to this long side (smaller ones up to min_work_long_side)
    min_work_long_side: int = 640
    chroma_floor: float = 7.0  # Lab chroma: least threshold for "coloured ink"
    chroma_cap: float = 16.0  # and the most, however noisy the page's colour
    chroma_noise_factor: float = 3.0  # threshold = factor x noise of black ink along the family's hue
    min_diameter_frac: float = 0.035  # smallest seal, of the page's short side
    min_diameter_px: int = 22
    min_text_heights: float = 4.5  # smallest seal, in body-text character heights
    starless_text_heights: float = 8.0  # a round grey seal without a star must be this large
    starless_oval_aspect: float = 1.25  # an oval at least this elongated counts as oval there
    starless_min_roundness: float = 0.7
    # a photocopied oval's ring crossed by a physician's name seal or a rule (0.66-0.69 on six such
    # reports of four corpora) still covers two thirds of its rays
    starless_min_border_peak: float = 0.65
    starless_min_contrast: float = 0.4
    # a clearly oval starless ring (检验科专用章 on a photocopy) may be fainter: printed logos are round
    starless_oval_min_contrast: float = 0.3
    # a department's oval seal holds its name and a serial number, and print runs across it (0.47-0.49)
    starless_max_fill: float = 0.5
    starless_logo_fill: float = 0.45  # a small coloured ring without a star fuller than this is a logo
    # A finger is pressed pointing up: its print (按手印, 13-17 x 17-22 mm) is an oval standing upright. Oval
    # seals are stamped lying, their name along the long side: on 40 real images and the sealed pages of 8
    # stored corpora no coloured oval seal's long axis came within 60 degrees of vertical.
    fingerprint_max_tilt_deg: float = 30.0
    max_aspect: float = 2.1  # major / minor axis
    min_valid_angle_frac: float = 0.4  # share of the border that must be on the page
    min_roundness: float = 0.6  # share of rays whose border's outer edge lies on the ellipse
    partial_min_roundness: float = 0.72  # the same for a seal partly off the page
    partial_min_border_peak: float = 0.65
    min_border_peak: float = 0.5  # share of rays meeting ink at the border radius
    min_ring_contrast: float = 0.2  # border coverage minus the median coverage inside
    max_border_width: float = 0.2  # radial width of the border, of the radius
    max_fill: float = 0.55  # ink share inside the border
    min_interior_ink: float = 0.03  # ring text and centre: an empty ring (a drawn circle, a hollowed dot) has none
    min_paper_ratio: float = 0.8  # paper brightness inside the ring / around it: a seal is stamped on paper
    # ... unless the ring is coloured and full of its ink (ring text, a title), which a solid shape
    # hollowed by the paper normalisation never is: then a shadow deepening across the seal may
    # darken its inside to this share (a red oval seal at 0.71 on a phone photo, interior ink 0.44;
    # a solid red shape is darker still, grey of red ~0.45 of paper).
    min_paper_ratio_inked: float = 0.6
    inked_interior: float = 0.15
    # Inside a seal's ring the paper shows between the strokes: its median lightness stays near the
    # paper's (real seals 201-255 of 255, on 40 real images and the test pages). A solid shape of a
    # seal's colour is dark inside: an ID photo's taupe head (131, fresh seed 9537), an emblem (166).
    min_interior_lightness: float = 180.0
    # A clear star in a clear ring is a seal even where a shadow or glare edge crosses it (the paper
    # inside darker than around it); solid shapes the paper test is for show no star.
    sure_star: float = 0.8
    sure_ring: float = 0.9
    square_rectangularity: float = 0.93  # border-band hull / its bounding rectangle
    include_square: bool = False  # report square stamps (name seals) too, with shape="square"
    grey: bool = True  # look for colourless (photocopied) seals when no coloured one is found
    grey_min_border_peak: float = 0.6  # min_border_peak for a grey or gold seal without a star
    min_star: float = 0.5  # star template score (ink inside the star minus ink in its notches)
    max_seals: int = 8
    max_candidates: int = 16  # hypotheses measured per ink mask


@dataclass
class SealFeatures:
    """Measurements of one candidate ellipse, kept for debugging and benchmarks."""

    colour: str
    cx: float
    cy: float
    semi_major: float
    semi_minor: float
    angle_deg: float
    valid_frac: float = 0.0
    roundness: float = 0.0
    border_peak: float = 0.0
    border_rho: float = 0.0
    border_width: float = 0.0
    ring_contrast: float = 0.0
    fill: float = 0.0
    interior_ink: float = 0.0
    paper_ratio: float = 1.0
    interior_lightness: float = 255.0  # median normalised lightness inside (relative radius < 0.6)
    text_band_cover: float = 0.0
    star: float = 0.0
    rectangularity: float = 0.0
    text_heights: float | None = None
    score: float = 0.0
    shape: str = "unknown"
    accepted: bool = False
    reasons: list[str] = field(default_factory=list)


# ---------------------------------------------------------------------------
# Step 1: working image, paper normalisation, colour masks
# ---------------------------------------------------------------------------

# Lab hue angle families, degrees in [0, 360): a* axis = 0, b* axis = 90.
_FAMILY_HUE = {"red": 20.0, "blue": 270.0, "other": 95.0}  # central hue of each family
HUE_FAMILIES: dict[str, tuple[tuple[float, float], ...]] = {
    "red": ((0.0, 85.0), (320.0, 360.0)),  # pink (~350), red (~30), orange-red (~60)
    "blue": ((180.0, 325.0),),  # teal (~200), blue (~270), purple (~300)
    "other": ((75.0, 115.0),),  # gold / yellow-brown
}


@dataclass
class WorkImage:
    """A page at working size with paper-normalised lightness and Lab chroma / hue per pixel."""

    bgr: np.ndarray
    scale: float
    lum: np.ndarray  # normalised L*, uint8, paper ~ 255
    chroma: np.ndarray  # float32
    hue: np.ndarray  # float32 degrees
    paper: np.ndarray  # bool: pixel lies on paper, not on a dark background
    chroma_threshold: float  # colour vs neutral, any hue
    family_thresholds: dict[str, float] = field(default_factory=dict)  # per hue family
    paper_lum: np.ndarray | None = None  # uint8 lightness of the estimated paper under the ink


def _to_work(image: np.ndarray, params: SealParams) -> tuple[np.ndarray, float]:
    h, w = image.shape[:2]
    long_side = max(h, w)
    if long_side > params.work_long_side:
        scale = params.work_long_side / long_side
    else:
        scale = max(1.0, params.min_work_long_side / long_side)
    if abs(scale - 1.0) < 1e-3:
        return image, 1.0
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    if scale >= 1:
        return cv2.resize(image, size, interpolation=cv2.INTER_LINEAR), scale
    k = int(1 / scale)
    if k >= 2:
        # an exact integer INTER_AREA step is several times faster than a fractional one
        image = cv2.resize(image[: (h // k) * k, : (w // k) * k], (w // k, h // k), interpolation=cv2.INTER_AREA)
    return cv2.resize(image, size, interpolation=cv2.INTER_AREA), scale


def _paper_colour(bgr: np.ndarray) -> np.ndarray:
    """Per-channel paper colour under the ink: max filter on a quarter-size image, smoothed."""
    h, w = bgr.shape[:2]
    h4, w4 = max(4, h // 4 * 4), max(4, w // 4 * 4)
    small = cv2.resize(bgr[:h4, :w4], (w4 // 4, h4 // 4), interpolation=cv2.INTER_AREA)  # exact factor: fast path
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (9, 9))
    bg = cv2.medianBlur(cv2.dilate(small, kernel), 9)
    return cv2.resize(bg, (w, h), interpolation=cv2.INTER_LINEAR)


def prepare_work(image: np.ndarray, params: SealParams) -> WorkImage:
    """Scale a page to working size and divide out its paper colour (step 1 of the detector).

    Args:
        image: The page, BGR, BGRA or greyscale uint8.
        params: Working size and chroma-threshold settings.

    Returns:
        The working image with lightness, chroma, hue, paper mask and the page's chroma threshold.
    """
    if image.ndim == 2:
        image = cv2.cvtColor(image, cv2.COLOR_GRAY2BGR)
    elif image.shape[2] == 4:
        image = cv2.cvtColor(image, cv2.COLOR_BGRA2BGR)
    bgr, scale = _to_work(image, params)
    bg = _paper_colour(bgr)
    norm = cv2.divide(bgr, np.maximum(bg, 1), scale=255)
    lab = cv2.cvtColor(norm, cv2.COLOR_BGR2Lab)
    a = cv2.blur(lab[..., 1].astype(np.float32) - 128.0, (3, 3))
    b = cv2.blur(lab[..., 2].astype(np.float32) - 128.0, (3, 3))
    chroma = cv2.magnitude(a, b)
    hue = cv2.phase(a, b, angleInDegrees=True)
    lum = lab[..., 0]
    paper = cv2.cvtColor(bg, cv2.COLOR_BGR2GRAY) > 70
    # Colour noise of near-black ink (JPEG fringes, colour casts): the darkest pixels are black
    # text, rarely seal ink. A colour cast has a direction (a bluish photo makes black text blue,
    # not red), so each hue family gets its own threshold from the noise along its own hue: the
    # 75th percentile of the projection, which for direction-free noise is 0.57 of the median
    # chroma.
    black = (lum < 90) & paper
    enough = int(black.sum()) > 100
    noise = float(np.median(chroma[black])) if enough else 0.0
    threshold = _chroma_threshold(noise, params)
    family_thresholds = {}
    for family, direction in _FAMILY_HUE.items():
        if enough:
            rad = math.radians(direction)
            proj = a[black] * math.cos(rad) + b[black] * math.sin(rad)
            family_noise = max(0.0, float(np.percentile(proj, 75))) / 0.57
        else:
            family_noise = 0.0
        family_thresholds[family] = _chroma_threshold(family_noise, params)
    return WorkImage(bgr=bgr, scale=scale, lum=lum, chroma=chroma, hue=hue, paper=paper, chroma_threshold=threshold,
                     family_thresholds=family_thresholds, paper_lum=cv2.cvtColor(bg, cv2.COLOR_BGR2GRAY))


def _chroma_threshold(noise: float, params: SealParams) -> float:
    return float(np.clip(params.chroma_noise_factor * noise + params.chroma_floor / 2, params.chroma_floor,
                         params.chroma_cap))


_GROW_KERNEL = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (5, 5))


def _hue_in(work: WorkImage, ranges: tuple[tuple[float, float], ...]) -> np.ndarray:
    """Pixels whose hue falls in one of ``ranges`` (degrees)."""
    inside = np.zeros(work.hue.shape, dtype=bool)
    for lo, hi in ranges:
        inside |= (work.hue >= lo) & (work.hue < hi)
    return inside


def colour_masks(work: WorkImage) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Ink of each hue family: strong chroma, grown by two pixels into weaker chroma of the same hue.

    The growth recovers the faint edges and thin strokes of a seal (hysteresis) without joining it
    to other ink of the same colour further away; the core alone keeps a seal apart from print
    of its colour that the growth would join to it.
    """
    inked = (work.lum < 245) & work.paper
    masks = {}
    for family, ranges in HUE_FAMILIES.items():
        t = work.family_thresholds.get(family, work.chroma_threshold)
        strong = (work.chroma >= t) & inked
        weak = (work.chroma >= 0.5 * t) & (work.lum < 235) & work.paper
        in_family = _hue_in(work, ranges)
        core = (strong & in_family).astype(np.uint8)
        near = cv2.dilate(core, _GROW_KERNEL) > 0
        masks[family] = core, (core.astype(bool) | (weak & in_family & near)).astype(np.uint8)
    return masks


# The faint look: this share of each family's chroma threshold, away from dark print.
FAINT_CHROMA_SHARE = 0.55


def faint_colour_masks(work: WorkImage) -> dict[str, np.ndarray]:
    """Fainter ink of each hue family, with the coloured fringes of black print left out.

    A pale seal photographed under a warm light has less chroma than the page's threshold,
    which the light's cast on black text (its red fringes) raised: its ring falls apart into
    dots. Taking ink from ``FAINT_CHROMA_SHARE`` of the threshold, but not within two pixels
    of dark print (where those fringes are), keeps the ring whole and the text out.
    """
    inked = (work.lum < 245) & work.paper
    dark = (work.lum < 120).astype(np.uint8)
    near_dark = cv2.dilate(dark, _GROW_KERNEL) > 0
    masks = {}
    for family, ranges in HUE_FAMILIES.items():
        t = work.family_thresholds.get(family, work.chroma_threshold)
        faint = (work.chroma >= FAINT_CHROMA_SHARE * t) & _hue_in(work, ranges) & inked & ~near_dark
        masks[family] = faint.astype(np.uint8)
    return masks


def _grey_ink(work: WorkImage) -> np.ndarray:
    """Dark or mid-grey ink of any colour (a photocopied red seal is mid-grey)."""
    return ((work.lum < 175) & work.paper).astype(np.uint8)


# A tinted panel (a report's light grey sidebar, 244 on paper of 255) is paper of its own: mid-tone ink
# must be darker than the ground around it too. The ground is the lightness closed over a square wider
# than a seal's ring, text and star (a seal is ~135 px across at the working size), narrower than a panel.
PANEL_KERNEL_SHARE = 0.045  # of the working image's long side
PANEL_MARGIN = 8.0  # lightness units below the local ground


def mid_tone_ink(work: WorkImage) -> np.ndarray:
    """Ink clearly lighter than black text and darker than paper: how copiers render red seals.

    The edges of black strokes are mid-grey too, so pixels next to dark ink are removed. A tinted
    panel is no ink: each pixel must also be darker than its local ground (a grey oval seal stamped
    over a report's grey sidebar merged with the whole panel, alternative templates seed 7112: a
    false SEAL_MISSING).
    """
    lum = cv2.blur(work.lum, (3, 3))
    bright = lum[work.paper & (lum > 200)]
    if bright.size < 100:
        return np.zeros_like(work.lum)
    med = float(np.median(bright))
    mad = float(np.median(np.abs(bright.astype(np.float32) - med)))
    paper_floor = med - max(8.0, 5 * 1.4826 * mad)
    near_dark = near_dark_print(work) > 0
    grey = work.chroma < work.chroma_threshold
    # on the page's own lightness: dividing out the paper colour leaves a panel's edges as mid-grey halos
    raw = cv2.blur(cv2.cvtColor(work.bgr, cv2.COLOR_BGR2GRAY), (3, 3))
    side = max(15, round(PANEL_KERNEL_SHARE * max(raw.shape)))
    ground = cv2.morphologyEx(raw, cv2.MORPH_CLOSE, np.ones((side, side), np.uint8)).astype(np.float32)
    below_ground = raw.astype(np.float32) < ground - PANEL_MARGIN
    mid = (lum >= 120) & (lum < paper_floor) & below_ground & ~near_dark & grey & work.paper
    return mid.astype(np.uint8)


def near_dark_print(work: WorkImage) -> np.ndarray:
    """Black print and its mid-grey edges (uint8 0/1): text, never a copied seal's mid tone."""
    dark = (work.lum < 120).astype(np.uint8)
    return cv2.dilate(dark, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (5, 5)))


def _text_height(work: WorkImage) -> float | None:
    """Height of a full body-text character, from dark neutral ink components (None if too few).

    Chinese characters often fall apart into radicals and the page also carries digits and Latin
    letters, so the typical component is smaller than a character; the 90th percentile of the
    roughly square components comes close to the full character height. Neighbouring characters
    of a line often touch and make components up to two characters long, so the smaller of the
    percentiles of heights and widths is taken: the line direction (across a page still turned by
    a quarter, the characters of a line are stacked vertically) does not inflate it.

    Black text is taken below lightness 130; a photocopy or a faded print renders body text in
    mid-grey, so when too few characters are that dark, the grey-ink tone (below 175) is used.
    """
    for level in (130, 175):
        height = _text_height_at(work, level)
        if height is not None:
            return height
    return None


# Character-like components needed to trust the estimate: a short report (a dozen lines of light
# grey print, deskewed by half a degree) keeps 29 of them at the grey-ink tone.
MIN_TEXT_COMPONENTS = 20
# A full character is within twice its typical fragment (a radical, a digit); a component more
# than this many times the median size is not text.
PICTURE_SIZE_FACTOR = 3.0


def _text_height_at(work: WorkImage, level: int) -> float | None:
    dark = ((work.lum < level) & (work.chroma < work.chroma_threshold) & work.paper).astype(np.uint8)
    # at half resolution (the labelling is the costly part); 2 x 2 blocks keep strokes connected
    f = 2 if max(dark.shape) >= 800 else 1
    if f > 1:
        h2, w2 = dark.shape[0] // 2 * 2, dark.shape[1] // 2 * 2
        dark = dark[:h2, :w2].reshape(h2 // 2, 2, w2 // 2, 2).max(axis=(1, 3))
    else:
        dark = cv2.morphologyEx(dark, cv2.MORPH_CLOSE, np.ones((2, 2), np.uint8))
    n, _, stats, _ = cv2.connectedComponentsWithStats(dark, connectivity=8)
    if n < MIN_TEXT_COMPONENTS:
        return None
    w = stats[1:, cv2.CC_STAT_WIDTH] * f
    h = stats[1:, cv2.CC_STAT_HEIGHT] * f
    area = stats[1:, cv2.CC_STAT_AREA] * f * f
    max_h = 0.08 * max(work.lum.shape)
    keep = (h >= 5) & (h <= max_h) & (w >= 5) & (w <= max_h) & (w <= 2 * h) & (h <= 2 * w) & (area >= 0.15 * w * h)
    if int(keep.sum()) < MIN_TEXT_COMPONENTS:
        return None
    # Dark shapes far larger than the typical component are pictures, not characters: the lungs
    # of a CT report's images (six of 45 components, each six characters tall) made the body
    # text look as tall as a seal, which was then refused as too small.
    size = np.minimum(h, w)
    keep &= size <= PICTURE_SIZE_FACTOR * np.median(size[keep])
    if int(keep.sum()) < MIN_TEXT_COMPONENTS:
        return None
    return float(min(np.percentile(h[keep], 90), np.percentile(w[keep], 90)))


# ---------------------------------------------------------------------------
# Step 2: candidate ellipses
# ---------------------------------------------------------------------------

Ellipse = tuple[float, float, float, float, float]  # cx, cy, semi-axis a, semi-axis b, angle of a (deg)


def _min_diameter(shape: tuple[int, ...], params: SealParams) -> float:
    return max(float(params.min_diameter_px), params.min_diameter_frac * min(shape[:2]))


def _ellipse_rho(pts: np.ndarray, ell: Ellipse) -> np.ndarray:
    """Relative radius of points in the ellipse's frame (1.0 on the ellipse)."""
    cx, cy, a, b, ang = ell
    phi = math.radians(ang)
    dx, dy = pts[:, 0] - cx, pts[:, 1] - cy
    u = dx * math.cos(phi) + dy * math.sin(phi)
    v = -dx * math.sin(phi) + dy * math.cos(phi)
    return np.sqrt((u / max(a, 1e-6)) ** 2 + (v / max(b, 1e-6)) ** 2)


def _fit_ellipse(pts: np.ndarray) -> Ellipse | None:
    if len(pts) < 6:
        return None
    (cx, cy), (d1, d2), ang = cv2.fitEllipse(pts.astype(np.float32))
    if not (np.isfinite(d1) and np.isfinite(d2)) or min(d1, d2) < 2:
        return None
    return float(cx), float(cy), d1 / 2.0, d2 / 2.0, float(ang)


def _fit_outline(points: np.ndarray, shape: tuple[int, ...]) -> Ellipse | None:
    """Trimmed ellipse fit to outline points, ignoring points on the image edge (partly off-page seals).

    Points far from the current fit (text or rules touching the seal) are dropped and the fit
    repeated, so the ellipse follows the majority of the outline.
    """
    h, w = shape[:2]
    pts = points.reshape(-1, 2).astype(np.float32)
    inside = (pts[:, 0] > 1) & (pts[:, 0] < w - 2) & (pts[:, 1] > 1) & (pts[:, 1] < h - 2)
    pts = pts[inside]
    if len(pts) > 400:
        pts = pts[:: len(pts) // 400 + 1]
    if len(pts) < 8:
        return None
    ell = _fit_ellipse(pts)
    for _ in range(3):
        if ell is None:
            return None
        d = np.abs(_ellipse_rho(pts, ell) - 1.0)
        cut = max(0.04, float(np.partition(d, int(0.6 * (len(d) - 1)))[int(0.6 * (len(d) - 1))]))
        keep = d <= cut
        if keep.sum() < 8 or keep.all():
            break
        ell = _fit_ellipse(pts[keep])
    return ell


def _blob_hypotheses(mask: np.ndarray, params: SealParams, groups: bool = True) -> list[Ellipse]:
    """Ellipses fitted to the outlines of ink blobs (strokes closed into solid shapes).

    Done at half resolution: blob outlines need no detail and the closing is the costly part.
    With ``groups``, also the convex hulls of blobs grouped at a coarser closing (worn seals).
    """
    h, w = mask.shape
    f = 2 if max(h, w) >= 800 else 1
    small = np.maximum(mask[0:h // 2 * 2:2, 0:w // 2 * 2:2], mask[1:h // 2 * 2:2, 1:w // 2 * 2:2]) if f > 1 else mask
    k = int(np.clip(round(0.012 * max(h, w) / f), 3, 15))
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k))
    closed = cv2.morphologyEx(small, cv2.MORPH_CLOSE, kernel)
    contours, _ = cv2.findContours(closed, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
    d_min = _min_diameter(mask.shape, params) / f
    hyps: list[Ellipse] = []
    for contour in contours:
        x, y, bw, bh = cv2.boundingRect(contour)
        if max(bw, bh) < d_min or min(bw, bh) < d_min / 2:
            continue  # smaller than the smallest seal (an oval is at most ~2:1)
        # a text line or a rule is no seal outline; a seal fused with one is found by the split
        outline = _fit_outline(contour, small.shape) if max(bw, bh) <= 3 * min(bw, bh) else None
        found = [outline]
        area = cv2.contourArea(contour)
        hull_area = cv2.contourArea(cv2.convexHull(contour))
        elongated = outline is not None and max(outline[2], outline[3]) > 1.15 * min(outline[2], outline[3])
        if (hull_area > 0 and area / hull_area < 0.9) or elongated:
            # not convex, or oval: perhaps two overlapping round seals, or a seal touching other ink
            found.extend(_split_hypotheses(contour, (x, y, bw, bh), d_min))
        hyps.extend((e[0] * f, e[1] * f, e[2] * f, e[3] * f, e[4]) for e in found if e is not None)
    if not groups:
        return hyps
    # worn seals: a ring broken into arcs is one group at a coarser closing; fit its convex hull
    k2 = 2 * k + 1
    grouped = cv2.morphologyEx(closed, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k2, k2)))
    groups, _ = cv2.findContours(grouped, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    for group in groups:
        x, y, bw, bh = cv2.boundingRect(group)
        if max(bw, bh) < d_min or min(bw, bh) < d_min / 2:
            continue
        hull = cv2.convexHull(group).reshape(-1, 2).astype(np.float32)
        pts = _densify(hull, step=2.0)
        ell = _fit_outline(pts, small.shape)
        if ell is not None:
            hyps.append((ell[0] * f, ell[1] * f, ell[2] * f, ell[3] * f, ell[4]))
    return hyps


def _densify(polygon: np.ndarray, step: float) -> np.ndarray:
    """Points every ``step`` pixels along a closed polygon."""
    out = []
    n = len(polygon)
    for i in range(n):
        p, q = polygon[i], polygon[(i + 1) % n]
        m = max(1, int(np.hypot(*(q - p)) / step))
        t = np.arange(m, dtype=np.float32)[:, None] / m
        out.append(p + t * (q - p))
    return np.concatenate(out) if out else polygon


def _split_hypotheses(contour: np.ndarray, box: tuple[int, int, int, int], d_min: float) -> list[Ellipse]:
    """Circles at the distance-transform peaks of a blob: overlapping seals, seals touching other ink."""
    x, y, bw, bh = box
    blob = np.zeros((bh + 2, bw + 2), np.uint8)
    cv2.drawContours(blob, [contour], -1, 1, thickness=-1, offset=(1 - x, 1 - y))
    dist = cv2.distanceTransform(blob, cv2.DIST_L2, 5)
    peak_min = d_min / 2
    if dist.max() < peak_min:
        return []
    local_max = cv2.dilate(dist, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (9, 9)))
    ys, xs = np.nonzero((dist >= local_max) & (dist >= max(peak_min, 0.45 * dist.max())))
    order = np.argsort(-dist[ys, xs])
    chosen: list[tuple[float, float, float]] = []
    for i in order:
        px, py, r = float(xs[i]), float(ys[i]), float(dist[ys[i], xs[i]])
        if all(math.hypot(px - qx, py - qy) > 0.5 * max(r, qr) for qx, qy, qr in chosen):
            chosen.append((px, py, r))
        if len(chosen) >= 4:
            break
    return [(px + x - 1, py + y - 1, r, r, 0.0) for px, py, r in chosen]


def _hough_hypotheses(ink: np.ndarray, params: SealParams, text_h: float | None, max_circles: int = 12,
                      perfectness: float = 0.6) -> list[Ellipse]:
    """Circle hypotheses for colourless seals, from a Hough transform on a reduced ink image."""
    h, w = ink.shape
    f = 340.0 / max(h, w)
    small = cv2.resize(ink * 255, (max(8, round(w * f)), max(8, round(h * f))), interpolation=cv2.INTER_AREA)
    small = cv2.GaussianBlur(small, (5, 5), 1.2)
    d_min = _min_diameter(ink.shape, params)
    if text_h is not None:
        d_min = max(d_min, params.min_text_heights * text_h)
    r_min = max(8, round(d_min * f / 2))
    # a seal fused with other ink is at most about a third of the page across; a seal that
    # fills the image (a crop) stands alone and is found from its blob outline
    r_max = max(r_min + 4, round(0.3 * min(small.shape)))
    circles = cv2.HoughCircles(small, cv2.HOUGH_GRADIENT_ALT, dp=1.5, minDist=r_min, param1=60, param2=perfectness,
                               minRadius=r_min, maxRadius=r_max)
    if circles is None:
        return []
    return [(cx / f, cy / f, r / f, r / f, 0.0) for cx, cy, r in circles[0][:max_circles]]


# ---------------------------------------------------------------------------
# Step 3: polar measurements
# ---------------------------------------------------------------------------

_N_ANGLES = 180
_RHO = np.linspace(0.0, 1.3, 131, dtype=np.float32)  # 0.01 steps


def _polar(mask: np.ndarray, ell: Ellipse) -> tuple[np.ndarray, np.ndarray]:
    """Sample ``mask`` along rays of the ellipse: rows are relative radius, columns angle."""
    cx, cy, a, b, ang = ell
    theta = np.linspace(0, 2 * np.pi, _N_ANGLES, endpoint=False, dtype=np.float32)
    phi = math.radians(ang)
    ex = a * np.cos(theta) * math.cos(phi) - b * np.sin(theta) * math.sin(phi)
    ey = a * np.cos(theta) * math.sin(phi) + b * np.sin(theta) * math.cos(phi)
    map_x = (cx + _RHO[:, None] * ex[None, :]).astype(np.float32)
    map_y = (cy + _RHO[:, None] * ey[None, :]).astype(np.float32)
    h, w = mask.shape
    valid = (map_x >= 0) & (map_x <= w - 1) & (map_y >= 0) & (map_y <= h - 1)
    sampled = cv2.remap(mask, map_x, map_y, cv2.INTER_NEAREST, borderMode=cv2.BORDER_CONSTANT, borderValue=0)
    return sampled.astype(bool), valid


def _ray_geometry(ell: Ellipse) -> tuple[np.ndarray, np.ndarray]:
    _cx, _cy, a, b, ang = ell
    theta = np.linspace(0, 2 * np.pi, _N_ANGLES, endpoint=False)
    phi = math.radians(ang)
    ex = a * np.cos(theta) * math.cos(phi) - b * np.sin(theta) * math.sin(phi)
    ey = a * np.cos(theta) * math.sin(phi) + b * np.sin(theta) * math.cos(phi)
    return ex, ey


def _refine(mask: np.ndarray, ell: Ellipse) -> tuple[Ellipse, float]:
    """Refit the ellipse to the seal's border ring.

    The ring is the radius (0.75..1.25 of the hypothesis) where most rays meet ink; each ray then
    contributes the outer edge of its ink run nearest that radius. Ink attached to the seal (a
    table rule, a drawn box, text) moves only a few rays, which the median test drops.

    Returns:
        The refitted ellipse (or ``ell`` when there is too little ring to refit) and the ring's
        coverage, the fraction of rays meeting ink at the ring radius.
    """
    polar, valid = _polar(mask, ell)
    ink = polar & valid
    cols = valid[75:126].all(axis=0)
    if cols.sum() < 0.3 * _N_ANGLES:
        cols = valid[75:100].all(axis=0)
        if cols.sum() < 0.25 * _N_ANGLES:
            return ell, 0.0
    prof = ink[:, cols].mean(axis=1)
    smooth = np.convolve(prof, np.ones(3) / 3, mode="same")
    # the outermost strong peak: the border lies outside the ring text
    lo, hi = 75, 126
    seg = smooth[lo:hi]
    peak = float(seg.max())
    if peak <= 0.05:
        return ell, peak
    strong = np.nonzero(seg >= 0.7 * seg.max())[0]
    k = lo + int(strong[-1])
    # outer edge of the ring run on each ray: last ink row within [k - 12, k + 8]
    r0, r1 = max(0, k - 12), min(len(_RHO) - 1, k + 8)
    band = ink[r0 : r1 + 1]
    has = band.any(axis=0) & cols
    if has.sum() < 12:
        return ell, peak
    last = r1 - np.argmax(band[::-1], axis=0)
    rho = _RHO[last]
    med = float(np.median(rho[has]))
    sel = has & (np.abs(rho - med) < 0.08)
    if sel.sum() < 12:
        return ell, peak
    ex, ey = _ray_geometry(ell)
    cx, cy = ell[0], ell[1]
    pts = np.stack([cx + rho[sel] * ex[sel], cy + rho[sel] * ey[sel]], axis=1).astype(np.float32)
    (ncx, ncy), (d1, d2), nang = cv2.fitEllipse(pts)
    a, b = ell[2], ell[3]
    if not (np.isfinite(d1) and np.isfinite(d2)) or min(d1, d2) < 4 or max(d1, d2) > 4 * max(a, b):
        return ell, peak
    if sel.sum() < 0.5 * cols.sum() and max(d1, d2) / max(min(d1, d2), 1e-6) > 1.25:
        # few border points on a short arc: a circle is safer than a free ellipse
        (ncx, ncy), rad = cv2.minEnclosingCircle(pts) if sel.sum() < 20 else _fit_circle(pts)
        return (float(ncx), float(ncy), float(rad), float(rad), 0.0), peak
    return (float(ncx), float(ncy), d1 / 2.0, d2 / 2.0, float(nang)), peak


def refit_ellipse(mask: np.ndarray, ell: Ellipse, max_iter: int = 6, min_ring: float = 0.3) -> Ellipse | None:
    """Fit ``ell`` to the border ring of the ink in ``mask``, repeating ``_refine`` until it stops
    moving (a circle hypothesis on an oval seal needs 3-4 rounds).

    Args:
        mask: Binary ink mask (uint8 0/1) in the same pixels as ``ell``.
        ell: Starting hypothesis ``(cx, cy, a, b, angle_deg)``.
        max_iter: Most refits.
        min_ring: Share of rays that must meet a ring at the first round.

    Returns:
        The refitted ellipse, or None when too few rays meet a ring: no seal there.
    """
    for i in range(max_iter):
        new, ring = _refine(mask, ell)
        if i == 0 and ring < min_ring:
            return None
        moved = math.hypot(new[0] - ell[0], new[1] - ell[1])
        grown = max(abs(new[2] - ell[2]), abs(new[3] - ell[3]))
        ell = new
        if moved < 1.0 and grown < 0.02 * max(new[2], new[3]) + 0.5:
            break
    return ell


def _fit_circle(pts: np.ndarray) -> tuple[tuple[float, float], float]:
    """Least-squares (Kasa) circle through points."""
    x, y = pts[:, 0].astype(np.float64), pts[:, 1].astype(np.float64)
    a_mat = np.stack([x, y, np.ones_like(x)], axis=1)
    rhs = x * x + y * y
    sol, *_ = np.linalg.lstsq(a_mat, rhs, rcond=None)
    cx, cy = sol[0] / 2, sol[1] / 2
    r = math.sqrt(max(sol[2] + cx * cx + cy * cy, 1e-6))
    return (float(cx), float(cy)), float(r)


def _unit_star_reach(phi: np.ndarray) -> np.ndarray:
    """Distance from the centre to the outline of a unit five-pointed star along angle ``phi``
    (radians, measured from a tip)."""
    inner = math.sin(math.radians(18)) / math.sin(math.radians(126))  # 0.382: notch radius of a regular star
    period = 2 * math.pi / 5
    p = np.mod(phi, period)
    p = np.minimum(p, period - p)  # symmetric about the tip
    tip = np.array([1.0, 0.0])
    notch = inner * np.array([math.cos(period / 2), math.sin(period / 2)])
    d = notch - tip
    # ray s*(cos p, sin p) meets tip + t*d: solve the 2x2 system for s
    det = np.cos(p) * (-d[1]) - np.sin(p) * (-d[0])
    return (tip[0] * (-d[1]) - tip[1] * (-d[0])) / det


_STAR_RAYS = 90  # 4 degrees: one star period is 18 rays
_STAR_STEPS = 28
_STAR_SIZES = (0.18, 0.22, 0.26, 0.30, 0.34, 0.38)  # star tip radius / seal minor semi-axis
_STAR_ROI = 0.42


_STAR_SECTORS = 5


@lru_cache(maxsize=1)
def _star_templates() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Star-interior and notch masks in polar coordinates, one per (size, rotation), and each
    ray's star point.

    Returns:
        interiors, notches: (templates, rho, angle) float32, weighted by radius (area) and
        normalised so each point's part of a mask sums to 1; sectors: (templates, angle, 5) one-hot
        float32, the point (tip +- 36 deg) each ray belongs to.
    """
    theta = np.linspace(0, 2 * np.pi, _STAR_RAYS, endpoint=False)
    rho = (np.arange(_STAR_STEPS) + 0.5) / _STAR_STEPS * _STAR_ROI
    period = _STAR_RAYS // _STAR_SECTORS
    interiors, notches, sectors = [], [], []
    for size in _STAR_SIZES:
        for shift in range(period):
            reach = size * _unit_star_reach(theta - shift * 2 * np.pi / _STAR_RAYS)
            inside = (rho[:, None] < reach[None, :]) * rho[:, None]
            notch = ((rho[:, None] >= reach[None, :] + 0.02) & (rho[:, None] < size)) * rho[:, None]
            sector = ((np.arange(_STAR_RAYS) - shift) % _STAR_RAYS + period // 2) // period % _STAR_SECTORS
            onehot = np.eye(_STAR_SECTORS)[sector]  # (angle, 5)
            interiors.append(inside / np.maximum(inside.sum(axis=0) @ onehot, 1e-9)[sector][None, :])
            notches.append(notch / np.maximum(notch.sum(axis=0) @ onehot, 1e-9)[sector][None, :])
            sectors.append(onehot)
    return (np.array(interiors, np.float32), np.array(notches, np.float32), np.array(sectors, np.float32))


def _star_strength(mask: np.ndarray, ell: Ellipse, hidden: np.ndarray | None = None) -> float:
    """How well a five-pointed star fits the centre: ink inside the star minus ink in its notches.

    About 0.7-1.0 for a star, near 0 for text, a dot, a filled emblem or nothing. The star is
    searched over size, rotation and a few centres near the ellipse centre. It is scored point by
    point and the median point counts: a line of text printed across the star (the date, the
    issuer's name typed over the seal) fills the notches of the one or two points it crosses, not
    of all five. (Element-wise sums, not a matrix product: a threaded BLAS call costs far more CPU
    than it saves on a busy machine.)

    With ``hidden`` (non-zero where other print covers the seal: black text across a grey seal),
    each point is scored on what is not hidden, and only the points at least
    ``_STAR_MIN_SEEN`` seen count: two lines of text across three points of the star leave the
    two others and the uncovered parts of the three to judge it by.
    """
    cx, cy, a, b, _ = ell
    r_seal = min(a, b)
    if r_seal * _STAR_ROI < 6:
        return 0.0
    interiors, notches, sectors = _star_templates()
    theta = np.linspace(0, 2 * np.pi, _STAR_RAYS, endpoint=False, dtype=np.float32)
    rho = ((np.arange(_STAR_STEPS) + 0.5) / _STAR_STEPS * _STAR_ROI * r_seal).astype(np.float32)
    best = 0.0
    shift = 0.05 * r_seal
    for dx, dy in ((0, 0), (shift, 0), (-shift, 0), (0, shift), (0, -shift)):
        map_x = (cx + dx + rho[:, None] * np.cos(theta)[None, :]).astype(np.float32)
        map_y = (cy + dy + rho[:, None] * np.sin(theta)[None, :]).astype(np.float32)
        ink = cv2.remap(mask, map_x, map_y, cv2.INTER_NEAREST, borderMode=cv2.BORDER_CONSTANT, borderValue=0)
        v = (ink > 0).astype(np.float32)
        if hidden is None:
            per_ray = (interiors * v).sum(axis=1) - (notches * v).sum(axis=1)  # (templates, angle)
            inside_ray = (interiors * v).sum(axis=1)
            per_point = np.einsum("ta,tak->tk", per_ray, sectors)
            inside = np.einsum("ta,tak->tk", inside_ray, sectors).mean(axis=1)
            score = np.where(inside >= 0.6, np.median(per_point, axis=1), 0.0)
        else:
            covered = cv2.remap(hidden, map_x, map_y, cv2.INTER_NEAREST, borderMode=cv2.BORDER_CONSTANT, borderValue=0)
            seen = (covered == 0).astype(np.float32)
            score = _seen_star_score(v * seen, seen, interiors, notches, sectors)
        best = max(best, float(score.max()))
    return best


_STAR_MIN_SEEN = 0.5  # share of a star point's inside and notches not hidden for it to be judged
_STAR_MIN_POINTS = 3  # of the five


def _seen_star_score(v: np.ndarray, seen: np.ndarray, interiors: np.ndarray, notches: np.ndarray,
                     sectors: np.ndarray) -> np.ndarray:
    """Per template, the median over the well-seen points of (inside cover - notch cover), each cover
    taken over the seen part only; 0 where fewer than ``_STAR_MIN_POINTS`` points are well seen or the
    seen inside is not inked."""
    def per_point(weights: np.ndarray, values: np.ndarray) -> np.ndarray:
        return np.einsum("ta,tak->tk", (weights * values).sum(axis=1), sectors)

    inside_seen, notch_seen = per_point(interiors, seen), per_point(notches, seen)
    inside = per_point(interiors, v) / np.maximum(inside_seen, 1e-6)
    notch = per_point(notches, v) / np.maximum(notch_seen, 1e-6)
    judged = (inside_seen >= _STAR_MIN_SEEN) & (notch_seen >= _STAR_MIN_SEEN)
    count = judged.sum(axis=1)
    enough = count >= _STAR_MIN_POINTS
    inked = (inside * judged).sum(axis=1) / np.maximum(count, 1) >= 0.6
    points = np.where(judged, inside - notch, np.nan)
    medians = np.zeros(len(points), dtype=np.float32)
    if enough.any():
        medians[enough] = np.nanmedian(points[enough], axis=1)
    return np.where(enough & inked, medians, 0.0)


def _measure(mask: np.ndarray, ell: Ellipse, colour: str, text_h: float | None, page_min_side: int) -> SealFeatures:
    cx, cy, a, b, ang = ell
    if b > a:
        a, b, ang = b, a, ang + 90.0
    feats = SealFeatures(colour=colour, cx=cx, cy=cy, semi_major=a, semi_minor=b, angle_deg=ang % 180.0)
    polar, valid = _polar(mask, ell)
    ink = polar & valid
    # angles whose border region is on the image
    ang_valid = valid[86:104].all(axis=0)
    feats.valid_frac = float(ang_valid.mean())
    if ang_valid.sum() < 20:
        return feats
    cols = ang_valid
    prof = ink[:, cols].mean(axis=1)
    # outer boundary: outermost ink per ray between 0.6 and 1.3
    band = ink[60:131, cols]
    has = band.any(axis=0)
    last = 130 - np.argmax(band[::-1], axis=0)
    outer = _RHO[last]
    # a ray is "round" when the border's outer edge lies on the ellipse: ink at 0.92..1.04 and a
    # clear gap just outside (other ink further out, such as text under the seal, is allowed)
    on_ring = ink[92:105, cols].any(axis=0)
    gap_outside = ~ink[106:111, cols].any(axis=0)
    feats.roundness = float((on_ring & gap_outside).mean())
    del has, outer, last, band
    border = prof[82:103]
    k = int(np.argmax(border))
    feats.border_peak = float(border[k])
    feats.border_rho = float(_RHO[82 + k])
    # the border's radial width: rows around the peak still at least 60 % as covered
    peak_row = 82 + k
    lo = hi = peak_row
    while lo > 0 and prof[lo - 1] >= 0.6 * feats.border_peak:
        lo -= 1
    while hi < len(prof) - 1 and prof[hi + 1] >= 0.6 * feats.border_peak:
        hi += 1
    feats.border_width = float(_RHO[hi] - _RHO[lo] + 0.01)
    inner = prof[25:80]
    feats.ring_contrast = feats.border_peak - float(np.median(inner))
    weights = _RHO[:86]
    feats.fill = float((prof[:86] * weights).sum() / weights.sum())
    inside_end = max(30, 82 + k - 6)
    feats.interior_ink = float((prof[:inside_end] * _RHO[:inside_end]).sum() / _RHO[:inside_end].sum())
    text_band = ink[55:inside_end, cols].any(axis=0)
    feats.text_band_cover = float(text_band.mean())
    diameter = 2 * max(a, b)
    if text_h is not None and diameter < 0.5 * page_min_side:
        feats.text_heights = diameter / text_h
    return feats


_OUTLINE_RHO = np.linspace(0.6, 1.6, 101, dtype=np.float32)
_OUTLINE_RAYS = 90


def _outline_fit(mask: np.ndarray, ell: Ellipse) -> tuple[float, float]:
    """How well the outline of the ink follows a circle and a square, in the ellipse's own frame.

    Each ray records how far the ink reaches outward (up to 1.6 radii). In the frame where
    the fitted ellipse is a unit circle, a round or oval seal reaches the same distance on every
    ray, while a square or rectangular frame (a name seal, a box) reaches 1/max(|cos|, |sin|)
    of its half-side. Returns the shares of rays within 6 % of the best circle and of the best
    square; rules or text near the seal spoil a few rays of either.
    """
    theta = np.linspace(0, 2 * np.pi, _OUTLINE_RAYS, endpoint=False)
    cx, cy, a, b, ang = ell
    phi = math.radians(ang)
    ex = a * np.cos(theta) * math.cos(phi) - b * np.sin(theta) * math.sin(phi)
    ey = a * np.cos(theta) * math.sin(phi) + b * np.sin(theta) * math.cos(phi)
    map_x = (cx + _OUTLINE_RHO[:, None] * ex[None, :]).astype(np.float32)
    map_y = (cy + _OUTLINE_RHO[:, None] * ey[None, :]).astype(np.float32)
    ink = cv2.remap(mask, map_x, map_y, cv2.INTER_NEAREST, borderMode=cv2.BORDER_CONSTANT, borderValue=0) > 0
    ok = ink.any(axis=0)
    reach = _OUTLINE_RHO[len(_OUTLINE_RHO) - 1 - np.argmax(ink[::-1], axis=0)]
    if ok.sum() < 0.5 * _OUTLINE_RAYS:
        return 0.0, 0.0
    r = reach[ok]
    circle = float(np.mean(np.abs(r - np.median(r)) <= 0.06 * np.median(r)))
    square = 0.0
    for shift in np.radians(np.arange(0, 90, 4)):
        t = 1.0 / np.maximum(np.abs(np.cos(theta[ok] - shift)), np.abs(np.sin(theta[ok] - shift)))
        k = float(np.median(r / t))
        square = max(square, float(np.mean(np.abs(r - k * t) <= 0.06 * k * t)))
    return circle, square


def _shape_of(mask: np.ndarray, ell: Ellipse, square_rectangularity: float) -> tuple[str, float]:
    """round / oval / square.

    Square when the ink's outline follows a square (or a rectangle aligned with the fitted
    ellipse) clearly better than a circle (see ``_outline_fit``), or when the convex hull of the
    ink near the fitted outline (0.8..1.06 of the radius) nearly fills its bounding rectangle.
    """
    cx, cy, a, b, _ = ell
    circle, square = _outline_fit(mask, ell)
    if square >= 0.6 and square >= circle + 0.15:
        return "square", 1.0
    r = 1.1 * max(a, b)
    x0, y0 = max(0, int(cx - r)), max(0, int(cy - r))
    x1, y1 = min(mask.shape[1], int(cx + r) + 1), min(mask.shape[0], int(cy + r) + 1)
    ys, xs = np.nonzero(mask[y0:y1, x0:x1])
    if len(xs) < 20:
        return "unknown", 0.0
    pts = np.stack([xs + x0, ys + y0], axis=1).astype(np.float32)
    rho = _ellipse_rho(pts, ell)
    band = pts[(rho >= 0.8) & (rho <= 1.06)]
    if len(band) < 20:
        return "unknown", 0.0
    hull = cv2.convexHull(band)
    (_, _), (rw, rh), _ = cv2.minAreaRect(hull)
    rectangularity = float(cv2.contourArea(hull) / max(rw * rh, 1.0))
    if rectangularity >= square_rectangularity:
        return "square", rectangularity
    ratio = max(a, b) / max(min(a, b), 1e-6)
    return ("round" if ratio < 1.18 else "oval"), rectangularity


# ---------------------------------------------------------------------------
# Step 4: decision
# ---------------------------------------------------------------------------


def _judge(f: SealFeatures, params: SealParams, grey: bool) -> None:
    reasons = f.reasons
    aspect = f.semi_major / max(f.semi_minor, 1e-6)
    if aspect > params.max_aspect:
        reasons.append(f"aspect {aspect:.2f}")
    if f.valid_frac < params.min_valid_angle_frac:
        reasons.append(f"on page {f.valid_frac:.2f}")
    # the less of a seal is on the page, the more must the visible part look like one
    partial = f.valid_frac < 0.9
    min_round = params.partial_min_roundness if partial else params.min_roundness
    if f.roundness < min_round:
        reasons.append(f"roundness {f.roundness:.2f}")
    # without colour a ring is weaker evidence, unless the seal's star is there too
    min_peak = params.grey_min_border_peak if grey and f.star < params.min_star else params.min_border_peak
    if partial:
        min_peak = max(min_peak, params.partial_min_border_peak)
    if f.border_peak < min_peak:
        reasons.append(f"border {f.border_peak:.2f}")
    if f.border_width > params.max_border_width:
        # a seal's border is a line (1-1.5 mm on a 40 mm seal); a wide band is the edge of a solid
        # shape (a photo, a filled emblem) that the paper normalisation hollowed out
        reasons.append(f"border width {f.border_width:.2f}")
    if f.ring_contrast < params.min_ring_contrast:
        reasons.append(f"contrast {f.ring_contrast:.2f}")
    if f.fill > params.max_fill:
        reasons.append(f"fill {f.fill:.2f}")
    sure_seal = f.star >= params.sure_star and min(f.roundness, f.border_peak) >= params.sure_ring
    inked = not grey and f.interior_ink >= params.inked_interior
    min_paper = params.min_paper_ratio_inked if inked else params.min_paper_ratio
    if f.paper_ratio < min_paper and not sure_seal:
        # the paper estimate (a local maximum a few millimetres wide) stays bright under a seal's
        # thin strokes; under a solid shape wider than that (the head of an ID photo, a dark disc
        # in a picture) it follows the shape, whose edge the normalisation turned into a "ring"
        reasons.append(f"paper {f.paper_ratio:.2f}")
    if f.interior_ink < params.min_interior_ink:
        reasons.append(f"interior {f.interior_ink:.2f}")
    if f.interior_lightness < params.min_interior_lightness and not sure_seal:
        reasons.append(f"solid inside {f.interior_lightness:.0f}")
    if f.text_heights is not None and f.text_heights < params.min_text_heights:
        reasons.append(f"small {f.text_heights:.1f} text heights")
    if grey and f.star < params.min_star:
        # Without colour, a round logo has the same ring and ring text as a seal. Official seals
        # carry a star (国务院国发〔1999〕25号: 印章中央刊五角星); a seal without one (收费章, 发票章)
        # is accepted only when clearly seal-sized against the body text and clearly a ring.
        # Printed logos are round: a clearly oval ring (发票专用章, 财政监制章) need only be of seal
        # size, a round one must be clearly larger than a logo.
        oval = f.semi_major >= params.starless_oval_aspect * f.semi_minor
        needed = params.min_text_heights if oval else params.starless_text_heights
        # Gold / yellow print is usually a pre-printed emblem (the faint yellow one on invoices):
        # without a star it is not taken for a seal.
        starless_ok = (
            f.colour == "grey"
            and f.text_heights is not None
            and f.text_heights >= needed
            and f.roundness >= params.starless_min_roundness
            and f.border_peak >= params.starless_min_border_peak
            and f.ring_contrast >= (params.starless_oval_min_contrast if oval else params.starless_min_contrast)
            and f.fill <= params.starless_max_fill
        )
        if not starless_ok:
            reasons.append(f"no star {f.star:.2f}")
    elif (f.star < params.min_star and f.fill > params.starless_logo_fill
          and (f.text_heights is None or f.text_heights < params.starless_text_heights)):
        # A coloured seal needs no star (发票专用章). A small starless ring full of heavy print is a
        # logo: the blue CNAS mark of a real certificate (5.4 text heights, fill 0.51); a red blot on
        # a generated phone photo (4.9, 0.54). A seal-sized ring may be that full: a long hospital
        # name and the print under it (9.2 text heights, fill 0.54, its star unclear on a page
        # scanned sideways).
        reasons.append(f"starless fill {f.fill:.2f}")
    if (not grey and f.shape == "oval" and abs(f.angle_deg % 180 - 90) <= params.fingerprint_max_tilt_deg
            and f.star < params.sure_star
            and (f.text_heights is None or f.text_heights < params.starless_text_heights)):
        # an upright coloured oval of a fingerprint's size with no clear star: a red fingerprint beside a power
        # of attorney's signature (5.0 text heights, its ridges scoring 0.53 as a star; fresh seed 9659)
        reasons.append(f"upright oval {f.angle_deg:.0f} deg: a fingerprint")
    if f.shape == "square" and not params.include_square:
        reasons.append("square")
    margins = [
        (f.border_peak - min_peak) / 0.4,
        (f.ring_contrast - params.min_ring_contrast) / 0.4,
        (f.roundness - params.min_roundness) / 0.35,
        (params.max_fill - f.fill) / 0.4,
    ]
    quality = float(np.clip(np.mean(np.clip(margins, -1, 1)), -1, 1))
    f.accepted = not reasons
    f.score = float(np.clip(0.5 + 0.5 * quality, 0.0, 1.0)) if f.accepted else float(np.clip(0.25 + 0.2 * quality, 0, 0.49))


def _plausible(hyps: list[Ellipse], params: SealParams, shape: tuple[int, ...], text_h: float | None,
               limit: int) -> list[Ellipse]:
    """Cheap screening before the polar measurements: size, aspect, duplicates; at most ``limit``."""
    d_min = _min_diameter(shape, params)
    d_max = 1.1 * max(shape[:2])
    out: list[Ellipse] = []
    for ell in hyps:
        a, b = max(ell[2], ell[3]), min(ell[2], ell[3])
        if b <= 0 or a / b > 1.3 * params.max_aspect or 2 * a < d_min or 2 * b > d_max:
            continue
        if text_h is not None and 2 * a < 0.8 * params.min_text_heights * text_h and 2 * a < 0.4 * min(shape[:2]):
            continue
        duplicate = any(
            math.hypot(ell[0] - o[0], ell[1] - o[1]) < 0.15 * max(o[2], o[3])
            and abs(a - max(o[2], o[3])) < 0.15 * a
            and abs(b - min(o[2], o[3])) < 0.15 * b
            for o in out
        )
        if not duplicate:
            out.append(ell)
    # seal-sized first: a blob much bigger than a seal is usually a table or a photo
    out.sort(key=lambda e: abs(math.log(max(e[2], e[3]) / (0.09 * max(shape[:2]) + 1e-6))))
    return out[:limit]


_INSIDE_RHOS = np.linspace(0.1, 0.6, 6)
_AROUND_RHOS = np.linspace(1.15, 1.45, 4)


def _median_on_rays(image: np.ndarray, ell: Ellipse, rhos: np.ndarray) -> float | None:
    """Median of ``image`` at the relative radii ``rhos`` of the ellipse's rays that stay on it;
    None when too little of them is on the image."""
    cx, cy, _a, _b, _ang = ell
    ex, ey = _ray_geometry(ell)
    h, w = image.shape
    xs = (cx + rhos[:, None] * ex[None, :]).ravel()
    ys = (cy + rhos[:, None] * ey[None, :]).ravel()
    ok = (xs >= 0) & (xs <= w - 1) & (ys >= 0) & (ys <= h - 1)
    if ok.sum() < 50:
        return None
    return float(np.median(image[ys[ok].astype(int), xs[ok].astype(int)]))


def _paper_ratio(paper_lum: np.ndarray, ell: Ellipse) -> float:
    """Median paper lightness inside the ring (relative radius < 0.6) over that just outside it
    (1.15..1.45), on the rays that stay on the image; 1.0 when too little of either is on it."""
    inside, around = _median_on_rays(paper_lum, ell, _INSIDE_RHOS), _median_on_rays(paper_lum, ell, _AROUND_RHOS)
    if inside is None or around is None:
        return 1.0
    return inside / max(around, 1.0)


def _interior_lightness(lum: np.ndarray, ell: Ellipse) -> float:
    """Median normalised lightness inside the ring (relative radius 0.1-0.6); 255 when off the image."""
    inside = _median_on_rays(lum, ell, _INSIDE_RHOS)
    return 255.0 if inside is None else inside


def _evaluate(mask: np.ndarray, hyps: list[Ellipse], colour: str, text_h: float | None, page_min_side: int,
              params: SealParams, star_mask: np.ndarray | None = None,
              paper_lum: np.ndarray | None = None, lum: np.ndarray | None = None,
              star_under_print: tuple[np.ndarray, np.ndarray] | None = None) -> list[SealFeatures]:
    """Measure and judge each hypothesis. ``star_under_print`` (a grey seal's mid-tone ink, the black
    print over it): when the star on ``star_mask`` is unclear, it is judged again on the mid tone
    with the print's place hidden (lines of text typed across the star)."""
    out = []
    for hyp in hyps:
        ell = refit_ellipse(mask, hyp)
        if ell is None:
            continue
        f = _measure(mask, ell, colour, text_h, page_min_side)
        grey = colour in ("grey", "other")
        # judge first as if a star were there and the shape round; only a candidate that passes
        # that is worth the (slower) star and shape measurements
        f.star, f.shape = 1.0, "round"
        _judge(f, params, grey)
        if f.accepted:
            f.reasons.clear()
            f.shape, f.rectangularity = _shape_of(mask, ell, params.square_rectangularity)
            f.star = _star_strength(mask if star_mask is None else star_mask, ell)
            if star_under_print is not None and f.star < params.min_star:
                f.star = max(f.star, _star_strength(star_under_print[0], ell, hidden=star_under_print[1]))
            if paper_lum is not None:
                f.paper_ratio = _paper_ratio(paper_lum, ell)
            if lum is not None:
                f.interior_lightness = _interior_lightness(lum, ell)
            _judge(f, params, grey)
        else:
            f.star, f.shape = 0.0, "unknown"
        out.append(f)
    return out


def _candidates(work: WorkImage, params: SealParams) -> list[SealFeatures]:
    text_h = _text_height(work)
    masks = colour_masks(work)
    page_min_side = min(work.lum.shape)
    found: list[SealFeatures] = []
    d_min = _min_diameter(work.lum.shape, params)
    for colour, (core, mask) in masks.items():
        if cv2.countNonZero(core) < 0.1 * d_min * d_min:
            continue  # not enough ink of this colour for even the smallest seal's ring
        family = _colour_family(core, mask, colour, text_h, page_min_side, work, params)
        found.extend(family)
        if any(f.accepted for f in family):
            continue
        bare_mask = without_rules(mask)
        if bare_mask is not mask:
            # a rule of the seal's colour printed across it fuses with the ring: look again without rules
            found.extend(_colour_family(without_rules(core), bare_mask, colour, text_h, page_min_side, work, params))
    if params.grey and not any(f.accepted for f in found):
        mid = mid_tone_ink(work)
        ink = _grey_ink(work)
        mid_hyps = _blob_hypotheses(mid, params) + _hough_hypotheses(mid, params, text_h, max_circles=6, perfectness=0.45)
        mid_plausible = _plausible(mid_hyps, params, mid.shape, text_h, params.max_candidates)
        ink_plausible = _plausible(_hough_hypotheses(ink, params, text_h), params, ink.shape, text_h,
                                   params.max_candidates)
        # the star is judged on all non-paper ink: text printed across it must not cut it up
        any_ink = mid | ink
        # A copier renders one seal in a range of tones: a worn or unevenly inked ring is mid-grey in
        # places and as dark as text in others, so neither tone band alone holds the whole ring;
        # each hypothesis is also measured on both bands together.
        hyps = [(mid, h) for h in mid_plausible] + [(ink, h) for h in ink_plausible]
        hyps += [(any_ink, h) for h in mid_plausible + ink_plausible]
        bare = without_rules(any_ink)
        if bare is not any_ink:
            # a printed rule touching a grey ring joins it to the text around: no blob outlines the
            # seal until the rules are gone (a photocopied oval under a report's footer line). Only
            # seal-sized outlines: a certificate's small round marks are not official seals.
            big = [h for h in _blob_hypotheses(bare, params)
                   if 2 * max(h[2], h[3]) >= BARE_GREY_MIN_PAGE_SHARE * min(bare.shape)]
            hyps += [(bare, h) for h in _plausible(big, params, bare.shape, text_h, params.max_candidates)]
            # and the rings already found, measured without the rules (a table's rules across a pale oval filled
            # it past a starless seal's fill: alternative templates 2, seed 7114, a false SEAL_MISSING)
            hyps += [(bare, h) for h in mid_plausible + ink_plausible]
        under_print = (mid, near_dark_print(work))
        for mask, hyp in hyps:
            found.extend(_evaluate(mask, [hyp], "grey", text_h, page_min_side, params, star_mask=any_ink,
                                   paper_lum=work.paper_lum, lum=work.lum, star_under_print=under_print))
    if not any(f.accepted and f.colour != "grey" for f in found):
        # last, a pale seal on a page with a colour cast: fainter ink of each colour, away from black print
        # (also where the grey look found one: a pale red seal is neutral enough for it, and red it is)
        for colour, mask in faint_colour_masks(work).items():
            if cv2.countNonZero(mask) >= 0.1 * d_min * d_min:
                found.extend(_colour_family(mask, mask, colour, text_h, page_min_side, work, params))
    return found


# An official seal is 40 mm across (an oval 40 x 30 mm): a fifth of an A4 page's width; a
# certificate's round marks are half that (a real CNAS certificate's: 0.136 of its short side).
BARE_GREY_MIN_PAGE_SHARE = 0.15
RULE_MIN_SHARE = 0.3  # a straight run this long (of the page's width or height) is a printed rule
RULE_DRIFT = 5  # px across the run: how far a slightly tilted rule may wander along its length


def without_rules(mask: np.ndarray) -> np.ndarray:
    """``mask`` without its long straight horizontal and vertical runs (a red rule under a red title).

    A rule printed across a seal fuses with its ring into one blob that no ellipse fits, and
    adds ink inside and outside the ring. The flattest stretch of a seal filling a close-up can
    be as long as a rule, so this is a second look, never the only one.
    """
    height, width = mask.shape[:2]
    across = max(3, round(RULE_MIN_SHARE * width))
    down = max(3, round(RULE_MIN_SHARE * height))
    # thickened across its run first, so a rule a fraction of a degree off level (a scan's tilt: one pixel
    # row over 150 px) is still one run; only the mask's own pixels of it are taken
    level = cv2.dilate(mask, cv2.getStructuringElement(cv2.MORPH_RECT, (1, RULE_DRIFT)))
    upright = cv2.dilate(mask, cv2.getStructuringElement(cv2.MORPH_RECT, (RULE_DRIFT, 1)))
    rules = cv2.morphologyEx(level, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (across, 1)))
    rules |= cv2.morphologyEx(upright, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, down)))
    rules &= mask
    if not cv2.countNonZero(rules):
        return mask
    # a rule's anti-aliased edge rows are part of it
    rules = cv2.dilate(rules, cv2.getStructuringElement(cv2.MORPH_RECT, (3, 3)))
    return cv2.bitwise_and(mask, cv2.bitwise_not(rules))


def _colour_family(core: np.ndarray, mask: np.ndarray, colour: str, text_h: float | None, page_min_side: int,
                   work: WorkImage, params: SealParams) -> list[SealFeatures]:
    """Seal candidates of one colour: ellipses fitted to its blobs, and rings when no round one is found."""
    hyps = _blob_hypotheses(core, params, groups=False) + _blob_hypotheses(mask, params)
    family = _evaluate(mask, _plausible(hyps, params, mask.shape, text_h, params.max_candidates), colour,
                       text_h, page_min_side, params, paper_lum=work.paper_lum, lum=work.lum)
    if not any(f.accepted and f.semi_major < 1.15 * f.semi_minor for f in family):
        # no round seal from blob outlines: seals fused with print of their colour, or two
        # overlapping round seals taken for one oval, are found by their rings
        circles = _hough_hypotheses(mask, params, text_h, max_circles=6, perfectness=0.45)
        family += _evaluate(mask, _plausible(circles, params, mask.shape, text_h, params.max_candidates), colour,
                            text_h, page_min_side, params, paper_lum=work.paper_lum, lum=work.lum)
    return family


def _iou(a: SealFeatures, b: SealFeatures) -> float:
    ax0, ay0, ax1, ay1 = _box(a)
    bx0, by0, bx1, by1 = _box(b)
    iw = max(0.0, min(ax1, bx1) - max(ax0, bx0))
    ih = max(0.0, min(ay1, by1) - max(ay0, by0))
    inter = iw * ih
    union = (ax1 - ax0) * (ay1 - ay0) + (bx1 - bx0) * (by1 - by0) - inter
    return inter / union if union > 0 else 0.0


def _box(f: SealFeatures) -> tuple[float, float, float, float]:
    a, b, phi = f.semi_major, f.semi_minor, math.radians(f.angle_deg)
    # the major axis may be either fitted axis; a bounding box of the rotated ellipse either way
    hw = math.sqrt((a * math.cos(phi)) ** 2 + (b * math.sin(phi)) ** 2)
    hh = math.sqrt((a * math.sin(phi)) ** 2 + (b * math.cos(phi)) ** 2)
    return f.cx - hw, f.cy - hh, f.cx + hw, f.cy + hh


def _coloured_over_grey(feats: list[SealFeatures]) -> list[SealFeatures]:
    """``feats`` without the grey readings of a seal also found in its own colour (its ink is coloured)."""
    coloured = [f for f in feats if f.colour != "grey"]
    return [f for f in feats if f.colour != "grey" or all(_iou(f, c) < 0.3 for c in coloured)]


SAME_INK_IOU = 0.7


# A fingerprint in colour: its ridges fill the outline, with no ring standing out from them and no star.
FINGERPRINT_MAX_RING_CONTRAST = 0.3
FINGERPRINT_MAX_STAR = 0.3


def _filled_in_colour(f: SealFeatures, feats: Sequence[SealFeatures]) -> bool:
    """Whether a grey reading ``f`` is a coloured fingerprint: seen in its colour, its ridges fill the outline past a
    seal's fill with no ring standing out, and its grey reading shows no star. A pink fingerprint beside a power of
    attorney's signature passed as a grey oval from its mid-tone ridges alone (fresh seed 9659, two of them). A red
    seal refused in red for its fill keeps its grey reading: its ring stands out (contrast 0.62) and its star shows
    (0.65) (fresh seed 9660, a phone photo)."""
    return f.colour == "grey" and f.star < FINGERPRINT_MAX_STAR and any(
        c.colour != "grey" and not c.accepted and any(r.startswith("fill") for r in c.reasons)
        and c.ring_contrast < FINGERPRINT_MAX_RING_CONTRAST and _iou(f, c) >= SAME_INK_IOU for c in feats)


def _suppress(feats: list[SealFeatures]) -> list[SealFeatures]:
    kept: list[SealFeatures] = []
    for f in sorted(feats, key=lambda f: f.score, reverse=True):
        if all(_iou(f, k) < 0.3 for k in kept):
            kept.append(f)
    return kept


# A seal is stamped in one ink. A red disc ringed in gold, as the national emblem on an ID card's back
# is (fresh seed 9535: a blurred 国徽 accepted as a red seal at 0.75, its star at 0.43), is printed
# colour artwork: a clear gold ring around the same centre, as wide as the red shape or a little wider.
GOLD_RING_MIN_PEAK = 0.9
GOLD_RING_MIN_CONTRAST = 0.8
GOLD_RING_RADII = (0.95, 1.6)  # gold radius / red radius
GOLD_RING_CENTRE = 0.3  # of the red radius


def _inside_a_gold_ring(f: SealFeatures, feats: Sequence[SealFeatures], params: SealParams) -> bool:
    """Whether a coloured candidate without a clear star lies inside a clear gold ring of its own centre."""
    if f.colour not in ("red", "blue") or f.star >= params.min_star:
        return False
    radius = (f.semi_major + f.semi_minor) / 2
    for gold in feats:
        if gold.colour != "other" or gold.border_peak < GOLD_RING_MIN_PEAK or gold.ring_contrast < GOLD_RING_MIN_CONTRAST:
            continue
        ratio = (gold.semi_major + gold.semi_minor) / 2 / max(radius, 1e-6)
        if GOLD_RING_RADII[0] <= ratio <= GOLD_RING_RADII[1] \
                and math.hypot(gold.cx - f.cx, gold.cy - f.cy) <= GOLD_RING_CENTRE * radius:
            return True
    return False


def detect_seals_debug(image: np.ndarray, params: SealParams = SealParams()) -> tuple[list[SealFeatures], float]:
    """All measured candidates (accepted or not) in working-image pixels, and the working scale."""
    work = prepare_work(image, params)
    return _candidates(work, params), work.scale


def detect_seals(image: np.ndarray, page: int, params: SealParams = SealParams()) -> list[Seal]:
    """Return the official seals found on one page, strongest first.

    Args:
        image: The upright page, BGR (or greyscale) uint8, any resolution.
        page: 1-based page number, copied into each ``Seal``.
        params: Detector thresholds; the defaults are the product's settings.

    Returns:
        Zero or more seals with ``bbox`` in pixels of ``image``, ``score`` in 0..1, colour
        (red / blue / grey / other) and shape (round / oval / square). Text is not read here
        (see ``pipeline.seal_text.read_seal``). An empty list is an answer, not an error.

    Raises:
        ValueError: ``image`` is empty or not a 2-D / 3-D uint8 array.
    """
    if image is None or image.size == 0 or image.dtype != np.uint8 or image.ndim not in (2, 3):
        raise ValueError("detect_seals needs a non-empty uint8 BGR or greyscale image")
    feats, scale = detect_seals_debug(image, params)
    accepted = _suppress(_coloured_over_grey([f for f in feats if f.accepted and not _inside_a_gold_ring(f, feats, params)
                                              and not _filled_in_colour(f, feats)]))
    accepted = accepted[: params.max_seals]
    h, w = image.shape[:2]
    seals = []
    for f in accepted:
        x0, y0, x1, y1 = (v / scale for v in _box(f))
        x0, y0 = max(0, math.floor(x0)), max(0, math.floor(y0))
        x1, y1 = min(w, math.ceil(x1)), min(h, math.ceil(y1))
        if x1 - x0 < 2 or y1 - y0 < 2:
            continue
        colour: SealColour = f.colour if f.colour in ("red", "blue", "grey") else "other"  # type: ignore[assignment]
        shape: SealShape = f.shape if f.shape in ("round", "oval", "square") else "unknown"  # type: ignore[assignment]
        seals.append(Seal(page=page, bbox=[x0, y0, x1 - x0, y1 - y0], score=round(f.score, 3), colour=colour, shape=shape))
    return seals


def crop_seal(image: np.ndarray, bbox: list[int] | tuple[int, int, int, int], margin: float = 0.1) -> np.ndarray:
    """Cut a seal's box out of the page, widened by ``margin`` of its size on every side.

    Args:
        image: The page the box refers to.
        bbox: ``[x, y, w, h]`` in pixels of ``image``.
        margin: Extra border as a fraction of the box's width / height (0.1 = 10 %).

    Returns:
        A copy of the region, clipped to the page.
    """
    x, y, w, h = (int(v) for v in bbox)
    mx, my = round(w * margin), round(h * margin)
    ih, iw = image.shape[:2]
    x0, y0 = max(0, x - mx), max(0, y - my)
    x1, y1 = min(iw, x + w + mx), min(ih, y + h + my)
    return image[y0:y1, x0:x1].copy()
