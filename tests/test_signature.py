"""Physician signature on the application form: ink in the box beside the label, read on rendered pages."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw

import pipeline.signature as signature
from models.ocr import OcrLine, OcrPage
from pipeline.signature import detect_physician_signature, find_signature_fields
from tests.ocr_helpers import PageSpec, Text, application_form, cjk_font, line, page_of, render, shared_reader


def _read(spec: PageSpec):
    image = render(spec)
    return image, shared_reader().read(image)


def test_scribbled_signature_is_present():
    """GIVEN a form whose physician-signature box holds handwriting-like strokes
    WHEN the page is read by RapidOCR and the box measured
    THEN the signature is present, with evidence on the box right of the label."""
    image, page = _read(application_form(signed=True))
    result = detect_physician_signature(image, page)
    assert result.present is True
    assert result.evidence is not None and result.evidence.page == 1
    x, y, _, h = result.evidence.bbox
    assert x >= 150 and x < 200 and y < 700 < y + h       # right of "医师签名：", on its row
    assert result.ink_ratio > 0.012


def test_empty_box_with_underline_is_absent():
    image, page = _read(application_form(signed=False))
    result = detect_physician_signature(image, page)
    assert result.present is False
    assert result.evidence is not None and result.evidence.value == "empty"


@pytest.mark.parametrize(("signed", "present"), [(False, False), (True, True)])
def test_the_sides_of_a_box_drawn_for_the_signature_are_no_strokes(signed, present):
    """GIVEN 医生签名： and a rectangle drawn for the signature beside it, its sides 1.7 line heights tall
    WHEN the box is measured
    THEN the sides are printed rules, not a signature (alternative templates seed 7106: an empty drawn
    box read as signed, an unsafe pass); handwriting inside it still counts."""
    image = np.full((1400, 1000, 3), 245, np.uint8)
    cv2.rectangle(image, (250, 690), (520, 740), (30, 30, 30), 2)
    if signed:
        cv2.putText(image, "Wang", (280, 728), cv2.FONT_HERSHEY_SCRIPT_SIMPLEX, 1.1, (140, 60, 30), 2)
    page = page_of(line("医生签名：", 700, x=40), line("申请人（签名）：", 900, x=40), height=1400)
    assert detect_physician_signature(image, page).present is present


def test_another_signature_field_does_not_count():
    """The applicant signed below; the physician's box is still empty."""
    image, page = _read(application_form(signed=False, applicant_signed=True))
    assert detect_physician_signature(image, page).present is False


def test_no_physician_label_means_unknown():
    page = page_of(line("申请人签名：", 700), line("日期：2025年5月20日", 760))
    image = np.full((1400, 1000, 3), 250, np.uint8)
    result = detect_physician_signature(image, page)
    assert result.present is None and result.evidence is None


def test_box_stops_at_the_next_printed_field():
    page = page_of(line("经治医师签字：", 700, x=40), line("日期：", 700, x=520), height=1400)
    [field] = find_signature_fields(page)
    x, _, w, _ = field.box
    assert x >= 40 + 100 and x + w <= 520


@pytest.mark.parametrize("label", ["主治医师(签字).：",
                                   "主治医师（签章）\"："])  # alternative templates seed 7021: a false SIGNATURE_MISSING
def test_a_speck_before_the_labels_colon_does_not_close_the_box(label):
    """Fresh seed 9602: 主治医师(签字).： — its colon, after a speck read as a dot, was taken for the next
    printed field: the box moved under the label, and the signature beside it was not looked at."""
    page = page_of(line(label, 700, x=40), height=1400)
    [field] = find_signature_fields(page)
    x, y, w, _ = field.box
    assert x >= 40 + 200 and w > 300 and y < 700


def test_label_read_together_with_the_handwriting():
    """OCR often reads the scribble into the label's line ("医师签名:M//"): the box still starts after the label."""
    page = page_of(line("医师签名:M//W", 700, x=40, h=50), line("临床诊断：原发性高血压3级", 600),
                   line("申请病种：高血压（Ⅲ级）", 500), height=1400)
    [field] = find_signature_fields(page)
    # 4.5 printed character widths (30 px) in, not at the proportional end of the line (about 265 px)
    assert abs(field.box[0] - (40 + 4.5 * 30)) < 10


