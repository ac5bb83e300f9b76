"""load_document(): every upload becomes BGR page images (and a PDF text layer), or a typed error."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from pipeline.errors import EncryptedPdfError, FileLimitError, InputFileError, UnsupportedFileError
from pipeline.pages import FileLimits, load_document, pil_to_bgr, sniff_media_type

FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"


def render_page(lines: list[str], size: tuple[int, int] = (1000, 700), font_px: int = 40) -> Image.Image:
    """A white RGB page with ``lines`` drawn in black from the top-left."""
    image = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(FONT, font_px, index=2)
    for i, text in enumerate(lines):
        draw.text((60, 60 + i * font_px * 2), text, fill="black", font=font)
    return image


def marked_image(size: tuple[int, int] = (400, 300)) -> Image.Image:
    """A page whose top-left quarter is black: orientation is visible in the pixels."""
    image = Image.new("RGB", size, "white")
    ImageDraw.Draw(image).rectangle([0, 0, size[0] // 4, size[1] // 4], fill="black")
    return image


def _pdf_bytes(pages: list[list[str]], encrypt: str | None = None) -> bytes:
    from reportlab.lib import pdfencrypt
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    options = {"encrypt": pdfencrypt.StandardEncryption(encrypt, ownerPassword="owner")} if encrypt else {}
    pdf = canvas.Canvas(buf, pagesize=(595, 842), **options)
    for lines in pages:
        pdf.setFont("STSong-Light", 20)
        for i, text in enumerate(lines):
            pdf.drawString(72, 760 - 40 * i, text)
        pdf.showPage()
    pdf.save()
    return buf.getvalue()


# ---------------------------------------------------------------- images


def test_png_named_jpg_is_read_by_its_bytes(tmp_path: Path) -> None:
    path = tmp_path / "photo.jpg"
    marked_image().save(path, format="PNG")
    document = load_document(path)
    assert document.media_type == "image/png"
    [page] = document.pages
    assert page.image.shape == (300, 400, 3) and page.image.dtype == np.uint8
    assert page.source_kind == "image" and page.text_layer is None and page.index == 1


def test_exif_rotated_jpeg_loads_upright(tmp_path: Path) -> None:
    """GIVEN a JPEG whose pixels are stored turned, with EXIF Orientation=6 (display turned 90° cw)
    WHEN it is loaded
    THEN the page is upright: the black mark is top-left again and the page is landscape."""
    upright = marked_image((400, 300))
    stored = upright.rotate(90, expand=True)  # counter-clockwise: what the sensor saw
    exif = Image.Exif()
    exif[0x0112] = 6
    path = tmp_path / "exif.jpg"
    stored.save(path, format="JPEG", exif=exif, quality=95)
    [page] = load_document(path).pages
    assert page.image.shape[:2] == (300, 400)
    assert page.image[:50, :70].mean() < 60 and page.image[-50:, -70:].mean() > 200


def test_multipage_tiff_gives_every_page(tmp_path: Path) -> None:
    frames = [render_page([f"第 {n} 页"], size=(300, 200), font_px=30) for n in range(1, 4)]
    path = tmp_path / "scan.tif"
    frames[0].save(path, format="TIFF", save_all=True, append_images=frames[1:], compression="tiff_deflate")
    document = load_document(path)
    assert document.media_type == "image/tiff"
    assert [p.index for p in document.pages] == [1, 2, 3]


@pytest.mark.parametrize("mode", ["L", "P", "RGBA", "CMYK", "I;16", "1", "LA"])
def test_every_pixel_mode_becomes_bgr_uint8(mode: str) -> None:
    base = marked_image((64, 48))
    image = base.convert("I;16") if mode == "I;16" else base.convert(mode)
    bgr = pil_to_bgr(image)
    assert bgr.shape == (48, 64, 3) and bgr.dtype == np.uint8
    assert bgr[:6, :6].mean() < 60 and bgr[-6:, -6:].mean() > 200


def test_transparent_png_is_white_not_black(tmp_path: Path) -> None:
    image = Image.new("RGBA", (50, 40), (0, 0, 0, 0))
    ImageDraw.Draw(image).rectangle([0, 0, 10, 10], fill=(0, 0, 0, 255))
    path = tmp_path / "alpha.png"
    image.save(path)
    [page] = load_document(path).pages
    assert page.image[30:, 30:].min() == 255 and page.image[:5, :5].max() == 0


def test_large_photo_keeps_full_resolution_beside_bounded_working_image(tmp_path: Path) -> None:
    path = tmp_path / "big.jpg"
    marked_image((2400, 1800)).save(path, quality=80)
    [page] = load_document(path, FileLimits(working_long_side_px=1200)).pages
    assert page.image.shape[:2] == (900, 1200)
    assert page.full_image is not None and page.full_image.shape[:2] == (1800, 2400)
    assert page.scale == pytest.approx(0.5)


# ---------------------------------------------------------------- PDF


def test_text_layer_pdf_gives_lines_in_page_pixels(tmp_path: Path) -> None:
    """GIVEN a two-page PDF with real text
    WHEN it is loaded
    THEN each page carries its text layer, boxes in pixels of the 200 dpi render, over dark pixels."""
    path = tmp_path / "report.pdf"
    path.write_bytes(
        _pdf_bytes(
            [["诊断证明书 临汾市尧都中心医院", "报告日期：2025年03月12日"], ["第二页 检查报告 超声所见：肝脏大小形态正常"]]
        )
    )
    document = load_document(path)
    assert document.media_type == "application/pdf" and len(document.pages) == 2
    first = document.pages[0]
    assert first.source_kind == "pdf_text" and first.dpi == 200
    assert first.image.shape[:2] == (2339, 1653)  # A4 at 200 dpi
    texts = [line.text for line in first.text_layer.lines]
    assert texts == ["诊断证明书 临汾市尧都中心医院", "报告日期：2025年03月12日"]
    x, y, w, h = first.text_layer.lines[1].bbox
    assert 190 <= x <= 210 and w > 500
    assert first.image[y : y + h, x : x + w].min() < 80  # the text layer sits on the rendered glyphs
    assert document.pages[1].text_layer.lines[0].text == "第二页 检查报告 超声所见：肝脏大小形态正常"


def test_lines_of_different_sizes_printed_over_each_other_are_read_apart(tmp_path: Path) -> None:
    """GIVEN a PDF whose footer (打印时间, 10 pt; 报告时间, 12 pt) is printed across the last table
    row (11 pt), tops 1.4-2.2 pt apart, as a generated lab report was
    WHEN it is loaded
    THEN each line comes out whole (not ``打 血 印 沉 时间``); a row of a bold label and its
    smaller value side by side stays one line."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    pdf = canvas.Canvas(buf, pagesize=(595, 842))
    for size, x, top, text in ((11, 62, 322.7, "血沉 ESR 20 mm/h 0-20"), (12, 338, 324.9, "报告时间：2025年11月20日"),
                               (10.2, 59, 326.3, "打印时间：2025年11月25日"), (14, 62, 200, "姓名："),
                               (10.5, 110, 201.5, "钟永华")):
        pdf.setFont("STSong-Light", size)
        pdf.drawString(x, 842 - top - size, text)
    pdf.showPage()
    pdf.save()
    path = tmp_path / "report.pdf"
    path.write_bytes(buf.getvalue())
    texts = sorted(line.text.replace(" ", "") for line in load_document(path).pages[0].text_layer.lines)
    assert texts == sorted(["血沉ESR20mm/h0-20", "报告时间：2025年11月20日", "打印时间：2025年11月25日", "姓名：钟永华"])


