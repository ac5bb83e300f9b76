"""Make a page image upright: find the sheet in a photo, straighten the text, turn it right way up.

Three steps, each cheap and each skipped when it is not confident:

1. ``find_sheet``: the largest bright quadrilateral against a darker background
   (a phone photo of paper on a desk); its perspective is removed.
2. ``estimate_skew``: the text-line angle in [-45°, 45°) from the projection
   profile of a binarised thumbnail; the page is rotated by it.
3. ``detect_orientation``: 0/90/180/270 from the PP-OCR text detector's line
   boxes (tall boxes mean the lines run vertically) and the PP-OCR
   direction classifier on the longest few line crops (0 vs 180). No OCR pass
   per rotation is needed. Given the OCR engine's own line detector, the lines are
   detected once at the OCR's resolution on the sheet- and skew-corrected page, vote
   on the orientation, and are turned with the page for the OCR to read
   (:attr:`Page.line_boxes`): the page is detected once instead of twice.

The result is one :class:`PageTransform` that can be replayed on the same page
at any resolution (``apply_transform``), so the full-resolution original can be
made upright only when a second look needs it. This module reads pixels; it
does not OCR pages or decide anything about their content.
"""

from __future__ import annotations

import dataclasses
import math
import time
from collections.abc import Callable, Sequence
from typing import Literal

import cv2
import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from pipeline.pages import Page

Rotation = Literal[0, 90, 180, 270]
Point = tuple[float, float]

_ANALYSIS_LONG_SIDE = 1024  # thumbnail for sheet, skew and orientation analysis


class PageTransform(BaseModel):
    """The geometry correction applied to a page, replayable at any resolution.

    Order of application: perspective (``sheet_quad``), then deskew (``skew_deg``), then
    the quarter turn (``rotation_deg``). Angles are clockwise, in degrees.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    rotation_deg: Rotation = 0
    skew_deg: float = 0.0
    sheet_quad: tuple[Point, Point, Point, Point] | None = Field(
        default=None, description="sheet corners tl, tr, br, bl as fractions of the input width and height"
    )
    orientation_confidence: float = Field(default=0.0, ge=0.0, le=1.0)
    skew_confidence: float = Field(default=0.0, ge=0.0)
    elapsed_s: float = 0.0

    @property
    def is_identity(self) -> bool:
        return self.rotation_deg == 0 and self.skew_deg == 0.0 and self.sheet_quad is None

    def describe(self) -> str:
        """A short human-readable summary, e.g. ``rotated 90°, deskewed -2.5°, perspective corrected``."""
        parts = []
        if self.sheet_quad is not None:
            parts.append("perspective corrected")
        if self.skew_deg:
            parts.append(f"deskewed {self.skew_deg:+.1f}°")
        if self.rotation_deg:
            parts.append(f"rotated {self.rotation_deg}°")
        return ", ".join(parts) or "unchanged"


@dataclasses.dataclass(frozen=True)
class GeometryOptions:
    """Which corrections to attempt; all on by default."""

    find_sheet: bool = True
    deskew: bool = True
    orient: bool = True
    min_skew_deg: float = 0.4
    max_skew_deg: float = 45.0


LineDetector = Callable[[np.ndarray], list[np.ndarray]]
"""The OCR engine's text line detector: line boxes (tl, tr, br, bl) in pixels of the image given."""


@dataclasses.dataclass(frozen=True)
class Uprighted:
    """A corrected image, the transform applied, and the OCR's line boxes in the corrected image.

    ``line_boxes`` is ``None`` unless a detector was given and orientation ran.
    """

    image: np.ndarray
    transform: PageTransform
    line_boxes: tuple[np.ndarray, ...] | None = None


def upright_page(page: Page, options: GeometryOptions | None = None, detect_lines: LineDetector | None = None) -> Page:
    """Return ``page`` with its working image made upright; the full image is left as decoded.

    Pages with a PDF text layer are returned unchanged (their text boxes are exact in
    the rendered page; turning the image would separate the two).

    Args:
        page: A loaded page.
        options: Corrections to attempt.
        detect_lines: The OCR engine's line detector. When given, the lines it finds on the
            sheet- and skew-corrected page vote on the orientation and are kept, turned, in
            ``Page.line_boxes`` for the OCR: one detection per page serves both.

    Returns:
        A new :class:`Page` whose ``image`` is upright, ``transform`` and ``rotation_deg`` set.
    """
    if page.text_layer is not None:
        return page
    result = upright_image(page.image, options, detect_lines)
    if result.transform.is_identity:
        return dataclasses.replace(page, transform=result.transform, line_boxes=result.line_boxes)
    return dataclasses.replace(
        page,
        image=result.image,
        transform=result.transform,
        rotation_deg=(page.rotation_deg + result.transform.rotation_deg) % 360,
        line_boxes=result.line_boxes,
    )


