"""A typed PDF form filled in with pictures (handwritten or scanned entries pasted on it): the text layer
holds only the labels, so the entries are read by OCR from the pictures and merged with the text layer."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image, ImageDraw

from models.ocr import OcrLine, OcrPage
from pipeline.ocr import ocr_page, with_picture_text
from pipeline.pages import load_document
from pipeline.reading import shared_engine
from tests.ocr_helpers import cjk_font


def _entry_picture(text: str) -> Image.Image:
    """A snippet of handwriting-like print, as a filled-in entry pasted into a form."""
    font = cjk_font(44)
    image = Image.new("RGB", (60 * len(text) + 40, 70), "white")
    ImageDraw.Draw(image).text((20, 10), text, font=font, fill=(20, 20, 60))
    return image


def _form_pdf(entries: dict[str, str]) -> bytes:
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    pdf = canvas.Canvas(buf, pagesize=(595, 842))
    pdf.setFont("STSong-Light", 18)
    pdf.drawString(200, 780, "临汾市尧都中心医院 门诊病历")
    pdf.drawString(72, 740, "本病历仅供门诊慢特病申请使用，复印无效")
    for row, (label, value) in enumerate(entries.items()):
        y = 700 - 60 * row
        pdf.drawString(72, y, label)
        picture = _entry_picture(value)
        pdf.drawImage(ImageReader(picture), 160, y - 8, width=picture.width * 0.45, height=picture.height * 0.45)
    pdf.showPage()
    pdf.save()
    return buf.getvalue()


def test_entries_pasted_as_pictures_are_read_into_the_text_layer(tmp_path: Path) -> None:
    path = tmp_path / "record.pdf"
    path.write_bytes(_form_pdf({"姓名：": "徐建新", "日期：": "2025年1月5日", "诊断：": "高血压病"}))
    [page] = load_document(path).pages
    assert page.source_kind == "pdf_text" and len(page.pictures) == 3
    assert "徐建新" not in page.text_layer.text
    read = ocr_page(page, shared_engine("rapidocr"))
    assert read.engine == "text_layer+rapidocr"
    assert "临汾市尧都中心医院" in read.text  # the typed text, exact from the layer
    for entry in ("徐建新", "2025年1月5日", "高血压病"):
        assert entry in read.text.replace(" ", ""), read.text


def test_a_text_pdf_without_pictures_is_not_read_by_ocr(tmp_path: Path) -> None:
    class NoEngine:
        name = "none"

        def read(self, image, page):  # pragma: no cover - must not be called
            raise AssertionError("OCR ran on a text-layer page without pictures")

    path = tmp_path / "typed.pdf"
    path.write_bytes(_form_pdf({}))
    [page] = load_document(path).pages
    assert page.pictures == () and ocr_page(page, NoEngine()).engine == "text_layer"


def test_merge_adds_lines_from_pictures_and_drops_a_label_read_with_its_entry() -> None:
    layer = OcrPage(page=1, width=1000, height=1000, engine="text_layer", lines=(
        OcrLine(text="门诊病历", bbox=[400, 50, 200, 40], confidence=1.0),
        OcrLine(text="诊断：", bbox=[100, 300, 80, 30], confidence=1.0),
    ))
    read = OcrPage(page=1, width=1000, height=1000, engine="rapidocr", lines=(
        OcrLine(text="门诊病历", bbox=[398, 48, 204, 44], confidence=0.99),  # typed text: the layer has it
        OcrLine(text="诊断：高血压病", bbox=[95, 295, 330, 40], confidence=0.97),  # label + pasted entry
    ))
    merged = with_picture_text(layer, read, [(190, 290, 240, 50)])
    assert [line.text for line in merged.lines] == ["门诊病历", "诊断：高血压病"]
    assert merged.engine == "text_layer+rapidocr"


def test_a_typed_row_under_a_pasted_seal_keeps_its_exact_text() -> None:
    """A seal picture over 审核时间: OCR reads the row garbled; the text layer's exact row stays."""
    layer = OcrPage(page=1, width=1000, height=1000, engine="text_layer", lines=(
        OcrLine(text="审核时间：2024-10-13 16:30:29", bbox=[600, 500, 360, 30], confidence=1.0),
    ))
    read = OcrPage(page=1, width=1000, height=1000, engine="rapidocr", lines=(
        OcrLine(text="m审核时间 : 20248:0-13 16:30:29", bbox=[590, 495, 380, 40], confidence=0.8),
        OcrLine(text="检验专用章", bbox=[700, 560, 150, 30], confidence=0.9),
    ))
    merged = with_picture_text(layer, read, [(650, 420, 300, 300)])
    assert [line.text for line in merged.lines] == ["审核时间：2024-10-13 16:30:29", "检验专用章"]