def test_printed_hint_in_the_box_is_not_ink():
    """GIVEN an empty box with the printed hint 日期 further right and a ruled underline
    THEN nothing in the box counts as handwriting."""
    spec = PageSpec(texts=[Text("主治医师（签字）：", (60, 300)), Text("年    月    日", (560, 300))],
                    lines=[(280, 332, 540, 332)], size=(850, 500))
    image, page = _read(spec)
    result = detect_physician_signature(image, page)
    assert result.present is False


def _form_with_written_name(colour: tuple[int, int, int], text: str = "龙怡秀",
                            confidence: float = 0.99) -> tuple[np.ndarray, object]:
    """A physician-signature box holding ``text`` written in ``colour`` (RGB), as read by OCR."""
    image = Image.new("RGB", (1000, 1000), (250, 250, 250))
    draw = ImageDraw.Draw(image)
    draw.text((60, 500), "主治医师（签字）：", font=cjk_font(28), fill=(20, 20, 20))
    draw.text((340, 494), text, font=cjk_font(34), fill=colour)
    page = page_of(line("主治医师（签字）：", 500, x=60, h=30), line(text, 494, x=340, h=38, confidence=confidence),
                   height=1000)
    return cv2.cvtColor(np.asarray(image), cv2.COLOR_RGB2BGR), page


def test_a_name_read_confidently_in_the_box_is_a_signature(monkeypatch):
    """GIVEN strokes the ink measure finds too faint, which the OCR nevertheless read as a name
    WHEN the field is judged, THEN it is signed."""
    monkeypatch.setattr(signature, "MIN_INK_CHARS", 100.0)  # the ink measure alone finds it empty
    image, page = _form_with_written_name((60, 60, 60))
    result = signature.detect_physician_signature(image, page)
    assert result.present is True and result.evidence is not None and result.evidence.value == "signed"


@pytest.mark.parametrize(("text", "confidence", "present"), [
    ("常坐", 0.69, True),     # seed 9529: a faint grey 常华 in a phone's shadow, read unsurely
    ("龙怡秀", 0.55, False),  # a guess
    ("病情属实", 0.75, False),  # the opinion box's printed words, read unsurely on a blurred photo
    ("：曾庆宏", 0.96, True),  # fresh seed 9607: the label's colon read into the name's box
])
def test_a_name_read_unsurely_on_its_own_line_in_the_box(monkeypatch, text, confidence, present):
    monkeypatch.setattr(signature, "MIN_INK_CHARS", 100.0)  # the ink measure alone finds it empty
    image, page = _form_with_written_name((90, 90, 90), text, confidence)
    assert signature.detect_physician_signature(image, page).present is present


def test_seal_text_read_in_an_empty_box_is_not_a_signature(monkeypatch):
    """The same text in seal red (a seal's ring text over the box) does not fill it."""
    monkeypatch.setattr(signature, "MIN_INK_CHARS", 100.0)
    image, page = _form_with_written_name((210, 40, 40))
    assert signature.detect_physician_signature(image, page).present is False


def test_a_blurred_label_is_still_the_physician_field():
    """医师签名 read as 医修名： on a blurred photo still names the field; 医院名称 does not."""
    page = page_of(line("医修名：", 700, x=40), line("医院名称：临汾市人民医院", 300, x=40), height=1400)
    fields = find_signature_fields(page)
    assert [f.label for f in fields] == ["医修名："]



def test_a_misread_physician_character_between_jingzhi_and_qianzi_is_still_the_field():
    """经治医师签字 read as 经治区师签字： (a blurred phone photo) still names the field; 经治医院 alone does not."""
    page = page_of(line("经治区师签字：", 700, x=40), line("经治医院：临汾市人民医院", 300, x=40), height=1400)
    fields = find_signature_fields(page)
    assert [f.label for f in fields] == ["经治区师签字："]


@pytest.mark.parametrize("label", ["经治医师连字：", "师签章", "医签名：",  # seeds 9404, 9408: 签 as 连; 医 or 师 lost
                                   "医师装名：", "送师签章：", "主治连师（#字）",  # seeds 9450, 9451: one beside 师 misread
                                   "医章：", "医际签章",  # seed 9460: 师签 lost; 师 as 际
                                   "医师章：",  # seed 9481: 签 lost
                                   "医邮签章：",  # seed 9483: 师 as 邮
                                   "医师基章",  # seed 9497: 签 as 基, the colon lost
                                   "经治医师签学：",  # seed 9517: 字 as 学
                                   "主治医师（鉴宇）：", "主治医部（量字）：",  # seeds 9538, 9551: both of 签字 misread
                                   "医师签：",  # seed 9545: 章 lost
                                   "西师章：",  # fresh seed 9588: 医 misread, 签 lost
                                   "医师康：",  # fresh seed 9597: 签 lost, 章 misread
                                   # alternative templates, seed 7110: cut after 签; 签X at the box's end; 医 and
                                   # 签字 each one character wrong; the label's 签字 lost
                                   "经治医师 (签", "医师签堂", "主治送师理：", "主治医师",
                                   "医章"])  # fresh seed 9636: 师签 and the colon lost, alone in its box