def upright_original(page: Page) -> np.ndarray:
    """The page's highest-resolution image with the page's transform replayed on it."""
    transform = page.transform
    if page.full_image is None:
        return page.image
    if transform is None or transform.is_identity:
        return page.full_image
    return apply_transform(page.full_image, transform)


def correct_geometry(image: np.ndarray, options: GeometryOptions | None = None) -> tuple[np.ndarray, PageTransform]:
    """Find the sheet, deskew and orient one BGR image; see :func:`upright_image`.

    Returns:
        The corrected image (the input itself when nothing changed) and the transform applied.
    """
    result = upright_image(image, options)
    return result.image, result.transform


# A page turned a quarter is detected again once upright: lines detected sideways, small print above all, are
# lost (an ID card's 姓名 傅梅丽 on a photo turned 90°). Over 87 rotated captures of four corpora a detection
# on the upright page read 3 more of 180 key strings (names, hospitals) and none fewer, all on quarter turns.
SIDEWAYS = (90, 270)


def upright_image(image: np.ndarray, options: GeometryOptions | None = None,
                  detect_lines: LineDetector | None = None) -> Uprighted:
    """Find the sheet, deskew and orient one BGR image.

    Sheet and skew are found on a thumbnail. For the orientation, text lines are detected
    on the sheet- and skew-corrected image: by ``detect_lines`` at the image's own
    resolution (the OCR's detection, whose boxes are then turned with the page and kept),
    or else by the PP-OCR detector on the thumbnail.

    Args:
        image: BGR ``uint8`` page image.
        options: Corrections to attempt.
        detect_lines: The OCR engine's line detector, or ``None``.

    Returns:
        The corrected image (the input itself when nothing changed), the transform applied
        and, when ``detect_lines`` ran, the line boxes in the corrected image.
    """
    options = options or GeometryOptions()
    started = time.monotonic()
    small, _ = _thumbnail(image, _ANALYSIS_LONG_SIDE)
    quad = find_sheet(small) if options.find_sheet else None
    staged = PageTransform(sheet_quad=quad)
    if quad is not None:
        small = apply_transform(small, staged)
    skew, skew_conf = estimate_skew(small, max_deg=options.max_skew_deg) if options.deskew else (0.0, 0.0)
    if abs(skew) > _CHECK_SKEW_DEG:
        skew = checked_skew(small, skew)
    if abs(skew) < options.min_skew_deg:
        skew = 0.0
    if skew:
        staged = staged.model_copy(update={"skew_deg": round(skew, 2), "skew_confidence": round(skew_conf, 3)})
        small = _rotate_free(small, skew)
    rotation: Rotation = 0
    confidence = 0.0
    staged_image: np.ndarray | None = None
    lines: list[np.ndarray] | None = None
    if options.orient and detect_lines is not None:
        staged_image = _staged_image(image, staged)
        lines = detect_lines(staged_image)
        rotation, confidence = detect_orientation(small, sharper=lambda: staged_image,
                                                  quads=_scaled_to(lines, staged_image, small))
    elif options.orient:
        rotation, confidence = detect_orientation(small, sharper=lambda: _staged_image(image, staged))
    transform = staged.model_copy(
        update={
            "rotation_deg": rotation,
            "orientation_confidence": round(confidence, 3),
            "elapsed_s": round(time.monotonic() - started, 3),
        }
    )
    if staged_image is not None and lines is not None:
        # the quarter turn of the staged image is the full transform replayed (lossless)
        height, width = staged_image.shape[:2]
        if rotation in SIDEWAYS:
            return Uprighted(_quarter_turn(staged_image, rotation), transform)
        return Uprighted(_quarter_turn(staged_image, rotation), transform,
                         tuple(_quad_turned(q, rotation, (width, height)) for q in lines))
    if transform.is_identity:
        return Uprighted(image, transform)
    return Uprighted(apply_transform(image, transform), transform)


def _scaled_to(quads: Sequence[np.ndarray], source: np.ndarray, target: np.ndarray) -> list[np.ndarray]:
    """Boxes in ``source`` pixels expressed in the pixels of ``target``, the same picture at another size."""
    factor = np.array([target.shape[1] / source.shape[1], target.shape[0] / source.shape[0]], dtype=np.float32)
    return [(q * factor).astype(np.float32) for q in quads]