def test_a_typed_row_of_labels_is_replaced_by_its_reading_with_the_entries() -> None:
    """GIVEN one typed row '姓 名: 性别: 年龄:' with the three entries pasted as pictures, which the
    OCR reads as three lines that each hold a label and part of a picture
    WHEN merged, THEN the row is the OCR's three lines: the name is not lost behind its label."""
    layer = OcrPage(page=1, width=1400, height=1000, engine="text_layer", lines=(
        OcrLine(text="门诊病历记录", bbox=[666, 275, 321, 53], confidence=1.0),
        OcrLine(text="姓 名: 性别: 年龄:", bbox=[113, 373, 1023, 31], confidence=1.0),
    ))
    read = OcrPage(page=1, width=1400, height=1000, engine="rapidocr", lines=(
        OcrLine(text="门诊病历记录", bbox=[662, 267, 325, 64], confidence=1.0),
        OcrLine(text="姓名：龚生", bbox=[103, 359, 183, 54], confidence=1.0),
        OcrLine(text="性别：男", bbox=[577, 358, 146, 56], confidence=1.0),
        OcrLine(text="年龄：82岁", bbox=[1058, 361, 173, 50], confidence=1.0),
    ))
    pictures = [(200, 351, 91, 65), (667, 351, 62, 65), (1143, 351, 98, 65)]
    merged = with_picture_text(layer, read, pictures)
    assert [line.text for line in merged.lines] == ["门诊病历记录", "性别：男", "姓名：龚生", "年龄：82岁"]


def test_a_row_whose_labels_the_ocr_did_not_read_keeps_the_typed_text_and_its_pictures() -> None:
    """A label the OCR missed on the row: the typed row stays, and the entries mostly inside their
    pictures are still added on their own."""
    layer = OcrPage(page=1, width=1400, height=1000, engine="text_layer", lines=(
        OcrLine(text="姓 名: 性别:", bbox=[113, 373, 800, 31], confidence=1.0),
    ))
    read = OcrPage(page=1, width=1400, height=1000, engine="rapidocr", lines=(
        OcrLine(text="龚生", bbox=[200, 359, 90, 54], confidence=0.9),
        OcrLine(text="性另：男", bbox=[577, 358, 146, 56], confidence=0.6),
    ))
    merged = with_picture_text(layer, read, [(200, 351, 91, 65), (667, 351, 62, 65)])
    assert [line.text for line in merged.lines] == ["性另：男", "龚生", "姓 名: 性别:"]


def test_a_garbled_echo_of_a_typed_date_is_dropped_though_it_reaches_the_labels_row() -> None:
    """A lab footer typed as 报告日期 over 2025/8/29, a seal pasted as a picture over both (alternative templates
    family 2, seed 7107): the OCR read 报告日期 and, taller, 2025/8/2射科, a row it shares with the label and with
    the date. Added with the label's row, it dated the report 08-02; the typed date stays, the echo goes."""
    layer = OcrPage(page=1, width=1654, height=2339, engine="text_layer", lines=(
        OcrLine(text="报告日期", bbox=[132, 1082, 75, 19], confidence=1.0),
        OcrLine(text="2025/8/29", bbox=[132, 1116, 131, 25], confidence=1.0)))
    read = OcrPage(page=1, width=1654, height=2339, engine="rapidocr", lines=(
        OcrLine(text="报告日期", bbox=[128, 1074, 87, 36], confidence=1.0),
        OcrLine(text="2025/8/2射科", bbox=[121, 1089, 217, 74], confidence=0.95)))
    merged = with_picture_text(layer, read, [(90, 943, 385, 311)])
    assert [line.text for line in merged.lines] == ["报告日期", "2025/8/29"]


def test_a_typed_label_whose_only_reading_is_dropped_stays_as_typed() -> None:
    """The same footer read as one line, 报告日期 2025/8/2射科: it reads the label in order and garbles the date
    below. Dropped as the date's echo, it must not take the typed label with it."""
    layer = OcrPage(page=1, width=1654, height=2339, engine="text_layer", lines=(
        OcrLine(text="报告日期", bbox=[132, 1082, 75, 19], confidence=1.0),
        OcrLine(text="2025/8/29", bbox=[132, 1116, 131, 25], confidence=1.0)))
    read = OcrPage(page=1, width=1654, height=2339, engine="rapidocr", lines=(
        OcrLine(text="报告日期 2025/8/2射科", bbox=[121, 1074, 240, 89], confidence=0.95),
        OcrLine(text="钱燕丽", bbox=[654, 1909, 175, 61], confidence=0.98)))  # a signature, pasted too
    merged = with_picture_text(layer, read, [(90, 943, 385, 311), (643, 1898, 198, 85)])
    assert [line.text for line in merged.lines] == ["报告日期", "2025/8/29", "钱燕丽"]
