"""A page as a display list in millimetres, rendered to pixels (Pillow) or to a text-layer PDF (reportlab).

Builders in ``documents.py`` draw on a :class:`Page`; capture code decides the
resolution. Ink images (seals, signatures, thumbprints) are RGBA and multiply
onto the paper in rasters, as stamped ink does.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

import numpy as np
from PIL import Image, ImageDraw

from samples.generator import fonts

MM_PER_PT = 25.4 / 72.0
Colour = tuple[int, int, int]
BLACK: Colour = (20, 20, 22)


@dataclass(frozen=True)
class Box:
    """A rectangle in millimetres from the page's top-left corner."""

    x: float
    y: float
    w: float
    h: float

    @property
    def cx(self) -> float:
        return self.x + self.w / 2

    @property
    def cy(self) -> float:
        return self.y + self.h / 2


@dataclass
class TextOp:
    x: float
    y: float  # baseline
    text: str
    font: str
    size_pt: float
    colour: Colour


@dataclass
class LineOp:
    x1: float
    y1: float
    x2: float
    y2: float
    width: float
    colour: Colour


@dataclass
class RectOp:
    box: Box
    width: float
    colour: Colour | None
    fill: Colour | None


@dataclass
class EllipseOp:
    box: Box
    width: float
    colour: Colour | None
    fill: Colour | None


@dataclass
class ImageOp:
    box: Box
    image: Image.Image  # RGBA, alpha = ink coverage
    multiply: bool = True


@dataclass
class Page:
    """One page: size in millimetres and the drawing operations on it, in order."""

    w: float
    h: float
    paper: Colour = (255, 255, 255)
    ops: list = field(default_factory=list)

    # -- drawing -----------------------------------------------------------
    def text(
        self, x: float, y: float, text: str, font: str = "sans", size: float = 10.5,
        colour: Colour = BLACK, align: str = "left",
    ) -> Box:
        """Draw ``text`` with its baseline at ``y``; returns the ink box (approximate) in mm."""
        width = fonts.text_width_mm(text, font, size)
        if align == "center":
            x -= width / 2
        elif align == "right":
            x -= width
        self.ops.append(TextOp(x, y, text, font, size, colour))
        height = size * MM_PER_PT
        return Box(x, y - height * 0.88, width, height * 1.1)

    def line(self, x1: float, y1: float, x2: float, y2: float, width: float = 0.25, colour: Colour = BLACK) -> None:
        self.ops.append(LineOp(x1, y1, x2, y2, width, colour))

    def rect(self, box: Box, width: float = 0.25, colour: Colour | None = BLACK, fill: Colour | None = None) -> None:
        self.ops.append(RectOp(box, width, colour, fill))

    def ellipse(self, box: Box, width: float = 0.3, colour: Colour | None = BLACK, fill: Colour | None = None) -> None:
        self.ops.append(EllipseOp(box, width, colour, fill))

    def image(self, box: Box, image: Image.Image, multiply: bool = True) -> None:
        self.ops.append(ImageOp(box, image, multiply))


def text_width(text: str, font: str, size: float) -> float:
    return fonts.text_width_mm(text, font, size)


# -- raster backend ----------------------------------------------------------
def render_raster(page: Page, dpi: float) -> Image.Image:
    """Render ``page`` to an RGB image at ``dpi``.

    Opaque images (logos, scan thumbnails, card copies) go down first, then text and rules,
    then ink images (seals, signatures, prints) multiply on top, as ink on paper does.
    """
    s = dpi / 25.4
    size = (max(1, round(page.w * s)), max(1, round(page.h * s)))
    img = Image.new("RGB", size, page.paper)
    opaque = [op for op in page.ops if isinstance(op, ImageOp) and not op.multiply]
    ink = [op for op in page.ops if isinstance(op, ImageOp) and op.multiply]
    if opaque:
        img = _composite(img, opaque, s)
    draw = ImageDraw.Draw(img)
    for op in page.ops:
        if isinstance(op, TextOp):
            font = fonts.pil_font(op.font, round(op.size_pt / 72.0 * dpi))
            draw.text((op.x * s, op.y * s), op.text, font=font, fill=op.colour, anchor="ls")
        elif isinstance(op, LineOp):
            draw.line([(op.x1 * s, op.y1 * s), (op.x2 * s, op.y2 * s)], fill=op.colour, width=max(1, round(op.width * s)))
        elif isinstance(op, RectOp):
            b = op.box
            draw.rectangle([b.x * s, b.y * s, (b.x + b.w) * s, (b.y + b.h) * s], outline=op.colour,
                           fill=op.fill, width=max(1, round(op.width * s)) if op.colour else 0)
        elif isinstance(op, EllipseOp):
            b = op.box
            draw.ellipse([b.x * s, b.y * s, (b.x + b.w) * s, (b.y + b.h) * s], outline=op.colour,
                         fill=op.fill, width=max(1, round(op.width * s)) if op.colour else 0)
    if ink:
        img = _composite(img, ink, s)
    return img


