"""pagetext: OCR boxes grouped into rows, fragments of one line split by a seal kept together."""

from __future__ import annotations

from datetime import date

from models.ocr import OcrLine
from pipeline.dates import find_dates
from pipeline.pagetext import build_page_text
from tests.ocr_helpers import line, page_of


def box(text: str, x: int, y: int, w: int, h: int = 30) -> OcrLine:
    return OcrLine(text=text, bbox=[x, y, w, h], confidence=0.9)


def rows_of(*lines: OcrLine) -> list[str]:
    return build_page_text(page_of(*lines)).text.split("\n")


def test_boxes_of_one_row_left_to_right_and_rows_top_to_bottom():
    assert rows_of(line("姓名：张三", 100, x=400), line("性别：男", 102, x=700), line("诊断：高血压", 160)) == [
        "姓名：张三 性别：男", "诊断：高血压"]


def test_a_date_split_by_a_seal_ring_into_overlapping_pieces_stays_on_its_row():
    """``202`` and ``24年11月3日`` share the digit under the ring: the boxes overlap by one digit."""
    label = box("报告日期：", 100, 800, 150)
    head = box("202", 255, 801, 45)  # 255..300
    tail = box("24年11月3日", 285, 799, 170)  # 285..455: overlaps the head by 15 px (a third of it)
    text = build_page_text(page_of(label, head, tail)).text
    assert text == "报告日期： 202 24年11月3日"
    assert [d.value for d in find_dates(text)] == [date(2024, 11, 3)]


def test_the_fragments_join_whichever_is_read_first():
    head = box("202", 255, 806, 45)  # lower centre: sorted after the tail
    tail = box("24年11月3日", 285, 800, 170)
    assert rows_of(tail, head) == ["202 24年11月3日"]


def test_a_box_inside_another_is_another_layer_not_a_fragment():
    """Seal text over a printed line (its box within the line's) stays on a row of its own."""
    printed = box("报告日期：2024年11月3日", 100, 800, 400)
    seal_text = box("检验专用章", 250, 802, 150)
    assert len(rows_of(printed, seal_text)) == 2


def test_boxes_overlapping_by_more_than_a_character_or_two_are_two_rows():
    a = box("检验报告专用章", 100, 800, 300)
    b = box("报告日期：2024年", 200, 805, 300)  # overlaps a by 200 px, more than 1.5 line heights
    assert len(rows_of(a, b)) == 2


def test_overlapping_boxes_off_the_line_or_of_another_size_are_two_rows():
    head = box("202", 255, 800, 45)
    assert len(rows_of(head, box("24年11月3日", 285, 812, 170))) == 2  # centres 12 px apart (> a quarter of 30)
    assert len(rows_of(head, box("24年11月3日", 285, 790, 170, h=50))) == 2  # a box of another size (seal text)


def test_boxes_that_only_touch_still_join_as_before():
    assert rows_of(box("报告日期：", 100, 800, 150), box("2024-11-03", 255, 800, 150)) == ["报告日期： 2024-11-03"]


def test_each_characters_own_confidence_is_mapped_back():
    named = OcrLine(text="姓名：徐出立", bbox=[10, 10, 200, 30], confidence=0.96,
                    char_confidences=(1.0, 1.0, 0.97, 0.98, 0.9, 0.91))
    plain = OcrLine(text="男", bbox=[300, 10, 30, 30], confidence=0.8)
    page = build_page_text(page_of(named, plain))
    start = page.text.index("徐")
    assert page.char_confidences_of(start, start + 3) == [0.98, 0.9, 0.91]
    both = page.char_confidences_of(start, page.text.index("男") + 1)
    assert both[-1] is None and both[-2] is None  # no per-character confidences; the joiner