def test_labels_and_values_of_two_sizes_alternating_along_a_row_stay_one_line(tmp_path: Path) -> None:
    """GIVEN a PDF form row of small labels each followed by its larger value (患者姓名: 杜军 性别: 男 …), as a
    generated prescription printed it (alternative templates 3, seed 7302)
    WHEN it is loaded
    THEN the row is one line in reading order, each label beside its value (split by size, the labels and
    the values came out as two lines, and the name and the date went unread)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    pdf = canvas.Canvas(buf, pagesize=(595, 842))
    for size, x, y, text in ((16, 200, 760, "临汾市尧都中心医院门诊处方明细单"), (9, 40, 700, "患者姓名:"), (11, 85, 700, "杜军"),
                             (9, 200, 700, "性别:"), (11, 226, 700, "男"), (9, 320, 700, "年龄:"), (11, 346, 700, "52岁")):
        pdf.setFont("STSong-Light", size)
        pdf.drawString(x, y, text)
    pdf.showPage()
    pdf.save()
    path = tmp_path / "form.pdf"
    path.write_bytes(buf.getvalue())
    _, line = load_document(path).pages[0].text_layer.lines
    assert line.text.replace(" ", "") == "患者姓名:杜军性别:男年龄:52岁"


def test_image_only_pdf_is_a_scan_without_text_layer(tmp_path: Path) -> None:
    path = tmp_path / "scan.pdf"
    render_page(["扫描件"]).save(path, format="PDF", resolution=100)
    [page] = load_document(path).pages
    assert page.source_kind == "pdf_scan" and page.text_layer is None
    assert page.image.shape[:2] == (1400, 2000)  # 10 x 7 inches at 200 dpi


def test_encrypted_pdf_raises_encrypted_error(tmp_path: Path) -> None:
    path = tmp_path / "locked.pdf"
    path.write_bytes(_pdf_bytes([["机密"]], encrypt="secret"))
    with pytest.raises(EncryptedPdfError, match="加密"):
        load_document(path)


def test_pdf_over_page_limit_raises_limit_error(tmp_path: Path) -> None:
    path = tmp_path / "long.pdf"
    path.write_bytes(_pdf_bytes([["页"]] * 4))
    with pytest.raises(FileLimitError, match="上限"):
        load_document(path, FileLimits(max_pages=3))


# ---------------------------------------------------------------- bad files


def test_zero_byte_file_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "empty.jpg"
    path.write_bytes(b"")
    with pytest.raises(InputFileError, match="为空"):
        load_document(path)


def test_truncated_jpeg_is_an_input_error(tmp_path: Path) -> None:
    buf = io.BytesIO()
    render_page(["截断"]).save(buf, format="JPEG")
    path = tmp_path / "cut.jpg"
    path.write_bytes(buf.getvalue()[: len(buf.getvalue()) // 3])
    with pytest.raises(InputFileError) as caught:
        load_document(path)
    assert type(caught.value) is InputFileError


def test_truncated_pdf_is_an_input_error(tmp_path: Path) -> None:
    data = _pdf_bytes([["截断的 PDF 文件内容"]])
    path = tmp_path / "cut.pdf"
    path.write_bytes(data[: len(data) // 4])
    with pytest.raises(InputFileError):
        load_document(path)


@pytest.mark.parametrize(
    "data",
    [b"hello, this is a text file\n", b"<html><body>502 Bad Gateway</body></html>", b"PK\x03\x04rest-of-zip"],
)
def test_non_document_bytes_are_unsupported(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "upload.jpg"
    path.write_bytes(data)
    with pytest.raises(UnsupportedFileError):
        load_document(path)


def test_heic_is_named_in_the_message() -> None:
    with pytest.raises(UnsupportedFileError, match="HEIC"):
        sniff_media_type(b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic")


def test_missing_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match="不存在"):
        load_document(tmp_path / "nothing.png")


def test_file_over_byte_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.png"
    marked_image().save(path)
    with pytest.raises(FileLimitError, match="MB"):
        load_document(path, FileLimits(max_bytes=100))


def _png_bomb(side: int) -> bytes:
    """A valid 1-bit PNG of ``side`` x ``side`` white pixels: megapixels that compress to kilobytes."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    row = b"\x00" + b"\xff" * ((side + 7) // 8)
    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(row * side, 9)) + chunk(b"IEND", b"")