def _quad_turned(quad: np.ndarray, rotation_deg: int, size: tuple[int, int]) -> np.ndarray:
    """A box (tl, tr, br, bl) of an image of ``size`` (w, h) in the frame of that image turned by ``rotation_deg``.

    The corners are mapped by the turn, then renamed: a quarter turn clockwise makes the old
    bottom-left corner the new top-left, and so on round.
    """
    if not rotation_deg:
        return quad
    matrix, _ = _quarter_turn_matrix(rotation_deg, (float(size[0]), float(size[1])))
    points = np.hstack([quad.astype(np.float64), np.ones((4, 1))]) @ matrix.T
    steps = rotation_deg // 90
    return np.roll(points[:, :2], steps, axis=0).astype(np.float32)


def _staged_image(image: np.ndarray, staged: PageTransform) -> np.ndarray:
    """``image`` with the sheet and skew corrections found so far (no quarter turn yet)."""
    return image if staged.is_identity else apply_transform(image, staged)


# ---------------------------------------------------------------- replaying a transform


def transform_matrix(transform: PageTransform, width: int, height: int) -> tuple[np.ndarray, tuple[int, int]]:
    """The 3x3 matrix mapping input pixels to output pixels, and the output size (w, h).

    Args:
        transform: The correction to replay.
        width: Input image width in pixels (any resolution of the same page).
        height: Input image height in pixels.
    """
    matrix = np.eye(3)
    size = (float(width), float(height))
    if transform.sheet_quad is not None:
        corners = np.array([(x * width, y * height) for x, y in transform.sheet_quad], dtype=np.float64)
        out_w, out_h = sheet_size(corners, (width / 2.0, height / 2.0))
        target = np.array([[0, 0], [out_w - 1, 0], [out_w - 1, out_h - 1], [0, out_h - 1]], dtype=np.float64)
        perspective = cv2.getPerspectiveTransform(corners.astype(np.float32), target.astype(np.float32))
        matrix = perspective @ matrix
        size = (float(round(out_w)), float(round(out_h)))
    if transform.skew_deg:
        rotation, size = _free_rotation_matrix(transform.skew_deg, size)
        matrix = rotation @ matrix
    if transform.rotation_deg:
        quarter, size = _quarter_turn_matrix(transform.rotation_deg, size)
        matrix = quarter @ matrix
    return matrix, (round(size[0]), round(size[1]))


def apply_transform(image: np.ndarray, transform: PageTransform) -> np.ndarray:
    """Replay ``transform`` on ``image`` (the same page at any resolution).

    A pure quarter turn is done losslessly; anything else is one resampling.
    """
    if transform.is_identity:
        return image
    if transform.sheet_quad is None and not transform.skew_deg:
        return _quarter_turn(image, transform.rotation_deg)
    height, width = image.shape[:2]
    matrix, size = transform_matrix(transform, width, height)
    return cv2.warpPerspective(
        image, matrix, size, flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=(255, 255, 255)
    )


# A phone camera's focal length is about 0.5-3 times the photo's long side (wide to 3x tele);
# an estimate far outside that comes from edges too nearly parallel to measure it.
FOCAL_RANGE = (0.3, 5.0)
# Foreshortening changes a sheet's apparent aspect; by more than this the estimate is wrong
# (the edges measured as they are give the better shape).
MAX_ASPECT_CHANGE = 1.5


def sheet_size(corners: np.ndarray, principal_point: tuple[float, float]) -> tuple[float, float]:
    """Width and height (pixels) of the flattened sheet whose photo has these corners (tl, tr, br, bl).

    The sheet's true aspect ratio is recovered from the perspective with a pinhole camera
    whose principal point is the photo centre (Zhang & He, "Whiteboard scanning and image
    enhancement", 2007); when that is degenerate (nearly parallel edges) or implausible, the
    longer of each pair of opposite edges is used. The height is the longer side edge.
    """
    top = np.linalg.norm(corners[1] - corners[0])
    bottom = np.linalg.norm(corners[2] - corners[3])
    left = np.linalg.norm(corners[3] - corners[0])
    right = np.linalg.norm(corners[2] - corners[1])
    fallback = (max(top, bottom), max(left, right))
    aspect = _projective_aspect(corners, principal_point)
    if aspect is None or not 1 / MAX_ASPECT_CHANGE <= aspect / (fallback[0] / fallback[1]) <= MAX_ASPECT_CHANGE:
        return fallback
    height = max(left, right)
    return height * aspect, height


