"""names: a material's person name spelled as the manifest spells it when OCR misread that name."""

from __future__ import annotations

import pytest
from pydantic import SecretStr

from models.document import FieldValue
from models.evidence import Evidence
from models.fields import ExtractedFields, NameGuess
from models.manifest import Agent, Applicant, Manifest
from models.ocr import OcrLine, OcrPage
from models.reading import DocumentReading
from pipeline.glyphs import _font
from pipeline.names import reconcile_person_name

needs_font = pytest.mark.skipif(_font() is None, reason="Noto CJK fonts (fonts-noto-cjk) are not installed")

MANIFEST = Manifest(application_id="T-1", applicant=Applicant(name="雷桂凤"), agent=Agent(name="廖德明"))


def reading(name: str | None, slot: str = "diagnosis_certificate", lines: tuple[str, ...] = ()) -> DocumentReading:
    person = None
    if name is not None:
        person = FieldValue(value=name, evidence=Evidence(stage="extract", page=1, bbox=[10, 10, 80, 20],
                                                          text=f"姓名：{name}", value=name, confidence=0.9))
    page = OcrPage(page=1, width=800, height=1000, engine="rapidocr",
                   lines=tuple(OcrLine(text=t, bbox=[10, 40 * i, 200, 20], confidence=0.95) for i, t in enumerate(lines)))
    return DocumentReading(file="a.jpg", slot=slot, ocr=(page,), fields=ExtractedFields(person_name=person))


@needs_font
def test_look_alike_misreadings_take_the_manifest_spelling_and_keep_the_text_as_read():
    fixed = reconcile_person_name(reading("雪桂风"), MANIFEST)
    assert fixed.fields.person_name.value == "雷桂凤"
    assert fixed.fields.person_name.evidence.text == "姓名：雪桂风"
    assert fixed.fields.person_name.evidence.confidence < 0.9


def test_a_lost_character_and_the_agents_card():
    fixed = reconcile_person_name(reading("德明", slot="agent_id_card"), MANIFEST)
    assert fixed.fields.person_name.value == "廖德明"
    # the applicant's materials are compared with the applicant, not the agent
    assert reconcile_person_name(reading("德明"), MANIFEST).fields.person_name.value == "德明"


@pytest.mark.parametrize("other", ["张桂凤", "王伟", "四特梅", "雷桂凤明"])
def test_another_persons_name_is_left_as_read(other):
    assert reconcile_person_name(reading(other), MANIFEST).fields.person_name.value == other


def test_the_name_written_whole_on_the_page_when_no_name_was_read():
    fixed = reconcile_person_name(reading(None, lines=("居民身份证", "雷 桂凤  性别 女")), MANIFEST)
    assert fixed.fields.person_name.value == "雷桂凤"
    assert fixed.fields.person_name.evidence.bbox == [10, 40, 200, 20]
    assert reconcile_person_name(reading(None, lines=("居民身份证",)), MANIFEST).fields.person_name is None


@needs_font
def test_a_name_whose_unlike_characters_were_read_unsurely_takes_the_manifest_spelling():
    # seed 9461: 养胜 for 乔胜, 养 read at 0.72 (乔/养 0.72: not look-alikes, fairly alike)
    manifest = Manifest(application_id="T-2", applicant=Applicant(name="乔胜"))
    unsure = reading("养胜")
    unsure = unsure.model_copy(update={"fields": unsure.fields.model_copy(update={"person_name_unsure_chars": (0,)})})
    fixed = reconcile_person_name(unsure, manifest)
    assert fixed.fields.person_name.value == "乔胜" and fixed.fields.person_name_unsure_chars == ()
    assert reconcile_person_name(reading("养胜"), manifest).fields.person_name.value == "养胜"  # read surely: left


@pytest.mark.parametrize(("read", "unsure", "expected"), [
    ("雷#凤", (1,), "雷桂凤"),   # fresh seed 9601: 钟#秀 for 钟梅秀, its 梅 left unread (# at 0.21)
    ("雷#凤", (), "雷#凤"),      # an unread glyph is always doubted; without a confidence, nothing is taken
    ("雷#风", (1, 2), "雷#风"),  # one unread and one more misread: too little left read
    ("张#凤", (1,), "张#凤"),    # another surname
])
def test_a_name_with_one_glyph_left_unread(read, unsure, expected):
    named = reading(read)
    named = named.model_copy(update={"fields": named.fields.model_copy(update={"person_name_unsure_chars": unsure})})
    assert reconcile_person_name(named, MANIFEST).fields.person_name.value == expected


def test_a_two_character_name_with_an_unread_glyph_is_not_taken():
    manifest = Manifest(application_id="T-3", applicant=Applicant(name="乔胜"))
    named = reading("乔#")
    named = named.model_copy(update={"fields": named.fields.model_copy(update={"person_name_unsure_chars": (1,)})})
    assert reconcile_person_name(named, manifest).fields.person_name.value == "乔#"


def _card_with_guesses(*guesses: tuple[str, tuple[int, ...]], own_number: bool) -> DocumentReading:
    number = "141023196311229181"
    fields = ExtractedFields(
        detected_type="id_card",
        person_name_guesses=tuple(NameGuess(name=FieldValue(value=text, evidence=Evidence(
            stage="extract", page=1, bbox=[10, 10, 60, 20], text=text, value=text, confidence=0.5)),
            unsure_chars=unsure) for text, unsure in guesses),
        id_number_full=SecretStr(number if own_number else "141023196311229190"))
    page = OcrPage(page=1, width=800, height=1000, engine="rapidocr", lines=())
    return DocumentReading(file="sfz.jpg", slot="id_card", ocr=(page,), fields=fields)


CARD_MANIFEST = Manifest(application_id="T-2", applicant=Applicant(name="马淑花", id_number="141023196311229181"))


@needs_font
def test_an_unsure_guess_that_is_the_expected_name_misread_confirms_it():
    """马派花 read at 0.66 on a blurred card (fresh seed 9619): too unsure to be its name, but it is 马淑花
    misread where the OCR doubted (派 at 0.69), with 花 read surely."""
    fixed = reconcile_person_name(_card_with_guesses(("民区", (0, 1)), ("马派花", (0, 1)), own_number=False),
                                  CARD_MANIFEST)
    assert fixed.fields.person_name.value == "马淑花"
    assert fixed.fields.person_name.evidence.text == "马派花"
    assert fixed.fields.person_name.evidence.confidence == pytest.approx(0.4)


@needs_font
def test_with_no_character_read_surely_only_the_persons_own_number_lets_a_guess_confirm_the_name():
    every_character_unsure = ("马派花", (0, 1, 2))
    assert reconcile_person_name(_card_with_guesses(every_character_unsure, own_number=False),
                                 CARD_MANIFEST).fields.person_name is None
    assert reconcile_person_name(_card_with_guesses(every_character_unsure, own_number=True),
                                 CARD_MANIFEST).fields.person_name.value == "马淑花"


def test_a_guess_that_is_another_name_is_never_reported():
    fixed = reconcile_person_name(_card_with_guesses(("王建国", (0, 1)), own_number=True), CARD_MANIFEST)
    assert fixed.fields.person_name is None
