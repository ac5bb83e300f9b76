"""Working-day deadlines (工作日) with the official Chinese holiday calendar and 调休 weekends.

Uses ``chinese-calendar``; for a year it does not cover yet, falls back to
Monday-Friday and says so in ``Deadlines.calendar_note`` instead of guessing holidays.
"""

from __future__ import annotations

from datetime import date, timedelta

import chinese_calendar

from models.policy import DeadlineRule
from models.verdict import Deadlines

FALLBACK_NOTE = "节假日安排尚未发布的年份按周一至周五计算工作日，请人工核对"


def is_working_day(day: date) -> tuple[bool, bool]:
    """(is a working day, the official calendar covered this day)."""
    try:
        return chinese_calendar.is_workday(day), True
    except NotImplementedError:
        return day.weekday() < 5, False


def add_working_days(start: date, count: int) -> tuple[date, bool]:
    """The ``count``-th working day after ``start`` (``start`` itself not counted).

    Returns:
        The date, and whether every day on the way was covered by the official calendar.
    """
    if count < 0:
        raise ValueError("count must be >= 0")
    day, covered = start, True
    remaining = count
    while remaining:
        day += timedelta(days=1)
        working, known = is_working_day(day)
        covered = covered and known
        if working:
            remaining -= 1
    return day, covered


def compute_deadlines(submitted_on: date | None, rule: DeadlineRule | None) -> Deadlines:
    """Deadlines counted from the submission day, as the SPEC's example counts them.

    ``result_notice_due`` counts from ``review_due`` (防城港: notice within 3
    working days after the 5-working-day review).
    """
    if submitted_on is None or rule is None:
        return Deadlines()
    covered_all = True
    values: dict[str, date | None] = {}
    for field, days in (
        ("pre_review_due", rule.pre_review_working_days),
        ("resubmit_by", rule.resubmit_working_days),
        ("review_due", rule.review_working_days),
    ):
        if days is None:
            values[field] = None
            continue
        values[field], covered = add_working_days(submitted_on, days)
        covered_all = covered_all and covered
    notice = None
    if rule.result_notice_working_days is not None and values["review_due"] is not None:
        notice, covered = add_working_days(values["review_due"], rule.result_notice_working_days)
        covered_all = covered_all and covered
    return Deadlines(
        pre_review_due=values["pre_review_due"],
        resubmit_by=values["resubmit_by"],
        review_due=values["review_due"],
        result_notice_due=notice,
        calendar_note=None if covered_all else FALLBACK_NOTE,
    )