def _projective_aspect(corners: np.ndarray, principal_point: tuple[float, float]) -> float | None:
    u0, v0 = principal_point
    m1, m2, m4, m3 = (np.array([x, y, 1.0]) for x, y in corners)  # tl, tr, br, bl in the paper's naming
    k2 = np.dot(np.cross(m1, m4), m3) / np.dot(np.cross(m2, m4), m3)
    k3 = np.dot(np.cross(m1, m4), m2) / np.dot(np.cross(m3, m4), m2)
    n2 = k2 * m2 - m1
    n3 = k3 * m3 - m1
    if abs(n2[2]) < 1e-6 or abs(n3[2]) < 1e-6:  # an edge pair is parallel: affine view
        return float(np.hypot(n2[0], n2[1]) / np.hypot(n3[0], n3[1]))
    f_squared = -(
        (n2[0] * n3[0] - (n2[0] * n3[2] + n2[2] * n3[0]) * u0 + n2[2] * n3[2] * u0 * u0)
        + (n2[1] * n3[1] - (n2[1] * n3[2] + n2[2] * n3[1]) * v0 + n2[2] * n3[2] * v0 * v0)
    ) / (n2[2] * n3[2])
    if f_squared <= 0:
        return None
    f = math.sqrt(f_squared)
    long_side = 2.0 * max(u0, v0)
    if not FOCAL_RANGE[0] * long_side <= f <= FOCAL_RANGE[1] * long_side:
        return None  # a nearly frontal view: the focal length, and with it the aspect, is noise
    a_inv = np.linalg.inv(np.array([[f, 0.0, u0], [0.0, f, v0], [0.0, 0.0, 1.0]]))
    width_sq = n2 @ a_inv.T @ a_inv @ n2
    height_sq = n3 @ a_inv.T @ a_inv @ n3
    if width_sq <= 0 or height_sq <= 0:
        return None
    return float(math.sqrt(width_sq / height_sq))


def _quarter_turn(image: np.ndarray, rotation_deg: int) -> np.ndarray:
    codes = {90: cv2.ROTATE_90_CLOCKWISE, 180: cv2.ROTATE_180, 270: cv2.ROTATE_90_COUNTERCLOCKWISE}
    return cv2.rotate(image, codes[rotation_deg]) if rotation_deg in codes else image


def _quarter_turn_matrix(rotation_deg: int, size: tuple[float, float]) -> tuple[np.ndarray, tuple[float, float]]:
    w, h = size
    if rotation_deg == 90:
        return np.array([[0, -1, h - 1], [1, 0, 0], [0, 0, 1]], dtype=np.float64), (h, w)
    if rotation_deg == 180:
        return np.array([[-1, 0, w - 1], [0, -1, h - 1], [0, 0, 1]], dtype=np.float64), (w, h)
    if rotation_deg == 270:
        return np.array([[0, 1, 0], [-1, 0, w - 1], [0, 0, 1]], dtype=np.float64), (h, w)
    return np.eye(3), size


def _free_rotation_matrix(clockwise_deg: float, size: tuple[float, float]) -> tuple[np.ndarray, tuple[float, float]]:
    """Rotation about the centre by ``clockwise_deg``, with the canvas grown to keep every corner."""
    w, h = size
    theta = math.radians(clockwise_deg)
    cos, sin = abs(math.cos(theta)), abs(math.sin(theta))
    out_w, out_h = w * cos + h * sin, w * sin + h * cos
    affine = cv2.getRotationMatrix2D((w / 2.0, h / 2.0), -clockwise_deg, 1.0)
    affine[0, 2] += out_w / 2.0 - w / 2.0
    affine[1, 2] += out_h / 2.0 - h / 2.0
    return np.vstack([affine, [0.0, 0.0, 1.0]]), (round(out_w), round(out_h))


def _rotate_free(image: np.ndarray, clockwise_deg: float) -> np.ndarray:
    height, width = image.shape[:2]
    matrix, size = _free_rotation_matrix(clockwise_deg, (float(width), float(height)))
    return cv2.warpAffine(
        image,
        matrix[:2],
        (int(size[0]), int(size[1])),
        flags=cv2.INTER_LINEAR,
        borderMode=cv2.BORDER_CONSTANT,
        borderValue=(255, 255, 255),
    )


def _thumbnail(image: np.ndarray, long_side: int) -> tuple[np.ndarray, float]:
    height, width = image.shape[:2]
    scale = min(1.0, long_side / max(height, width))
    if scale == 1.0:
        return image, 1.0
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    return cv2.resize(image, size, interpolation=cv2.INTER_AREA), scale


# ---------------------------------------------------------------- 1. the sheet