def test_other_misreadings_of_the_physician_label_are_still_the_field(label):
    page = page_of(line(label, 700, x=40), line("本人签字：", 900, x=40), line("律师签章", 1000, x=40), height=1400)
    [field] = find_signature_fields(page)
    assert label.endswith(field.label)  # 连师（#字） of 主治连师（#字）: the label from the misread 医 on


def test_an_empty_looking_box_beside_a_misread_label_is_unclear():
    """GIVEN an empty physician box whose label the OCR read only as 医签名： (a blurred photo; seed
    9408's form was signed, yet its faint signature went unseen)
    WHEN the signature is detected
    THEN whether it is signed is unknown (manual review), with the box as evidence; the same box
    beside a label read whole is empty (SIGNATURE_MISSING)."""
    image, page = _read(application_form(signed=False))
    whole = detect_physician_signature(image, page)
    assert whole.present is False
    misread_lines = tuple(ln.model_copy(update={"text": ln.text.replace("医师签名", "医签名")}) for ln in page.lines)
    misread = detect_physician_signature(image, page.model_copy(update={"lines": misread_lines}))
    assert misread.present is None
    assert misread.evidence is not None and misread.evidence.value == "unclear" and misread.evidence.bbox


def test_the_bracketed_label_with_its_last_character_misread_is_the_whole_field():
    """Seed 9513: 主治医师（签宇）： for 签字 on a phone photo read at 0.91; the field is found as a label read
    whole, so an empty box there is SIGNATURE_MISSING (not the blurred-label doubt)."""
    page = page_of(line("主治医师（签宇）：", 700, x=40), line("申请人（签名）：", 900, x=40), height=1400)
    [field] = find_signature_fields(page)
    assert field.label == "主治医师（签宇）：" and not field.misread


@pytest.mark.parametrize(("row", "label"), [
    ("主治医师《签字）：叶五", "主治医师《签字）："),  # seed 9527: （ read as 《, the signature read into the line
    ("经治医单签学：", "经治医单签学："),  # seed 9528: 师 as 单 and 字 as 学
])
def test_the_whole_physician_label_with_one_character_wrong_is_the_field(row, label):
    """A long physician label read with one character wrong, and look-alikes of others, is still the
    field, found as a misread label (a box that looks empty there is unclear, not SIGNATURE_MISSING)."""
    page = page_of(line(row, 700, x=40), line("申请人签字：", 900, x=40), line("经治医师意见：同意", 500, x=40),
                   height=1400)
    [field] = find_signature_fields(page)
    assert field.label == label and field.misread


@pytest.mark.parametrize("row", ["经治医师意见：同意申请", "医师姓名：张三", "申请人签字：", "医院签章：",
                                 "医保经办机构签章", "医疗机构（盖章）", "经治医师意见", "主治医师姓名：",
                                 "受托人签名：", "经办人签字：", "主治医院（盖章）：", "主治医师意见：", "主治医师姓名：张三"])
def test_rows_that_only_look_like_the_physician_label_are_not_the_field(row):
    assert find_signature_fields(page_of(line(row, 700, x=40), height=1400)) == []


def test_a_date_blank_read_as_separate_characters_is_not_ink():
    """Seed 9461: an unsigned box whose foot reached the 年 月 日 blank on the row below, each read as its
    own box: the printed characters counted as strokes, and the missing signature was taken as signed."""
    image = Image.new("RGB", (1000, 1400), "white")
    draw = ImageDraw.Draw(image)
    draw.text((40, 700), "经治医师签字：", fill="black", font=cjk_font(30))
    for x, char in ((420, "年"), (520, "月"), (620, "日")):
        draw.text((x, 724), char, fill="black", font=cjk_font(30))
    page = page_of(line("经治医师签字：", 700, x=40), line("年", 724, x=420), line("月", 724, x=520),
                   line("日", 724, x=620), height=1400)
    bgr = cv2.cvtColor(np.asarray(image), cv2.COLOR_RGB2BGR)
    [field] = find_signature_fields(page)
    assert field.box[1] + field.box[3] > 745  # the box's foot reaches into the blank (the case guarded)
    assert detect_physician_signature(bgr, page).present is False


