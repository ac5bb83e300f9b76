"""second_look: colour-agnostic seal fading, date rows merged back, when to look again (synthetic images only)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import cv2
import numpy as np
import pytest

from models.document import Seal
from models.ocr import OcrLine, OcrPage
from pipeline import dates
from pipeline.ocr import get_engine
from pipeline.pages import Page
from pipeline.second_look import (
    FADES,
    FOOT_FADES,
    confirmed,
    date_confidence,
    date_regions,
    disputed_lines,
    fade_coloured_ink,
    fade_shaded,
    fade_to_brightest_channel,
    keep_darkest_ink,
    merge_date_rows,
    needs_second_look,
    report_date_doubtful,
    second_look_for_date,
    widen_rows_cut_at_their_end,
)
from tests.ocr_helpers import line, page_of


def _stamped(colour: tuple[int, int, int]) -> np.ndarray:
    """White paper, a black bar of 'print', a thick seal ring of ``colour`` (BGR) stamped over it.

    Stamp ink is translucent: it multiplies what is under it, as on paper.
    """
    image = np.full((200, 300, 3), 245, np.uint8)
    cv2.rectangle(image, (20, 90), (280, 110), (25, 25, 25), -1)
    ring = np.full((200, 300, 3), 255, np.uint8)
    cv2.circle(ring, (150, 100), 70, colour, 12)
    return (image.astype(np.float32) * ring / 255.0).astype(np.uint8)


@pytest.mark.parametrize("colour", [(40, 40, 220), (200, 80, 60), (170, 60, 150)], ids=["red", "blue", "purple"])
def test_seal_of_any_colour_fades_while_black_print_stays(colour):
    faded = fade_coloured_ink(_stamped(colour))[:, :, 0]
    assert faded[100, 10] > 200  # paper stays paper
    assert faded[30, 150] > 200  # the ring away from the print: gone
    assert faded[100, 150] < 90  # print away from the ring: dark
    assert faded[100, 80] < 140  # print under the ring: still darker than paper


def test_greyscale_input_is_accepted():
    grey = cv2.cvtColor(_stamped((40, 40, 220)), cv2.COLOR_BGR2GRAY)
    assert fade_coloured_ink(grey).shape == (200, 300, 3)


def test_date_row_replaces_the_misread_row_and_leaves_the_rest():
    first = page_of(line("报告医师：王五", 1000), line("报告时间验验报告专用章", 1100, x=600),
                    line("检查日期：2024-10-28", 200))
    reread = [OcrLine(text="报告时间：2024.10.29 17:31", bbox=[590, 1098, 330, 32], confidence=0.97),
              OcrLine(text="临汾市尧都", bbox=[600, 1040, 120, 30], confidence=0.9)]
    merged = merge_date_rows(first, reread)
    texts = [ln.text for ln in merged.lines]
    assert "报告时间：2024.10.29 17:31" in texts
    assert "报告时间验验报告专用章" not in texts  # covered by the date row read again
    assert "报告医师：王五" in texts and "检查日期：2024-10-28" in texts
    assert "临汾市尧都" not in texts  # only date rows are added
    assert [ln.bbox[1] for ln in merged.lines] == sorted(ln.bbox[1] for ln in merged.lines)


def test_nothing_new_leaves_the_page_unchanged():
    first = page_of(line("诊断：高血压", 300))
    assert merge_date_rows(first, [OcrLine(text="专用章", bbox=[0, 0, 10, 10], confidence=0.9)]) is first


@pytest.mark.parametrize(("role", "found", "expected"), [
    (None, False, True), ("exam", True, True), ("unknown", True, True), ("visit", True, True),
    ("report", True, False), ("issue", True, False), ("request", True, False),
])
def test_when_to_look_again(role, found, expected):
    assert needs_second_look(role, found) is expected


def _dated(value: str, role: str):
    from datetime import date

    from models.evidence import Evidence
    from models.fields import DatedField

    return DatedField(value=date.fromisoformat(value), role=role, evidence=Evidence(stage="extract"))


@pytest.mark.parametrize(("issued", "others", "doubtful"), [
    (("2025-04-11", "report"), [("2025-01-09", "sampling")], True),   # 1月 read as 4月 under a seal
    (("2025-01-11", "report"), [("2025-01-09", "sampling")], False),  # two days after the sample
    (("2025-02-08", "issue"), [("2025-01-09", "exam")], False),       # within a month
    (("2025-04-11", "report"), [("2025-01-09", "print")], False),     # a print date says nothing
    (("2025-04-11", "exam"), [("2025-01-09", "sampling")], False),    # not a report date
    (("2025-04-11", "report"), [], False),
    (("2025-03-01", "report"), [("2025-03-11", "sampling")], True),   # before its sample (seed 9494: 11 as 01)
    (("2025-03-11", "report"), [("2025-03-11", "sampling")], False),  # the same day
])
def test_a_report_date_long_after_its_sample_is_looked_at_again(issued, others, doubtful):
    first = _dated(*issued)
    assert report_date_doubtful(first, [first, *(_dated(*o) for o in others)]) is doubtful


def test_a_report_date_read_to_the_month_only_is_looked_at_again():
    """2025年10月 with its day under the seal (seed 9405's scanned certificate): the re-read finds 23日."""
    from datetime import date

    from models.evidence import Evidence
    from models.fields import DatedField

    month_only = DatedField(value=date(2025, 10, 1), role="issue", precision="month",
                            evidence=Evidence(stage="extract", text="2025年10月", value="2025-10"))
    full = DatedField(value=date(2025, 10, 23), role="issue",
                      evidence=Evidence(stage="extract", text="2025年10月23日", value="2025-10-23"))
    assert report_date_doubtful(month_only, [month_only]) is True
    assert report_date_doubtful(full, [full]) is False


@pytest.mark.parametrize(("sealed", "doubtful"), [(True, True), (False, False)])
def test_a_report_date_repaired_from_the_documents_other_dates_is_looked_at_again(sealed, doubtful):
    """Fresh seed 9652: 报告日期:2024.1 | .12.16 split by a red seal's ring read 2024-01-12, before its
    sample of 2024-12-14, and took the year 2025 from it; read again, the row says 2024.12.16. With no
    seal on the page there is nothing for a second look to fade."""
    from datetime import date

    from models.document import Seal

    repaired = _dated("2025-01-12", "report").model_copy(update={"read_as": date(2024, 1, 12)})
    seals = [Seal(page=1, bbox=[0, 0, 300, 300], colour="red", shape="round", score=0.9)] if sealed else []
    assert report_date_doubtful(repaired, [repaired, _dated("2024-12-14", "sampling")], (), seals) is doubtful
    as_read = _dated("2025-01-12", "report")
    assert report_date_doubtful(as_read, [as_read, _dated("2024-12-14", "sampling")], (), seals) is False


@pytest.mark.parametrize(("row", "doubtful"), [
    ("2024-12-1用", True),    # the seal's 用 over the day's last digit (seed 9403: 2024-12-14)
    ("2025-03-1", True),      # a zero-padded month, a one-digit day
    ("2024-12-14", False),
    ("2024-10-1 08:30", False),  # an unpadded date written in full, a time after it
    ("2024-12-1日", False),
    ("2024/10/2", True),      # the row ends on the day: its second digit may be under the ring (seed 9413)
    ("22024年09月2日", True),  # written, month padded, day not: the 7 under the ring (seed 9460: 09月27日)
    ("2024年9月2日", False),   # written without padding: a day of one digit is as printed
    ("开具日期2024年12月1", True),  # written, the row ends on the day, its 日 gone (seed 9494: 4月16日)
    ("2024年10月2日", False),
    ("审核时间:2025/1/3阜11:58", True),  # a one-digit month, the seal's 科 read over the day's 1 (fresh 9667: 1/31)
    ("2025/1/3 11:58", False),  # unpadded, a time after it: as printed
])
def test_a_day_cut_short_by_a_seal_is_looked_at_again(row, doubtful):
    from datetime import date

    from models.evidence import Evidence
    from models.fields import DatedField

    page = page_of(line(f"临汾市 {row}", 900, x=600))
    found = page.lines[0]
    issued = DatedField(value=date(2024, 12, 1), role="issue",
                        evidence=Evidence(stage="extract", page=1, bbox=[found.bbox[0] + 60, found.bbox[1], 150,
                                                                         found.bbox[3]], text=row[:9]))
    assert report_date_doubtful(issued, [issued], [page]) is doubtful


def test_a_lower_white_point_fades_a_grey_seal_too():
    image = np.full((200, 300, 3), 245, np.uint8)
    cv2.rectangle(image, (20, 90), (280, 110), (25, 25, 25), -1)
    cv2.circle(image, (150, 100), 70, (150, 150, 150), 12)  # a photocopied seal: grey, no colour
    assert fade_coloured_ink(image)[30, 150, 0] < 200  # colour alone cannot tell it from print
    faded = fade_coloured_ink(image, white_point=0.45)[:, :, 0]
    assert faded[30, 150] == 255 and faded[100, 40] < 60


def test_print_under_a_solid_seal_star_stays_dark_in_the_seals_own_channel():
    """A generated scan: 2025年04月08日 under a red star, whose colour the JPEG bled into the 04."""
    crop = cv2.imread(str(Path(__file__).parent / "data" / "date_under_a_solid_star.png"))
    engine = get_engine("rapidocr")

    def read_dates(image: np.ndarray) -> list[date]:
        return [found.value for ln in engine.read(image, 1).lines for found in dates.find_dates(ln.text)]

    assert read_dates(fade_coloured_ink(crop)) != [date(2025, 4, 8)]  # colour fading thins the 04 away
    assert read_dates(fade_to_brightest_channel(crop)) == [date(2025, 4, 8)]


def test_print_on_a_photocopied_seals_grey_star_is_kept_apart_from_it():
    """A generated photocopy (seed 9461): 日期：2025-10-23 stamped with a grey seal whose solid star
    covers 202; every other fade reads 日期 | 5-10-23 (or less) and the date was missed."""
    crop = cv2.imread(str(Path(__file__).parent / "data" / "date_on_a_grey_seal_star.png"))
    engine = get_engine("rapidocr")

    def read_dates(image: np.ndarray) -> list[date]:
        return [found.value for ln in engine.read(image, 1).lines for found in dates.find_dates(ln.text)]

    assert all(read_dates(fade(crop)) == [] for fade in FADES if fade is not keep_darkest_ink)
    assert read_dates(keep_darkest_ink(crop)) == [date(2025, 10, 23)]
    assert FADES[-1] is keep_darkest_ink  # the last try: it thins faint print


def test_the_darkest_ink_is_kept_only_under_grey_seals():
    """Seed 9492: under a red seal the darkest-ink fade kept the star's tip with a 3 and read 09月 for
    03月 (a false DATE_IN_FUTURE); the colour fades are the tools there."""
    from pipeline.second_look import seal_fades

    grey, red = (Seal(page=1, bbox=[0, 0, 10, 10], score=0.9, colour=c) for c in ("grey", "red"))
    assert seal_fades([grey]) == FADES
    assert keep_darkest_ink not in seal_fades([red]) and keep_darkest_ink not in seal_fades([grey, red])
    assert keep_darkest_ink not in seal_fades([])


def test_keeping_the_darkest_ink_whitens_a_grey_star_and_keeps_print_on_it():
    image = np.full((200, 300, 3), 245, np.uint8)
    cv2.circle(image, (150, 100), 60, (110, 110, 110), -1)  # a solid grey seal shape
    cv2.rectangle(image, (20, 95), (280, 105), (30, 30, 30), -1)  # print across it
    kept = keep_darkest_ink(image)[:, :, 0]
    assert kept[60, 150] == 255 and kept[100, 10] == 255  # the grey shape and the paper: white
    assert kept[100, 150] < 60 and kept[100, 30] < 60  # the print, on and off the shape: dark
    assert keep_darkest_ink(np.full((20, 20), 200, np.uint8)).shape == (20, 20, 3)  # blank, greyscale


class _ReadsDateOnCall:
    """A stand-in engine that reads a date row only on its ``n``-th call (one fade in the list)."""

    name = "fake"

    def __init__(self, n: int) -> None:
        self.n, self.calls = n, 0

    def read(self, image: np.ndarray, page: int) -> OcrPage:
        self.calls += 1
        lines = (OcrLine(text="报告日期：2025-03-12", bbox=[10, 10, 200, 30], confidence=0.9),) if self.calls == self.n else ()
        return OcrPage(page=page, width=image.shape[1], height=image.shape[0], lines=lines, engine="fake")


@pytest.mark.parametrize(("n", "colour"), [(1, "red"), (2, "red"), (3, "red"), (4, "red"), (5, "grey")])
def test_fades_are_tried_in_turn_until_a_date_shows(n, colour):
    image = _stamped((40, 40, 220))
    page = Page(index=1, image=image, dpi=None, text_layer=None, source_kind="image")
    seal = Seal(page=1, bbox=[80, 30, 140, 140], score=0.9, colour=colour)
    first = OcrPage(page=1, width=300, height=200, engine="fake")
    engine = _ReadsDateOnCall(n)
    [looked] = second_look_for_date([page], [first], [seal], engine)
    assert engine.calls == n
    assert [ln.text for ln in looked.lines] == ["报告日期：2025-03-12"]


def _digits_at(text: str, weakest: float) -> OcrLine:
    """A re-read row (crop pixels) whose first digit after the year's 2 was read at ``weakest``."""
    chars = tuple(weakest if i == text.index("20") + 1 else 0.99 for i in range(len(text)))
    return OcrLine(text=text, bbox=[10, 10, 200, 30], confidence=0.9, char_confidences=chars)


def test_an_unsure_re_read_date_is_read_again_and_a_surer_one_replaces_it():
    """Seed 9430: 2005/03/01 (its first 0 at 0.27) with one fade, 2025/03/01 (0.53) with a later one."""
    page = Page(index=1, image=_stamped((40, 40, 220)), dpi=None, text_layer=None, source_kind="image")
    seal = Seal(page=1, bbox=[80, 30, 140, 140], score=0.9)
    first = OcrPage(page=1, width=300, height=200, engine="fake")
    engine = _ReadsInTurn((_digits_at("2005/03/01", 0.27),), (), (_digits_at("2025/03/01", 0.53),))
    [looked] = second_look_for_date([page], [first], [seal], engine)
    assert [ln.text for ln in looked.lines] == ["2025/03/01"]
    assert engine.calls == 3
    sure = _ReadsInTurn((_digits_at("2025/03/01", 0.9),), (_digits_at("2005/03/01", 0.95),))
    [looked] = second_look_for_date([page], [first], [seal], sure)
    assert [ln.text for ln in looked.lines] == ["2025/03/01"] and sure.calls == 1  # sure enough: no more fades


def test_no_fade_shows_a_date_leaves_the_page_alone():
    page = Page(index=1, image=_stamped((200, 80, 60)), dpi=None, text_layer=None, source_kind="image")
    first = OcrPage(page=1, width=300, height=200, engine="fake")
    engine = _ReadsDateOnCall(99)
    seal = Seal(page=1, bbox=[80, 30, 140, 140], score=0.9)  # red: every fade but the darkest-ink one
    assert second_look_for_date([page], [first], [seal], engine) == [first]
    assert engine.calls == len(FADES) - 1


def test_a_shadow_is_flattened_so_faint_print_in_it_stands_out():
    """Paper darkening from 245 to 110 across the crop (a phone's shadow), faint grey print in the dark part."""
    shade = np.linspace(245, 110, 300, dtype=np.float32)[None, :, None]
    image = np.repeat(np.repeat(shade, 200, axis=0), 3, axis=2)
    image[90:110, 200:280] *= 0.55  # print a little darker than the shadowed paper around it
    image = image.astype(np.uint8)
    plain = fade_coloured_ink(image)[:, :, 0]
    flat = fade_shaded(image)[:, :, 0]
    assert plain[50, 240] < 128  # without flattening, shadowed paper is as dark as print
    assert flat[50, 240] > 230 and flat[50, 20] > 230  # paper is paper everywhere
    assert flat[100, 240] < 170  # the print stays


def test_without_a_seal_the_lower_part_is_read_again():
    """The lower 55 %: a date row on the half-way line (seed 9511: at 588 of 1178) is not cut."""
    page = Page(index=1, image=np.full((1000, 700, 3), 245, np.uint8), dpi=None, text_layer=None, source_kind="image")
    assert date_regions(page, []) == [[0, 450, 700, 550]]
    assert date_regions(page, [], fallback=False) == []


def test_without_a_seal_the_foot_is_read_only_when_no_date_was_read():
    """No seal: a date read in the open is not hidden, so no re-read; none read: the foot fades only."""
    page = Page(index=1, image=np.full((400, 300, 3), 245, np.uint8), dpi=None, text_layer=None, source_kind="image")
    first = OcrPage(page=1, width=300, height=400, engine="fake")
    engine = _ReadsDateOnCall(99)
    assert second_look_for_date([page], [first], [], engine, date_read=True) == [first]
    assert engine.calls == 0
    assert second_look_for_date([page], [first], [], engine, date_read=False) == [first]
    assert engine.calls == len(FOOT_FADES) < len(FADES)


# --------------------------------------------------------------------------- a re-read that disputes a first-pass date

_CLEAR_ROW = OcrLine(text="检查日期：2025-03-29", bbox=[100, 500, 300, 30], confidence=0.95)
_MISREAD = OcrLine(text="检查日期：2025-03-20", bbox=[98, 498, 305, 34], confidence=0.9)


def test_a_re_read_date_that_differs_from_a_clear_first_pass_date_is_disputed():
    first = page_of(_CLEAR_ROW)
    assert disputed_lines(first, _MISREAD, []) == [_CLEAR_ROW]
    same = OcrLine(text="检查日期：2025-03-29 10:00", bbox=[98, 498, 305, 34], confidence=0.9)
    assert disputed_lines(first, same, []) == []  # the same date read again: nothing disputed


def test_under_a_seal_the_faded_re_read_is_not_disputed():
    """The first pass read through seal ink there: the faded reading is the better one."""
    seal = Seal(page=1, bbox=[300, 420, 180, 180], score=0.9)
    assert disputed_lines(page_of(_CLEAR_ROW), _MISREAD, [seal]) == []


def _with_chars(line: OcrLine, digit_conf: float, weak_at: str) -> OcrLine:
    """``line`` with every character read at 0.99 but the first ``weak_at`` inside its date."""
    weak = line.text.index(weak_at, line.text.index("20") + 2)
    chars = tuple(digit_conf if i == weak else 0.99 for i in range(len(line.text)))
    return line.model_copy(update={"char_confidences": chars})


def test_date_confidence_is_its_least_sure_digit():
    line = OcrLine(text="电网：2025.04.15", bbox=[0, 0, 10, 10], confidence=0.78,
                   char_confidences=(0.21, 0.2, 0.95, 0.98, 0.99, 0.8, 0.99, 0.46, 0.9, 0.98, 0.65, 0.7, 0.97))
    assert date_confidence(line) == 0.7  # the label (0.2) and the dots (0.46) do not count
    assert date_confidence(line.model_copy(update={"char_confidences": ()})) is None  # engine gave none
    assert date_confidence(OcrLine(text="姓名：张三", bbox=[0, 0, 10, 10], confidence=0.9,
                                   char_confidences=(0.9,) * 5)) is None


def test_under_a_seal_a_re_read_with_a_less_sure_digit_is_disputed():
    """The last fade read 2035.04.15 (its 3 at 0.57) where the first pass read 2025.04.15 (at 0.7 or more)."""
    seal = Seal(page=1, bbox=[300, 420, 180, 180], score=0.9)
    first = _with_chars(OcrLine(text="诊断日期：2025.04.15", bbox=[100, 500, 300, 30], confidence=0.78), 0.7, "1")
    unsure = _with_chars(OcrLine(text="诊断日期：2035.04.15", bbox=[98, 498, 305, 34], confidence=0.74), 0.57, "3")
    assert disputed_lines(page_of(first), unsure, [seal]) == [first]
    surer = _with_chars(OcrLine(text="诊断日期：2025.04.18", bbox=[98, 498, 305, 34], confidence=0.74), 0.9, "8")
    assert disputed_lines(page_of(first), surer, [seal]) == []  # surer than the first pass: it replaces


def test_a_disputed_date_needs_a_second_reading_and_more_confidence():
    second = OcrLine(text="检查日期：2025-03-20", bbox=[99, 499, 303, 32], confidence=0.97)
    assert confirmed(_MISREAD, [_CLEAR_ROW], [second])  # two readings agree, one of them surer than the first pass
    assert not confirmed(_MISREAD, [_CLEAR_ROW], [])  # no second reading
    other = OcrLine(text="检查日期：2025-03-29", bbox=[99, 499, 303, 32], confidence=0.99)
    assert not confirmed(_MISREAD, [_CLEAR_ROW], [other])  # the second reading agrees with the first pass
    unsure = OcrLine(text="检查日期：2025-03-20", bbox=[99, 499, 303, 32], confidence=0.8)
    assert not confirmed(_MISREAD, [_CLEAR_ROW], [unsure])  # agreeing, but less sure than the first pass
    elsewhere = OcrLine(text="检查日期：2025-03-20", bbox=[99, 900, 303, 32], confidence=0.99)
    assert not confirmed(_MISREAD, [_CLEAR_ROW], [elsewhere])  # another row


class _ReadsInTurn:
    """A stand-in engine returning the given lines (crop pixels) on successive calls."""

    name = "fake"

    def __init__(self, *readings: tuple[OcrLine, ...]) -> None:
        self.readings, self.calls = list(readings), 0

    def read(self, image: np.ndarray, page: int) -> OcrPage:
        lines = self.readings[self.calls] if self.calls < len(self.readings) else ()
        self.calls += 1
        return OcrPage(page=page, width=image.shape[1], height=image.shape[0], lines=lines, engine="fake")


def _foot_page() -> Page:
    return Page(index=1, image=np.full((1000, 700, 3), 245, np.uint8), dpi=None, text_layer=None, source_kind="image")


def _at_foot(text: str, confidence: float) -> OcrLine:
    """A line at page y 600 as read from the foot crop (which starts at y 450)."""
    return OcrLine(text=text, bbox=[100, 150, 300, 30], confidence=confidence)


def test_a_clear_first_pass_date_survives_one_differing_re_read():
    first = page_of(OcrLine(text="日期：2025-03-29", bbox=[100, 600, 300, 30], confidence=0.95), width=700, height=1000)
    engine = _ReadsInTurn((_at_foot("日期：2025-03-20", 0.9),), ())
    [looked] = second_look_for_date([_foot_page()], [first], [], engine)
    assert [ln.text for ln in looked.lines] == ["日期：2025-03-29"]
    assert engine.calls == len(FOOT_FADES)  # the other fade was asked, and did not confirm


def test_two_agreeing_and_surer_re_reads_replace_a_first_pass_date():
    first = page_of(OcrLine(text="日期：2025-03-29", bbox=[100, 600, 300, 30], confidence=0.8), width=700, height=1000)
    engine = _ReadsInTurn((_at_foot("日期：2025-03-20", 0.9),), (_at_foot("日期：2025-03-20", 0.93),))
    [looked] = second_look_for_date([_foot_page()], [first], [], engine)
    assert [ln.text for ln in looked.lines] == ["日期：2025-03-20"]


def _date_page(text: str) -> tuple[Page, tuple[int, int, int, int]]:
    """A white page with ``text`` in black at 32 px, and the box of the text."""
    from PIL import Image, ImageDraw

    from tests.ocr_helpers import cjk_font

    image = Image.new("RGB", (700, 200), "white")
    draw = ImageDraw.Draw(image)
    x0, y0, x1, y1 = draw.textbbox((40, 80), text, font=cjk_font(32))
    draw.text((40, 80), text, fill="black", font=cjk_font(32))
    page = Page(index=1, image=cv2.cvtColor(np.asarray(image), cv2.COLOR_RGB2BGR), dpi=None, text_layer=None,
                source_kind="image")
    return page, (x0, y0, x1 - x0, y1 - y0)


def test_a_row_cut_before_the_days_second_digit_is_read_wider():
    """The detector's box stopped at 2024/10/2 where a seal's ring touched the 6 (seed 9413)."""
    page, (x, y, w, h) = _date_page("诊断日期：2024/10/26")
    cut_w = w - round(h * 0.6)  # the box ends before the last digit
    first = OcrPage(page=1, width=700, height=200, engine="rapidocr",
                    lines=(OcrLine(text="诊断日期：2024/10/2", bbox=[x, y, cut_w, h], confidence=0.99),))
    [wider] = widen_rows_cut_at_their_end(page, first, get_engine("rapidocr")).lines
    assert dates.find_dates(wider.text)[-1].value == date(2024, 10, 26)


def test_a_written_row_cut_before_the_days_second_digit_and_its_ri_is_read_wider():
    """Seed 9494: 开具日期2025年4月1 for 2025年4月16日, the box stopped inside the day."""
    page, (x, y, w, h) = _date_page("开具日期2025年4月16日")
    cut_w = w - round(h * 1.6)  # the box ends before the day's last digit and its 日
    first = OcrPage(page=1, width=700, height=200, engine="rapidocr",
                    lines=(OcrLine(text="开具日期2025年4月1", bbox=[x, y, cut_w, h], confidence=0.89),))
    [wider] = widen_rows_cut_at_their_end(page, first, get_engine("rapidocr")).lines
    assert dates.find_dates(wider.text)[-1].value == date(2025, 4, 16)


def test_a_row_in_chinese_numerals_cut_inside_its_day_is_read_wider():
    """Seed 9566, a photocopy: 二〇二五年八月二十 for 八月二十一日, the box stopped after the day's tens."""
    page, (x, y, w, h) = _date_page("二〇二五年八月二十一日")
    cut_w = w - round(h * 2.1)  # the box ends before the day's units and its 日
    first = OcrPage(page=1, width=700, height=200, engine="rapidocr",
                    lines=(OcrLine(text="二〇二五年八月二十", bbox=[x, y, cut_w, h], confidence=0.89),))
    [wider] = widen_rows_cut_at_their_end(page, first, get_engine("rapidocr")).lines
    assert dates.find_dates(wider.text)[-1].value == date(2025, 8, 21)

@pytest.mark.parametrize(("printed", "cut_text", "day"), [
    ("报告日期： 2025 年 7 月 27 日", "报告日期： 2025 年 7 月", date(2025, 7, 27)),
    ("报告日期： 2025 年 12 月 16 日", "报告日期： 2025 年 12 月", date(2025, 12, 16)),
])
def test_a_row_cut_after_its_month_is_read_wider(printed, cut_text, day):
    """Fresh seed 9665, an image PDF: the box of 报告日期： 2025 年 7 月 27 日 stopped at a grey seal's ring
    after 月, and the report was dated by its exam date."""
    from tests.ocr_helpers import cjk_font

    page, (x, y, _, h) = _date_page(printed)
    cut_w = round(cjk_font(32).getlength(cut_text))  # the box ends after 月
    first = OcrPage(page=1, width=700, height=200, engine="rapidocr",
                    lines=(OcrLine(text=cut_text, bbox=[x, y, cut_w, h], confidence=0.99),))
    [wider] = widen_rows_cut_at_their_end(page, first, get_engine("rapidocr")).lines
    assert dates.find_dates(wider.text)[-1].value == day


def test_a_date_really_on_a_one_digit_day_stays():
    page, (x, y, w, h) = _date_page("诊断日期：2024/10/2")
    first = OcrPage(page=1, width=700, height=200, engine="rapidocr",
                    lines=(OcrLine(text="诊断日期：2024/10/2", bbox=[x, y, w, h], confidence=0.99),))
    assert widen_rows_cut_at_their_end(page, first, get_engine("rapidocr")) == first


def test_the_widened_row_is_also_read_with_the_seal_faded():
    """A generated grey scan: the ring's stroke over the last digit read 2025.08.30 (0.38) as printed,
    2025.08.31 (0.65) with the seal faded; the surer digits win."""
    image = cv2.imread(str(Path(__file__).parent / "data" / "day_under_a_grey_seal_page.png"))  # the upright page
    page = Page(index=1, image=image, dpi=None, text_layer=None, source_kind="image")
    first = OcrPage(page=1, width=image.shape[1], height=image.shape[0], engine="rapidocr",
                    lines=(OcrLine(text="开具日期：2025.08.3", bbox=[1422, 1753, 411, 112], confidence=0.98),))
    [wider] = widen_rows_cut_at_their_end(page, first, get_engine("rapidocr")).lines
    assert dates.find_dates(wider.text)[-1].value == date(2025, 8, 31)


@pytest.mark.parametrize(("row", "sealed", "doubtful"), [
    ("日期：二〇二四年十月十八日", True, True),    # seed 9480: 十一月, its 一 on the seal's star
    ("日期：二〇二四年十月十八日", False, False),  # no seal over it: as read
    ("日期：2024年10月18日", True, False),          # digits: not this doubt
])
def test_a_date_in_chinese_numerals_under_a_seal_is_looked_at_again(row, sealed, doubtful):
    from models.evidence import Evidence
    from models.fields import DatedField

    page = page_of(line(row, 900, x=600))
    found = page.lines[0]
    issued = DatedField(value=date(2024, 10, 18), role="issue",
                        evidence=Evidence(stage="extract", page=1, bbox=list(found.bbox), text=row))
    seals = [Seal(page=1, bbox=[found.bbox[0] + 40, found.bbox[1] - 60, 150, 150], score=0.9)] if sealed else []
    assert report_date_doubtful(issued, [issued], [page], seals) is doubtful


def test_a_date_row_merged_with_seal_text_is_read_again_on_its_own():
    """A generated photocopy (seed 9511): read with the region around its grey seal, 报告日期:2025-04-24
    came back as one box with the seal's 报告专用章 above it (报告报练专用章24, 报告据期：05-04-24); a
    strip at that row alone reads the date whole."""
    seal = Seal(page=1, bbox=[453, 235, 402, 301], score=0.95, colour="grey", shape="oval")
    found = _dates_after_a_second_look("report_date_row_under_seal_text.png", seal)
    assert [d.value for d in found] == [date(2025, 4, 24)]


def _dates_after_a_second_look(image_name: str, seal: Seal, first_lines: tuple[OcrLine, ...] = ()) -> list:
    """The dates on a stored crop after the second look around ``seal``, the first pass having read ``first_lines``."""
    image = cv2.imread(str(Path(__file__).parent / "data" / image_name))
    page = Page(index=1, image=image, dpi=None, text_layer=None, source_kind="image")
    first = OcrPage(page=1, width=image.shape[1], height=image.shape[0], engine="rapidocr", lines=first_lines)
    [looked] = second_look_for_date([page], [first], [seal], get_engine("rapidocr"))
    return [d for ln in looked.lines for d in dates.find_dates(ln.text)]


@pytest.mark.parametrize(("digits", "sealed", "doubtful"), [
    (0.30, True, True),     # seed 9514: 2024/8/3 for 2024/8/23, its 3 at 0.30 under a red seal
    (0.30, False, False),   # no seal over it: nothing a fade would change
    (0.95, True, False),    # read surely
])
def test_a_date_under_a_seal_with_an_unsure_digit_is_looked_at_again(digits, sealed, doubtful):
    from models.evidence import Evidence
    from models.fields import DatedField

    page = page_of(line("诊断日期：2024/8/3", 900, x=600))
    found = page.lines[0]
    issued = DatedField(value=date(2024, 8, 3), role="issue", digits_confidence=digits,
                        evidence=Evidence(stage="extract", page=1, bbox=list(found.bbox), text=found.text))
    seals = [Seal(page=1, bbox=[found.bbox[0] + 40, found.bbox[1] - 60, 150, 150], score=0.9)] if sealed else []
    assert report_date_doubtful(issued, [issued], [page], seals) is doubtful


def _box(text: str, x: int, y: int, w: int, h: int, confidence: float = 0.9) -> OcrLine:
    return OcrLine(text=text, bbox=[x, y, w, h], confidence=confidence)


@pytest.mark.parametrize(("first", "new", "merged"), [
    # seed 9514: the first pass boxed 诊断日期：2024/8/3 138 px tall (the seal's text above and below the 42 px row);
    # the re-read row inside it covers only 0.27 of it, yet it is that row
    ([_box("临汾市平阳中医医院", 1550, 1900, 440, 40), _box("诊断日期：2024/8/3", 1550, 1964, 440, 138)],
     _box("诊断日期：2024/8/23", 1573, 2018, 395, 42), ["临汾市平阳中医医院", "诊断日期：2024/8/23"]),
    # alternative templates 2, seed 7118: 报告时间 stacked over its value in a sidebar under a grey seal; the value's
    # re-read box (93 px tall) covers the label, which went with the misread row
    ([_box("报告时间", 142, 1075, 93, 32), _box("2024-0500用章", 131, 1072, 346, 99)],
     _box("2024-05:0300:2川管", 134, 1076, 339, 93), ["报告时间", "2024-05:0300:2川管"]),
    # … unless the re-read row holds the label itself
    ([_box("报告时间", 142, 1075, 93, 32)], _box("报告时间：2024-05-03", 134, 1070, 339, 40), ["报告时间：2024-05-03"]),
])
def test_a_re_read_date_row_replaces_the_rows_it_reads_again(first, new, merged):
    page = page_of(*first, width=2200, height=3000)
    assert [ln.text for ln in merge_date_rows(page, [new]).lines] == merged


def test_a_report_date_whose_year_the_seal_hid_is_added():
    """Fresh seed 9663: 报告时间：2024年9月8日 under a grey 报告专用章, its year read as the seal's text; the
    page's exam and print dates date it, as they date such a row read the first time."""
    first = page_of(line("检查日期：2024年9月6日", 400), line("报告时间：报库明", 1790, x=1138))
    row = OcrLine(text="报告时间：报库9月8日15:13", bbox=[1138, 1785, 418, 53], confidence=0.94)
    merged = merge_date_rows(first, [row])
    assert [ln.text for ln in merged.lines] == ["检查日期：2024年9月6日", "报告时间：报库9月8日15:13"]


def test_a_year_less_re_read_never_replaces_a_full_date_under_the_seal():
    seal = Seal(page=1, bbox=[1100, 1700, 400, 300], score=0.9)
    first = page_of(line("报告时间：2024年9月8日", 1790, x=1138))
    row = OcrLine(text="报告时间：报库9月8日15:13", bbox=[1138, 1785, 418, 53], confidence=0.94)
    assert disputed_lines(first, row, [seal]) == [first.lines[0]]
    assert merge_date_rows(first, [line("采样时间：报库9月8日", 900)]) is first  # a sampling time is not worth it


def test_an_unsure_re_read_that_changes_the_first_pass_date_needs_a_sure_agreeing_fade():
    """Seed 9511: the first pass read 2025:01-10 under a red seal (its 1 at 0.45); the first fade read
    2025-01-30 (its 3 at 0.60), the second the same 3 at 0.44, the others 10. Unsure changes to the first
    pass wait for an agreeing fade that is itself not doubtful; none came, so the first pass stays."""
    page = Page(index=1, image=_stamped((40, 40, 220)), dpi=None, text_layer=None, source_kind="image")
    seal = Seal(page=1, bbox=[80, 30, 140, 140], score=0.9)
    first_row = OcrLine(text="2025-01-10", bbox=[10, 10, 200, 30], confidence=0.87,
                        char_confidences=(1.0, 1.0, 1.0, 1.0, 0.48, 0.99, 0.93, 0.51, 0.45, 0.98))
    first = OcrPage(page=1, width=300, height=200, engine="fake", lines=(first_row,))

    def row(text: str, day_tens: float) -> OcrLine:
        chars = tuple(day_tens if i == 8 else 0.99 for i in range(len(text)))
        return OcrLine(text=text, bbox=[10, 10, 200, 30], confidence=0.9, char_confidences=chars)

    engine = _ReadsInTurn((row("2025-01-30", 0.60),), (row("2025-01-30", 0.44),), (row("2025-01-10", 0.72),),
                          (row("2025-01-10", 0.73),))
    [looked] = second_look_for_date([page], [first], [seal], engine)
    assert [ln.text for ln in looked.lines] == ["2025-01-10"]
    sure = _ReadsInTurn((row("2025-01-30", 0.95),))  # read surely: the faded reading replaces it at once
    [looked] = second_look_for_date([page], [first], [seal], sure)
    assert [ln.text for ln in looked.lines] == ["2025-01-30"] and sure.calls == 1


@pytest.mark.parametrize(("text", "partial"), [
    ("报告据期：05-04-24", True), ("2023年", True), ("报告时帽告2023章0116:16", True),  # seed 9518: a year, a time
    ("3:01", True),  # a time's tail alone, the rest of the row under a grey seal (fresh seed 9605)
    ("以年十一月二十六日", True), ("二〇二四年十", True),  # Chinese numerals, the year lost (fresh seed 9633)
    ("每日一次", False), ("三个月", False),
    ("2025-04-24", False),   # a full date: nothing to re-read
    ("赵雪翠", False), ("报告报练专用章", False),
])
def test_what_counts_as_part_of_a_date_row(text, partial):
    from pipeline.second_look import _PARTIAL_DATE, _is_date_row

    assert (not _is_date_row(text) and bool(_PARTIAL_DATE.search(text))) is partial


def test_a_later_fade_read_to_the_month_only_does_not_replace_an_earlier_fades_day():
    """Fresh seed 9550: under a grey oval seal one fade read 报告时间:2025年1月4 (the 日 under 专用章), the
    next 报告时间：2025年1月用章14:29; the second had replaced the first, leaving the month only."""
    page = Page(index=1, image=_stamped((40, 40, 220)), dpi=None, text_layer=None, source_kind="image")
    seal = Seal(page=1, bbox=[80, 30, 140, 140], score=0.9, colour="grey")
    first = OcrPage(page=1, width=300, height=200, engine="fake",
                    lines=(OcrLine(text="报告时间：2025年1月用章14:29", bbox=[10, 10, 200, 30], confidence=0.92),))
    engine = _ReadsInTurn(
        (OcrLine(text="报告时间:2025年1月4", bbox=[10, 10, 190, 30], confidence=0.98),),
        (OcrLine(text="报告时间：2025年1月用章14:29", bbox=[10, 10, 200, 30], confidence=0.92),),
        (OcrLine(text="报告时间：2025年1月用章14:29", bbox=[10, 10, 200, 30], confidence=0.93),),
    )
    [looked] = second_look_for_date([page], [first], [seal], engine)
    assert [ln.text for ln in looked.lines] == ["报告时间:2025年1月4"]


def test_strips_across_a_seal_region_read_a_date_row_the_detector_missed():
    """The last try around a seal (fresh seed 9608: 开具日期： 2025.06.19 across a grey seal got no box of its own):
    each strip recognised as one line reads the row whole; its box is the strip's."""
    from pipeline.second_look import fade_coloured_ink, read_strips
    from tests.ocr_helpers import PageSpec, Text, render

    image = render(PageSpec(texts=[Text("诊断证明书", (300, 60), size=32), Text("开具日期：2025.06.19", (420, 700), size=26),
                                   Text("临汾市汾西人民医院", (420, 760), size=24)], size=(850, 1000)))
    page = Page(index=1, image=image, dpi=None, text_layer=None, source_kind="image")
    first = page_of(line("诊断证明书", 60, x=300, h=32), line("临汾市汾西人民医院", 760, x=420, h=26), width=850, height=1000)
    found = read_strips(page, [380, 600, 450, 260], first, get_engine("rapidocr"), fade_coloured_ink)
    assert [d.value for row in found for d in dates.find_dates(row.text)] == [date(2025, 6, 19)]
    x, y, w, h = found[0].bbox
    assert x == 380 and w == 450 and y <= 700 <= y + h


def test_a_date_row_split_after_its_month_by_a_seal_is_read_again_on_its_own():
    """A generated photocopy (fresh seed 9613): around its grey seal every fade read 审核时间:2024年12月 and,
    apart, 3日16:00 (the ring between the month and the day). Read to the month only, the date is
    not the report's; the row read alone is 审核时间:2024年12月23日16:00."""
    seal = Seal(page=1, bbox=[430, 214, 438, 435], score=0.97, colour="grey", shape="round")
    found = _dates_after_a_second_look("month_row_split_by_a_grey_seal.png", seal)
    assert date(2024, 12, 23) in [d.value for d in found if d.precision == "day"]


def test_a_date_read_to_the_month_only_is_looked_at_with_the_next_fade():
    """Alternative templates 2, seed 7115: 诊断日期 2025年1月26日 in a table cell, a grey seal's ring over 26日. The
    first fades read 2025年1月 only, and that ended the second look: the certificate was dated 2025-01-01. A month
    is no date to the day; the light-grey fade reads the day."""
    seal = Seal(page=1, bbox=[311, 177, 321, 313], score=0.9, colour="grey", shape="round")
    found = _dates_after_a_second_look("day_under_a_grey_seals_ring.png", seal)
    assert date(2025, 1, 26) in [d.value for d in found if d.precision == "day"]


@pytest.mark.parametrize(("reread", "disputed"), [
    ("审核时间：2025/11/1116:10:51", False),  # fresh seed 9614: the cut day's lost digit, read with the row
    ("审核时间：2025/11/2116:10:51", True),   # another day, read a little less surely: a dispute
])
def test_a_day_cut_short_under_a_seal_does_not_dispute_its_completion(reread, disputed):
    """A grey seal's ring over 2025/11/11: the first fade read 2025/11/1 (surely, 1.0); a later one read the
    row whole at 0.99. The cut reading held its ground, being surer, and the report was dated 11-01."""
    cut = OcrLine(text="2025/11/1", bbox=[1080, 1509, 142, 26], confidence=1.0,
                  char_confidences=tuple(1.0 for _ in "2025/11/1"))
    first = page_of(cut, width=1476, height=2060)
    new = OcrLine(text=reread, bbox=[910, 1506, 466, 32], confidence=0.98,
                  char_confidences=tuple(0.99 for _ in reread))
    seal = Seal(page=1, bbox=[977, 1398, 324, 248], score=0.87, colour="grey", shape="oval")
    assert (disputed_lines(first, new, [seal]) == [cut]) is disputed


def test_a_date_under_a_grey_seals_text_is_read_from_strips_with_the_grey_faded():
    """Alternative templates seed 7010: 2024.10.29 printed over a photocopied seal's 超声医学科专用章. No fade let
    the detector box the date apart from the seal's text, nor a strip read with the colour fade (a false
    DATE_MISSING); with the light grey faded a strip reads the date (its last digit unsurely)."""
    seal = Seal(page=1, bbox=[378, 135, 436, 272], score=0.94, colour="grey", shape="oval")
    found = [d.value for d in _dates_after_a_second_look(
        "date_under_a_grey_seals_text.png", seal, (OcrLine(text="报告医师：宋强", bbox=[35, 163, 208, 36], confidence=1.0),))
        if d.precision == "day"]
    assert [(d.year, d.month) for d in found] == [(2024, 10)] and found[0].day >= 20