def find_sheet(image: np.ndarray) -> tuple[Point, Point, Point, Point] | None:
    """Find a sheet of paper photographed against a darker background.

    Two outlines are tried: the bright region (Otsu threshold) and the outer contour of the
    edge map, which is taken when it holds the bright region and more (a shadow across the
    sheet splits that region). Returns the corners (tl, tr, br, bl) as fractions of the
    image width and height, or ``None`` when no confident quadrilateral is found or the
    sheet already fills the frame. Confident means: a convex quadrilateral covering 20-92 % of the image, with corner angles of
    55-125°, not cut by the image border, filled by the outline (solidity >= 0.92),
    clearly brighter than what surrounds it, darker outside than inside along each edge,
    and alone (no second region a quarter its size, such as the other side of an ID card
    copied on the same page).
    """
    small, _ = _thumbnail(image, 640)
    height, width = small.shape[:2]
    grey = cv2.GaussianBlur(cv2.cvtColor(small, cv2.COLOR_BGR2GRAY), (5, 5), 0)
    k = max(3, round(min(height, width) * 0.02)) | 1
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (k, k))
    _, bright = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    bright = cv2.morphologyEx(bright, cv2.MORPH_CLOSE, kernel, iterations=2)
    bright = cv2.morphologyEx(bright, cv2.MORPH_OPEN, kernel)
    edges = cv2.dilate(cv2.Canny(grey, 40, 120), kernel)
    outlined = np.zeros_like(grey)
    outlines, _ = cv2.findContours(edges, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    cv2.drawContours(outlined, outlines, -1, 255, thickness=cv2.FILLED)
    outlined = cv2.erode(outlined, kernel)
    quad = _wider_of(_sheet_quad(bright, grey), _sheet_quad(outlined, grey), grey.shape)
    if quad is None:
        return None
    ordered = _order_corners(quad)
    return tuple((float(x) / width, float(y) / height) for x, y in ordered)  # type: ignore[return-value]


WIDER_OUTLINE = 1.1  # the edge outline is taken when it is this much larger than the bright region...
HELD = 0.95  # ...and holds this share of it


def _wider_of(bright: np.ndarray | None, outlined: np.ndarray | None, shape: tuple[int, ...]) -> np.ndarray | None:
    """The bright region's quadrilateral, unless the edge map's outline holds it and more.

    A shadow with a sharp edge across the sheet leaves the lit part as the bright region; its
    quadrilateral passes every check and cropping to it cuts the page (seed 9482: half a
    certificate lost). The edge map's outer contour is the whole sheet then.
    """
    if bright is None or outlined is None:
        return bright if bright is not None else outlined
    inside_bright = np.zeros(shape[:2], np.uint8)
    inside_outlined = np.zeros(shape[:2], np.uint8)
    cv2.fillConvexPoly(inside_bright, bright.astype(np.int32), 1)
    cv2.fillConvexPoly(inside_outlined, outlined.astype(np.int32), 1)
    bright_area = int(inside_bright.sum())
    shared = int((inside_bright & inside_outlined).sum())
    if inside_outlined.sum() > WIDER_OUTLINE * bright_area and shared >= HELD * bright_area:
        return outlined
    return bright


def _sheet_quad(mask: np.ndarray, grey: np.ndarray) -> np.ndarray | None:
    """The quadrilateral of the largest region of ``mask`` if it passes every sheet check."""
    height, width = mask.shape[:2]
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return None
    contours = sorted(contours, key=cv2.contourArea, reverse=True)
    contour = contours[0]
    area = cv2.contourArea(contour)
    if not 0.20 <= area / (width * height) <= 0.92:
        return None
    if len(contours) > 1 and cv2.contourArea(contours[1]) > 0.25 * area:
        return None  # two cards or pages side by side: cropping to one would lose the other
    quad = _approx_quad(cv2.convexHull(contour))
    if quad is None:
        return None
    quad_area = cv2.contourArea(quad.astype(np.float32))
    if quad_area <= 0 or area / quad_area < 0.92 or not _angles_ok(quad):
        return None
    margin = 0.01 * max(width, height)
    if any(x < margin or y < margin or x > width - 1 - margin or y > height - 1 - margin for x, y in quad):
        return None
    if not _contrast_ok(grey, quad) or not _every_edge_darker_outside(grey, quad):
        return None
    return quad


EDGE_OFFSET = 0.02  # of the thumbnail's shorter side: where each side of an edge is sampled
EDGE_MIN_DIFFERENCE = 8.0  # grey levels the paper inside an edge must be brighter than outside it


def _every_edge_darker_outside(grey: np.ndarray, quad: np.ndarray) -> bool:
    """Whether along each edge of ``quad`` the outside is darker than the inside, as around a sheet.

    The whole ring can be darker (``_contrast_ok``) while one edge runs across the sheet along a
    glare's border, the brighter paper outside it (a page's right third with its seal and date
    cut away, seed 9499).
    """
    height, width = grey.shape[:2]
    offset = max(2.0, min(height, width) * EDGE_OFFSET)
    centre = quad.mean(axis=0)
    for i in range(4):
        a, b = quad[i], quad[(i + 1) % 4]
        along = b - a
        normal = np.array([along[1], -along[0]], dtype=np.float64)
        normal /= np.linalg.norm(normal) + 1e-9
        if np.dot(normal, (a + b) / 2 - centre) < 0:
            normal = -normal  # pointing out of the quadrilateral
        points = a + np.linspace(0.1, 0.9, 25)[:, None] * along
        sides = []
        for sign in (-1.0, 1.0):
            xy = points + sign * offset * normal
            ok = (xy[:, 0] >= 0) & (xy[:, 0] <= width - 1) & (xy[:, 1] >= 0) & (xy[:, 1] <= height - 1)
            if ok.sum() < 5:
                break
            sides.append(float(np.median(grey[xy[ok, 1].astype(int), xy[ok, 0].astype(int)])))
        if len(sides) == 2 and sides[0] - sides[1] < EDGE_MIN_DIFFERENCE:
            return False
    return True


def _approx_quad(hull: np.ndarray) -> np.ndarray | None:
    perimeter = cv2.arcLength(hull, True)
    for fraction in (0.02, 0.03, 0.04, 0.05):
        approx = cv2.approxPolyDP(hull, fraction * perimeter, True)
        if len(approx) == 4 and cv2.isContourConvex(approx):
            return approx.reshape(4, 2).astype(np.float64)
    return None


def _angles_ok(quad: np.ndarray) -> bool:
    for i in range(4):
        a, b, c = quad[i - 1], quad[i], quad[(i + 1) % 4]
        v1, v2 = a - b, c - b
        cos = float(np.dot(v1, v2) / (np.linalg.norm(v1) * np.linalg.norm(v2) + 1e-9))
        if not 55.0 <= math.degrees(math.acos(max(-1.0, min(1.0, cos)))) <= 125.0:
            return False
    return True


def _contrast_ok(grey: np.ndarray, quad: np.ndarray, min_difference: float = 20.0) -> bool:
    inside = np.zeros_like(grey)
    cv2.fillConvexPoly(inside, quad.astype(np.int32), 255)
    ring = max(3, round(min(grey.shape) * 0.03))
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (ring, ring))
    core = cv2.erode(inside, kernel)
    outside = cv2.subtract(cv2.dilate(inside, kernel, iterations=2), cv2.dilate(inside, kernel))
    if not core.any() or not outside.any():
        return False
    return float(np.median(grey[core > 0])) - float(np.median(grey[outside > 0])) >= min_difference