def test_an_underline_a_few_degrees_off_level_is_not_ink():
    """Fresh seed 9576, a phone photo (a crop of its generated page): the empty box's underline drifted
    7 px over 150 and broke into flat pieces that the level rule finder missed; they counted as a
    signature, and the unsigned form passed."""
    bgr = cv2.imread(str(Path(__file__).parent / "data" / "tilted_underline_in_an_empty_signature_box.png"))
    page = OcrPage(page=1, width=bgr.shape[1], height=bgr.shape[0], engine="rapidocr",
                   lines=(OcrLine(text="医师签名：", bbox=[65, 53, 90, 34], confidence=0.98),
                          OcrLine(text="年月日", bbox=[442, 108, 111, 34], confidence=1.0)))
    assert detect_physician_signature(bgr, page).present is False


def test_a_signature_over_a_tilted_underline_is_still_ink():
    image = Image.new("RGB", (1000, 1400), "white")
    draw = ImageDraw.Draw(image)
    draw.text((40, 700), "医师签名：", fill="black", font=cjk_font(30))
    draw.line((200, 730, 350, 737), fill=(60, 60, 60), width=2)
    draw.text((220, 698), "王明", fill=(150, 90, 40), font=cjk_font(34))  # pen-blue handwriting stand-in
    page = page_of(line("医师签名：", 700, x=40), height=1400)
    bgr = cv2.cvtColor(np.asarray(image), cv2.COLOR_RGB2BGR)
    assert detect_physician_signature(bgr, page).present is True

@pytest.mark.parametrize(("row", "colour", "present"), [
    ("医师签章：金强", (150, 90, 40), True),      # seed 9514: faint blue strokes read as a name on the label's line
    ("医师签章：金强", (40, 40, 200), False),     # the same words in seal red: seal text, not a signature
    ("医师签章：年月日", (150, 90, 40), False),   # a printed blank
])
def test_a_signature_read_as_a_name_on_the_labels_line(row, colour, present):
    image = np.full((1400, 1000, 3), 245, np.uint8)
    cv2.putText(image, "~~~~", (200, 725), cv2.FONT_HERSHEY_SIMPLEX, 0.5, colour, 1)  # a trace of ink only
    page = page_of(line(row, 700, x=40, confidence=0.91), line("申请人（签名）：", 900, x=40), height=1400)
    assert detect_physician_signature(image, page).present is present


@pytest.mark.parametrize(("name_confidence", "present"), [
    (0.72, True),   # seed 9540: 经治医师整字：投林立, the label misread (签 as 整), the line at 0.85
    (0.55, None),   # a guess beside a misread label: unclear, for a reviewer
])
def test_a_name_after_a_misread_label_counts_at_its_own_characters_confidence(name_confidence, present):
    """The line's confidence mixes the printed label's characters with the handwriting's; what the
    name itself was read at decides, as for a name on its own line in the box."""
    image = np.full((1400, 1000, 3), 245, np.uint8)
    cv2.putText(image, "~~~~", (330, 725), cv2.FONT_HERSHEY_SIMPLEX, 0.5, (150, 90, 40), 1)  # a trace of ink only
    text = "经治医师整字：投林立"
    chars = (0.99, 0.99, 0.99, 0.99, 0.3, 0.99, 0.9) + (name_confidence,) * 3
    row = line(text, 700, x=40).model_copy(update={"confidence": sum(chars) / len(chars), "char_confidences": chars})
    page = page_of(row, line("申请人（签名）：", 900, x=40), height=1400)
    assert detect_physician_signature(image, page).present is present


def _stamped(draw_stamp) -> tuple[np.ndarray, OcrPage]:
    image = np.full((1400, 1000, 3), 245, np.uint8)
    cv2.line(image, (230, 728), (520, 728), (60, 60, 60), 1)  # the printed underline
    draw_stamp(image)
    page = page_of(line("经治医师签字：", 700, x=40), line("申请人（签名）：", 900, x=40), height=1400)
    return image, page


