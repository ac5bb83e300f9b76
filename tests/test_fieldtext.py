"""fieldtext: ID numbers in OCR text."""

from __future__ import annotations

from pipeline.fieldtext import find_id_numbers


def test_a_digit_on_the_row_above_does_not_join_the_number():
    # a blurred card: "市1" read on the row above the number
    found = find_id_numbers("年7月#日\n市1\n141022196407188218\n中华人民共和")
    assert [m.number for m in found] == ["141022196407188218"]


def test_digit_groups_spaced_within_a_row_still_make_one_number():
    found = find_id_numbers("身份证号 141022 19640718 8218")
    assert [m.number for m in found] == ["141022196407188218"]
    assert found[0].labelled
