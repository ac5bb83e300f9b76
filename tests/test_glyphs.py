"""glyphs: look-alike characters and names OCR misread, told apart from other names."""

from __future__ import annotations

import pytest
from pydantic import SecretStr

from models.fields import ExtractedFields
from models.manifest import Person
from pipeline.checks_document import _same_person_misread
from pipeline.glyphs import _font, glyph_similarity, misread_of, near_misread_of

needs_font = pytest.mark.skipif(_font() is None, reason="Noto CJK fonts (fonts-noto-cjk) are not installed")


@needs_font
@pytest.mark.parametrize(("a", "b"), [("侯", "候"), ("雷", "雪"), ("宇", "字"), ("阎", "阁")])
def test_look_alikes_score_high(a, b):
    assert glyph_similarity(a, b) >= 0.8


@needs_font
@pytest.mark.parametrize(("a", "b"), [("张", "王"), ("明", "平"), ("李", "杨"), ("芳", "方")])
def test_unlike_characters_score_low(a, b):
    assert glyph_similarity(a, b) < 0.8


def test_same_character_is_identical_even_without_a_font():
    assert glyph_similarity("张", "张") == 1.0


@needs_font
@pytest.mark.parametrize(("read", "wanted"), [("候生", "侯生"), ("雪庆生", "雷庆生"), ("万梅", "万梅晓"), ("钱云", "钱云"),
                                              ("雪桂风", "雷桂凤")])
def test_misreadings_of_the_name(read, wanted):
    assert misread_of(read, wanted)


@pytest.mark.parametrize(("read", "wanted"), [("张伟", "王伟"), ("谢豪德", "钱云"), ("与原件一致", "曹丽玉"), ("云", "钱云"),
                                              ("李明", "李平"), ("四特梅", "阎梅梅"), ("雪风", "雷凤")])
def test_other_names(read, wanted):
    assert not misread_of(read, wanted)


def test_the_persons_own_id_number_vouches_for_a_name_of_the_same_length():
    number = "141002196503120017"
    fields = ExtractedFields(id_number_full=SecretStr(number))
    person = Person(name="傅胜军", id_number=number)
    assert _same_person_misread("博胜车", "傅胜军", fields, person)
    assert not _same_person_misread("博胜", "傅胜军", fields, person)
    other = ExtractedFields(id_number_full=SecretStr("141002196503120025"))
    assert not _same_person_misread("谢豪德", "傅胜军", other, person)


@needs_font
def test_the_persons_own_number_misread_in_one_digit_still_vouches_for_a_near_misreading():
    """Seed 9420: 徐出立 (出 at 0.90) beside 141028…6437 for 徐宏立, 141023…6437: its check digit failed."""
    number = "141023196808126437"
    person = Person(name="徐宏立", id_number=number)
    one_off = ExtractedFields(id_number_misread_full=SecretStr("141028196808126437"))
    assert _same_person_misread("徐出立", "徐宏立", one_off, person)
    assert not _same_person_misread("李明华", "徐宏立", one_off, person)  # not a near misreading
    two_off = ExtractedFields(id_number_misread_full=SecretStr("141028196808126431"))
    assert not _same_person_misread("徐出立", "徐宏立", two_off, person)
    assert not _same_person_misread("徐出立", "徐宏立", ExtractedFields(), person)


@needs_font
def test_a_number_off_the_persons_own_only_where_the_ocr_was_unsure_still_vouches():
    """The real case: 141028197401086437 for 141023197411036437, the three differing digits at 0.41-0.79."""
    number = "141023197411036437"
    person = Person(name="徐宏立", id_number=number)
    misread = SecretStr("141028197401086437")
    unsure = ExtractedFields(id_number_misread_full=misread, id_number_unsure_digits=(5, 10, 13, 14, 15))
    assert _same_person_misread("徐出立", "徐宏立", unsure, person)
    sure = ExtractedFields(id_number_misread_full=misread, id_number_unsure_digits=(5, 10))  # digit 13 read surely
    assert not _same_person_misread("徐出立", "徐宏立", sure, person)


@needs_font
def test_the_persons_own_id_number_vouches_only_for_a_near_misreading():
    number = "141002196503120017"
    fields = ExtractedFields(id_number_full=SecretStr(number))
    person = Person(name="傅胜军", id_number=number)
    # a different name of the same length beside the person's own number is not theirs
    for other in ("谢豪德", "李明华", "傅建国"):
        assert not _same_person_misread(other, "傅胜军", fields, person)


@needs_font
@pytest.mark.parametrize(("read", "wanted", "near"), [("博胜车", "傅胜军", True), ("雪桂凤", "雷桂凤", True),
                                                      ("傅建国", "傅胜军", False), ("明平", "平明", False),
                                                      ("张伟", "王伟", False), ("车军明", "军车明", False)])
def test_near_misreadings(read, wanted, near):
    assert near_misread_of(read, wanted) is near


@needs_font
@pytest.mark.parametrize(("read", "wanted", "unsure"), [
    ("部敏罩", "郝敏翠", {0, 2}),  # seed 9460: 部 read at 0.32, 罩 at 0.62; 敏 at 0.92
    ("养胜", "乔胜", {0}),         # seed 9461: 养 at 0.72
    ("昌淑花", "吕淑花", {0, 1}),   # seed 9461: 昌 at 0.64 (淑 at 0.81, read exactly)
])
def test_characters_the_ocr_doubted_may_be_the_expected_ones(read, wanted, unsure):
    from pipeline.glyphs import unsure_misread_of

    assert not misread_of(read, wanted)
    assert unsure_misread_of(read, wanted, unsure)


@needs_font
@pytest.mark.parametrize(("read", "wanted", "unsure"), [
    ("部敏罩", "郝敏翠", {0}),      # 罩 read surely: it is printed there
    ("曹玲宿", "曹玲娟", {0, 1, 2}),  # nothing read surely to anchor the name
    ("张伟", "王伟", {0}),          # 张/王 0.60: unlike, however unsure
    ("郝敏华", "郝敏翠", {2}),       # a sibling's name: 华/翠 unlike
    ("部敏", "郝敏翠", {0}),        # a different length
])
def test_doubted_characters_do_not_make_another_name_the_expected_one(read, wanted, unsure):
    from pipeline.glyphs import unsure_misread_of

    assert not unsure_misread_of(read, wanted, unsure)