def _order_corners(quad: np.ndarray) -> np.ndarray:
    """Order four points tl, tr, br, bl (by the sums and differences of coordinates)."""
    total = quad.sum(axis=1)
    diff = quad[:, 1] - quad[:, 0]
    return np.array([quad[np.argmin(total)], quad[np.argmin(diff)], quad[np.argmax(total)], quad[np.argmax(diff)]])


# ---------------------------------------------------------------- 2. skew


def estimate_skew(image: np.ndarray, max_deg: float = 45.0) -> tuple[float, float]:
    """Estimate the clockwise rotation that makes text lines run horizontally or vertically.

    Uses the projection profile of a binarised thumbnail: the row (or column) sums are
    sharpest when the lines are axis-aligned. Works on tables, forms and plain text; it
    needs no OCR model.

    Returns:
        ``(clockwise_deg, confidence)``; confidence is the relative gain of the best angle's
        profile sharpness over the unrotated one (0 when no angle beats 0°).
    """
    ink = _ink_mask(image)
    if ink is None:
        return 0.0, 0.0
    coarse = np.arange(-max_deg, max_deg, 2.0)
    scores = np.array([_profile_sharpness(ink, a) for a in coarse])
    best = float(coarse[int(np.argmax(scores))])
    middle = np.arange(best - 1.5, best + 1.51, 0.5)
    best = float(middle[int(np.argmax([_profile_sharpness(ink, a) for a in middle]))])
    fine = np.arange(best - 0.4, best + 0.41, 0.1)
    fine_scores = np.array([_profile_sharpness(ink, a) for a in fine])
    angle = float(fine[int(np.argmax(fine_scores))])
    base = _profile_sharpness(ink, 0.0)
    gain = float(fine_scores.max()) / base - 1.0 if base > 0 else 0.0
    if gain <= 0.0:
        return 0.0, 0.0
    return angle, gain


