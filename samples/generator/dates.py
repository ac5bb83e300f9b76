"""Dates written the many ways Chinese medical documents write them."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

_CN_DIGITS = "〇一二三四五六七八九"


def _cn_number(n: int) -> str:
    if n < 10:
        return _CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _CN_DIGITS[tens]) + "十" + (_CN_DIGITS[ones] if ones else "")


def cn_upper(d: date) -> str:
    """二〇二五年三月十二日."""
    year = "".join(_CN_DIGITS[int(c)] for c in str(d.year))
    return f"{year}年{_cn_number(d.month)}月{_cn_number(d.day)}日"


STYLES = ("ymd_cn", "ymd_cn_pad", "iso", "slash", "slash_pad", "dot", "cn_upper", "compact_space")


def format_date(d: date, style: str) -> str:
    """Render ``d`` in one of :data:`STYLES`."""
    if style == "ymd_cn":
        return f"{d.year}年{d.month}月{d.day}日"
    if style == "ymd_cn_pad":
        return f"{d.year}年{d.month:02d}月{d.day:02d}日"
    if style == "iso":
        return d.isoformat()
    if style == "slash":
        return f"{d.year}/{d.month}/{d.day}"
    if style == "slash_pad":
        return f"{d.year}/{d.month:02d}/{d.day:02d}"
    if style == "dot":
        return f"{d.year}.{d.month:02d}.{d.day:02d}"
    if style == "cn_upper":
        return cn_upper(d)
    if style == "compact_space":
        return f"{d.year} 年 {d.month} 月 {d.day} 日"
    raise ValueError(style)


def format_datetime(dt: datetime, style: str) -> str:
    """A date with a clock time, as report systems print it."""
    if style in ("iso", "slash_pad", "dot", "slash"):
        return f"{format_date(dt.date(), style)} {dt:%H:%M}" + (f":{dt:%S}" if dt.second % 2 else "")
    return f"{format_date(dt.date(), style)} {dt:%H:%M}"


def pick_style(rng: random.Random, *, allow_upper: bool = True) -> str:
    styles = STYLES if allow_upper else tuple(s for s in STYLES if s != "cn_upper")
    weights = [5, 3, 4, 2, 2, 3, 1, 1][: len(styles)] if allow_upper else [5, 3, 4, 2, 2, 3, 1]
    return rng.choices(styles, weights=weights)[0]


def at_time(rng: random.Random, d: date, start_h: int = 8, end_h: int = 17) -> datetime:
    return datetime.combine(d, time(rng.randrange(start_h, end_h), rng.randrange(60), rng.randrange(60)))


def months_before(d: date, months: int) -> date:
    """Calendar months counted back (clamped to month end)."""
    y, m = divmod(d.year * 12 + d.month - 1 - months, 12)
    m += 1
    day = d.day
    while True:
        try:
            return date(y, m, day)
        except ValueError:
            day -= 1


def add_months(d: date, months: int) -> date:
    return months_before(d, -months)


def rand_between(rng: random.Random, start: date, end: date) -> date:
    if end <= start:
        return start
    return start + timedelta(days=rng.randrange((end - start).days + 1))
