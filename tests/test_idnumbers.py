"""GB 11643 ID numbers: check digit, birth date, masking."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from pipeline.idnumbers import (
    check_digit,
    id_number_problem,
    is_valid_id_number,
    mask_id_number,
    redact_id_numbers,
)

regions = st.sampled_from(["110105", "141002", "450602", "310104"])
births = st.dates(min_value=date(1920, 1, 1), max_value=date(2020, 12, 31))
sequences = st.integers(min_value=0, max_value=999)


def build(region: str, born: date, seq: int) -> str:
    first17 = f"{region}{born:%Y%m%d}{seq:03d}"
    return first17 + check_digit(first17)


@given(regions, births, sequences)
def test_built_numbers_are_valid(region, born, seq):
    assert is_valid_id_number(build(region, born, seq))


@given(regions, births, sequences, st.integers(min_value=0, max_value=16), st.integers(min_value=1, max_value=9))
def test_changing_one_digit_is_caught(region, born, seq, position, delta):
    number = build(region, born, seq)
    digit = (int(number[position]) + delta) % 10
    changed = number[:position] + str(digit) + number[position + 1:]
    assert not is_valid_id_number(changed)


@given(st.text(max_size=30))
def test_any_string_in_no_exception_out(text):
    id_number_problem(text)
    mask_id_number(text)
    redact_id_numbers(text)


def test_known_problems():
    assert id_number_problem("12345") == "位数或字符不符（应为18位，末位可为X）"
    assert id_number_problem("141002196502300011") == "出生日期无效"
    assert "校验码" in id_number_problem("141002196503120017")
    assert id_number_problem(build("141002", date(2030, 1, 1), 1), today=date(2025, 1, 1)) == "出生日期不合理"


def test_lower_case_x_accepted():
    # 11010519491231002X is the standard's own worked example.
    assert is_valid_id_number("11010519491231002x")


@given(regions, births, sequences)
def test_mask_keeps_first6_last4_only(region, born, seq):
    number = build(region, born, seq)
    masked = mask_id_number(number)
    assert masked == number[:6] + "********" + number[-4:]
    assert number not in redact_id_numbers(f"号码{number}结束") and masked in redact_id_numbers(f"号码{number}结束")