# A profile angle this large is checked against the text detector's line boxes: a long
# straight edge (a shadow across a photographed card, a table rule) can make a profile
# sharper than the text lines do.
_CHECK_SKEW_DEG = 8.0
_SKEW_AGREEMENT_DEG = 6.0  # detector boxes are a few degrees loose; within this the profile's finer angle stands


def checked_skew(image: np.ndarray, skew: float) -> float:
    """``skew`` when the text detector's line boxes agree with it, else the boxes' own angle, refined;
    0 when the detector finds too few lines to tell.

    Args:
        image: The thumbnail ``skew`` was estimated on.
        skew: The projection-profile estimate (clockwise degrees).
    """
    lines_deg = text_line_angle(image)
    if lines_deg is None:
        # no text lines to confirm it: the profile followed a shadow or a desk's grain, not text
        # (a tilted page whose text can be read shows its lines to the detector)
        return 0.0
    if abs(-lines_deg - skew) <= _SKEW_AGREEMENT_DEG:
        return skew
    ink = _ink_mask(image)
    centre = -lines_deg
    if ink is None:
        return centre
    window = np.arange(centre - 2.0, centre + 2.01, 0.25)
    return float(window[int(np.argmax([_profile_sharpness(ink, a) for a in window]))])


def text_line_angle(image: np.ndarray) -> float | None:
    """The length-weighted median angle (degrees, folded into [-45, 45)) of the detector's long line boxes.

    Positive when lines descend to the right. None when fewer than three boxes are clearly lines.
    """
    from pipeline.ppocr import shared_models

    angles: list[tuple[float, float]] = []
    for quad in shared_models().detect(image):
        along, across = _edge_lengths(quad)
        if along < 2.0 * across:
            continue  # a character or a blob has no direction
        top = quad[1] - quad[0]
        angle = (math.degrees(math.atan2(float(top[1]), float(top[0]))) + 45.0) % 90.0 - 45.0
        angles.append((angle, along))
    if len(angles) < 3:
        return None
    angles.sort()
    half = sum(weight for _, weight in angles) / 2.0
    running = 0.0
    for angle, weight in angles:
        running += weight
        if running >= half:
            return angle
    return angles[-1][0]


def _ink_mask(image: np.ndarray) -> np.ndarray | None:
    small, _ = _thumbnail(image, 640)
    grey = cv2.cvtColor(small, cv2.COLOR_BGR2GRAY) if small.ndim == 3 else small
    ink = cv2.adaptiveThreshold(grey, 1, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 21, 15)
    if ink.sum() < 50:
        return None
    return ink.astype(np.float32)


def _profile_sharpness(ink: np.ndarray, clockwise_deg: float) -> float:
    height, width = ink.shape
    matrix = cv2.getRotationMatrix2D((width / 2.0, height / 2.0), -clockwise_deg, 1.0)
    rotated = cv2.warpAffine(ink, matrix, (width, height), flags=cv2.INTER_NEAREST, borderValue=0)
    rows = rotated.sum(axis=1)
    cols = rotated.sum(axis=0)
    return max(float(np.square(np.diff(rows)).sum()), float(np.square(np.diff(cols)).sum()))


# ---------------------------------------------------------------- 3. orientation


