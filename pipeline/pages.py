"""Turn one uploaded file into page images (and a PDF's text layer), within size limits.

Reads bytes and decodes them; it does not orient, deskew or OCR the pages
(``geometry.py`` and ``ocr.py`` do that). The file type is sniffed from the
bytes, never from the extension, so a PNG named ``.jpg`` is read as a PNG.

Coordinates: every page image is BGR ``uint8``. A PDF's text layer is given
as :class:`~models.ocr.OcrLine` objects in pixels of the page image rendered
at ``Page.dpi``, so text-layer boxes and image pixels share one system.

Large photos: ``Page.image`` is the *working* image, bounded to
``FileLimits.working_long_side_px`` (3000) on its long side; the decoded
original is kept in ``Page.full_image`` (``None`` when nothing was reduced) for
a second look at small print (``ocr.read_full_resolution``). ``Page.scale``
maps full-image pixels to working pixels. Why 3000: the OCR detector works on
its own copy bounded to 2000 px (detecting on the full 4032 px of a phone photo
lost a curved footer date that 2000 px finds), and recognition crops lines from
the working image; on the real set a working side of 2000, 3000 and 4096 read
the same fields (bench/ocr_compare.py notes), so 3000 keeps detail for
recognition and evidence crops of A4 scans at 300 dpi (3508 px) without
holding 12-48 MP arrays through every stage.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import math
import struct
import time
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import cv2
import numpy as np
from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError
from pydantic import BaseModel, ConfigDict, Field

from models.ocr import OcrLine, OcrPage
from pipeline.errors import EncryptedPdfError, FileLimitError, InputFileError, UnsupportedFileError

if TYPE_CHECKING:
    from pipeline.geometry import PageTransform

SourceKind = Literal["image", "pdf_text", "pdf_scan"]
MediaType = Literal["image/jpeg", "image/png", "image/tiff", "image/bmp", "image/webp", "image/gif", "application/pdf"]

_MB = 1024 * 1024


class FileLimits(BaseModel):
    """Limits one uploaded file must respect; exceeding one raises :class:`FileLimitError`.

    The defaults admit a 48 MP phone photo and a 50-page A4 PDF at 200 dpi.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    max_bytes: int = Field(default=30 * _MB, gt=0, description="size of the uploaded file")
    max_pixels: int = Field(default=60_000_000, gt=0, description="pixels of one decoded page")
    max_pages: int = Field(default=50, gt=0)
    timeout_s: float = Field(default=120.0, gt=0, description="wall time to decode the whole file")
    pdf_dpi: int = Field(default=200, ge=72, le=600, description="rasterisation resolution of PDF pages")
    working_long_side_px: int = Field(
        default=3000,
        ge=800,
        description="long side of the working image; larger photos keep their original in full_image",
    )
    min_text_layer_chars: int = Field(
        default=20, ge=1, description="non-space characters a PDF page needs for its text layer to count"
    )


@dataclass(frozen=True, eq=False)
class Page:
    """One page of an uploaded file, ready for geometry correction and OCR.

    Attributes:
        index: 1-based page number within the file.
        image: Working image, BGR ``uint8``, long side at most ``working_long_side_px``.
        dpi: Resolution of ``image`` when known (PDF rasterisation, image metadata), else ``None``.
        text_layer: The PDF's own text in ``image`` pixels, or ``None`` (images, scanned PDFs).
        source_kind: ``image``, ``pdf_text`` (PDF page with a usable text layer) or ``pdf_scan``.
        full_image: The decoded original when ``image`` was reduced from it, else ``None``.
        scale: ``image`` pixels per ``full_image`` pixel (1.0 when not reduced).
        rotation_deg: Clockwise rotation already applied to make ``image`` upright.
        transform: The geometry correction applied to ``image`` (set by ``geometry.upright_page``).
        pictures: ``[x, y, w, h]`` in ``image`` pixels of the pictures embedded in a text-layer
            PDF page (a handwritten entry or a scanned snippet pasted on a typed form): their text
            is not in the text layer, so they are read by OCR.
        line_boxes: Text line boxes (tl, tr, br, bl) in ``image`` pixels found by the OCR engine's
            detector while the page was turned upright (``geometry.upright_page``), or ``None``:
            the OCR then recognises these lines instead of detecting them again.
    """

    index: int
    image: np.ndarray
    dpi: float | None
    text_layer: OcrPage | None
    source_kind: SourceKind
    full_image: np.ndarray | None = None
    scale: float = 1.0
    rotation_deg: int = 0
    transform: PageTransform | None = field(default=None, repr=False)
    pictures: tuple[tuple[int, int, int, int], ...] = ()
    line_boxes: tuple[np.ndarray, ...] | None = field(default=None, repr=False)

    @property
    def width(self) -> int:
        return int(self.image.shape[1])

    @property
    def height(self) -> int:
        return int(self.image.shape[0])

    @property
    def original(self) -> np.ndarray:
        """The highest-resolution image as decoded (not made upright: see ``geometry.upright_original``)."""
        return self.full_image if self.full_image is not None else self.image