def _name_seal(image: np.ndarray) -> None:
    """A physician's square name seal (名章) on the line: a red frame round two red characters."""
    cv2.rectangle(image, (260, 690), (312, 742), (60, 50, 200), 3)
    cv2.putText(image, "Li", (266, 728), cv2.FONT_HERSHEY_SIMPLEX, 1.0, (60, 50, 200), 3)


def _solid_name_seal(image: np.ndarray) -> None:
    """A larger solid red name seal, white characters cut in it, standing well above the line (alternative
    templates, seed 7004: a false SIGNATURE_MISSING)."""
    cv2.rectangle(image, (260, 650), (370, 760), (70, 70, 225), -1)
    cv2.putText(image, "Li", (275, 725), cv2.FONT_HERSHEY_SIMPLEX, 1.5, (245, 245, 245), 4)


def _small_hospital_seal_in_box(image: np.ndarray) -> None:
    """A hospital's round seal small enough to lie whole in the box's band (a phone photo of seed 9572's form):
    round, its bounding box's corners bare."""
    cv2.circle(image, (330, 712), 55, (60, 50, 200), 5)
    cv2.circle(image, (330, 712), 14, (60, 50, 200), -1)
    cv2.putText(image, "HOSP", (290, 690), cv2.FONT_HERSHEY_SIMPLEX, 0.6, (60, 50, 200), 2)


def _hospital_seal_star_in_box(image: np.ndarray) -> None:
    """A hospital's round seal over the box: its star inside the box, its ring and text around it."""
    cv2.circle(image, (300, 715), 110, (60, 50, 200), 5)
    cv2.circle(image, (300, 715), 22, (60, 50, 200), -1)
    cv2.putText(image, "HOSPITAL", (215, 660), cv2.FONT_HERSHEY_SIMPLEX, 0.9, (60, 50, 200), 3)


def _name_seal_over_the_labels_end(image: np.ndarray) -> None:
    """The name seal stamped hard against the label, over its colon (alternative templates seed 7011)."""
    cv2.rectangle(image, (222, 690), (274, 742), (60, 50, 200), 3)
    cv2.putText(image, "Li", (228, 728), cv2.FONT_HERSHEY_SIMPLEX, 1.0, (60, 50, 200), 3)


def _name_seal_washed_out(image: np.ndarray) -> None:
    """A name seal whose frame glare washed out in places: its sides in pieces 12 px apart (seed 7011)."""
    pink = (110, 100, 215)
    for x0, x1 in ((260, 276), (288, 312)):
        cv2.line(image, (x0, 690), (x1, 690), pink, 3)
        cv2.line(image, (x0, 742), (x1, 742), pink, 3)
    for y0, y1 in ((690, 706), (718, 742)):
        cv2.line(image, (260, y0), (260, y1), pink, 3)
        cv2.line(image, (312, y0), (312, y1), pink, 3)
    cv2.putText(image, "Li", (270, 728), cv2.FONT_HERSHEY_SIMPLEX, 0.8, pink, 2)


@pytest.mark.parametrize(("stamp", "present"), [
    (_name_seal, True),                   # signed by stamp (医师签名（盖章）): read empty (alternative templates, 7002)
    (_solid_name_seal, True),
    (_name_seal_over_the_labels_end, True),
    (_name_seal_washed_out, True),
    (_small_hospital_seal_in_box, False),
    (_hospital_seal_star_in_box, False),  # the hospital's seal is no physician's signature
])
def test_a_physicians_name_seal_in_the_box_signs_it(stamp, present):
    image, page = _stamped(stamp)
    assert detect_physician_signature(image, page).present is present


@pytest.mark.parametrize(("colour", "confidence", "present"), [
    ((70, 90, 160), 0.59, True),    # fresh seed 9609: 薛明光 at 0.59 over a faint blue pen broken into specks
    ((70, 90, 160), 0.45, False),   # a guess, however much ink
    ((250, 250, 250), 0.59, False),  # no ink in the box: the reading alone is not enough
])
def test_a_name_read_less_surely_counts_where_the_box_holds_ink(monkeypatch, colour, confidence, present):
    monkeypatch.setattr(signature, "MIN_COMPONENT_HEIGHT", 100.0)  # its strokes too broken to count as strokes
    image, page = _form_with_written_name(colour, "薛明光", confidence)
    assert signature.detect_physician_signature(image, page).present is present