def test_decompression_bomb_raises_limit_error(tmp_path: Path) -> None:
    """GIVEN a small PNG that decodes to 12000 x 12000 pixels (a decompression bomb)
    WHEN it is loaded under a 60 MP page limit
    THEN FileLimitError names the pixel limit, raised before anything is decoded."""
    path = tmp_path / "bomb.png"
    path.write_bytes(_png_bomb(12_000))
    assert path.stat().st_size < 100_000
    with pytest.raises(FileLimitError, match="像素"):
        load_document(path)


def test_pillow_bomb_limit_is_restored_after_loading(tmp_path: Path) -> None:
    before = Image.MAX_IMAGE_PIXELS
    path = tmp_path / "ok.png"
    marked_image().save(path)
    load_document(path, FileLimits(max_pixels=1_000_000))
    assert before == Image.MAX_IMAGE_PIXELS


def test_pdf_page_with_a_trivial_text_layer_is_treated_as_a_scan(tmp_path: Path) -> None:
    path = tmp_path / "footer_only.pdf"
    path.write_bytes(_pdf_bytes([["第 1 页"]]))
    [page] = load_document(path).pages
    assert page.source_kind == "pdf_scan" and page.text_layer is None


def test_tiff_over_page_limit_raises_limit_error(tmp_path: Path) -> None:
    frames = [marked_image((60, 40)) for _ in range(4)]
    path = tmp_path / "many.tif"
    frames[0].save(path, format="TIFF", save_all=True, append_images=frames[1:])
    with pytest.raises(FileLimitError, match="上限 3 页"):
        load_document(path, FileLimits(max_pages=3))