@dataclass(frozen=True, eq=False)
class LoadedDocument:
    """All pages of one file plus facts about the file itself."""

    path: Path
    media_type: MediaType
    byte_count: int
    sha256: str
    pages: tuple[Page, ...]
    elapsed_s: float
    warnings: tuple[str, ...] = ()


def load_document(path: Path, limits: FileLimits | None = None) -> LoadedDocument:
    """Read an uploaded file into page images (not yet made upright) and a PDF's text layer.

    Args:
        path: The uploaded file. Its extension is ignored; the type is sniffed from the bytes.
        limits: Size, page and time limits; defaults to ``FileLimits()``.

    Returns:
        The file's pages in order, each with a BGR working image.

    Raises:
        InputFileError: The file is missing, empty, truncated or corrupt.
        UnsupportedFileError: The bytes are not JPEG, PNG, TIFF, BMP, WebP, GIF or PDF.
        EncryptedPdfError: The PDF needs a password.
        FileLimitError: The file exceeds a limit in ``limits`` (the message names the limit).
    """
    limits = limits or FileLimits()
    started = time.monotonic()
    data = _read_bytes(path, limits)
    media_type = sniff_media_type(data)
    if media_type == "application/pdf":
        pages, notes = _load_pdf(data, limits, started)
    else:
        pages, notes = _load_image(data, media_type, limits, started)
    return LoadedDocument(
        path=path,
        media_type=media_type,
        byte_count=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        pages=tuple(pages),
        elapsed_s=time.monotonic() - started,
        warnings=tuple(notes),
    )


# ---------------------------------------------------------------- file type


