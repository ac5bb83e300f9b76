"""Chinese dates in OCR text: every written form, tolerant of OCR noise, and what kind of date each is.

Reads plain strings only. Where a date sits on the page, and which date is the
document's issue date, is decided by the extraction components, not here.

Written forms understood (each with or without a time after it, with spaces,
full-width digits and punctuation, O/o read for 0, l/I/| read for 1, S/$ read for 5):

- ``2025年3月12日`` (also with 年/月/日 misread, or 年 dropped: ``2025 3月12日``)
- ``2025-03-12``, ``2025/3/12``, ``2025.03.12``, ``2025.3.12``
- ``20250312`` only right after a date label (``报告日期：20250312``) or alone; after a label
  also with one separator dropped by OCR (``202507-05``, ``2025 0304``)
- ``二〇二五年三月十二日`` and the month-only ``二〇二五年三月`` (also ``2025年3月``);
  a month-only date is taken as the first of that month, with precision "month".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

YEAR_MIN = 1900
YEAR_MAX = 2099

# ---------------------------------------------------------------------------
# Length-preserving normalisation: offsets in the normalised text are offsets in the raw text.
# ---------------------------------------------------------------------------

_FULLWIDTH = {chr(c): chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)}
_PUNCT = {
    "\u3000": " ",
    "。": ".",
    "·": ".",
    "—": "-",
    "–": "-",
    "−": "-",
    "～": "~",
}
_CHAR_MAP = str.maketrans({**_FULLWIDTH, **_PUNCT})
# Characters OCR engines return for 0 and 1 beside digits (PP-OCR and Tesseract both do this).
_ZERO_LIKE = "OoQ〇○D"
_ONE_LIKE = "lI|i!"
_FIVE_LIKE = "S$"  # the top bar and belly of a blurred 5
_DIGITISH_RUN = re.compile(rf"[0-9{_ZERO_LIKE}{_ONE_LIKE}{re.escape(_FIVE_LIKE)}]+")
# g / q for a 9 closing a date (2024-12-1g): only right after a digit that follows a date separator,
# so units (5g, mg) are not touched; done for date parsing only, not in ``normalise_ocr_text``.
_NINE_AFTER_SEP = re.compile(r"(?<=[-/.月]\d)[gq](?![A-Za-z])|(?<=[-/.月])[gq](?=\d)")
_DASH_BETWEEN_DIGITS = re.compile(r"(?<=[0-9])\s?[一_~]\s?(?=[0-9])")
# A dash read as + in a date whose other separator is whole (2025+04-09 on a phone photo, fresh seed 9590),
# or a dot read as a degree sign (申请日期：2025·11°17 on a scan, fresh seed 9603); not elsewhere, where + is
# a lab result's (2+) and ° a temperature's.
_ODD_SEPARATOR_IN_DATE = re.compile(r"(?<=(?:19|20)\d\d)[+°º˚](?=[01]?\d[-/.])|(?<=(?:19|20)\d\d[-/.][01]\d)[+°º˚](?=[0-3]?\d)")


def normalise_ocr_text(text: str) -> str:
    """Fold width and OCR digit confusions without changing the string's length.

    Full-width digits and punctuation become ASCII; inside a run of digit-like
    characters holding at least one real digit, ``O o Q 〇 ○ D`` become ``0``,
    ``l I | i !`` become ``1`` and ``S $`` become ``5``; ``一`` or ``_`` between digits becomes ``-``.
    Chinese numerals (``二〇二五``) are left alone: their ``〇`` has no digit beside it.

    Args:
        text: Any string.

    Returns:
        A string of the same length, so match offsets apply to ``text`` as well.
    """
    folded = text.translate(_CHAR_MAP)

    def _digits(match: re.Match[str]) -> str:
        run = match.group(0)
        if not any(ch.isdigit() for ch in run):
            return run
        out = []
        for ch in run:
            if ch in _ZERO_LIKE:
                out.append("0")
            elif ch in _ONE_LIKE:
                out.append("1")
            elif ch in _FIVE_LIKE:
                out.append("5")
            else:
                out.append(ch)
        return "".join(out)

    folded = _DIGITISH_RUN.sub(_digits, folded)
    folded = _ODD_SEPARATOR_IN_DATE.sub(lambda m: "-" if m.group(0) == "+" else ".", folded)
    folded = _DASH_BETWEEN_DIGITS.sub(lambda m: m.group(0).replace("一", "-").replace("_", "-").replace("~", "-"),
                                      folded)
    assert len(folded) == len(text)
    return folded


# ---------------------------------------------------------------------------
# Date patterns (applied to normalised text)
# ---------------------------------------------------------------------------

# PP-OCR misreads seen for 年 / 月 / 日 on phone photos.
_NIAN = "年午牛乍车丰手"
_YUE = "月目用冃"
_RI = "日曰口号白由田申甲"
_NUM_SEP = r"[-/.,\\]"
_YEAR = r"(?<!\d)(?P<y>(?:1\s?9|2\s?0)\s?\d\s?\d)"

_NUMERIC_BODY = (
    rf"\s*(?P<s1>[{_NIAN}]|{_NUM_SEP})?\s*"
    + rf"(?P<m>[01]\s\d(?=\s*[{_YUE}])|[01]?\d|[2-9][3-9](?=\s*[{_YUE}]))"
    + rf"\s*(?P<s2>[{_YUE}日]|{_NUM_SEP})\s*(?P<stray>[:;,.'`、，；]\s*)?"
    # the day ends before a non-digit, a time glued on (2907:21), or a time cut at the row's end
    # after its first digits (报告时间：2025/1/291 for 2025/1/29 17:15, the rest under a seal)
    + rf"(?P<d>[0-3]\s\d(?=\s*[{_RI}])|[0-3]?\d)(?:(?!\d)|(?=[0-2]?\d\s?:)|(?=[0-2]\d?[ \t]*(?:\n|$)))"
    + rf"(?:\s*(?P<s3>[{_RI}]))?"
)
_NUMERIC = re.compile(_YEAR + _NUMERIC_BODY)
# The same after other digits OCR glued on (报告时间：752025/1/19, a seal's serial number run into
# the date): taken only for a date written out in full (年月日, or one numeric separator twice).
_NUMERIC_AFTER_DIGITS = re.compile(r"(?<=\d)(?P<y>(?:19|20)\d\d)" + _NUMERIC_BODY)
# A zero-padded numeric date (2023/02/21) with OCR's lost spaces gluing it to the digits around
# it: a number before the year (时间402025/01/14) or a time whose colon was lost after the day
# (2023/02/21100 for 2023/02/21 10:0…). The same separator twice and a two-digit month and day
# keep it from reading lab values or ID numbers as dates.
_NUMERIC_GLUED = re.compile(r"(?P<y>(?:19|20)\d\d)(?P<s1>[-/.])(?P<m>[01]\d)(?P=s1)(?P<d>[0-3]\d)")
# A time glued to the day with a single-digit hour (2024-08-215:05): printed times are zero-padded,
# so the day's last digit belongs to the hour (2024-08-2 15:05, a digit of the day lost).
_GLUED_HOUR = re.compile(r"\d\s?:\s?[0-5]\d")
# One character neither a digit nor 日 between a written day and its 日: a digit of the day misread.
_DAY_DIGIT_MISREAD = re.compile(rf"\s?[^\d\s{_RI}]\s?[{_RI}]")
# A colon and minutes right after a day: what was read as the day is a time's hour.
_MINUTES_NEXT = re.compile(r":\s?[0-5]\d")
# A year read twice over where a seal's ring split the date into two overlapping boxes: each box
# read the digit they share (``202`` + ``24年11月3日`` for 2024年11月3日). Taken only when the
# digits where the two pieces meet agree, and only before 年 (a date written out in full).
_OVERLAPPED_YEAR = re.compile(rf"(?<!\d)(?P<a>(?:19|20)\d{{1,2}})\s(?P<b>\d{{2,3}})(?=\s*[{_NIAN}])")
# A year whose leading 2 was misread under a seal's ink (5024年3月24日): no year of a medical
# document starts with 3-9, so 20xx is meant. Only before 年 in a full 年月日 date.
_MISREAD_MILLENNIUM = re.compile(rf"(?<!\d)[3-9](?P<rest>0\d\d)(?=\s*[{_NIAN}])")
# A written date whose 月 was lost (2024年628日 for 2024年6月28日): three digits split one way only
# into a month and a day (628: 6/28; 112 could be 1/12 or 11/2 and is not taken).
_MONTH_LOST = re.compile(rf"(?<!\d)(?P<y>(?:19|20)\d\d)\s?[{_NIAN}]\s?(?P<md>\d{{3}})\s?[{_RI}]")
# no digit after the month, unless it starts a time: 2024年10月 17:39, the day under a seal
_YEAR_MONTH = re.compile(_YEAR + rf"\s*(?P<s1>[{_NIAN}])\s*(?P<m>[01]?\d)\s*(?P<s2>[{_YUE}])"
                         r"(?!\s*\d(?!\d?\s?:\s?[0-5]\d))")
_DATE_WORD = re.compile(r"[日时期间生效]|[Dd]ate")
# 20250312, and after a label also what OCR leaves of a date when it drops one separator
# ("202507-05", "2025 0304", "202504:26" with the slash read as a colon): two-digit month and day,
# eight digits in all.
_COMPACT = re.compile(r"(?<!\d)(?P<y>(?:19|20)\d\d)[-/. ]?(?P<m>[01]\d)[-/. :]?(?P<d>[0-3]\d)"
                      # the time glued on: with its colon (202503121:05), or its four or six digits
                      # (报告时间：202503121257, the space and colons lost)
                      r"(?:(?!\d)|(?=[0-2]?\d\s?:)|(?=(?:[01]\d|2[0-3])[0-5]\d(?:[0-5]\d)?(?!\d)))")

# The year's separator read as a colon (诊断日期：2025:01-10, a dot or dash under a seal's stroke): the
# rest is a zero-padded month and day with an explicit separator, so it is no time of day.
# The day may run into the time printed after it through a stray digit (2023:08.23715:12:27 for 2023.08.23
# 15:12:27 re-read under a seal, fresh seed 9602): three digits before the time's colon are no hour.
_COLON_AFTER_YEAR = re.compile(r"(?<!\d)(?<!\d:)(?P<y>(?:19|20)\d\d)\s?:\s?(?P<m>[01]\d)(?P<s>[-/.])(?P<d>[0-3]\d)"
                               r"(?:(?![\d:])|(?=\d[0-2]\d:[0-5]\d))")
# Both separators read as colons (处方日期：2025:09:15 on a photocopy, fresh seed 9634): a time's first part
# has two digits, never a year's four. Taken after a date label only, not after another date's digits
# (2025-04-2012:09:15 is a day glued to a time).
_COLONS_FOR_SEPARATORS = re.compile(r"(?<![\d.])(?<!\d[:/-])(?P<y>(?:19|20)\d\d)\s?:\s?(?P<m>[01]?\d)\s?:\s?(?P<d>[0-3]?\d)"
                                    r"(?![\d:])")
# A speck of ink or a seal's dot read inside the year (开具日期：20.24-12-31): the rest is a full
# zero-padded date with the same separator twice, so the year's two halves belong together.
_SPLIT_YEAR = re.compile(r"(?<![\d.])(?P<a>19|20)[.,:·](?P<b>\d\d)(?P<s1>[-/])(?P<m>[01]\d)(?P=s1)(?P<d>[0-3]\d)(?![\d.])")
# A date with one separator lost (2025/01/13 read 202501/13, 2024.11.15 read 202411.15): one explicit
# separator is left, so it is not an ID, phone or sample number (all digits). Taken without a date
# label (the label is often what a seal garbled) unless a number label or a unit says it is a number.
_ONE_SEPARATOR = re.compile(r"[-/.]")
_NUMBER_BEFORE = re.compile(r"(?:[号码额价费计量值数]|[Nn][Oo]|I[Dd])\s*[:：.#]?\s*$|[¥￥$#A-Za-z.\-/]$")
# A time of day after eight digits makes them a date and time (20250617 0:21 beside a sampling time, its
# label lost: alternative templates 2, seed 7108), whatever stands before them on the row.
_TIME_AFTER = re.compile(r"\s[0-2]?\d\s?[:：]\s?[0-5]\d(?!\d)")
_NUMBER_AFTER = re.compile(r"\s*(?:[元%‰μ]|[A-Za-z])|[.\-/]\d")
# A slash OCR read as a 7 or a 1 (2025/08/02 read 2025708/02): the other separator is a slash and
# month and day are zero-padded; taken after a date label only, like the compact form.
_SLASH_AS_DIGIT = re.compile(r"(?<![\d/])(?P<y>(?:19|20)\d\d)(?P<a>[17/])(?P<m>[01]\d)(?P<b>[17/])(?P<d>[0-3]\d)"
                             r"(?:(?!\d)|(?=[0-2]?\d\s?:))")
# The same with an unpadded month (就诊时间：2025/1727 for 2025/1/27): taken only when a single 1 or 7
# among the digits splits them into a valid month and day (1117 could be 1/17 or 11/7: not taken).
_SLASH_AS_DIGIT_UNPADDED = re.compile(r"(?<![\d/])(?P<y>(?:19|20)\d\d)/(?P<rest>\d{3,4})(?![\d/])")
# An unpadded date whose separators were all lost (日期：202538 for 2025/3/8 under a seal on a phone photo,
# fresh seed 9632): six digits split only one way, a one-digit month and day. Taken after a date label only,
# as repaired (its year then counts as read unsurely).
# Not a month 1 before a day 0-2 (202412 may be 2024.12 with its day lost), and its digits count as read
# at most at LOST_DIGIT_CONFIDENCE: where the separators went is a guess no return rests on.
_SEPARATORS_LOST = re.compile(r"(?<![\d/.-])(?P<y>(?:19|20)\d\d)(?P<m>1(?=[3-9])|[2-9])(?P<d>[1-9])(?![\d/.-])")
# A written year 202X whose 0 was lost (期：225年7月4日 for 2025年7月4日), or its first 2 (报告日期：025年02月16日
# re-read under a seal, fresh seed 9604): 22X and 02X can be no other year of this century with one digit
# lost. Only in a date written out in full, 年, 月 and 日.
_YEAR_ZERO_LOST = re.compile(rf"(?<!\d)(?:2\s?2|0\s?2)\s?(?P<u>\d)\s?[{_NIAN}]"
                             rf"\s?(?P<m>[01]?\d)\s?[{_YUE}]\s?(?P<d>[0-3]?\d)\s?[{_RI}]")

_CN_DIGIT = {"〇": 0, "○": 0, "零": 0, "O": 0, "o": 0, "0": 0, "D": 0, ".": 0,
             "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_YEAR_CHARS = "".join(_CN_DIGIT)
_CN_SMALL = "一二三四五六七八九十廿卅"
# A Chinese year of three numerals is 二〇XY whose 〇, a small ring, the OCR dropped (二二五年 for 二〇二五年);
# only 20XX years are meant: a 〇 read, or a first numeral other than 二, is no such year.
_ZERO_LOST_FROM_YEAR = re.compile(r"二[一二][一二三四五六七八九〇]")
# A Chinese year whose 年 was lost (二〇二五一月十八日, fresh seed 9604): four numerals of a 19XX or 20XX year,
# then a month with its 月.
_CN_STRICT = "〇○零一二三四五六七八九"
# A Chinese year of two numerals, 二 and a unit (二四年九月四日 on a photographed certificate, fresh seed 9627):
# 二〇二四 with its 〇 and 二 lost, or as well 二〇一四 with 〇 and 一 lost. Read as the 2020s, its year unsure
# (:data:`LOST_DIGIT_CONFIDENCE`): no return rests on it, a date it makes valid spares a false DATE_MISSING.
_TWO_NUMERAL_YEAR = rf"(?<![{re.escape(_CN_YEAR_CHARS)}])二[一二三四五六七八九]"
_CHINESE = re.compile(
    rf"(?:(?P<y>[{re.escape(_CN_YEAR_CHARS)}]{{3,4}}|{_TWO_NUMERAL_YEAR})\s*[{_NIAN}]|(?P<y_bare>(?:一九|二[〇○零])[{_CN_STRICT}]{{2}}))\s*"
    rf"(?P<m>[{_CN_SMALL}]{{1,3}}|[01]?\d)\s*[{_YUE}]"
    # the 日 may be lost at the end of a row (二〇二五年一月二十四…): kept as read, see _chinese_match
    rf"(?:\s*(?P<d>[{_CN_SMALL}]{{1,3}}|[0-3]?\d)(?:\s*[{_RI}]|(?=[ \t]*(?:\n|$))))?"
)


@dataclass(frozen=True)
class DateMatch:
    """One date found in a string.

    Attributes:
        start: Offset of the first character of the date in the input string.
        end: Offset just past the date.
        value: The calendar date (first of the month when ``precision`` is "month").
        raw: The input characters exactly as read.
        precision: "day", or "month" for ``二〇二五年三月``.
        form: "cn_ymd" (年月日 with digits), "numeric" (- / .), "compact" (20250312) or "chinese" (二〇二五…).
        corrected: True when OCR confusions (O for 0, misread 年…) had to be repaired.
    """

    start: int
    end: int
    value: date
    raw: str
    precision: Literal["day", "month"] = "day"
    form: str = "numeric"
    corrected: bool = False


def _make_date(year: int, month: int, day: int) -> date | None:
    if not YEAR_MIN <= year <= YEAR_MAX:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _cn_small_number(text: str) -> int | None:
    """二 -> 2, 十二 -> 12, 二十一 -> 21, 廿三 -> 23; digits pass through; None when malformed."""
    if text.isdigit():
        return int(text)
    values = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
    text = text.replace("廿", "二十").replace("卅", "三十")
    if "十" not in text:
        return values.get(text) if len(text) == 1 else None
    if text.count("十") != 1:
        return None
    tens_text, ones_text = text.split("十")
    tens = values.get(tens_text) if tens_text else 1
    ones = values.get(ones_text) if ones_text else 0
    if tens is None or ones is None:
        return None
    return tens * 10 + ones


def _digits_only(text: str) -> str:
    return re.sub(r"\s", "", text)


def _numeric_match(norm: str, raw: str, match: re.Match[str]) -> DateMatch | None:
    s1, s2 = match.group("s1"), match.group("s2")
    cjk1 = s1 is not None and s1 in _NIAN
    cjk2 = s2 in _YUE or s2 == "日"
    if s1 is None:
        if s2 not in _YUE:
            return None  # "2025 03-12" or "202503-12": too ambiguous without 年 or 月
    elif cjk1:
        if not cjk2:
            return None  # "2025年3-12" does not occur in print
    elif cjk2 or (s1 == "," and s2 == ","):
        return None  # "2025-03月12" or "2025,3,12" (a list of numbers)
    if match.group("stray") is not None and not (cjk2 and match.group("s3")):
        return None  # punctuation between month and day only in "2023年3月：3日" or "2025年2月.4日" (a dot of ink)
    day_text = _digits_only(match.group("d"))
    padded = len(_digits_only(match.group("m"))) == 2 and len(day_text) == 2
    if match.group("s3") is None and _MINUTES_NEXT.match(norm, match.end("d")) and (cjk2 or not padded):
        # "2025/1/14:26:37" for 2025/1/9 14:26:37: the "day" is the hour, the day was lost. A zero-padded
        # numeric date keeps its day: the gap before the time read as a colon (2024-07-19:13:01 under a grey
        # seal, fresh seed 9605) is likelier than a padded day lost whole. A written one prints its 日: with
        # neither 日 nor the day's digit left, the time comes next (2024年10月 17:39 for 2024年10月4日 17:39,
        # the 4日 under a red seal, fresh seed 9614).
        return None
    if cjk2 and match.group("s3") is None and _DAY_DIGIT_MISREAD.match(norm, match.end("d")):
        return None  # "2025年8月1年日" for 8月13日: a digit of the day read as another character before 日
    month_text = _digits_only(match.group("m"))
    month_repaired = False
    if len(month_text) == 2 and month_text[0] in "23456789":
        month_text, month_repaired = "0" + month_text[1], True  # only 0x is a month: "34月" was "04月"
    end = match.end()
    split_hour = False
    if len(day_text) == 2 and match.group("s3") is None and _GLUED_HOUR.match(norm, match.end("d")):
        hour = int(day_text[1] + norm[match.end("d")])
        if hour <= 23 and int(day_text[0]) > 0:
            day_text, split_hour = day_text[0], True
            end = match.end("d") - 1
    value = _make_date(int(_digits_only(match.group("y"))), int(month_text), int(day_text))
    if value is None:
        return None
    start = match.start()
    if not (cjk1 or cjk2) and match.group("s3") is not None:
        end = match.end("d")  # a numeric date keeps a following 日/号 outside
    raw_text = raw[start:end]
    corrected = (raw_text != norm[start:end] or (cjk1 and s1 != "年") or (cjk2 and s2 != "月") or split_hour
                 or match.group("stray") is not None or month_repaired)
    form = "cn_ymd" if (cjk1 or cjk2) else "numeric"
    return DateMatch(start, end, value, raw_text, "day", form, corrected)


def _numeric_after_digits(norm: str, raw: str, match: re.Match[str]) -> DateMatch | None:
    s1, s2, s3 = match.group("s1"), match.group("s2"), match.group("s3")
    written_out = s1 is not None and s1 in _NIAN and s2 in _YUE and s3 is not None
    if not (written_out or (s1 is not None and s1 == s2 and s1 in "-/")):
        return None
    found = _numeric_match(norm, raw, match)
    return None if found is None else DateMatch(found.start, found.end, found.value, found.raw, found.precision,
                                                 found.form, True)


def _glued_match(norm: str, raw: str, match: re.Match[str]) -> DateMatch | None:
    value = _make_date(int(match.group("y")), int(match.group("m")), int(match.group("d")))
    if value is None:
        return None
    glued_before = match.start() > 0 and norm[match.start() - 1].isdigit()
    glued_after = match.end() < len(norm) and norm[match.end()].isdigit()
    if not (glued_before or glued_after):
        return None  # a clean date: the numeric pattern reads it
    if _GLUED_HOUR.match(norm, match.end()) and int(match.group("d")[1] + norm[match.end()]) <= 23:
        return None  # "2024-08-215:05": the numeric pattern splits the hour off (see _GLUED_HOUR)
    raw_text = raw[match.start():match.end()]
    return DateMatch(match.start(), match.end(), value, raw_text, "day", "numeric", True)


def _chinese_match(raw: str, match: re.Match[str]) -> DateMatch | None:
    year_text = match.group("y") or match.group("y_bare")
    if not any(ch in "一二三四五六七八九" for ch in year_text):
        return None  # all zeros: "0000年" or digits handled by the numeric pattern
    lost_zero = len(year_text) == 3
    if lost_zero and not _ZERO_LOST_FROM_YEAR.fullmatch(year_text):
        return None
    if len(year_text) == 2:  # 二四: 二〇二四 (or 二〇一四) with two numerals lost, see _TWO_NUMERAL_YEAR
        year = 2020 + _CN_DIGIT[year_text[1]]
    else:
        year = int("".join(str(_CN_DIGIT[ch]) for ch in year_text)) + (2000 - 200 if lost_zero else 0)
    month = _cn_small_number(match.group("m"))
    day_text = match.group("d")
    # a day the row ends on without its 日 may have lost more (三月二 of 三月二十八日): only the month is
    # sure, unless no day is written longer (二十三, 十八, 五: the 日 alone was lost, cut at a page edge)
    cut = bool(day_text) and match.group(0).rstrip()[-1] not in _RI and _day_may_go_on(day_text)
    day = _cn_small_number(day_text) if day_text and not cut else 1
    if month is None or day is None:
        return None
    value = _make_date(year, month, day)
    if value is None:
        return None
    raw_text = raw[match.start():match.end()]
    corrected = lost_zero or len(year_text) == 2 or match.group("y") is None \
        or any(ch not in "〇零一二三四五六七八九十廿卅年月日 " for ch in raw_text)
    return DateMatch(match.start(), match.end(), value, raw_text, "day" if day_text and not cut else "month",
                     "chinese", corrected)


def _day_may_go_on(day_text: str) -> bool:
    """Whether a Chinese-numeral day may be the start of a longer one: 二 / 三 / 十 / 二十 / 三十 (二十八,
    三十一, 十五); 二十三, 十八 or 五 are whole (no day is written 二十三X or 五X)."""
    compact = re.sub(r"\s", "", day_text).replace("廿", "二十").replace("卅", "三十")
    return compact in ("二", "三", "十", "二十", "三十") or _cn_small_number(compact) is None


def cn_day_text(day: int) -> str:
    """How a day is written in Chinese numerals: 8 -> 八, 10 -> 十, 18 -> 十八, 20 -> 二十, 31 -> 三十一."""
    units = "一二三四五六七八九"
    tens, ones = divmod(day, 10)
    head = "" if tens == 0 else "十" if tens == 1 else units[tens - 1] + "十"
    return head + (units[ones - 1] if ones else "")


def _compact_match(norm: str, raw: str, match: re.Match[str]) -> DateMatch | None:
    if ":" in match.group(0) and match.group(0)[4] == " ":
        # a colon for the day separator after 年 and 月 ran together (202504:26) or after a date's own
        # separator (2025.04:11, a dot read as a colon), not after a gap (2025 04:26 is a year, then a time)
        return None
    if _MINUTES_NEXT.match(norm, match.end()):
        return None  # "2025.02 12:24:21" for 2025.02.05 12:24:21: the "day" is the hour, the day was lost
    value = _make_date(int(match.group("y")), int(match.group("m")), int(match.group("d")))
    if value is None:
        return None
    if _GLUED_HOUR.match(norm, match.end()) and int(match.group("d")[1] + norm[match.end()]) <= 23:
        return None  # "2024-08215:05": the day's last digit is the hour's first (see _GLUED_HOUR)
    raw_text = raw[match.start():match.end()]
    return DateMatch(match.start(), match.end(), value, raw_text, "day", "compact", raw_text != norm[match.start():
                                                                                                   match.end()])


def _month_lost_match(raw: str, match: re.Match[str]) -> DateMatch | None:
    year, digits = int(match.group("y")), match.group("md")
    splits = [_make_date(year, int(digits[:cut]), int(digits[cut:])) for cut in (1, 2)]
    valid = [value for value in splits if value is not None]
    if len(valid) != 1:
        return None
    return DateMatch(match.start(), match.end(), valid[0], raw[match.start():match.end()], "day", "cn_ymd", True)


def _colon_after_year_match(raw: str, match: re.Match[str]) -> DateMatch | None:
    value = _make_date(int(match.group("y")), int(match.group("m")), int(match.group("d")))
    if value is None:
        return None
    return DateMatch(match.start(), match.end(), value, raw[match.start():match.end()], "day", "numeric", True)


def _split_year_match(raw: str, match: re.Match[str]) -> DateMatch | None:
    value = _make_date(int(match.group("a") + match.group("b")), int(match.group("m")), int(match.group("d")))
    if value is None:
        return None
    return DateMatch(match.start(), match.end(), value, raw[match.start():match.end()], "day", "numeric", True)


def _slash_as_digit_match(norm: str, raw: str, match: re.Match[str]) -> DateMatch | None:
    if (match.group("a") + match.group("b")).count("/") != 1:
        return None  # both slashes read: the numeric pattern's date; none: eleven digits, no date
    value = _make_date(int(match.group("y")), int(match.group("m")), int(match.group("d")))
    if value is None:
        return None
    raw_text = raw[match.start():match.end()]
    return DateMatch(match.start(), match.end(), value, raw_text, "day", "numeric", True)


def _slash_as_digit_unpadded_match(raw: str, match: re.Match[str]) -> DateMatch | None:
    year, rest = int(match.group("y")), match.group("rest")
    found = {value for cut in range(1, len(rest) - 1) if rest[cut] in "17" and cut <= 2 and len(rest) - cut - 1 <= 2
             if (value := _make_date(year, int(rest[:cut]), int(rest[cut + 1:]))) is not None}
    if len(found) != 1:
        return None
    return DateMatch(match.start(), match.end(), found.pop(), raw[match.start():match.end()], "day", "numeric", True)


def _separators_lost_match(raw: str, match: re.Match[str]) -> DateMatch | None:
    """A date whose separators were lost or misread (the year, month and day groups given), as repaired."""
    value = _make_date(int(match.group("y")), int(match.group("m")), int(match.group("d")))
    if value is None:
        return None
    return DateMatch(match.start(), match.end(), value, raw[match.start():match.end()], "day", "numeric", True)


def _year_zero_lost_match(raw: str, match: re.Match[str]) -> DateMatch | None:
    value = _make_date(2020 + int(match.group("u")), int(match.group("m")), int(match.group("d")))
    if value is None:
        return None
    return DateMatch(match.start(), match.end(), value, raw[match.start():match.end()], "day", "cn_ymd", True)


def _glued_separator_is_a_date(norm: str, item: DateMatch) -> bool:
    """An unlabelled compact match that is a date with one separator lost, not a number.

    Exactly one separator is left between the digits (``202501/13``; not ``2024-1115``, written
    like a year-and-serial number), and nothing around makes it a number: no number label
    (``编号``, ``金额``, ``No.``), currency or letter right before, no unit (``元``, ``%``, ``mg``)
    or further ``.5`` / ``-3`` right after.
    """
    text = norm[item.start:item.end]
    if len(_ONE_SEPARATOR.findall(text)) != 1 or " " in text:
        return False
    if text[4] == "-":
        return False  # 2024-1115: a year-and-serial number (编号 2024-0012) as often as a date
    if _NUMBER_BEFORE.search(norm[max(0, item.start - 6):item.start]):
        return False
    return _NUMBER_AFTER.match(norm, item.end) is None


def _scan(pattern: re.Pattern[str], norm: str,
          build: Callable[[re.Match[str]], DateMatch | None]) -> list[DateMatch]:
    """All matches of ``pattern``, retrying one character further on when a match fails validation."""
    found: list[DateMatch] = []
    pos = 0
    while pos < len(norm):
        match = pattern.search(norm, pos)
        if match is None:
            break
        item = build(match)
        if item is None:
            pos = match.start() + 1
            continue
        found.append(item)
        pos = max(match.end(), match.start() + 1)
    return found


DATE_NUMERALS = frozenset("0123456789〇零一二三四五六七八九十廿卅")


def least_sure_numeral(text: str, confidences: Sequence[float | None]) -> float | None:
    """The OCR confidence of the least sure digit or numeral of a date as read (``text``, with one
    confidence per character), at most :data:`LOST_DIGIT_CONFIDENCE` for a year read in three digits;
    None when there is none, or one of them has no confidence."""
    numerals = [c for ch, c in zip(text, confidences, strict=True) if ch in DATE_NUMERALS or ch.isdigit()]
    if not numerals or any(c is None for c in numerals):
        return None
    least = min(c for c in numerals if c is not None)
    guessed = _year_lost_a_digit(text) or _SEPARATORS_LOST.fullmatch(text.strip()) is not None
    return min(least, LOST_DIGIT_CONFIDENCE) if guessed else least


# A year read in three digits (222年5月4日) lost one: which one, and whether the rest were read right, is a
# guess (2022 for 2025, its 0 lost and 5 read 2: alternative templates, seed 7013, a false REPORT_EXPIRED).
# Three Chinese numerals (二二五年) are not meant: the small 〇 is what the OCR drops, the rest stands.
LOST_DIGIT_CONFIDENCE = 0.5
_THREE_DIGIT_YEAR = re.compile(rf"(?<!\d)\d\s?\d\s?\d\s?[{_NIAN}]")
_TWO_NUMERAL_YEAR_READ = re.compile(rf"{_TWO_NUMERAL_YEAR}\s*[{_NIAN}]")


def _year_lost_a_digit(text: str) -> bool:
    return _THREE_DIGIT_YEAR.search(text) is not None or _TWO_NUMERAL_YEAR_READ.search(text) is not None


_PADDED_MONTHS = frozenset(f"{month:02d}" for month in range(1, 13))
BEFORE_REPORT_ROLES = ("sampling", "exam")  # what happens before a report is written
# A sampling or examination date whose year was read at least this surely vouches for the year of
# the report of the same document.
SURE_WITNESS_YEAR = 0.8


MIXED_PADDING_CONFIDENCE = 0.5  # below the checks' bar for a sure digit: no return rests on that part


def part_confidences(text: str, confidences: Sequence[float | None]) -> tuple[float, float, float] | None:
    """The least sure digit's confidence in each of the year, month and day of a date as read.

    The date's digits (or numerals) fall in three runs (2023-05-31, 2023年5月31日, 二〇二三年五月三十一日),
    one run of eight (20230531), or a year and a run of four (2023-0621, a separator lost). Anything
    else (a repaired date, 2024年628日) is not told apart: None.
    """
    runs: list[list[float]] = []
    current: list[float] = []
    digits = ""
    after_run: list[tuple[str, float | None]] = []  # the character ending each run, as read
    for ch, confidence in zip(text, confidences, strict=True):
        if ch in DATE_NUMERALS or ch.isdigit():
            if confidence is None:
                return None
            current.append(confidence)
            digits += ch
        elif current:
            runs.append(current)
            after_run.append((ch, confidence))
            current = []
    if current:
        runs.append(current)
    # The 月 or 日 closing a month or day, read unsurely: the OCR struggled there, and a digit may be lost with
    # it (2024年1日6日 for 2024年11月06日, 日 at 0.58: alternative templates, seed 7005, a false REPORT_EXPIRED on
    # a month read at 0.79; 2025年6月2日 for 6月26日, its 日 at 0.52, fresh seed 9601).
    for index in (1, 2):
        if len(runs) == 3 and index < len(after_run) and after_run[index][0] in _YUE + _RI \
                and after_run[index][1] is not None:
            runs[index] = [*runs[index], after_run[index][1]]
    if len(runs) == 1 and len(runs[0]) == 8:
        runs = [runs[0][:4], runs[0][4:6], runs[0][6:]]
    elif len(runs) == 2 and len(runs[0]) == 4 and len(runs[1]) == 4 and digits[4:6] in _PADDED_MONTHS:
        runs = [runs[0], runs[1][:2], runs[1][2:]]  # 2023-0621: month and day run together (not 2025/1727)
    if len(runs) != 3:
        return None
    year, month, day = (min(run) for run in runs)
    if _year_lost_a_digit(text):
        year = min(year, LOST_DIGIT_CONFIDENCE)
    month_digits, day_digits = len(runs[1]), len(runs[2])
    if month_digits == 1 and day_digits == 2 and digits[-2] == "0":
        # a printed date is padded throughout: 2025/1/05 lost a digit of its month (11 read 1 at 0.85 on a
        # photocopy, fresh seed 9605)
        month = min(month, MIXED_PADDING_CONFIDENCE)
    elif day_digits == 1 and month_digits == 2 and digits[len(runs[0])] == "0":
        day = min(day, MIXED_PADDING_CONFIDENCE)  # 2025/01/5: a digit of the day lost
    return year, month, day


def find_dates(text: str, *, compact_after_label: bool = True) -> list[DateMatch]:
    """Every date written in ``text``, left to right, without overlaps.

    Args:
        text: Any string, typically one OCR row.
        compact_after_label: Also accept ``20250312`` when a date label stands just before it.

    Returns:
        Dates in order of ``start``. Never raises on any input.
    """
    if not text:
        return []
    norm = _NINE_AFTER_SEP.sub("9", normalise_ocr_text(text))
    candidates: list[DateMatch] = []
    candidates += _scan(_NUMERIC, norm, lambda m: _numeric_match(norm, text, m))
    candidates += _scan(_NUMERIC_AFTER_DIGITS, norm, lambda m: _numeric_after_digits(norm, text, m))
    candidates += _scan(_NUMERIC_GLUED, norm, lambda m: _glued_match(norm, text, m))
    candidates += _scan(_CHINESE, norm, lambda m: _chinese_match(text, m))
    candidates += _repaired_year_dates(norm, text)
    candidates += _scan(_SPLIT_YEAR, norm, lambda m: _split_year_match(text, m))
    candidates += _scan(_COLON_AFTER_YEAR, norm, lambda m: _colon_after_year_match(text, m))
    candidates += _scan(_MONTH_LOST, norm, lambda m: _month_lost_match(text, m))
    candidates += _scan(_YEAR_ZERO_LOST, norm, lambda m: _year_zero_lost_match(text, m))
    candidates += _scan(_YEAR_MONTH, norm, lambda m: _year_month_match(norm, text, m))
    if compact_after_label:
        for item in _scan(_COMPACT, norm, lambda m: _compact_match(norm, text, m)):
            label = label_before(text, item.start)
            # a date label proper (…日期, …时间, 出生, 有效期), not just "标本" before a sample number
            alone = not norm[: item.start].strip() and _NUMBER_AFTER.match(norm, item.end) is None
            if (label is not None and _DATE_WORD.search(label[1])) or alone or _glued_separator_is_a_date(norm, item) \
                    or _TIME_AFTER.match(norm, item.end):
                candidates.append(item)
        slash_as_digit = _scan(_SLASH_AS_DIGIT, norm, lambda m: _slash_as_digit_match(norm, text, m))
        slash_as_digit += _scan(_SLASH_AS_DIGIT_UNPADDED, norm, lambda m: _slash_as_digit_unpadded_match(text, m))
        for item in slash_as_digit:
            label = label_before(text, item.start)
            if (label is not None and _DATE_WORD.search(label[1])) or not norm[: item.start].strip():
                candidates.append(item)
        for item in _scan(_COLONS_FOR_SEPARATORS, norm, lambda m: _separators_lost_match(text, m)):
            label = label_before(text, item.start)
            if label is not None and _DATE_WORD.search(label[1]):
                candidates.append(item)
        for item in _scan(_SEPARATORS_LOST, norm, lambda m: _separators_lost_match(text, m)):
            label = label_before(text, item.start)
            if label is not None and _DATE_WORD.search(label[1]):
                candidates.append(item)
    candidates.sort(key=lambda d: (d.start, -(d.end - d.start)))
    chosen: list[DateMatch] = []
    for item in candidates:
        if chosen and item.start < chosen[-1].end:
            continue
        chosen.append(item)
    return chosen


def completes_the_day(old_text: str, new_text: str) -> bool:
    """Whether ``new_text`` reads the date of ``old_text`` whole: the same year and month with a two-digit
    day, where ``old_text`` stopped at the month or read only that day's first digit (2024/10/2 read
    wider as 2024/10/26; 2025年9月 read again as 2025年9月28日). For a re-read that may give back a day
    a seal's ring, a box's edge or a table rule cut off."""
    before = find_dates(old_text)
    after = [found for found in find_dates(new_text) if found.precision == "day"]
    if not before or not after:
        return False
    old, new = before[-1], after[-1]
    if (new.value.year, new.value.month) != (old.value.year, old.value.month) or new.value.day < 10:
        return False  # one digit read where the cut was may be what is left of two (the 1 of 16, a rule or ring on the 6)
    cut_day = cut_chinese_day(old_text)
    if cut_day:  # 八月二十 read whole is a day written 二十…
        return cn_day_text(new.value.day).startswith(cut_day)
    return old.precision == "month" or str(new.value.day).startswith(str(old.value.day))


# A Chinese-numeral date cut at the row's end within its day (二〇二五年十月十 of 十八日, 八月二十 of 二十一日)
_CUT_CHINESE_DAY = re.compile(r"月\s*([一二三四五六七八九十廿卅]{1,3})$")


def cut_chinese_day(text: str) -> str | None:
    """What is left of a Chinese-numeral day a row ends on without its 日 (二十 of 八月二十), 廿 and 卅
    written out; None when the row ends otherwise."""
    cut = _CUT_CHINESE_DAY.search(text.rstrip())
    return cut.group(1).replace("廿", "二十").replace("卅", "三十") if cut else None


def years_one_digit_apart(year: int, other: int) -> bool:
    """Whether two four-digit years differ in exactly one digit (2026 and 2025, 2005 and 2025): what
    one misread digit makes of a year."""
    return sum(a != b for a, b in zip(str(year), str(other), strict=True)) == 1


def overlapped_year(first: str, second: str) -> str | None:
    """The four-digit year two overlapping reads of it make (``202`` + ``24`` -> ``2024``), or None.

    The second piece must start with the digits the first ends with (the shared ones);
    the shortest overlap that leaves four digits is taken.
    """
    for shared in range(1, min(len(first), len(second))):
        if first[-shared:] == second[:shared] and len(first) + len(second) - shared == 4:
            return first + second[shared:]
    return None


def _repaired_year_dates(norm: str, raw: str) -> list[DateMatch]:
    """Full 年月日 dates whose year OCR split in two overlapping pieces or misread the 2 of (see
    ``_OVERLAPPED_YEAR``, ``_MISREAD_MILLENNIUM``); flagged as corrected."""
    pieces = [(m, overlapped_year(m.group("a"), m.group("b"))) for m in _OVERLAPPED_YEAR.finditer(norm)]
    pieces += [(m, "2" + m.group("rest")) for m in _MISREAD_MILLENNIUM.finditer(norm)]
    found = []
    for piece, year in pieces:
        if year is None:
            continue
        width = piece.end() - piece.start()
        fixed = norm[: piece.start()] + year.rjust(width) + norm[piece.end():]  # same length: offsets hold
        match = _NUMERIC.match(fixed, piece.end() - 4)
        if match is None:
            continue
        item = _numeric_match(fixed, raw, match)
        if item is None or item.form != "cn_ymd" or match.group("s3") is None:
            continue
        found.append(DateMatch(piece.start(), item.end, item.value, raw[piece.start():item.end], "day", "cn_ymd", True))
    return found


def _year_month_match(norm: str, raw: str, match: re.Match[str]) -> DateMatch | None:
    value = _make_date(int(_digits_only(match.group("y"))), int(match.group("m")), 1)
    if value is None:
        return None
    raw_text = raw[match.start():match.end()]
    corrected = raw_text != norm[match.start():match.end()] or match.group("s1") != "年" or match.group("s2") != "月"
    return DateMatch(match.start(), match.end(), value, raw_text, "month", "cn_ymd", corrected)


def parse_cn_date(text: str) -> date | None:
    """The first date written in ``text``, in any supported form, or None.

    A string that is nothing but eight digits (``20250312``) is read as a compact date.

    Args:
        text: Any string: a bare date, a labelled one (``报告日期：2025-03-12``), or a whole row.

    Returns:
        The date, or None when no valid date is written. Never raises.
    """
    found = find_dates(text)
    return found[0].value if found else None


# ---------------------------------------------------------------------------
# Date labels and roles
# ---------------------------------------------------------------------------

DateRole = Literal["report", "issue", "exam", "sampling", "print", "visit", "request", "birth", "validity",
                   "dated", "other", "unknown"]

# 日期 / 时间 after a label word, OCR-tolerant; 时 may be read as its look-alike 附 (就诊附间：) or as 日, its
# left half (审楼日间： for 审核时间：, fresh seed 9603); 日 as 目 or 曰 before 期 (报售目期：, fresh seed 9616)
_DQ = r"\s*(?:[日目曰]\s*[期朝其]|[时附日]\s*[间问]|日|时)"
_LABELS: tuple[tuple[DateRole, re.Pattern[str]], ...] = tuple(
    (role, re.compile(pattern))
    for role, pattern in (
        # 告 may be lost on a blurred photo (报时间：) or read as 售 (报售时间：), or 报 under a seal (告时间：)
        ("report", r"(?:报\s*[告吿售]?|[告吿])" + _DQ),
        ("report", r"审\s*[核查]?" + _DQ),  # 核 may be lost (审时间：)
        ("report", r"发\s*布" + _DQ),
        ("issue", r"(?:开\s*具|出\s*具|签\s*发|发\s*证|诊\s*断|证\s*明|签\s*[字名章订署]|盖\s*章|填\s*[表写报]|处\s*方|开\s*方"
                  r"|委\s*托|授\s*权|落\s*款|医\s*师|医\s*生|收\s*费|开\s*票|审\s*批|批\s*准|认\s*定|鉴\s*定)" + _DQ),
        ("exam", r"(?:检\s*[查验测]?|扫\s*描|造\s*影|摄\s*片|超\s*声|心\s*电\s*图|化\s*验|影\s*像)" + _DQ),
        ("sampling", r"(?:采\s*[样集血]|接\s*收|送\s*检|收\s*样|取\s*样|标\s*本|送\s*样|留\s*样|收\s*到)" + r"(?:" + _DQ + r")?"),
        # one character of a two-character label misread, after the named labels (a same-length match
        # there wins: 审批时间 stays an approval): 审X时间 is 审核 (审旅时间), X核时间 审核 or 复核 (销核时间,
        # 本核时间), X诊日 a visit (款诊日：for 就诊日), but 确诊日期 is when the disease was found, no visit
        ("report", r"审\s*[\u4e00-\u9fff]" + _DQ),
        # 时 of 报告时间 read as another character (报告厨间：2025-05-24, alternative templates seed 7010; 报告N间：
        # fresh seed 9614)
        ("report", r"报\s*[告吿售]\s*[\u4e00-\u9fffA-Za-z]\s*[间问]"),
        # 告 read as another character (报法时间：, alternative templates seed 7010); 报到时间 is a check-in
        ("report", r"报\s*(?!到)[\u4e00-\u9fff]" + _DQ),
        ("report", r"[\u4e00-\u9fff]\s*核" + _DQ),
        ("sampling", r"采\s*[\u4e00-\u9fff]" + _DQ),  # 采票时间 for 采样时间 (fresh seed 9603)
        # 接收时间 with its 接 lost, alone in its header cell (收时间: alternative templates family 2, seed 7101)
        ("sampling", r"(?<![\u4e00-\u9fff])收" + _DQ),
        ("visit", r"(?!确)[\u4e00-\u9fff]\s*[诊珍]" + _DQ),
        ("print", r"打\s*印(?:" + _DQ + r")?"),
        ("print", r"打\s*时\s*[间问]"),  # 印 lost (打时间：, fresh seed 9541); nothing else is 打…时间
        # 诊 may be read as its look-alike 珍 or 证 (就珍时间：, 就证时间：), as another character (就动时间：,
        # fresh seed 9588: no other date label starts with 就) or lost (就时间：, fresh seed 9587)
        ("visit", r"(?:就\s*[\u4e00-\u9fff]?|门\s*诊|挂\s*号|入\s*院|出\s*院|住\s*院|复\s*诊|初\s*诊|看\s*诊|来\s*诊)" + _DQ),
        ("request", r"(?:申\s*请|登\s*记|开\s*单|送\s*达|受\s*理|提\s*交)" + _DQ),
        ("birth", r"[出此岀]\s*生(?:\s*日\s*期|\s*年\s*月(?:\s*日)?)?|生\s*日(?:\s*期)?"),
        # an approval's period of benefits (享受期限 自2023/10/10起至2025/10/9止, 待遇期限): its end is no issue date
        ("validity", r"有\s*效\s*期(?:\s*限|\s*至)?|有\s*效\s*日\s*期|截\s*止\s*日\s*期|有\s*效\s*至"
                     r"|(?:享\s*受|待\s*遇)\s*期\s*限?"),
        ("dated", r"日\s*期|时\s*间|[Dd]ate"),
        # 日 read as its look-alike 目 / 曰 before 期 (目期：2025/1/27 on a prescription, fresh seed 9597)
        ("dated", r"(?<![\u4e00-\u9fff])[目曰]\s*期"),
        # 日期 with 期 lost, 日 alone before its colon at a row's start (日：2024.10.15, fresh seed 9586)
        ("dated", r"^\s*日(?=\s*[:：])"),
        # a time label OCR garbled ("标翰间:" for 打印时间:): some particular time, never the document's date
        ("other", r"[\u4e00-\u9fff]{1,3}[间问](?=\s*[:：])"),
    )
)
# How far (characters) a label may stand before its date, and how much may sit between them.
_LABEL_WINDOW = 24
_MAX_GAP_CJK = 2


def label_before(text: str, start: int, *, zone_start: int = 0,
                 window: int = _LABEL_WINDOW) -> tuple[DateRole, str] | None:
    """The date label written just before ``text[start:]``, with its role.

    The label closest to the date wins; of labels ending at the same place a named one wins
    over the generic ``日期`` / garbled ``…间``, then the longest (``报告日期`` over ``日期``).
    What stands between label and date may hold punctuation, spaces, ASCII and at most two
    CJK characters (``日期(盖章)``).

    Args:
        text: The row holding the date.
        start: Offset of the date in ``text``.
        zone_start: Do not search before this offset (the end of the previous date on the row).
        window: How many characters before the date to search.

    Returns:
        ``(role, label text as read)`` or None when no label is close enough.
    """
    lo = max(0, zone_start, start - window)
    zone = text[lo:start]
    best: tuple[tuple[int, int, int], DateRole, str] | None = None
    for role, pattern in _LABELS:
        for match in pattern.finditer(zone):
            gap = zone[match.end():]
            if sum(1 for ch in gap if "\u4e00" <= ch <= "\u9fff") > _MAX_GAP_CJK:
                continue
            # closest to the date first; then a named label over the generic ones; then the longest
            named = 0 if role in ("dated", "other") else 1
            key = (match.end(), named, match.end() - match.start())
            if best is None or key > best[0]:
                best = (key, role, match.group(0))
    if best is None:
        return None
    return best[1], best[2]


_SUFFIX_LABELS: tuple[tuple[DateRole, re.Pattern[str]], ...] = (
    ("print", re.compile(r"\s*(?:印\s*[制刷]|制\s*版)")),
    ("birth", re.compile(r"\s*(?:出\s*生|生)")),
)


def label_after(text: str, end: int) -> tuple[DateRole, str] | None:
    """A label written right after a date (``2019年6月印制``: the blank form's printing), with its role."""
    for role, pattern in _SUFFIX_LABELS:
        match = pattern.match(text, end)
        if match is not None:
            return role, match.group(0).strip()
    return None


def label_role(text: str) -> DateRole | None:
    """The role of a date label standing alone (``报告日期``, ``采样时间:``), or None when not a label.

    Args:
        text: A row or box whose text ends with a label (a table header cell, say).
    """
    stripped = text.rstrip(" :：\t")
    found = label_before(stripped + " ", len(stripped) + 1, window=len(stripped) + 1)
    if found is None:
        return None
    role, label = found
    return role if stripped.endswith(label) else None


@dataclass(frozen=True)
class LabelledDate:
    """A date with the label written before it on the same row (None when unlabelled)."""

    date: DateMatch
    role: DateRole
    label: str | None
    label_start: int | None


_RANGE_JOINER = re.compile(r"^\s*(?:[-~至到—]|起至|—)\s*$")


def joins_a_range(between: str) -> bool:
    """Whether ``between``, the text between two dates, makes them a range (``-``, ``至``, ``起至``)."""
    return _RANGE_JOINER.match(between) is not None


# Two unlabelled dates run together (2022/06/262025/04/25, the 至 between them lost under 享受期限 read
# 半受限) or joined as a range (2023年6月22日至2025年6月21日, its label lost) and this far apart are a
# period: its end is no date the document was issued on. A report and its sample are days apart.
PERIOD_MIN_DAYS = 180


# An unlabelled date with its weekday (2024-08-30星期五) heads a visit's entry in an outpatient record.
_WEEKDAY_AFTER = re.compile(r"\s*[（(]?\s*(?:星\s*期|礼\s*拜|周)\s*[一二三四五六日天]")


def _ends_a_period(previous: LabelledDate, item: DateMatch, between: str) -> bool:
    joined = not between.strip() or _RANGE_JOINER.match(between) is not None
    return (previous.role == "unknown" and joined and previous.date.precision == item.precision == "day"
            and (item.value - previous.date.value).days >= PERIOD_MIN_DAYS)


def label_dates(row: str) -> list[LabelledDate]:
    """Every date on one row, each with the closest label before it and that label's role.

    A label right after the date (``2019年6月印制``) wins over one before it. The label
    search before a date stops at the previous date, so in
    ``采样时间:2016-08-24 10:00 报告时间:2016-08-24`` each date gets its own label. The
    second date of a range (``有效期限 2015.03.12-2035.03.12``) inherits the first one's role; an
    unlabelled one run into an earlier unlabelled date months before it ends a period (validity), and
    one followed by its weekday (2024-08-30星期五) dates a visit.

    Args:
        row: One row of text (OCR boxes of the same row joined left to right).

    Returns:
        Labelled dates in row order; ``role`` is "unknown" and ``label`` None when unlabelled.
    """
    out: list[LabelledDate] = []
    previous_end = 0
    for item in find_dates(row):
        found = label_before(row, item.start, zone_start=previous_end)
        after = label_after(row, item.end)
        if after is not None:
            out.append(LabelledDate(item, after[0], after[1], None))
        elif found is None and out and _ends_a_period(out[-1], item, row[previous_end:item.start]):
            out.append(LabelledDate(item, "validity", None, None))
        elif found is None and out and _RANGE_JOINER.match(row[previous_end:item.start]):
            prev = out[-1]
            out.append(LabelledDate(item, prev.role, prev.label, prev.label_start))
        elif found is None and _WEEKDAY_AFTER.match(row, item.end):
            out.append(LabelledDate(item, "visit", None, None))
        elif found is None:
            out.append(LabelledDate(item, "unknown", None, None))
        else:
            role, label = found
            label_start = row.rfind(label, previous_end, item.start)
            out.append(LabelledDate(item, role, label, label_start if label_start >= 0 else None))
        previous_end = item.end
    return out


# ---------------------------------------------------------------------------
# Dates whose year OCR lost
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class YearLessDate:
    """Month and day written without a readable year (``年6月28日``, ``6月28日``)."""

    start: int
    end: int
    month: int
    day: int


_YEAR_LESS = re.compile(rf"(?<![\d{_NIAN}])(?:[{_NIAN}]\s*)?(?P<m>[01]?\d)\s*[{_YUE}]\s*(?P<d>[0-3]?\d)\s*[{_RI}]")


def find_year_less_dates(text: str) -> list[YearLessDate]:
    """Month-and-day dates in ``text`` with no year before them. Never raises.

    Args:
        text: One row of OCR text.
    """
    norm = normalise_ocr_text(text)
    found = []
    for match in _YEAR_LESS.finditer(norm):
        month, day = int(match.group("m")), int(match.group("d"))
        if 1 <= month <= 12 and 1 <= day <= 31:
            found.append(YearLessDate(match.start(), match.end(), month, day))
    return found


def issued_year_less_dates(text: str) -> list[tuple[YearLessDate, tuple[DateRole, str]]]:
    """Year-less dates in ``text`` written after a report or issue label (``报告时间：报幸9月8日``), with it.

    Only a document's own date is worth dating from the page's other dates; a year-less sampling or
    print time is not.
    """
    found = []
    for partial in find_year_less_dates(text):
        label = label_before(text, partial.start)
        if label is not None and label[0] in ("report", "issue"):
            found.append((partial, label))
    return found


def nearest_year(month: int, day: int, known: list[date], max_days: int) -> date | None:
    """The date of ``month``/``day`` in the year that brings it closest to one of ``known``.

    Args:
        month: 1-12.
        day: 1-31.
        known: Full dates read on the same page.
        max_days: Farthest the result may be from the known date it was matched to.

    Returns:
        The date, or None when no year puts it within ``max_days`` of a known date.
    """
    best: tuple[int, date] | None = None
    for anchor in known:
        for year in (anchor.year - 1, anchor.year, anchor.year + 1):
            candidate = _make_date(year, month, day)
            if candidate is None:
                continue
            gap = abs((candidate - anchor).days)
            if gap <= max_days and (best is None or gap < best[0]):
                best = (gap, candidate)
    return best[1] if best else None
