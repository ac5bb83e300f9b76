"""Second look for a document's date: re-read where it usually hides, with seal ink faded.

A report date very often sits under the hospital's seal (检查报告专用章 stamped over
报告日期). The first OCR pass then loses the whole row — label and digits — or reads a
garbled mix of seal text and date. This module re-reads the regions around each seal
(or the foot of the page when no seal was found) from the full-resolution original,
with every coloured ink faded to paper (red, blue and purple seals alike), and adds the
date rows it reads back into the page's OCR lines. Nothing else on the page is touched,
so names, signatures and seal text read the first time stay as they were.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date

import cv2
import numpy as np
from skimage.filters import threshold_multiotsu

from models.document import Seal
from models.fields import DatedField
from models.ocr import OcrLine, OcrPage
from pipeline import dates
from pipeline.geometry import upright_original
from pipeline.ocr import LineDetectingEngine, OcrEngine, covered_share
from pipeline.pages import Page

FOOT_TOP = 0.45  # a little above the half: a row on the half-way line is not cut (a date at 588 of 1178)
SEAL_CONTEXT = 1.8  # the date usually sits under or beside the seal: re-read this multiple of its box
# Colour strength (max - min channel) is added this many times to the brightness: coloured ink
# (chroma 80-150) becomes paper, black print (chroma < 20) stays dark, black under a seal stays grey.
# Twice the strength also greys black digits under a red seal (2024 read as 2021); once keeps them.
CHROMA_WEIGHT = 1
MIN_STRETCH = 10  # do not stretch an almost uniform crop (it would amplify noise)
OVERLAP_REPLACED = 0.3  # a first-pass line this much covered by a re-read date row is that row misread
GREY_SEAL_WHITE_POINT = 0.45  # last try: a grey seal (~60% of paper) turns white, black print stays
SHADING_KERNEL_MIN = 15  # px: wider than any character stroke at page resolution
SHADING_KERNEL_SHARE = 8  # the paper-brightness disc is this share of the crop's shorter side
MAX_PAGES_WITHOUT_SEAL = 2  # with no seal, look at the foot of the first pages only (cost)
# Roles of a date the document may be dated by without a second look.
FIRM_ROLES = frozenset({"report", "issue", "request"})  # request: an application form's own date


def fade_coloured_ink(image: np.ndarray, white_point: float = 1.0) -> np.ndarray:
    """Greyscale-BGR copy of ``image`` in which every coloured ink (seal red, blue, purple) fades to paper.

    Brightness is the largest channel (paper and any saturated ink are bright in their own
    channel), plus ``CHROMA_WEIGHT`` times the colour strength, so a seal of any colour
    vanishes while black and grey print — also where a seal was stamped over it — stays dark.

    Args:
        image: BGR or grey crop.
        white_point: Share of the way from the darkest ink to the paper that becomes white.
            Below 1 a light grey seal (a photocopy, a grey scan) fades too, at the cost of
            thinning print under shading, so it is the second try, not the first.
    """
    bgr = image if image.ndim == 3 else cv2.cvtColor(image, cv2.COLOR_GRAY2BGR)
    wide = bgr[:, :, :3].astype(np.int16)
    high, low = wide.max(axis=2), wide.min(axis=2)
    grey = np.clip(high + CHROMA_WEIGHT * (high - low), 0, 255).astype(np.float32)
    lo, hi = np.percentile(grey, (1, 99))
    if hi - lo > MIN_STRETCH:
        top = lo + white_point * (hi - lo)
        grey = np.clip((grey - lo) * (255.0 / max(top - lo, 1.0)), 0, 255)
    return cv2.cvtColor(grey.astype(np.uint8), cv2.COLOR_GRAY2BGR)


def date_regions(page: Page, seals: Sequence[Seal], *, fallback: bool = True) -> list[list[int]]:
    """Where to look again for a date (``[x, y, w, h]`` in ``page.image`` pixels).

    Around each seal — wider than tall, since a date row runs left and right of it — else,
    when ``fallback``, the lower 55 % of the page (where a document is signed and dated; a
    short certificate's sign-off date sits just above its lower third).
    """
    regions = []
    for seal in seals:
        sx, sy, sw, sh = seal.bbox
        grow_w, grow_h = sw * (SEAL_CONTEXT - 1) / 2, sh * (SEAL_CONTEXT - 1) / 2
        x0, y0 = max(0, int(sx - grow_w * 2)), max(0, int(sy - grow_h))
        x1, y1 = min(page.width, int(sx + sw + grow_w * 2)), min(page.height, int(sy + sh + grow_h))
        if x1 - x0 >= 8 and y1 - y0 >= 8:
            regions.append([x0, y0, x1 - x0, y1 - y0])
    if not regions and fallback:
        top = round(page.height * FOOT_TOP)
        regions.append([0, top, page.width, page.height - top])
    return regions


BRIGHTEST_CHANNEL_WHITE_POINT = 0.7  # the ghost of a seal's outline and text (about 80 % of paper) turns white


def fade_to_brightest_channel(image: np.ndarray) -> np.ndarray:
    """Each pixel's brightest channel, stretched so that light grey turns white.

    A seal of any colour is bright in its own channel (red in red), so it fades; black print
    under it, which colour fading greys when a JPEG bleeds the seal's colour into thin digit
    strokes (``2025年（）1月08日`` for 2025年04月08日 under a solid star), stays dark. The seal's
    faint ghost in that channel, which split the date row for the detector, goes with the
    white point.
    """
    bgr = image if image.ndim == 3 else cv2.cvtColor(image, cv2.COLOR_GRAY2BGR)
    grey = bgr[:, :, :3].max(axis=2).astype(np.float32)
    lo, hi = np.percentile(grey, (1, 99))
    if hi - lo > MIN_STRETCH:
        top = lo + BRIGHTEST_CHANNEL_WHITE_POINT * (hi - lo)
        grey = np.clip((grey - lo) * (255.0 / max(top - lo, 1.0)), 0, 255)
    return cv2.cvtColor(grey.astype(np.uint8), cv2.COLOR_GRAY2BGR)


def fade_light_grey(image: np.ndarray) -> np.ndarray:
    """Coloured ink and light grey ink (a photocopied seal) faded: the last try."""
    return fade_coloured_ink(image, GREY_SEAL_WHITE_POINT)


def keep_darkest_ink(image: np.ndarray) -> np.ndarray:
    """Only the darkest ink kept, at its own grey; everything lighter turned to paper.

    The brightest channel falls into three classes (multi-level Otsu): print, seal ink and paper.
    Pixels lighter than halfway between the print's and the seal's thresholds turn white, so a
    photocopied seal's solid grey star (grey 80-160, print 30) no longer joins the digits stamped
    over it into one dark blot, as stretching the contrast does (``日期`` | ``5-10-23`` for
    日期：2025-10-23); halfway keeps the print's anti-aliased edges.
    """
    bgr = image if image.ndim == 3 else cv2.cvtColor(image, cv2.COLOR_GRAY2BGR)
    grey = bgr[:, :, :3].max(axis=2)
    if int(grey.max()) - int(grey.min()) <= MIN_STRETCH:
        return cv2.cvtColor(grey, cv2.COLOR_GRAY2BGR)
    print_top, seal_top = threshold_multiotsu(grey, classes=3)
    kept = np.where(grey <= (int(print_top) + int(seal_top)) // 2, grey, 255).astype(np.uint8)
    return cv2.cvtColor(kept, cv2.COLOR_GRAY2BGR)


def flatten_shading(image: np.ndarray) -> np.ndarray:
    """``image`` with uneven lighting removed: each channel divided by its paper brightness around.

    The paper's brightness is the channel closed (dilated then eroded) with a disc wider than a
    character stroke, so print stays and a phone's shadow or a lamp's gradient goes; faint print
    in a shadow comes out with the contrast it has on lit paper. Lighting varies slowly, so the
    closing runs on a copy shrunk until the disc is about ``SHADING_KERNEL_MIN`` px and is scaled
    back up (a 190 px disc over a full-resolution crop cost seconds).
    """
    bgr = image if image.ndim == 3 else cv2.cvtColor(image, cv2.COLOR_GRAY2BGR)
    bgr = bgr[:, :, :3]
    height, width = bgr.shape[:2]
    size = max(SHADING_KERNEL_MIN, (min(height, width) // SHADING_KERNEL_SHARE) | 1)
    shrink = max(1, size // SHADING_KERNEL_MIN)
    # Max-pool, not average, on the way down: the closing keeps the brightest paper, so must the copy.
    small = bgr if shrink == 1 else cv2.dilate(bgr, np.ones((shrink, shrink), np.uint8))[::shrink, ::shrink]
    small_size = max(3, (size // shrink) | 1)
    disc = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (small_size, small_size))
    paper = cv2.morphologyEx(small, cv2.MORPH_CLOSE, disc)
    if shrink != 1:
        paper = cv2.resize(paper, (width, height), interpolation=cv2.INTER_LINEAR)
    flat = bgr.astype(np.float32) * 255.0 / np.maximum(paper.astype(np.float32), 1.0)
    return np.clip(flat, 0, 255).astype(np.uint8)


def fade_shaded(image: np.ndarray) -> np.ndarray:
    """Lighting flattened, then coloured ink faded: faint print in a shadow across the page's foot."""
    return fade_coloured_ink(flatten_shading(image))


# Ways to fade a seal, tried in turn until one shows a date: every colour; the seal's own channel
# (keeps black print under a seal darkest when colour fading thins it); light grey as well;
# with the lighting flattened first (a shadow over the date); last, all but the darkest ink (a
# photocopied seal's dark grey star).
FADES: tuple[Callable[[np.ndarray], np.ndarray], ...] = (
    fade_coloured_ink, fade_to_brightest_channel, fade_light_grey, fade_shaded, keep_darkest_ink)


def seal_fades(seals: Sequence[Seal]) -> tuple[Callable[[np.ndarray], np.ndarray], ...]:
    """The fades for a page with these seals: keeping the darkest ink only when every seal is grey.

    Under a coloured seal the colour fades are the right tools; the darkest-ink fade there keeps
    the seal's ink with the print and can turn a digit into another (2025年03月 read 09月, the 3
    under a red star's tip, seed 9492: a false DATE_IN_FUTURE).
    """
    if seals and all(seal.colour == "grey" for seal in seals):
        return FADES
    return tuple(fade for fade in FADES if fade is not keep_darkest_ink)


# The foot of a page without any seal: no seal ink to fade, so contrast and lighting only. Each try
# there re-reads half a page; measured over 40 packets (seeds 602, 4104) the seal regions recovered
# 13 report dates for ~40 s of CPU in all, the foot none in 14 documents for ~80 s (four tries each).
FOOT_FADES: tuple[Callable[[np.ndarray], np.ndarray], ...] = (fade_coloured_ink, fade_shaded)
MAX_ENLARGEMENT = 3.0  # a crop enlarged further is blur: no stroke detail is gained


def reread_faded(page: Page, region: Sequence[int], engine: OcrEngine,
                 fade: Callable[[np.ndarray], np.ndarray] = fade_coloured_ink, *,
                 min_line_px: float | None = None, line_height: float | None = None) -> list[OcrLine]:
    """OCR ``region`` of ``page`` again from the full-resolution original with seal ink faded by ``fade``.

    With ``min_line_px``, a crop whose lines (``line_height`` tall in ``page.image`` pixels) are smaller
    in the original is enlarged to that height, at most :data:`MAX_ENLARGEMENT` times: print a few
    pixels tall is recognised better enlarged than as it is.

    Returns lines in ``page.image`` pixels.
    """
    original = upright_original(page)
    factor = original.shape[1] / page.image.shape[1]
    x, y, w, h = (round(v * factor) for v in region)
    x0, y0 = max(0, x), max(0, y)
    x1, y1 = min(original.shape[1], x + w), min(original.shape[0], y + h)
    if x1 - x0 < 8 or y1 - y0 < 8:
        return []
    crop = fade(original[y0:y1, x0:x1])
    enlarged = 1.0
    if min_line_px and line_height:
        enlarged = min(MAX_ENLARGEMENT, max(1.0, min_line_px / (line_height * factor)))
        crop = cv2.resize(crop, None, fx=enlarged, fy=enlarged, interpolation=cv2.INTER_CUBIC)
    result = engine.read(np.ascontiguousarray(crop), page.index)
    scale = factor * enlarged
    lines = []
    for line in result.lines:
        bx, by, bw, bh = line.bbox
        box = [round(bx / scale + x0 / factor), round(by / scale + y0 / factor), max(1, round(bw / scale)),
               max(1, round(bh / scale))]
        lines.append(line.model_copy(update={"bbox": box}))
    return lines


# What a date row leaves when the region's reading merged it with seal text or cut it: a day and month
# (-04-24, 2月26日), a year's 年 before digits, a date label (日期, 时间), a year alone, or a time, also
# its tail alone (3:01 of 审核时间：2024-07-19 13:01 under a grey seal on a photocopy, fresh seed 9605);
# a month in Chinese numerals with its year lost under the seal's ring (以年十一月二十六日 for
# 二〇二四年十一月二十六日 under a red seal on a phone photo, fresh seed 9633).
_PARTIAL_DATE = re.compile(r"\d\s*[-./]\s*\d{1,2}(?!\d)|[年月]\s*\d|\d\s*[月日]|日\s*[期朝其]|时\s*[间问]"
                           r"|(?<!\d)(?:19|20)\d\d(?!\d)|\d:\d\d"  # a year, or the time printed after a date
                           r"|[年月]\s*[一二三四五六七八九十]|[一二三四五六七八九十]\s*月")
ROW_PAD_Y = 0.25  # of the line's height, above and below


def reread_partial_rows(page: Page, region: Sequence[int], lines: Sequence[OcrLine], engine: OcrEngine,
                        fade: Callable[[np.ndarray], np.ndarray]) -> list[OcrLine]:
    """Date rows read again on their own: each line that holds part of a date but none to the day.

    Read with the whole region, a date row under a seal's text is often one box with the seal's
    words above it (报告报练专用章24 for 报告日期:2025-04-24 under 报告专用章), or broken where the
    seal's ring crosses it (2023年9月 | 18日). Read alone, from a strip as wide as the region and
    as tall as the line padded by a quarter of its height, the same fade often reads it whole.
    """
    x0, x1 = region[0], region[0] + region[2]
    rows: list[OcrLine] = []
    for line in lines:
        if _day_dates(line.text) or not _PARTIAL_DATE.search(line.text):
            continue  # a row read to the day, or no part of a date
        if any(covered_share(line, row) >= OVERLAP_REPLACED for row in rows):
            continue  # that row was read already
        _, y, _, h = line.bbox
        pad = round(ROW_PAD_Y * h)
        strip = [x0, max(0, y - pad), x1 - x0, h + 2 * pad]
        rows += [row for row in reread_faded(page, strip, engine, fade) if _is_date_row(row.text)]
    return rows


def _is_date_row(text: str) -> bool:
    """A row worth adding: it holds a full date (the label, if any, comes with it), or a report or issue
    date whose year the seal's text hid (报告时间：报幸9月8日15:13 under 报告专用章, fresh seed 9663), which the
    page's other dates then date."""
    return bool(dates.find_dates(text)) or bool(dates.issued_year_less_dates(text))


def _day_dates(text: str) -> set[date]:
    return {found.value for found in dates.find_dates(text) if found.precision == "day"}


def _overlaps(a: OcrLine, b: OcrLine) -> bool:
    """Whether two lines are readings of the same place (either mostly inside the other)."""
    return covered_share(a, b) >= OVERLAP_REPLACED or covered_share(b, a) >= OVERLAP_REPLACED


ROW_INSIDE = 0.8  # a re-read row this much inside a first-pass line that read a date is that line's row


def _same_row_read(old: OcrLine, new: OcrLine) -> bool:
    """Whether first-pass line ``old`` is the row ``new`` re-read: mostly covered by it, or holding a date
    and holding most of it (the first pass boxed the row with seal text above and below: 138 px tall
    for a 42 px row, so only 0.27 of it was covered)."""
    if covered_share(old, new) >= OVERLAP_REPLACED:
        return True
    return covered_share(new, old) >= ROW_INSIDE and bool(dates.find_dates(old.text))


def _label_it_lacks(old: OcrLine, new: OcrLine) -> bool:
    """Whether first-pass line ``old`` is a date label alone that re-read row ``new`` did not read.

    A label stacked over its value (报告时间 above 2024-05-03 10:25:36 in a report's sidebar, under a
    grey seal) lies inside the taller box a re-read gives the value's row; dropped with the misread
    row, the date lost its label and the report its date (alternative templates family 2, seed 7118).
    """
    if any(ch.isdigit() for ch in old.text) or dates.label_role(old.text) is None:
        return False
    return all(item.label is None for item in dates.label_dates(new.text))


def _under_seal(line: OcrLine, seals: Sequence[Seal]) -> bool:
    x, y, w, h = line.bbox
    return any(x < sx + sw and sx < x + w and y < sy + sh and sy < y + h for sx, sy, sw, sh in (s.bbox for s in seals))


def date_confidence(line: OcrLine) -> float | None:
    """Confidence of the least sure digit or numeral of the day-dates in ``line``.

    None when the line holds no day-date or its engine gave no per-character confidences.
    A line's own confidence is the mean of all its characters, labels included; a date
    misread in one digit (2035 for 2025, that digit at 0.57) hides in it.
    """
    chars = line.char_confidences
    if len(chars) != len(line.text):
        return None
    least = [dates.least_sure_numeral(line.text[found.start:found.end], chars[found.start:found.end])
             for found in dates.find_dates(line.text) if found.precision == "day"]
    known = [c for c in least if c is not None]
    return min(known) if known else None


def _less_sure(new: OcrLine, old: OcrLine) -> bool:
    """Whether the date digits of ``new`` were read less surely than those of ``old``."""
    new_conf, old_conf = date_confidence(new), date_confidence(old)
    return new_conf is not None and old_conf is not None and new_conf < old_conf


def disputed_lines(page: OcrPage, new: OcrLine, seals: Sequence[Seal],
                   first_pass: Sequence[OcrLine] | None = None) -> list[OcrLine]:
    """First-pass lines that ``new`` would replace although they read a date ``new`` does not hold.

    Lines clear of every seal count: there the first pass read unobstructed print, and a
    re-read of a wider crop giving another date (2025-03-20 for 2025-03-29) is the misreading.
    Under a seal the faded re-read is usually the better reading (that is what the fading is
    for), unless it reads no day at all (报告时间：2025年1月用章 over an earlier fade's 2025年1月4, seed
    9550), or its date digits were read less surely than the first pass's: the last fade
    once read 2035.04.15 (the 3 at 0.57) over a first-pass 2025.04.15 (every digit at 0.7 or more);
    or, against a line of ``first_pass`` (the page as first read, not an earlier fade's row), unless
    they were read below ``SURE_REREAD_DIGITS``.
    """
    new_dates = _day_dates(new.text)
    original = page.lines if first_pass is None else first_pass
    return [line for line in page.lines
            if _same_row_read(line, new) and _day_dates(line.text) - new_dates
            and not (_digits_sure(new) and _completes(new_dates, line))
            and (not new_dates or not _under_seal(line, seals) or _less_sure(new, line)
                 or (not _digits_sure(new) and any(line is o for o in original)))]


def _completes(new_dates: set[date], line: OcrLine) -> bool:
    """Whether ``new_dates`` hold the day ``line`` read cut short under a seal with its lost digit
    (2025/11/11 for 2025/11/1, the second 1 under a grey seal's ring, fresh seed 9614): read surely,
    it is no dispute, however sure the cut reading was."""
    if not _CUT_DAY.search(line.text):
        return False
    return all(any((n.year, n.month) == (old.year, old.month) and n.day >= 10 and str(n.day).startswith(str(old.day))
                   for n in new_dates)
               for old in _day_dates(line.text))


# A re-read under a seal that changes the first pass's date replaces it at once only when its own date
# digits were read this surely; else another fade must agree (2025-01-30, its 3 at 0.60, over a first-pass
# 2025:01-10, its 1 at 0.45: three of the other fades read 10; seed 9511).
SURE_REREAD_DIGITS = 0.8


def _digits_sure(line: OcrLine) -> bool:
    confidence = date_confidence(line)
    return confidence is None or confidence >= SURE_REREAD_DIGITS


def confirmed(new: OcrLine, disputed: Sequence[OcrLine], other_reading: Sequence[OcrLine]) -> bool:
    """Whether a re-read date that disputes a first-pass date may replace it.

    Two readings must agree against one: another fade read the same date(s) at the same
    place, and the re-read is more confident than the first-pass line(s) it replaces.
    """
    new_dates = _day_dates(new.text)
    if not new_dates:
        return False  # a reading to the month only never outvotes one of the day
    # an agreeing reading whose own date digits are doubtful (the same 3, at 0.44) confirms nothing
    agreeing = [line for line in other_reading if _overlaps(line, new) and new_dates <= _day_dates(line.text)
                and (date_confidence(line) or 1.0) >= SETTLED_DATE_CONFIDENCE]
    if not agreeing:
        return False
    best = max(new.confidence, *(line.confidence for line in agreeing))
    return all(best > line.confidence for line in disputed)


def merge_date_rows(page: OcrPage, new_lines: Sequence[OcrLine]) -> OcrPage:
    """Add the re-read lines that hold a date; drop first-pass lines they cover (the same row misread).

    A date row read identically the first time is not added twice.
    """
    added = [line for line in new_lines if _is_date_row(line.text)]
    if not added:
        return page
    kept = [line for line in page.lines
            if not any(_same_row_read(line, new) and not _label_it_lacks(line, new) for new in added)]
    merged = sorted([*kept, *added], key=lambda line: (line.bbox[1], line.bbox[0]))
    return page.model_copy(update={"lines": tuple(merged)})


def needs_second_look(role: str | None, found: bool) -> bool:
    """Look again when no date was read, or only one the document is not dated by (exam, visit…).

    An exam report stamped over its 报告日期 otherwise falls back on its 检查日期, a day or
    more earlier; a second look finds the date the report was actually issued.
    """
    return not found or role not in FIRM_ROLES


# A report is written within days of its sample or examination; read this much later (2025年4月11日
# for 1月11日 with a seal over the 1), the report date is more likely misread than late.
REPORT_LAG_MAX_DAYS = 31


# A numeric date whose day is one digit where a seal's character follows it (2024-12-1用 for
# 2024-12-14, 2025/1/3阜 for 2025/1/31) or where its row ends (2024/10/2 for 2024/10/26, the 6 under the seal's ring), or
# after a zero-padded month (2025-03-1), may have lost its last digit under the seal. So may a
# written one-digit day after a zero-padded month (22024年09月2日 for 2024年09月27日, the 7 under
# the ring: who pads the month pads the day); the year may carry a speck read as a digit.
_CUT_DAY = re.compile(r"(?<!\d)(?:19|20)\d\d\s?[-./]\s?"
                      r"(?:0\d\s?[-./]\s?\d(?!\d)|1[0-2]\s?[-./]\s?\d(?=[\u4e00-\u65e4\u65e6-\u9fff]|\s*$)"  # not 日
                      # a one-digit month too, before a seal's character (审核时间:2025/1/3阜11:58 for 1/31, fresh 9667)
                      r"|[1-9]\s?[-./]\s?\d(?=[\u4e00-\u65e4\u65e6-\u9fff]))"
                      r"|(?:19|20)\d\d\s?年\s?0\d\s?月\s?\d\s?日"
                      r"|(?:19|20)\d\d\s?年\s?[01]?\d\s?月\s?\d\s*$")  # written, its 日 cut with the day


# A date written in Chinese numerals (二〇二四年十一月十八日): its 一, a single stroke, vanishes into
# a seal's ring or star (十月 for 十一月).
_CHINESE_NUMERALS = re.compile(r"[〇○零][一二三四五六七八九〇○零]{2}\s*年|年\s*[一二三四五六七八九十]{1,3}\s*月")


# A date whose row ends on a one-digit day: the detector's box may have stopped where a seal's
# ring or ink touches the day's second digit (诊断日期：2024/10/2 for 2024/10/26), also a date
# written out whose 日 went with it (开具日期2025年4月1 for 4月16日).
_DAY_AT_ROW_END = re.compile(r"(?<!\d)(?:19|20)\d\d\s?(?:([-./])\s?[01]?\d\s?\1|年\s?[01]?\d\s?月)\s?\d\s*$"
                             # in Chinese numerals, the day's tens with its units and 日 gone (八月二十 of 二十一日)
                             r"|年\s?[一二三四五六七八九十]{1,3}\s?月\s?[二三]?十\s*$")
ROW_END_WIDENING = 1.0  # line heights added to the right: one more digit and some margin
# A date whose row ends on its month (报告日期： 2025 年 7 月 | 27 日, a seal's ring across 27): the detector's
# box stopped at the ring (fresh seed 9665, a report dated by its exam date instead)
_MONTH_AT_ROW_END = re.compile(r"(?<!\d)(?:19|20)\d\d\s?年\s?[01]?\d\s?月\s*$|年\s?[一二三四五六七八九十]{1,3}\s?月\s*$")
MONTH_END_WIDENING = 4.0  # line heights: a two-digit day and 日, spaced as some forms print them


def _row_end_widening(text: str) -> float | None:
    """How far right to read again a row whose date its end cut: a day's second digit, or the day after its month."""
    if _DAY_AT_ROW_END.search(text):
        return ROW_END_WIDENING
    if _MONTH_AT_ROW_END.search(text):
        return MONTH_END_WIDENING
    return None


def widen_rows_cut_at_their_end(page: Page, ocr: OcrPage, engine: OcrEngine) -> OcrPage:
    """Re-read, with the box widened to the right, each row that ends on a one-digit day or on a month.

    Kept only when the wider reading is the same date read to the day: a one-digit day as the first
    digit of a two-digit one (2024/10/2 becomes 2024/10/26; a date really on the 2nd reads the same and
    stays), a month with its day after it (2025年7月 becomes 2025年7月27日).
    """
    if page.text_layer is not None or not isinstance(engine, LineDetectingEngine):
        return ocr
    lines = list(ocr.lines)
    changed = False
    faded_pages: dict[Callable[[np.ndarray], np.ndarray], np.ndarray] = {}
    for i, line in enumerate(lines):
        widening = _row_end_widening(line.text)
        if widening is None:
            continue
        x, y, w, h = line.bbox
        right = min(page.width - 1, x + w + widening * h)
        if right <= x + w:
            continue
        quad = np.float32([[x, y], [right, y], [right, y + h], [x, y + h]])
        readings = []
        for fade in ROW_END_FADES:
            # the whole page is faded, not a crop around the row: a crop's own contrast stretch read
            # the label's colon as a 1 (开具日期12025.08-31)
            if fade not in faded_pages:
                faded_pages[fade] = fade(page.image)
            wider = engine.read(faded_pages[fade], ocr.page, line_boxes=[quad]).lines
            if len(wider) == 1 and dates.completes_the_day(line.text, wider[0].text):
                readings.append(wider[0])
        if readings:
            lines[i] = max(readings, key=lambda r: (date_confidence(r) or 0.0, r.confidence))
            changed = True
    return ocr.model_copy(update={"lines": tuple(lines)}) if changed else ocr


def _as_printed(image: np.ndarray) -> np.ndarray:
    return image


# The widened row is read as printed and with seal ink faded (a grey seal's stroke over the day's last
# digit read 2025.08.30 for 08.31); the reading whose date digits are surest is kept.
ROW_END_FADES: tuple[Callable[[np.ndarray], np.ndarray], ...] = (_as_printed, fade_to_brightest_channel)


def report_date_doubtful(issued: DatedField | None, dated: Sequence[DatedField],
                         ocr_pages: Sequence[OcrPage] = (), seals: Sequence[Seal] = ()) -> bool:
    """A report / issue date that may be misread, so it earns a second look: one read over
    ``REPORT_LAG_MAX_DAYS`` after the document's own sampling or exam date, one read to the month
    only, one whose day looks cut short by a seal (``_CUT_DAY``) on the OCR line it was read from,
    one written in Chinese numerals with a seal stamped over it, one under a seal with a digit
    read below ``SETTLED_DATE_CONFIDENCE``, or one repaired from the document's other dates
    (``read_as``) on a sealed document.

    A later misread can make an expired report look current; a cut day moves the date earlier;
    a seal's ring or star hides a numeral of one stroke (十月 for 十一月).
    """
    if issued is None or issued.role not in ("report", "issue"):
        return False
    if issued.precision == "month":
        return True  # read to the month only (2025年10月, the day under the seal)
    if issued.read_as is not None and seals:
        # repaired from the document's other dates: 报告日期:2024.1 | .12.16 under a seal's ring, read 2024-01-12,
        # before its sampling on 2024-12-14, took the year 2025 (fresh seed 9652); read again, the row is whole
        return True
    lines = _lines_under(issued, ocr_pages)
    if any(_CUT_DAY.search(line.text) for line in lines):
        return True
    page_seals = [seal for seal in seals if seal.page == issued.evidence.page]
    if any(_CHINESE_NUMERALS.search(line.text) and _under_seal(line, page_seals) for line in lines):
        return True
    if (issued.digits_confidence is not None and issued.digits_confidence < SETTLED_DATE_CONFIDENCE
            and any(_under_seal(line, page_seals) for line in lines)):
        return True  # a digit under a seal read unsurely (2024/8/3, its 3 at 0.30, for 2024/8/23)
    if any(d.role in dates.BEFORE_REPORT_ROLES and d.value > issued.value for d in dated):
        return True  # a report before its own sample or examination: misread (2025-03-01 for 03-11)
    before = [d.value for d in dated if d.role in dates.BEFORE_REPORT_ROLES and d.value <= issued.value]
    return bool(before) and (issued.value - max(before)).days > REPORT_LAG_MAX_DAYS


def _lines_under(field: DatedField, ocr_pages: Sequence[OcrPage]) -> list[OcrLine]:
    """The OCR lines of the field's page that its evidence box overlaps."""
    box = field.evidence.bbox
    if box is None:
        return []
    x, y, w, h = box
    return [line for page in ocr_pages if page.page == field.evidence.page for line in page.lines
            if line.bbox[0] < x + w and x < line.bbox[0] + line.bbox[2]
            and line.bbox[1] < y + h and y < line.bbox[1] + line.bbox[3]]


def second_look_for_date(uprights: Sequence[Page], ocr_pages: Sequence[OcrPage], seals: Sequence[Seal],
                         engine: OcrEngine, *, date_read: bool = False) -> list[OcrPage]:
    """Re-read the likely date regions of every scanned page; text-layer pages are exact and left alone.

    With seals on the document, only the regions around them are read (the date is under or
    beside a seal, and reading more costs time), with the ``FADES`` in turn until one shows a
    date. With none, the foot of the first pages, with the ``FOOT_FADES``, and only when no date
    was read at all (``date_read`` False): an exam or visit date read in the open is not hidden
    under a seal, and re-reading half a page to look for another cost more than it ever found.
    """
    any_seal = bool(seals)
    if not any_seal and date_read:
        return list(ocr_pages)
    improved = []
    for number, (upright, ocr) in enumerate(zip(uprights, ocr_pages, strict=True)):
        if upright.text_layer is not None or (not any_seal and number >= MAX_PAGES_WITHOUT_SEAL):
            improved.append(ocr)
            continue
        page_seals = [s for s in seals if s.page == upright.index]
        fades = seal_fades(page_seals) if any_seal else FOOT_FADES
        first = ocr
        for region in date_regions(upright, page_seals, fallback=not any_seal):
            ocr = _look_at_region(upright, ocr, region, page_seals, engine, fades)
        if ocr is not first:
            ocr = widen_rows_cut_at_their_end(upright, ocr, engine)  # a date row found cut where the seal's ring is
        improved.append(ocr)
    return improved


def _look_at_region(upright: Page, ocr: OcrPage, region: Sequence[int], seals: Sequence[Seal], engine: OcrEngine,
                    fades: Sequence[Callable[[np.ndarray], np.ndarray]]) -> OcrPage:
    """Re-read ``region`` with each fade in turn until one shows a date row; merge the date rows.

    A re-read date row that would replace a different date the first pass read clear of any
    seal (``disputed_lines``) waits: it is merged only when a later fade reads the same date
    there and it is more confident than the first pass (``confirmed``); else the first pass stays.
    """
    pending: list[tuple[OcrLine, list[OcrLine]]] = []
    first_pass = ocr.lines
    any_found = False
    for fade in fades:
        lines = reread_faded(upright, region, engine, fade)
        if pending:
            agreed = [new for new, disputed in pending if confirmed(new, disputed, lines)]
            ocr = merge_date_rows(ocr, agreed)
            pending = [(new, disputed) for new, disputed in pending if new not in agreed]
            if not pending:
                break
            continue
        found = [line for line in lines if _is_date_row(line.text)]
        if not any(_day_dates(line.text) for line in found):
            # no date row, or one read to the month only where a seal's ring split it from its day
            # (审核时间:2024年12月 | 3日16:00 under a grey seal, fresh seed 9613): each row read alone
            rows = reread_partial_rows(upright, region, lines, engine, fade)
            found = [*rows, *(line for line in found if not any(_overlaps(line, row) for row in rows))]
            lines = [*lines, *rows]
        if not found:
            continue
        any_found = True
        pending = [(line, disputed) for line in found
                   if (disputed := disputed_lines(ocr, line, seals, first_pass))]
        ocr = merge_date_rows(ocr, [line for line in found if all(line is not new for new, _ in pending)])
        if not pending and _settled(found):
            break
    if not any_found and seals and isinstance(engine, LineDetectingEngine):
        # under a grey seal's text (超声医学科专用章 printed over 2024.10.29) only the light-grey fade lets a
        # strip read the date (alternative templates seed 7010); each fade costs a second or two, so two at most
        strip_fades = [fades[0]] + ([fade_light_grey] if all(s.colour == "grey" for s in seals) else [])
        for fade in strip_fades:
            strips = read_strips(upright, region, ocr, engine, fade)
            if strips:
                return merge_date_rows(ocr, strips)
    return ocr


STRIP_HEIGHT = 1.5  # line heights: one row of text and its margins
STRIP_STEP = 0.7  # line heights between strips: every row lies whole in one of them
STRIP_MIN_CONFIDENCE = 0.7


def read_strips(upright: Page, region: Sequence[int], ocr: OcrPage, engine: LineDetectingEngine,
                fade: Callable[[np.ndarray], np.ndarray]) -> list[OcrLine]:
    """Date rows read from strips across ``region``, each recognised as one line, its seal ink faded.

    The last try around a seal where no fade let the detector find a date row: 开具日期： 2025.06.19 printed
    across a grey seal's lower half was no box of its own, the detector taking the seal's ring text around
    it (fresh seed 9608, a false DATE_MISSING). Read as one line, a strip across the row holds it whole.
    Each strip is faded on its own: the fade stretches a crop's contrast, and stretched over the whole
    region it left that row unreadable. The best reading of each date is kept, with its strip as its box.
    """
    heights = sorted(line.bbox[3] for line in ocr.lines)
    if not heights:
        return []
    line_height = heights[len(heights) // 2]
    x, y, w, h = (int(v) for v in region)
    strip_h, step = max(8, round(STRIP_HEIGHT * line_height)), max(4, round(STRIP_STEP * line_height))
    whole = np.float32([[0, 0], [w, 0], [w, strip_h], [0, strip_h]])
    best: dict[frozenset[date], OcrLine] = {}
    for top in range(y, max(y + 1, y + h - strip_h + 1), step):
        strip = np.ascontiguousarray(fade(upright.image[top:top + strip_h, x:x + w]))
        read = engine.read(strip, upright.index, line_boxes=[whole]).lines
        if len(read) != 1 or read[0].confidence < STRIP_MIN_CONFIDENCE:
            continue
        days = _day_dates(read[0].text)
        if not days:
            continue
        line = read[0].model_copy(update={"bbox": [x, top, w, strip_h]})
        key = frozenset(days)
        if key not in best or line.confidence > best[key].confidence:
            best[key] = line
    found = list(best.values())
    # a strip through the seal's text that cut the day (2024-10-2章) beside one that read it whole (2024-10-29)
    return [line for line in found
            if not any(other is not line and _completes(_day_dates(other.text), line) for other in found)]


# A re-read date whose least sure digit is below this is read again with the next fade; a surer
# reading there replaces it (2005/03/01 with its first 0 at 0.27, then 2025/03/01).
SETTLED_DATE_CONFIDENCE = 0.5


def _settled(found: Sequence[OcrLine]) -> bool:
    """Whether the date rows a fade showed end the second look: some row's day does not look cut short
    (2024/10/2 at the ring waits for the next fade), and no row's date digits were read unsurely."""
    if all(_CUT_DAY.search(line.text) for line in found):
        return False
    if not any(_day_dates(line.text) for line in found):
        return False  # read to the month only (2025年1月, its 26日 under a grey seal's ring): the next fade may read the day
    return all((date_confidence(line) or 1.0) >= SETTLED_DATE_CONFIDENCE for line in found)