_HEIF_BRANDS = (b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1", b"avif")


def sniff_media_type(data: bytes) -> MediaType:
    """Name the file type from its leading bytes (magic numbers).

    Args:
        data: The whole file, or at least its first 1 KiB.

    Returns:
        The media type of a supported format.

    Raises:
        InputFileError: ``data`` is empty.
        UnsupportedFileError: The bytes are of another or unknown format (HEIC, Word, text, ...).
    """
    if not data:
        raise InputFileError("文件为空（0 字节）")
    head = data[:16]
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head[:4] in (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+"):
        return "image/tiff"
    if head.startswith(b"BM") and len(data) > 26:
        return "image/bmp"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if b"%PDF-" in data[:1024]:
        return "application/pdf"
    if head[4:8] == b"ftyp" and head[8:12] in _HEIF_BRANDS:
        raise UnsupportedFileError("不支持 HEIC/HEIF 格式的照片，请转换为 JPEG 后重新上传")
    if head.startswith(b"PK\x03\x04"):
        raise UnsupportedFileError("文件是压缩包或 Office 文档，不是图片或 PDF")
    raise UnsupportedFileError("无法识别的文件类型：不是 JPEG、PNG、TIFF 图片或 PDF")


def _read_bytes(path: Path, limits: FileLimits) -> bytes:
    try:
        size = path.stat().st_size
    except FileNotFoundError as exc:
        raise InputFileError(f"文件不存在：{path.name}") from exc
    except OSError as exc:
        raise InputFileError(f"无法读取文件：{path.name}") from exc
    if not path.is_file():
        raise InputFileError(f"不是普通文件：{path.name}")
    if size > limits.max_bytes:
        raise FileLimitError(f"文件大小 {size / _MB:.1f} MB 超过上限 {limits.max_bytes / _MB:.0f} MB")
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputFileError(f"无法读取文件：{path.name}") from exc


# ---------------------------------------------------------------- images


_PIL_FORMATS: dict[str, tuple[str, ...]] = {
    "image/jpeg": ("JPEG", "MPO"),
    "image/png": ("PNG",),
    "image/tiff": ("TIFF",),
    "image/bmp": ("BMP", "DIB"),
    "image/webp": ("WEBP",),
    "image/gif": ("GIF",),
}


@contextlib.contextmanager
def pil_pixel_limit(max_pixels: int) -> Iterator[None]:
    """Make Pillow refuse images over ``max_pixels`` and turn its bomb checks into FileLimitError.

    Pillow warns above ``MAX_IMAGE_PIXELS`` and raises above twice that; here both become
    :class:`FileLimitError`. The setting is process-wide, so it is restored on exit.
    """
    previous = Image.MAX_IMAGE_PIXELS
    Image.MAX_IMAGE_PIXELS = max_pixels
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            try:
                yield
            except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
                raise FileLimitError(_pixel_message(None, max_pixels)) from exc
    finally:
        Image.MAX_IMAGE_PIXELS = previous


def _pixel_message(size: tuple[int, int] | None, max_pixels: int) -> str:
    limit = f"{max_pixels / 1e6:.0f} 百万像素"
    if size is None:
        return f"图片像素数超过上限 {limit}（疑似解压炸弹）"
    return f"图片尺寸 {size[0]}×{size[1]}（{size[0] * size[1] / 1e6:.0f} 百万像素）超过单页上限 {limit}"


def _load_image(data: bytes, media_type: MediaType, limits: FileLimits, started: float) -> tuple[list[Page], list[str]]:
    pages: list[Page] = []
    notes: list[str] = []
    with pil_pixel_limit(limits.max_pixels):
        try:
            with Image.open(io.BytesIO(data), formats=list(_PIL_FORMATS[media_type])) as img:
                for number, frame in enumerate(_frames(img, media_type, limits), start=1):
                    _check_time(started, limits)
                    upright = _exif_upright(frame, notes) if number == 1 else frame
                    bgr = pil_to_bgr(upright)
                    pages.append(_make_page(number, bgr, _image_dpi(frame), None, "image", limits))
        except (FileLimitError, InputFileError):
            raise
        except UnidentifiedImageError as exc:
            raise InputFileError("图片文件已损坏，无法解码") from exc
        except (OSError, ValueError, SyntaxError, EOFError, struct.error) as exc:
            raise InputFileError(f"图片文件不完整或已损坏（{_short(exc)}）") from exc
        except (KeyError, IndexError, TypeError, ZeroDivisionError) as exc:
            # Pillow's plugins raise these on malformed headers (tests/test_fuzz_loader.py found KeyError('MPO')).
            raise InputFileError(f"图片文件已损坏，无法解码（{type(exc).__name__}）") from exc
    if not pages:
        raise InputFileError("图片文件中没有可读取的页面")
    return pages, notes


def _frames(img: Image.Image, media_type: MediaType, limits: FileLimits) -> Iterator[Image.Image]:
    """Yield decoded frames (every TIFF page; the first frame of other formats), size-checked first."""
    if media_type != "image/tiff":
        _check_frame(img, 1, limits)
        img.load()
        yield img
        return
    for number, frame in enumerate(ImageSequence.Iterator(img), start=1):
        _check_frame(frame, number, limits)
        frame.load()
        yield frame.copy()


def _check_frame(frame: Image.Image, number: int, limits: FileLimits) -> None:
    if number > limits.max_pages:
        raise FileLimitError(f"页数超过上限 {limits.max_pages} 页")
    if frame.width * frame.height > limits.max_pixels:
        raise FileLimitError(_pixel_message(frame.size, limits.max_pixels))
    if min(frame.size) < 1:
        raise InputFileError("图片尺寸为 0")


def _exif_upright(frame: Image.Image, notes: list[str]) -> Image.Image:
    """Apply the EXIF Orientation tag; a broken EXIF block is ignored rather than failing the file."""
    try:
        return ImageOps.exif_transpose(frame)
    except (OSError, ValueError, KeyError, TypeError, struct.error, SyntaxError):
        notes.append("照片的 EXIF 方向信息无法读取，已按原方向处理")
        return frame


def _image_dpi(img: Image.Image) -> float | None:
    dpi = img.info.get("dpi")
    try:
        value = float(dpi[0]) if dpi else 0.0
    except (TypeError, ValueError, IndexError):
        return None
    # Many cameras and screenshot tools write 72 or 96 dpi whatever the content; treat
    # those and absurd values as unknown.
    return value if 100.0 <= value <= 1200.0 else None


def pil_to_bgr(img: Image.Image) -> np.ndarray:
    """Convert any Pillow image (1, L, P, I;16, I, F, CMYK, LA, RGBA, ...) to BGR ``uint8``.

    Transparent pixels are composited onto white, as a scan of paper would show them.
    """
    mode = img.mode
    if mode in ("I;16", "I;16B", "I;16L", "I;16N", "I", "F"):
        arr = np.asarray(img, dtype=np.float64)
        lo, hi = float(np.nanmin(arr)), float(np.nanmax(arr))
        if mode.startswith("I;16") and lo >= 0 and hi <= 65535:
            lo, hi = 0.0, 65535.0 if hi > 255 else 255.0
        span = hi - lo or 1.0
        grey = np.clip((arr - lo) * (255.0 / span), 0, 255).astype(np.uint8)
        return cv2.cvtColor(grey, cv2.COLOR_GRAY2BGR)
    if (mode == "P" and "transparency" in img.info) or mode == "PA":
        img = img.convert("RGBA")
    if img.mode in ("RGBA", "LA", "La", "RGBa"):
        rgba = img.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        img = Image.alpha_composite(white, rgba).convert("RGB")
    elif img.mode != "RGB":
        img = img.convert("RGB")
    rgb = np.asarray(img, dtype=np.uint8)
    return np.ascontiguousarray(rgb[:, :, ::-1])


def _make_page(
    index: int,
    bgr: np.ndarray,
    dpi: float | None,
    text_layer: OcrPage | None,
    source_kind: SourceKind,
    limits: FileLimits,
    pictures: tuple[tuple[int, int, int, int], ...] = (),
) -> Page:
    working, scale = bound_long_side(bgr, limits.working_long_side_px)
    if scale == 1.0:
        return Page(index=index, image=bgr, dpi=dpi, text_layer=text_layer, source_kind=source_kind, pictures=pictures)
    return Page(
        index=index,
        image=working,
        dpi=dpi * scale if dpi else None,
        text_layer=_scale_ocr_page(text_layer, scale) if text_layer else None,
        source_kind=source_kind,
        full_image=bgr,
        scale=scale,
        pictures=tuple((round(x * scale), round(y * scale), max(1, round(w * scale)), max(1, round(h * scale)))
                       for x, y, w, h in pictures),
    )


def bound_long_side(image: np.ndarray, long_side_px: int) -> tuple[np.ndarray, float]:
    """Shrink ``image`` so its long side is at most ``long_side_px``.

    Returns:
        The (possibly) reduced image and the scale applied (1.0 when unchanged).
    """
    height, width = image.shape[:2]
    longest = max(height, width)
    if longest <= long_side_px:
        return image, 1.0
    scale = long_side_px / longest
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    return cv2.resize(image, size, interpolation=cv2.INTER_AREA), scale


def _scale_ocr_page(page: OcrPage, scale: float) -> OcrPage:
    lines = tuple(
        line.model_copy(update={"bbox": [round(v * scale) for v in line.bbox]}) for line in page.lines
    )
    return page.model_copy(update={"lines": lines, "width": round(page.width * scale), "height": round(page.height * scale)})


def _check_time(started: float, limits: FileLimits) -> None:
    if time.monotonic() - started > limits.timeout_s:
        raise FileLimitError(f"读取文件超时（超过 {limits.timeout_s:.0f} 秒）")


def _short(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    return text if len(text) <= 80 else text[:77] + "..."


# ---------------------------------------------------------------- PDF


def _load_pdf(data: bytes, limits: FileLimits, started: float) -> tuple[list[Page], list[str]]:
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise EncryptedPdfError("PDF 已加密，需要密码才能打开") from exc
        raise InputFileError(f"PDF 文件已损坏，无法打开（{_short(exc)}）") from exc
    notes: list[str] = []
    try:
        count = len(document)
        if count == 0:
            raise InputFileError("PDF 文件中没有页面")
        if count > limits.max_pages:
            raise FileLimitError(f"PDF 共 {count} 页，超过上限 {limits.max_pages} 页")
        text_layers, pictures_pt, text_note = _pdf_text_layers(data, count, limits)
        if text_note:
            notes.append(text_note)
        pages: list[Page] = []
        for number in range(1, count + 1):
            _check_time(started, limits)
            pdf_page = document[number - 1]
            try:
                width_pt, height_pt = pdf_page.get_size()
                dpi = _fit_dpi(width_pt, height_pt, float(limits.pdf_dpi), limits.max_pixels)
                if dpi < limits.pdf_dpi:
                    notes.append(f"第 {number} 页幅面过大，按 {dpi:.0f} dpi 渲染")
                bitmap = pdf_page.render(scale=dpi / 72.0)
                bgr = pil_to_bgr(bitmap.to_pil())
            except pdfium.PdfiumError as exc:
                raise InputFileError(f"PDF 第 {number} 页无法渲染（{_short(exc)}）") from exc
            finally:
                pdf_page.close()
            lines = text_layers.get(number)
            text_layer = None
            if lines is not None:
                text_layer = OcrPage(
                    page=number,
                    width=int(bgr.shape[1]),
                    height=int(bgr.shape[0]),
                    lines=tuple(_line_to_pixels(line, dpi) for line in lines),
                    engine="text_layer",
                )
            kind: SourceKind = "pdf_text" if text_layer is not None else "pdf_scan"
            pictures = tuple(_box_to_pixels(box, dpi) for box in pictures_pt.get(number, ())) if text_layer else ()
            pages.append(_make_page(number, bgr, dpi, text_layer, kind, limits, pictures))
        return pages, notes
    finally:
        document.close()


def _fit_dpi(width_pt: float, height_pt: float, dpi: float, max_pixels: int) -> float:
    """Lower ``dpi`` just enough for a page of this size to stay under ``max_pixels``."""
    if width_pt <= 0 or height_pt <= 0:
        raise InputFileError("PDF 页面尺寸无效")
    if page_pixels_at(width_pt, height_pt, dpi) <= max_pixels:
        return dpi
    fitted = math.floor(72.0 * math.sqrt(max_pixels / (width_pt * height_pt)) * 0.99)
    if fitted < 36:
        raise FileLimitError(f"PDF 页面幅面过大（{width_pt:.0f}×{height_pt:.0f} 点）")
    return float(fitted)


def page_pixels_at(width_pt: float, height_pt: float, dpi: float) -> int:
    """Pixels of a page of ``width_pt`` x ``height_pt`` points rendered at ``dpi``."""
    return math.ceil(width_pt * dpi / 72.0) * math.ceil(height_pt * dpi / 72.0)


_PdfLine = tuple[str, float, float, float, float]  # text, x0, top, x1, bottom in points


_PdfBox = tuple[float, float, float, float]  # x0, top, x1, bottom in points from the page's top left
MIN_PICTURE_PT = 6.0  # a picture smaller than this on either side holds no readable text


def _pdf_text_layers(data: bytes, count: int, limits: FileLimits
                     ) -> tuple[dict[int, list[_PdfLine]], dict[int, list[_PdfBox]], str | None]:
    """Read each page's text lines with pdfplumber; keep pages whose text layer is usable.

    Also returns, per page, the boxes of its embedded pictures large enough to hold text.
    A broken text layer never stops the file: the pages are then OCRed like scans.
    """
    import pdfplumber

    layers: dict[int, list[_PdfLine]] = {}
    pictures: dict[int, list[_PdfBox]] = {}
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for number, page in enumerate(pdf.pages[:count], start=1):
                left, top = float(page.bbox[0]), float(page.bbox[1])
                lines = [
                    (
                        str(item["text"]),
                        float(item["x0"]) - left,
                        float(item["top"]) - top,
                        float(item["x1"]) - left,
                        float(item["bottom"]) - top,
                    )
                    for item in _text_lines_by_size(page)
                    if str(item.get("text", "")).strip()
                ]
                if _usable_text(lines, limits.min_text_layer_chars):
                    layers[number] = lines
                    pictures[number] = [
                        (float(item["x0"]) - left, float(item["top"]) - top, float(item["x1"]) - left,
                         float(item["bottom"]) - top)
                        for item in page.images
                        if min(float(item["x1"]) - float(item["x0"]), float(item["bottom"]) - float(item["top"]))
                        >= MIN_PICTURE_PT
                    ]
                page.flush_cache()
    except Exception as exc:  # pdfminer raises a wide, undocumented variety on malformed files
        if "password" in type(exc).__name__.lower() or "password" in repr(exc).lower():
            raise EncryptedPdfError("PDF 已加密，需要密码才能读取文字") from exc
        return {}, {}, f"PDF 文字层无法读取，按扫描件识别（{_short(exc)}）"
    return layers, pictures, None


_CID = "(cid:"


def _text_lines_by_size(page: Any) -> list[dict[str, Any]]:
    """The page's text lines; lines of different sizes printed over each other come out apart.

    pdfplumber gathers characters whose tops lie within 3 pt into one line. Two lines of
    different font sizes printed across each other (a footer's 报告时间 over the last table
    row) then come out as one, their characters interleaved (``打 血 印 沉 时间``) and their
    dates unreadable. Such a line, whose sizes overlap along it, is split by size; a row that
    only mixes sizes side by side (a bold label, its value) stays one line.
    """
    from pdfplumber.utils import extract_text

    lines: list[dict[str, Any]] = []
    for item in page.extract_text_lines(return_chars=True):
        by_size: dict[int, list[dict[str, Any]]] = {}
        for char in item["chars"]:
            by_size.setdefault(_size_key(char), []).append(char)
        if len(by_size) < 2 or not _sizes_overprinted(item["chars"]):
            lines.append(item)
            continue
        for chars in by_size.values():
            lines.append({"text": extract_text(chars), "x0": min(float(c["x0"]) for c in chars),
                          "top": min(float(c["top"]) for c in chars), "x1": max(float(c["x1"]) for c in chars),
                          "bottom": max(float(c["bottom"]) for c in chars)})
    return lines


def _size_key(char: dict[str, Any]) -> int:
    return round(float(char.get("size", 0.0)) * 2)


def _sizes_overprinted(chars: list[dict[str, Any]]) -> bool:
    """Whether characters of different sizes overlap along the line (two lines printed across each other).

    Sizes alternating side by side (a form's small labels each before its larger value: 患者姓名: 杜军 性别: 男,
    alternative templates 3, seed 7302) span the same stretch of the line without any character of one
    lying over one of another; split by size, the labels and values came out as two lines, no label beside
    its value.
    """
    reach: dict[int, float] = {}  # the right edge of each size's characters so far, left to right
    for char in sorted(chars, key=lambda c: float(c["x0"])):
        size, left = _size_key(char), float(char["x0"])
        if any(other != size and right > left + 1.0 for other, right in reach.items()):
            return True
        reach[size] = max(reach.get(size, left), float(char["x1"]))
    return False


def _usable_text(lines: list[_PdfLine], min_chars: int) -> bool:
    """True when the lines hold enough real text (not unmapped ``(cid:N)`` glyphs or PUA codes)."""
    text = "".join(line[0] for line in lines)
    garbage = text.count(_CID) * 6 + sum(1 for ch in text if "\ue000" <= ch <= "\uf8ff" or ch == "\ufffd")
    chars = sum(1 for ch in text if not ch.isspace())
    if chars < min_chars:
        return False
    return garbage / chars < 0.1


def _box_to_pixels(box: _PdfBox, dpi: float) -> tuple[int, int, int, int]:
    x0, top, x1, bottom = box
    k = dpi / 72.0
    return max(0, round(x0 * k)), max(0, round(top * k)), max(1, round((x1 - x0) * k)), max(1, round((bottom - top) * k))


def _line_to_pixels(line: _PdfLine, dpi: float) -> OcrLine:
    text, *box = line
    return OcrLine(text=text, bbox=list(_box_to_pixels((box[0], box[1], box[2], box[3]), dpi)), confidence=1.0)
