"""Capture: turn drawn pages into the bytes an applicant uploads (scan, phone photo, photocopy, PDF, TIFF).

Every effect draws from the rng it is given; encoders are configured to write no
timestamps, so the same seed gives the same bytes.
"""

from __future__ import annotations

import io
import math
import random
from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image

from samples.generator.canvas import MM_PER_PT, Page, TextOp, render_pdf, render_raster

CAPTURE_KINDS = (
    "scan", "scan_grey", "photocopy", "phone_photo", "phone_photo_exif", "rotated_scan",
    "pdf_text", "pdf_image", "tiff_multipage", "illegible_photo",
)
GREY_KINDS = frozenset({"scan_grey", "photocopy"})
SINGLE_PAGE_KINDS = frozenset({"phone_photo", "phone_photo_exif", "illegible_photo"})
_EXIF_ORIENTATION = {90: 6, 270: 8, 180: 3}  # display rotation (clockwise) -> EXIF Orientation


@dataclass
class Captured:
    data: bytes
    ext: str
    pages: int
    rotation: int  # clockwise degrees a viewer must turn the stored pixels to see the page upright
    exif_orientation: int | None
    greyscale: bool
    dpi: int | None


# -- pixel effects -----------------------------------------------------------------
def _noise_tile(nrng: np.random.Generator, sigma: float, shape: tuple[int, int]) -> np.ndarray:
    tile = nrng.normal(0, sigma, (256, 256)).astype(np.float32)
    reps = (math.ceil(shape[0] / 256), math.ceil(shape[1] / 256))
    return np.tile(tile, reps)[: shape[0], : shape[1]]


