"""Working-day deadlines with the official calendar (holidays and 调休 weekends)."""

from __future__ import annotations

from datetime import date, timedelta

import chinese_calendar
from hypothesis import given
from hypothesis import strategies as st

from models.policy import DeadlineRule
from pipeline.deadlines import FALLBACK_NOTE, add_working_days, compute_deadlines

# The official calendar ends with 2026: a start late in November plus 30 working days runs into 2027
# (2026-11-20 + 30 did, an uncovered day). Starts end early enough that 30 working days stay inside it.
covered = st.dates(min_value=date(2010, 1, 1), max_value=date(2026, 11, 10))


def test_spec_example():
    deadlines = compute_deadlines(date(2025, 6, 3), DeadlineRule(pre_review_working_days=1, resubmit_working_days=3))
    assert deadlines.pre_review_due == date(2025, 6, 4)
    assert deadlines.resubmit_by == date(2025, 6, 6)
    assert deadlines.calendar_note is None


def test_national_day_holiday_and_adjusted_saturday():
    # 2025: 10-1..10-8 off; Saturday 10-11 is an adjusted working day (调休).
    assert add_working_days(date(2025, 9, 30), 1) == (date(2025, 10, 9), True)
    assert add_working_days(date(2025, 10, 10), 1) == (date(2025, 10, 11), True)


def test_fangchenggang_review_then_notice():
    rule = DeadlineRule(review_working_days=5, result_notice_working_days=3)
    deadlines = compute_deadlines(date(2025, 6, 3), rule)
    assert deadlines.review_due == date(2025, 6, 10)
    assert deadlines.result_notice_due == date(2025, 6, 13)


def test_years_without_official_calendar_fall_back_and_say_so():
    deadlines = compute_deadlines(date(2026, 12, 30), DeadlineRule(resubmit_working_days=3))
    assert deadlines.resubmit_by == date(2027, 1, 4)
    assert deadlines.calendar_note == FALLBACK_NOTE


@given(covered, st.integers(min_value=0, max_value=30))
def test_result_is_a_working_day_with_exactly_n_working_days_between(start, count):
    due, known = add_working_days(start, count)
    assert known
    assert due >= start
    between = [start + timedelta(days=i) for i in range(1, (due - start).days + 1)]
    assert sum(chinese_calendar.is_workday(d) for d in between) == count
    if count:
        assert chinese_calendar.is_workday(due)


@given(covered, st.integers(min_value=0, max_value=10), st.integers(min_value=0, max_value=10))
def test_adding_is_associative(start, first, second):
    middle, _ = add_working_days(start, first)
    assert add_working_days(middle, second)[0] == add_working_days(start, first + second)[0]
