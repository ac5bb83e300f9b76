"""A date row whose day a table's vertical rule crosses is read again with the rule painted out."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw

from models.ocr import OcrLine, OcrPage
from pipeline import dates
from pipeline.dates import completes_the_day
from pipeline.ocr import get_engine, ocr_page
from pipeline.pages import Page
from pipeline.ruled_rows import reread_rows_crossed_by_rules, vertical_rules
from tests.ocr_helpers import cjk_font

WIDTH, HEIGHT = 900, 300


def _form_row(text: str, *, rule_through: str | None) -> tuple[Page, tuple[int, int, int, int], int]:
    """A white page with ``text`` at 32 px and, when ``rule_through`` is given, a table's vertical rule
    (2 px, top to bottom) through the middle of that part of the text, as where a form's date runs
    past its cell (fresh seed 9538: 申请日期：2025年9月28日, the cell's border through the 28)."""
    image = Image.new("RGB", (WIDTH, HEIGHT), "white")
    draw = ImageDraw.Draw(image)
    font = cjk_font(32)
    origin = (40, 130)
    draw.text(origin, text, fill=(40, 40, 40), font=font)
    x0, y0, x1, y1 = draw.textbbox(origin, text, font=font)
    rule_x = -1
    if rule_through is not None:
        start = text.index(rule_through)
        left = draw.textlength(text[:start], font=font)
        rule_x = int(origin[0] + left + draw.textlength(rule_through, font=font) / 2)
        draw.line([(rule_x, 0), (rule_x, HEIGHT)], fill=(30, 30, 30), width=2)
    page = Page(index=1, image=cv2.cvtColor(np.asarray(image), cv2.COLOR_RGB2BGR), dpi=None, text_layer=None,
                source_kind="image")
    return page, (x0, y0, x1 - x0, y1 - y0), rule_x


def _first_pass(*lines: OcrLine) -> OcrPage:
    return OcrPage(page=1, width=WIDTH, height=HEIGHT, engine="rapidocr", lines=lines)


def test_a_generated_forms_day_under_its_cells_rule_is_read():
    """A crop of fresh seed 9538's application form photo (generated, fake data): the first pass reads
    2025年9月 and a lone 日, the 28 under the cell's border lost; painted out, the rule gives it back."""
    image = cv2.imread(str(Path(__file__).parent / "data" / "day_under_a_forms_rule.png"))
    page = Page(index=1, image=image, dpi=None, text_layer=None, source_kind="image")
    engine = get_engine("rapidocr")
    first = ocr_page(page, engine)
    assert not any(d.precision == "day" for line in first.lines for d in dates.find_dates(line.text))
    read = reread_rows_crossed_by_rules(page, first, engine)
    found = [d.value for line in read.lines for d in dates.find_dates(line.text) if d.precision == "day"]
    assert found == [date(2025, 9, 28)]


def test_a_row_no_rule_crosses_is_left_alone():
    page, (x, y, w, h), _ = _form_row("申请日期：2025年9月28日", rule_through=None)
    first = _first_pass(OcrLine(text="申请日期：2025年9月", bbox=[x, y, w - 3 * h, h], confidence=0.97))
    assert reread_rows_crossed_by_rules(page, first, get_engine("rapidocr")) == first


def test_the_rule_is_found_only_where_it_crosses_the_row():
    page, (x, y, w, h), rule_x = _form_row("申请日期：2025年9月28日", rule_through="28")
    grey = cv2.cvtColor(page.image, cv2.COLOR_BGR2GRAY)
    rules = vertical_rules(grey, (x, y, w, h))
    assert rules is not None
    mask, left, _ = rules
    assert abs(left + int(np.nonzero(mask)[1].mean()) - rule_x) <= 2
    assert vertical_rules(grey, (x, y, rule_x - x - h, h)) is None  # the part of the row before the rule


@pytest.mark.parametrize(("old", "new", "completes"), [
    ("申请日期：2025年9月", "申请日期：2025年9月28日", True),
    ("申请日期：2026年11月1日", "申请日期：2026年11月18日", True),
    ("申请日期：2025年1月", "申请日期：2025年1月1日", False),  # one digit where the rule ran: maybe 16
    ("申请日期：2026年11月1日", "申请日期：2026年11月21日", False),  # not the day read
    ("申请日期：2025年9月", "申请日期：2025年8月28日", False),  # another month
    ("申请日期：2025年9月", "申请日期：202年9月28日", False),
    ("二〇二五年八月二十", "二〇二五年八月二十一日", True),
    ("二〇二五年八月二十", "二〇二五年八月十一日", False),  # the tens read were 二十
])
def test_only_a_reading_that_completes_the_same_date_is_taken(old, new, completes):
    assert completes_the_day(old, new) is completes