def _low_freq(nrng: np.random.Generator, shape: tuple[int, int], cells: int = 4) -> np.ndarray:
    small = cv2.resize(nrng.random((cells, cells)).astype(np.float32), (max(1, shape[1] // 8), max(1, shape[0] // 8)),
                       interpolation=cv2.INTER_CUBIC)
    return cv2.resize(small, (shape[1], shape[0]), interpolation=cv2.INTER_LINEAR)


def _scan_effects(img: np.ndarray, rng: random.Random, nrng: np.random.Generator, *, grey: bool,
                  copy: bool = False) -> np.ndarray:
    h, w = img.shape[:2]
    angle = rng.uniform(-1.2, 1.2)
    if abs(angle) > 0.15:
        m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
        img = cv2.warpAffine(img, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=(255, 255, 255))
    if grey or copy:
        img = cv2.cvtColor(img, cv2.COLOR_RGB2GRAY)
    img = cv2.GaussianBlur(img, (3, 3), rng.uniform(0.35, 0.7))
    white = rng.uniform(228, 242)
    gain = (0.97 + 0.03 * _low_freq(nrng, img.shape[:2])) * (255.0 / (white - 4))
    noise = _noise_tile(nrng, rng.uniform(1.0, 2.5), img.shape[:2]) - 4 * 255.0 / (white - 4)
    if img.ndim == 3:
        gain, noise = gain[..., None], noise[..., None]
    f = img.astype(np.float32) * gain + noise
    if copy:
        f = 255.0 * np.power(np.clip(f / 255.0, 0, 1), rng.uniform(1.4, 2.0))  # harder contrast
        specks = nrng.random(f.shape[:2]) < rng.uniform(0.0003, 0.0015)
        f[specks] = rng.uniform(20, 90)
        edge = max(4, int(w * rng.uniform(0.005, 0.02)))
        f[:, :edge] *= 0.45
        if rng.random() < 0.5:
            f[:edge, :] *= 0.6
    return np.clip(f, 0, 255).astype(np.uint8)


def _background(rng: random.Random, nrng: np.random.Generator, h: int, w: int) -> np.ndarray:
    kind = rng.choice(["wood", "desk", "cloth", "white"])
    base = {"wood": (150, 105, 70), "desk": (120, 120, 125), "cloth": (60, 70, 95), "white": (215, 212, 205)}[kind]
    bg = np.empty((h, w, 3), np.float32)
    bg[:] = base
    var = _low_freq(nrng, (h, w), 6)[..., None] * 40 - 20
    bg += var
    if kind == "wood":
        yy = np.arange(h, dtype=np.float32)[:, None]
        stripes = 12 * np.sin(yy / rng.uniform(6, 14) + 3 * _low_freq(nrng, (h, w), 3))
        bg += stripes[..., None]
    return bg


# A photo the truth calls legible must be legible to a person. Motion blur longer than about a third
# of a body character's height, or a Gaussian wider than an eighth of it, merges the strokes of a
# Chinese character past reading (13 px text with an 8 px smear: nobody reads the name), so a drawn
# blur is capped there; the draw itself is kept, so every later random draw is unchanged.
MOTION_BLUR_SHARE = 0.35
GAUSSIAN_BLUR_SHARE = 0.125


def body_text_pt(page: Page) -> float:
    """The point size most of the page's text is set in (the median over its text runs)."""
    sizes = sorted(op.size_pt for op in page.ops if isinstance(op, TextOp))
    return sizes[len(sizes) // 2] if sizes else 10.5


def legible_blur(image: np.ndarray, rng: random.Random, text_px: float) -> np.ndarray:
    """A hand's motion (30 %) or a focus miss, never past what a reader of ``text_px`` text can read."""
    if rng.random() < 0.3:
        k = min(rng.randrange(3, 9), max(2, int(MOTION_BLUR_SHARE * text_px)))
        kernel = np.zeros((k, k), np.float32)
        kernel[k // 2, :] = 1.0 / k
        rm = cv2.getRotationMatrix2D((k / 2 - 0.5, k / 2 - 0.5), rng.uniform(0, 180), 1.0)
        kernel = cv2.warpAffine(kernel, rm, (k, k))
        kernel /= max(kernel.sum(), 1e-6)
        return cv2.filter2D(image, -1, kernel)
    return cv2.GaussianBlur(image, (0, 0), min(rng.uniform(0.4, 1.2), max(0.4, GAUSSIAN_BLUR_SHARE * text_px)))


def _phone_photo(page_img: np.ndarray, rng: random.Random, nrng: np.random.Generator, long_side: int,
                 body_px: float = 16.0) -> np.ndarray:
    """``page_img`` photographed: on a background, turned, in perspective, lit unevenly, blurred.

    ``body_px`` is the height of body text in ``page_img``; the blur is capped relative to it there.
    """
    ph, pw = page_img.shape[:2]
    portrait = ph >= pw
    H, W = (long_side, round(long_side * 0.75)) if portrait else (round(long_side * 0.75), long_side)
    bg = _background(rng, nrng, H, W)
    fill = rng.uniform(0.74, 0.92)
    scale = min(W * fill / pw, H * fill / ph)
    tw, th = pw * scale, ph * scale
    text_px = body_px * scale
    cx, cy = W / 2 + rng.uniform(-0.04, 0.04) * W, H / 2 + rng.uniform(-0.04, 0.04) * H
    rot = math.radians(rng.uniform(-7, 7))
    corners = []
    for dx, dy in ((-1, -1), (1, -1), (1, 1), (-1, 1)):
        x, y = dx * tw / 2, dy * th / 2
        x, y = x * math.cos(rot) - y * math.sin(rot), x * math.sin(rot) + y * math.cos(rot)
        j = 0.045
        corners.append((cx + x + rng.uniform(-j, j) * tw, cy + y + rng.uniform(-j, j) * th))
    src = np.float32([[0, 0], [pw, 0], [pw, ph], [0, ph]])
    m = cv2.getPerspectiveTransform(src, np.float32(corners))
    warped = cv2.warpPerspective(page_img.astype(np.float32), m, (W, H), flags=cv2.INTER_AREA)
    mask = cv2.warpPerspective(np.ones((ph, pw), np.float32), m, (W, H), flags=cv2.INTER_LINEAR)[..., None]
    out = bg * (1 - mask) + warped * mask
    # lighting: a gradient plus a soft shadow
    yy, xx = np.mgrid[0:H, 0:W].astype(np.float32)
    ang = rng.uniform(0, 2 * math.pi)
    grad = 1.0 - rng.uniform(0.05, 0.25) * (((xx / W) * math.cos(ang) + (yy / H) * math.sin(ang)) % 1.0)
    light = grad
    if rng.random() < 0.6:
        sh = np.zeros((H, W), np.float32)
        pts = np.int32([[rng.uniform(0, W), rng.uniform(0, H)] for _ in range(4)] +
                       [[W * rng.choice([0, 1]), H * rng.choice([0, 1])]])
        cv2.fillPoly(sh, [cv2.convexHull(pts)], 1.0)
        sh = cv2.resize(cv2.GaussianBlur(cv2.resize(sh, (W // 8, H // 8)), (0, 0), W * 0.005), (W, H))
        light = light * (1 - rng.uniform(0.2, 0.45) * sh)
    cast = np.float32([rng.uniform(0.94, 1.04), rng.uniform(0.96, 1.02), rng.uniform(0.9, 1.02)])
    out = out * light[..., None] * cast
    out = legible_blur(out, rng, text_px)
    out += _noise_tile(nrng, rng.uniform(2, 5), (H, W))[..., None]
    return np.clip(out, 0, 255).astype(np.uint8)


# -- encoders ---------------------------------------------------------------------------
def _encode(img: Image.Image, fmt: str, rng: random.Random, dpi: int | None, exif: Image.Exif | None = None,
            quality: int | None = None) -> bytes:
    buf = io.BytesIO()
    kw: dict = {}
    if dpi:
        kw["dpi"] = (dpi, dpi)
    if fmt == "jpg":
        kw["quality"] = quality or rng.randrange(62, 86)
        if exif is not None:
            kw["exif"] = exif.tobytes()
        img.save(buf, "JPEG", **kw)
    elif fmt == "png":
        img.save(buf, "PNG", compress_level=6, **kw)
    elif fmt == "tif":
        kw["compression"] = "tiff_deflate" if img.mode == "L" else "jpeg"
        if img.mode != "L":
            kw["quality"] = rng.randrange(60, 82)
        img.save(buf, "TIFF", **kw)
    else:
        raise ValueError(fmt)
    return buf.getvalue()


def _multi_tiff(images: list[Image.Image], rng: random.Random, dpi: int) -> bytes:
    buf = io.BytesIO()
    grey = images[0].mode == "L"
    kw = {"compression": "tiff_deflate" if grey else "jpeg", "dpi": (dpi, dpi)}
    if not grey:
        kw["quality"] = rng.randrange(60, 82)
    images[0].save(buf, "TIFF", save_all=True, append_images=images[1:], **kw)
    return buf.getvalue()


def _image_pdf(images: list[Image.Image], rng: random.Random, dpi: int) -> bytes:
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas as rl_canvas

    buf = io.BytesIO()
    c = rl_canvas.Canvas(buf, invariant=1)
    c.setCreator("scanner")
    c.setProducer("scanner")
    for img in images:
        w_pt, h_pt = img.width * 72.0 / dpi, img.height * 72.0 / dpi
        c.setPageSize((w_pt, h_pt))
        jpg = io.BytesIO()
        img.save(jpg, "JPEG", quality=rng.randrange(60, 82))
        jpg.seek(0)
        c.drawImage(ImageReader(jpg), 0, 0, w_pt, h_pt)
        c.showPage()
    c.save()
    return buf.getvalue()


def _card_on_bed(page: Page, rng: random.Random, dpi: int) -> np.ndarray:
    """A card scanned on a flatbed: the card with white margins around it."""
    card = np.asarray(render_raster(page, dpi))
    h, w = card.shape[:2]
    mx, my = int(w * rng.uniform(0.15, 0.6)), int(h * rng.uniform(0.2, 0.8))
    bed = np.full((h + 2 * my, w + 2 * mx, 3), 255, np.uint8)
    ox, oy = rng.randrange(mx // 3, 2 * mx), rng.randrange(my // 3, 2 * my)
    bed[oy: oy + h, ox: ox + w] = card
    return bed


# -- entry point ------------------------------------------------------------------------
def capture(pages: list[Page], kind: str, rng: random.Random, *, card: bool = False, title: str = "") -> Captured:
    """Encode ``pages`` as an upload of capture ``kind`` (one of :data:`CAPTURE_KINDS`)."""
    nrng = np.random.default_rng(rng.randrange(2**32))
    if kind == "pdf_text":
        return Captured(render_pdf(pages, title=title), "pdf", len(pages), 0, None, False, None)
    if kind in SINGLE_PAGE_KINDS:
        long_side = rng.randrange(1100, 1701)
        page = pages[0]
        dpi = long_side * rng.uniform(0.8, 0.95) / (max(page.w, page.h) / 25.4)
        raster = np.asarray(render_raster(page, dpi))
        photo = _phone_photo(raster, rng, nrng, long_side, body_text_pt(page) * MM_PER_PT / 25.4 * dpi)
        quality = rng.randrange(55, 86)
        if kind == "illegible_photo":
            photo = cv2.GaussianBlur(photo, (0, 0), rng.uniform(7, 11))
            photo = np.clip(photo.astype(np.float32) * rng.uniform(0.18, 0.3), 0, 255).astype(np.uint8)
            quality = 35
        img = Image.fromarray(photo)
        rotation, orientation, exif = 0, None, None
        if kind == "phone_photo_exif":
            rotation = rng.choice([90, 270, 180, 90])
            orientation = _EXIF_ORIENTATION[rotation]
            img = img.rotate(rotation, expand=True)  # counter-clockwise: the sensor's view of the page
            exif = Image.Exif()
            exif[0x0112] = orientation
            exif[0x010F] = rng.choice(["Xiaomi", "HUAWEI", "OPPO", "vivo", "Apple"])
            exif[0x0110] = rng.choice(["M2012K11AC", "ELS-AN00", "PEGM00", "V2055A", "iPhone 12"])
        elif kind == "phone_photo" and rng.random() < 0.2:
            rotation = rng.choice([90, 270])
            img = img.rotate(rotation, expand=True)
        data = _encode(img, "jpg", rng, None, exif, quality)
        return Captured(data, "jpg", 1, rotation, orientation, False, None)
    dpi = rng.choice([200, 200, 240, 300])
    grey = kind in GREY_KINDS or (kind in ("tiff_multipage", "pdf_image", "rotated_scan") and rng.random() < 0.3)
    rasters = []
    for page in pages:
        arr = _card_on_bed(page, rng, dpi) if card else np.asarray(render_raster(page, dpi))
        arr = _scan_effects(arr, rng, nrng, grey=grey, copy=kind == "photocopy")
        rasters.append(Image.fromarray(arr))
    if kind == "pdf_image":
        return Captured(_image_pdf(rasters, rng, dpi), "pdf", len(rasters), 0, None, grey, dpi)
    if kind == "tiff_multipage" or len(rasters) > 1:
        return Captured(_multi_tiff(rasters, rng, dpi), "tif", len(rasters), 0, None, grey, dpi)
    img = rasters[0]
    rotation = 0
    if kind == "rotated_scan":
        rotation = rng.choice([90, 180, 270])
        img = img.rotate(rotation, expand=True)
    fmt = rng.choices(["jpg", "png", "tif"], weights=[6, 2, 2] if img.mode == "L" else [8, 1, 1])[0]
    return Captured(_encode(img, fmt, rng, dpi), fmt, 1, rotation, None, grey, dpi)