def _composite(img: Image.Image, ops: list[ImageOp], s: float) -> Image.Image:
    """Blend ink images onto the page, touching only the pixels under each image."""
    arr = np.array(img)
    h, w = arr.shape[:2]
    for op in ops:
        b = op.box
        x0, y0 = round(b.x * s), round(b.y * s)
        tw, th = max(1, round(b.w * s)), max(1, round(b.h * s))
        sx0, sy0 = max(0, -x0), max(0, -y0)
        dx0, dy0 = max(0, x0), max(0, y0)
        dx1, dy1 = min(w, x0 + tw), min(h, y0 + th)
        if dx1 <= dx0 or dy1 <= dy0:
            continue
        ink = op.image.resize((tw, th), Image.Resampling.BILINEAR)
        part = np.asarray(ink)[sy0:sy0 + dy1 - dy0, sx0:sx0 + dx1 - dx0].astype(np.float32)
        alpha = part[..., 3:4] / 255.0
        colour = part[..., :3]
        region = arr[dy0:dy1, dx0:dx1].astype(np.float32)
        blended = region * (colour / 255.0) if op.multiply else colour
        arr[dy0:dy1, dx0:dx1] = np.clip(region * (1 - alpha) + blended * alpha, 0, 255).astype(np.uint8)
    return Image.fromarray(arr)


# -- PDF backend -------------------------------------------------------------
_PDF_PX_PER_MM = 6.0  # ~150 dpi for embedded ink images: sharp enough, a quarter of the bytes


def _pdf_image(op: ImageOp, b: Box) -> Image.Image:
    w, h = max(1, round(b.w * _PDF_PX_PER_MM)), max(1, round(b.h * _PDF_PX_PER_MM))
    if w >= op.image.width:
        return op.image
    return op.image.resize((w, h), Image.Resampling.BILINEAR)


def render_pdf(pages: list[Page], *, title: str = "") -> bytes:
    """A PDF with a real text layer: text ops become PDF text in an embedded CJK TrueType font.

    Output is byte-for-byte reproducible (reportlab ``invariant`` mode: fixed dates and ids).
    """
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas as rl_canvas

    buf = io.BytesIO()
    pt = 72.0 / 25.4
    c = rl_canvas.Canvas(buf, pagesize=(pages[0].w * pt, pages[0].h * pt), invariant=1, pageCompression=1)
    c.setTitle(title)
    c.setCreator("samples.generator")
    c.setProducer("samples.generator")
    for page in pages:
        c.setPageSize((page.w * pt, page.h * pt))
        if page.paper != (255, 255, 255):
            c.setFillColorRGB(*[v / 255 for v in page.paper])
            c.rect(0, 0, page.w * pt, page.h * pt, stroke=0, fill=1)
        for op in page.ops:
            if isinstance(op, TextOp):
                c.setFillColorRGB(*[v / 255 for v in op.colour])
                c.setFont(fonts.pdf_font_name(op.font), op.size_pt)
                c.drawString(op.x * pt, (page.h - op.y) * pt, op.text)
            elif isinstance(op, LineOp):
                c.setStrokeColorRGB(*[v / 255 for v in op.colour])
                c.setLineWidth(op.width * pt)
                c.line(op.x1 * pt, (page.h - op.y1) * pt, op.x2 * pt, (page.h - op.y2) * pt)
            elif isinstance(op, RectOp | EllipseOp):
                b = op.box
                if op.colour:
                    c.setStrokeColorRGB(*[v / 255 for v in op.colour])
                    c.setLineWidth(op.width * pt)
                if op.fill:
                    c.setFillColorRGB(*[v / 255 for v in op.fill])
                args = (b.x * pt, (page.h - b.y - b.h) * pt)
                if isinstance(op, RectOp):
                    c.rect(*args, b.w * pt, b.h * pt, stroke=1 if op.colour else 0, fill=1 if op.fill else 0)
                else:
                    c.ellipse(args[0], args[1], args[0] + b.w * pt, args[1] + b.h * pt,
                              stroke=1 if op.colour else 0, fill=1 if op.fill else 0)
            elif isinstance(op, ImageOp):
                b = op.box
                c.drawImage(ImageReader(_pdf_image(op, b)), b.x * pt, (page.h - b.y - b.h) * pt, b.w * pt, b.h * pt,
                            mask="auto")
        c.showPage()
    c.save()
    return buf.getvalue()