def detect_orientation(image: np.ndarray, max_crops: int = 12,
                       sharper: Callable[[], np.ndarray] | None = None,
                       quads: Sequence[np.ndarray] | None = None) -> tuple[Rotation, float]:
    """Decide the clockwise quarter turn that makes a deskewed page upright.

    Line boxes from the PP-OCR detector vote on whether text runs horizontally or
    vertically (weighted by length); the direction classifier then votes 0 vs 180 on
    the ``max_crops`` longest lines, turned horizontal.

    Args:
        image: The deskewed page (any size; analysed as a thumbnail).
        max_crops: Lines the direction classifier sees.
        sharper: The same page at a higher resolution, made on demand: a turn over the
            classifier votes for is checked by recognising crops of it both ways up.
        quads: The page's text line boxes in ``image`` pixels when they are already known
            (the OCR's own detection); else the detector runs on the thumbnail.

    Returns:
        ``(rotation_deg, confidence)``; ``(0, 0.0)`` when the page shows no text lines.
    """
    from pipeline.ppocr import shared_models

    models = shared_models()
    small, scale = _thumbnail(image, _ANALYSIS_LONG_SIDE)
    quads = models.detect(small) if quads is None else [(q * np.float32(scale)).astype(np.float32) for q in quads]
    horizontal, vertical = _axis_votes(quads)
    if horizontal + vertical == 0:
        return 0, 0.0
    axis_certainty = abs(horizontal - vertical) / (horizontal + vertical)
    base: Rotation = 0
    if vertical > horizontal and axis_certainty >= _MIN_EVIDENCE:
        base = 90
        size = (small.shape[1], small.shape[0])
        small = cv2.rotate(small, cv2.ROTATE_90_CLOCKWISE)
        quads = [_quad_turned(q, 90, size) for q in quads]
    lines = sorted(
        (q for q in quads if _edge_lengths(q)[0] >= 1.5 * _edge_lengths(q)[1]),
        key=lambda q: -_edge_lengths(q)[0],
    )[:max_crops]
    if not lines:
        return base, 0.0
    crops = [_crop_line(small, q) for q in lines]
    _, labels = models.classify(crops)
    flip_score = sum((score if label == "180" else -score) for label, score in labels)
    total = sum(score for _, score in labels) or 1.0
    flip = flip_score / total >= _MIN_EVIDENCE  # turning a page over needs a clear majority
    if flip:
        flip = _reads_better_turned(models, _line_crops(small, lines[:_RECOGNISER_CROPS], base, sharper))
    rotation = (base + (180 if flip else 0)) % 360
    return rotation, float(min(1.0, abs(flip_score) / total) * axis_certainty)  # type: ignore[return-value]


_MIN_EVIDENCE = 0.2  # net share of the votes needed before a page is turned; below it, leave it be
# The direction classifier guesses on small or blurred lines and leans to 180°: a turn over it
# votes for is made only when the recogniser also reads the lines better turned. Measured on
# 277 generated photos and scans of seeds 9402, 8812 and 7302: one blurred phone photo (lines
# 18 px tall in the thumbnail) was turned over by the classifier alone, none with the check.
_RECOGNISER_CROPS = 6


def _reads_better_turned(models: object, crops: list[np.ndarray]) -> bool:
    """True when the recogniser is more confident of the line crops turned over than as they are."""
    upright = [score for _, score in models.recognise(crops)]  # type: ignore[attr-defined]
    turned = [score for _, score in models.recognise([cv2.rotate(c, cv2.ROTATE_180) for c in crops])]  # type: ignore[attr-defined]
    return sum(turned) > sum(upright)


def _line_crops(small: np.ndarray, lines: list[np.ndarray], base: Rotation,
                sharper: Callable[[], np.ndarray] | None) -> list[np.ndarray]:
    """Crops of ``lines`` (boxes in ``small``, already turned by ``base``), from the sharper image when there is one."""
    if sharper is None:
        return [_crop_line(small, q) for q in lines]
    big = sharper()
    if base == 90:
        big = cv2.rotate(big, cv2.ROTATE_90_CLOCKWISE)
    factor = big.shape[1] / small.shape[1]
    if factor <= 1.05:
        return [_crop_line(small, q) for q in lines]
    return [_crop_line(big, (q * np.float32(factor)).astype(np.float32)) for q in lines]


def _edge_lengths(quad: np.ndarray) -> tuple[float, float]:
    """(along-line length, across-line length) of a detector box ordered tl, tr, br, bl."""
    return float(np.linalg.norm(quad[1] - quad[0])), float(np.linalg.norm(quad[3] - quad[0]))


def _axis_votes(quads: Sequence[np.ndarray]) -> tuple[float, float]:
    horizontal = vertical = 0.0
    for quad in quads:
        top = quad[1] - quad[0]
        side = quad[3] - quad[0]
        top_len, side_len = float(np.linalg.norm(top)), float(np.linalg.norm(side))
        if max(top_len, side_len) < 2.0 * min(top_len, side_len):
            continue  # a single character or a blob says nothing about direction
        longest = top if top_len >= side_len else side
        angle = abs(math.degrees(math.atan2(float(longest[1]), float(longest[0])))) % 180.0
        if angle < 45.0 or angle > 135.0:
            horizontal += max(top_len, side_len)
        else:
            vertical += max(top_len, side_len)
    return horizontal, vertical


def _crop_line(image: np.ndarray, quad: np.ndarray) -> np.ndarray:
    width, height = (max(2, round(v)) for v in _edge_lengths(quad))
    target = np.array([[0, 0], [width, 0], [width, height], [0, height]], dtype=np.float32)
    matrix = cv2.getPerspectiveTransform(quad.astype(np.float32), target)
    return cv2.warpPerspective(image, matrix, (width, height), flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_REPLICATE)
