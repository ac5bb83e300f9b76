"""checks_document: the identity check tells an OCR misreading from another person's name."""

from __future__ import annotations

import functools

import pytest
from pydantic import SecretStr

from models.codes import FindingCode
from models.document import FieldValue
from models.evidence import Evidence
from models.fields import ExtractedFields
from models.manifest import Applicant, Manifest
from models.ocr import OcrLine, OcrPage
from models.reading import DocumentReading
from pipeline.checks_document import DocumentContext, check_identity
from pipeline.glyphs import _font
from pipeline.policy import load_policy

needs_font = pytest.mark.skipif(_font() is None, reason="Noto CJK fonts (fonts-noto-cjk) are not installed")

NUMBER = "141002196503120017"  # synthetic, valid check digit


def _context() -> DocumentContext:
    book = load_policy()
    region = next(iter(book.regions.values()))
    manifest = Manifest(application_id="T-1", applicant=Applicant(name="傅胜军", id_number=NUMBER))
    return DocumentContext(manifest=manifest, region=region, book=book, disease=None)


def _reading(name: str, number: str | None = NUMBER, confidence: float = 0.9) -> DocumentReading:
    evidence = Evidence(stage="extract", page=1, bbox=[10, 10, 80, 20], text=f"姓名 {name}", value=name,
                        confidence=confidence)
    page = OcrPage(page=1, width=800, height=1000, engine="rapidocr",
                   lines=(OcrLine(text=f"姓名 {name}", bbox=[10, 10, 80, 20], confidence=0.9),))
    fields = ExtractedFields(person_name=FieldValue(value=name, evidence=evidence),
                             id_number_full=SecretStr(number) if number else None)
    return DocumentReading(file="a.jpg", slot="diagnosis_certificate", ocr=(page,), fields=fields)


@needs_font
def test_a_misread_name_beside_the_applicants_own_number_passes():
    # 博/傅 look alike; 车/军 only loosely, which the applicant's own number makes acceptable
    assert check_identity(_reading("博胜车"), _context()) == []


@pytest.mark.parametrize("read", ["阿依古丽·买买提", "阿依古丽•买买提", "阿依古丽买买提"])
def test_a_minority_name_whatever_dot_joins_its_parts(read):
    book = load_policy()
    manifest = Manifest(application_id="T-5", applicant=Applicant(name="阿依古丽·买买提"))
    context = DocumentContext(manifest=manifest, region=next(iter(book.regions.values())), book=book, disease=None)
    assert check_identity(_reading(read, number=None, confidence=0.95), context) == []

def test_an_unsure_name_beside_the_persons_own_number_read_surely_is_no_finding():
    """Fresh seed 9595: a blurred card read 姓书 (its label 姓名 misread) for a name, beside the applicant's
    own number read at 1.0: the number says whose card it is; with no number, a person checks the name."""
    assert check_identity(_reading("姓书", confidence=0.5), _context()) == []
    [finding] = check_identity(_reading("姓书", number=None, confidence=0.5), _context())
    assert finding.code == FindingCode.ILLEGIBLE


@pytest.mark.parametrize(("differing", "unsure", "codes"), [
    ((10,), (10,), []),                            # fresh seed 9609: 瑞材 at 0.18 beside …197005… for …197006…, the 5 unsure
    ((10,), (), [FindingCode.IDENTITY_MISMATCH]),  # the differing digit read surely: another person's number
    ((10, 12, 14), (10, 12, 14), [FindingCode.ILLEGIBLE]),  # three digits off: not taken for the person's
])
def test_an_unsure_name_beside_the_persons_number_misread_where_unsure(differing, unsure, codes):
    digits = list(NUMBER)
    for i in differing:
        digits[i] = str((int(digits[i]) + 1) % 10)
    reading = _reading("瑞材", number="".join(digits), confidence=0.18)
    reading = reading.model_copy(update={"fields": reading.fields.model_copy(update={"id_number_unsure_digits": unsure})})
    assert [f.code for f in check_identity(reading, _context())] == codes


def test_an_id_card_whose_holder_cannot_be_read_goes_to_a_person():
    """Neither name nor a valid number read on the card (a blurred photo): a card of another person would
    pass unseen, so a person checks it; the applicant's name read anywhere on it is enough."""
    card = DocumentReading(file="sfz.jpg", slot="id_card", fields=ExtractedFields(), ocr=(
        OcrPage(page=1, width=800, height=500, engine="rapidocr",
                lines=(OcrLine(text="公民身份号码", bbox=[10, 400, 200, 30], confidence=0.9),)),))
    [finding] = check_identity(card, _context())
    assert finding.code == FindingCode.ILLEGIBLE and "未能读出姓名和身份证号码" in finding.message
    named = card.model_copy(update={"ocr": (OcrPage(page=1, width=800, height=500, engine="rapidocr", lines=(
        OcrLine(text="傅胜军", bbox=[10, 40, 120, 30], confidence=0.9),)),)})
    assert check_identity(named, _context()) == []
    assert check_identity(card.model_copy(update={"slot": "exam_report"}), _context()) == []


def _unread_name(mean: float, number: str | None = None, label: str = "姓名/Name：常平庆") -> DocumentReading:
    page = OcrPage(page=1, width=800, height=1000, engine="rapidocr",
                   lines=(OcrLine(text=label, bbox=[10, 10, 300, 30], confidence=1.0),))
    fields = ExtractedFields(mean_confidence=mean, id_number_full=SecretStr(number) if number else None)
    return DocumentReading(file="report.jpg", slot="exam_report", ocr=(page,), fields=fields)


def test_a_name_unread_on_a_clearly_read_report_goes_to_a_person():
    """GIVEN a report scanned clearly whose name label was read but no name (another person's report passed
    so: alternative templates 2, seed 7114), neither the applicant's name nor number anywhere on it
    WHEN identity is checked
    THEN a person checks whose it is (ILLEGIBLE); not on a blurred photo, where names are often lost, and not
    where the applicant's own number, read surely, says whose it is."""
    [finding] = check_identity(_unread_name(0.97), _context())
    assert finding.code == FindingCode.ILLEGIBLE and "未能读出姓名" in finding.message
    assert check_identity(_unread_name(0.80), _context()) == []
    assert check_identity(_unread_name(0.97, NUMBER), _context()) == []
    assert check_identity(_unread_name(0.97, label="姓名：傅胜军"), _context()) == []
    assert check_identity(_unread_name(0.97, label="检查结论"), _context()) == []


@pytest.mark.parametrize(("unsure", "code"), [
    ((13,), FindingCode.ILLEGIBLE),  # one of the two differing digits read unsurely: a person compares
    ((), FindingCode.IDENTITY_MISMATCH),  # both read surely: another person's number
])
def test_a_valid_number_two_digits_off_the_applicants_read_partly_unsurely_goes_to_a_person(unsure, code):
    """Fresh seed 9649: …196408287628 read for …196403267628 on a blurred approval, one of the two wrong digits
    read surely and the check digit passing by chance: a false IDENTITY_MISMATCH (a return)."""
    reading = _reading("傅胜军", number="141002196501130017")  # 03-12 read 01-13: digits 11 and 13 differ
    fields = reading.fields.model_copy(update={"id_number_unsure_digits": unsure})
    [finding] = check_identity(reading.model_copy(update={"fields": fields}), _context())
    assert finding.code == code


def test_an_id_card_with_the_persons_own_number_misread_in_a_digit_is_the_persons():
    """Fresh seed 9601: a blurred card read …0115717X for the applicant's …0116717X (check digit failed, the 5
    at 0.50) and no name. One digit off the person's own number is that number misread, never another
    person's (region, birth date and serial would differ); a number further off still leaves it to a person."""
    one_off = NUMBER[:10] + str((int(NUMBER[10]) + 1) % 10) + NUMBER[11:]
    card = DocumentReading(file="sfz.jpg", slot="id_card", fields=ExtractedFields(
        id_number_misread_full=SecretStr(one_off), id_number_unsure_digits=(10,)))
    assert check_identity(card, _context()) == []
    another = "110101199003070016"
    stranger = card.model_copy(update={"fields": ExtractedFields(id_number_misread_full=SecretStr(another[:-1] + "9"),
                                                                 id_number_unsure_digits=(17,))})
    [finding] = check_identity(stranger, _context())
    assert finding.code == FindingCode.ILLEGIBLE


def test_a_power_of_attorney_of_another_principal_is_a_mismatch():
    """The principal (委托人) of a power of attorney must be the applicant; its ID number (maybe the agent's)
    is not compared."""
    other = _reading("李明华", number="110101199003070016").model_copy(update={"slot": "power_of_attorney"})
    [finding] = check_identity(other, _context())
    assert finding.code == FindingCode.IDENTITY_MISMATCH and "委托人“李明华”" in finding.message
    own = _reading("傅胜军", number="110101199003070016").model_copy(update={"slot": "power_of_attorney"})
    assert check_identity(own, _context()) == []


@pytest.mark.parametrize("other", ["谢豪德", "李明华", "傅建国"])
def test_another_persons_name_beside_the_applicants_own_number_is_a_mismatch(other):
    findings = check_identity(_reading(other), _context())
    assert [f.code for f in findings] == [FindingCode.IDENTITY_MISMATCH]
    assert other in findings[0].message
    assert NUMBER not in findings[0].message


@needs_font
@pytest.mark.parametrize(("read", "confidence", "codes"), [
    ("傅胜写", 0.73, []),                                   # 写/军 (0.74): fairly alike, and the OCR doubts it
    ("傅胜写", 0.95, [FindingCode.IDENTITY_MISMATCH]),     # the same, read with confidence: another name
    ("傅胜兰", 0.73, [FindingCode.ILLEGIBLE]),             # 兰/军 unlike, read unsurely: a person checks
    ("傅胜兰", 0.95, [FindingCode.IDENTITY_MISMATCH]),     # read surely: another person
    ("傅景", 0.76, [FindingCode.ILLEGIBLE]),               # a character lost, another misread (孙景 for 孙珍翠)
    ("武强新", 0.84, [FindingCode.IDENTITY_MISMATCH]),     # nothing in common: another person, even unsure
    ("福科", 0.55, [FindingCode.ILLEGIBLE]),               # a guess at smudged print is no name
    ("英明", 0.74, [FindingCode.ILLEGIBLE]),               # unsure, nothing in common (seed 9405's 蒋娟)
])
def test_an_unsure_reading_one_fairly_alike_character_off(read, confidence, codes):
    from pipeline.glyphs import glyph_similarity

    assert 0.7 <= glyph_similarity("写", "军") < 0.8 and glyph_similarity("兰", "军") < 0.7
    findings = check_identity(_reading(read, number=None, confidence=confidence), _context())  # no number on it
    assert [f.code for f in findings] == codes


@needs_font
@pytest.mark.parametrize(("unsure", "codes"), [
    ((0, 2), []),                                  # 博 and 写 doubted by the OCR: the applicant misread
    ((0,), [FindingCode.IDENTITY_MISMATCH]),       # 写 read surely: another person
])
def test_a_name_differing_only_in_characters_the_ocr_doubted(unsure, codes):
    # 博/傅 look alike, 写/军 (0.74) only fairly; no ID number on the document to vouch for it
    reading = _reading("博胜写", number=None, confidence=0.95)
    reading = reading.model_copy(update={"fields": reading.fields.model_copy(
        update={"person_name_unsure_chars": unsure})})
    assert [f.code for f in check_identity(reading, _context())] == codes


@needs_font
@pytest.mark.parametrize(("read", "unsure", "codes"), [
    ("间文春", (0,), [FindingCode.IDENTITY_MISMATCH]),   # seed 9510: 文 and 春 read surely, neither in 傅胜军
    ("间文春", (0, 1), [FindingCode.ILLEGIBLE]),         # only one sure character: a person checks
    ("傅文春", (0,), [FindingCode.IDENTITY_MISMATCH]),   # 傅 doubted, 文春 sure: not a wreck of 傅胜军
    ("傅文春", (1,), [FindingCode.ILLEGIBLE]),           # 傅 sure and the applicant's, 文 doubted
    ("博胜春", (0,), [FindingCode.ILLEGIBLE]),           # 胜 sure and the applicant's: one foreign character
])
def test_two_surely_read_characters_foreign_to_the_name_make_another_person(read, unsure, codes):
    reading = _reading(read, number=None, confidence=0.5)
    reading = reading.model_copy(update={"fields": reading.fields.model_copy(
        update={"person_name_unsure_chars": unsure})})
    assert [f.code for f in check_identity(reading, _context())] == codes


@needs_font
@pytest.mark.parametrize(("number", "codes"), [
    (NUMBER, []),                          # the person's own number vouches for the misread name
    (None, [FindingCode.ILLEGIBLE]),       # no number: a person checks
])
def test_an_all_unsure_reading_beside_the_persons_own_number(number, codes):
    """Seed 9512's ID card: 孙位件 for 孙俊伟, every character read below 0.9 (0.79, 0.85, 0.59); 孙 exact,
    位/俊 and 件/伟 fairly alike (0.78, 0.79)."""
    context = _context()
    manifest = context.manifest.model_copy(update={"applicant": Applicant(name="孙俊伟", id_number=NUMBER)})
    context = DocumentContext(manifest=manifest, region=context.region, book=context.book, disease=None)
    reading = _reading("孙位件", number=number, confidence=0.59)
    reading = reading.model_copy(update={"fields": reading.fields.model_copy(
        update={"person_name_unsure_chars": (0, 1, 2)})})
    assert [f.code for f in check_identity(reading, context)] == codes


@needs_font
def test_a_near_misreading_with_another_number_is_a_mismatch():
    findings = check_identity(_reading("博胜车", number="141002196503120025"), _context())
    assert [f.code for f in findings] == [FindingCode.IDENTITY_MISMATCH]


@needs_font
@pytest.mark.parametrize(("unsure_digits", "codes"), [
    ((), [FindingCode.IDENTITY_MISMATCH]),   # every digit sure: the number says the card is another person's
    ((16,), [FindingCode.ILLEGIBLE]),        # a digit doubted: neither name nor number settles it
])
def test_an_unsure_name_beside_another_persons_sure_number(unsure_digits, codes):
    """Seed 9528: a blurred card read 林速 at 0.50 (林建's card, applicant 梁东生), its number read at 1.00."""
    reading = _reading("林速", number="141002196503120025", confidence=0.5)
    reading = reading.model_copy(update={"fields": reading.fields.model_copy(
        update={"id_number_unsure_digits": unsure_digits})})
    findings = check_identity(reading, _context())
    assert [f.code for f in findings] == codes
    assert all("141002196503120025" not in f.message for f in findings)


@pytest.mark.parametrize(("unsure_digits", "codes"), [
    ((16, 17), []),                          # differs where the OCR doubted: the applicant's own, misread
    ((), [FindingCode.IDENTITY_MISMATCH]),   # differs in digits read surely: another person's number
])
def test_a_number_that_passes_its_check_only_by_chance(unsure_digits, codes):
    """Fresh seed 9563: the applicant's own name read at 0.997 beside 450681…1221 for …123X, the 2 at 0.51
    and the 1 at 0.23, a misreading whose check digit happened to pass (one in ten does)."""
    reading = _reading("傅胜军", number="141002196503120025")  # valid; NUMBER differs in its last two digits
    reading = reading.model_copy(update={"fields": reading.fields.model_copy(
        update={"id_number_unsure_digits": unsure_digits})})
    assert [f.code for f in check_identity(reading, _context())] == codes


def _dated(issued: str, confidence: float = 0.9) -> DocumentReading:
    from datetime import date

    from models.fields import DatedField

    evidence = Evidence(stage="extract", page=1, bbox=[10, 10, 80, 20], text=f"日期：{issued}", confidence=confidence)
    fields = ExtractedFields(issue_date=DatedField(value=date.fromisoformat(issued), role="issue", evidence=evidence))
    return DocumentReading(file="d.jpg", slot="diagnosis_certificate", fields=fields)


def _dated_context(submitted: str) -> DocumentContext:
    from datetime import date

    context = _context()
    manifest = context.manifest.model_copy(update={"submitted_on": date.fromisoformat(submitted)})
    return DocumentContext(manifest=manifest, region=context.region, book=context.book, disease=None)


@pytest.mark.parametrize("issued, code", [
    ("2025-09-01", FindingCode.DATE_IN_FUTURE),   # days after submission: returned
    ("2026-10-10", FindingCode.DATE_IN_FUTURE),   # next year: a plausible wrong date, returned
    ("2027-12-31", FindingCode.DATE_IN_FUTURE),   # two years ahead: still returned
    ("2028-01-01", FindingCode.DATE_MISSING),     # three years ahead: a misread year digit, a person checks it
    ("2073-04-22", FindingCode.DATE_MISSING),     # decades ahead
])
def test_a_date_after_submission(issued, code):
    from models.policy import MaterialRule
    from pipeline.checks_document import check_dates

    findings = check_dates(_dated(issued), MaterialRule(date_required=True), _dated_context("2025-08-28"))
    assert [f.code for f in findings] == [code]
    assert issued in findings[0].message and findings[0].evidence is not None


@pytest.mark.parametrize("issued, confidence, code", [
    ("2026-08-01", 0.84, FindingCode.DATE_MISSING),     # 2025-08-01 with its year digit misread: a person checks it
    ("2026-08-01", 0.97, FindingCode.DATE_IN_FUTURE),   # read with confidence: returned
    ("2026-10-10", 0.84, FindingCode.DATE_IN_FUTURE),   # as 2025-10-10 still after submission: returned
    ("2025-09-01", 0.70, FindingCode.DATE_IN_FUTURE),   # the submission year itself: no year digit to doubt
])
def test_a_later_year_read_without_confidence(issued, confidence, code):
    from models.policy import MaterialRule
    from pipeline.checks_document import check_dates

    findings = check_dates(_dated(issued, confidence), MaterialRule(date_required=True), _dated_context("2025-08-28"))
    assert [f.code for f in findings] == [code]
    assert issued in findings[0].message


def test_a_text_layers_date_years_old_is_returned():
    """A date from a PDF's text layer carries no digit confidences: four years old, it is as printed."""
    from datetime import date

    from models.fields import DatedField
    from models.policy import MaterialRule
    from pipeline.checks_document import check_dates

    evidence = Evidence(stage="extract", page=1, bbox=[10, 10, 80, 20], text="日期：2021-04-12", confidence=1.0)
    dated = DatedField(value=date(2021, 4, 12), role="issue", evidence=evidence)
    reading = DocumentReading(file="d.pdf", slot="medication_record", fields=ExtractedFields(issue_date=dated))
    findings = check_dates(reading, MaterialRule(date_required=True, max_age_months=6), _dated_context("2025-05-20"))
    assert [f.code for f in findings] == [FindingCode.REPORT_EXPIRED]


@pytest.mark.parametrize(("row_confidence", "year_confidence", "code"), [
    (0.79, 0.98, FindingCode.DATE_IN_FUTURE),  # 报售日路：2026:08/28: the label misread, the year sure (fresh 9631)
    (0.95, 0.81, FindingCode.DATE_MISSING),    # 2026 for 2025, the 6 read at 0.81 (fresh seed 9619)
])
def test_a_later_years_doubt_is_its_digits_not_its_rows(row_confidence, year_confidence, code):
    from datetime import date

    from models.fields import DatedField
    from models.policy import MaterialRule
    from pipeline.checks_document import check_dates

    evidence = Evidence(stage="extract", page=1, bbox=[10, 10, 80, 20], text="报告日期：2026-08-01",
                        confidence=row_confidence)
    dated = DatedField(value=date(2026, 8, 1), role="report", evidence=evidence, digits_confidence=year_confidence,
                       part_confidences=(year_confidence, 0.95, 0.95))
    reading = DocumentReading(file="d.jpg", slot="exam_report", fields=ExtractedFields(issue_date=dated))
    findings = check_dates(reading, MaterialRule(date_required=True), _dated_context("2025-08-28"))
    assert [f.code for f in findings] == [code]


@pytest.mark.parametrize("issued, code", [
    ("2005-06-10", FindingCode.DATE_MISSING),     # 2025-06-10 with a year digit misread (seeds 9405, 9409)
    ("2004-12-25", FindingCode.DATE_MISSING),     # 2024-12-25, still within 12 months
    ("2004-01-10", FindingCode.REPORT_EXPIRED),   # as 2024-01-10 it would be expired anyway
    ("2023-06-10", FindingCode.REPORT_EXPIRED),   # two years old: plausibly expired, returned
    ("1998-06-10", FindingCode.REPORT_EXPIRED),   # no recent year one digit away
])
def test_an_implausibly_old_year_one_digit_off_a_recent_one(issued, code):
    from models.policy import MaterialRule
    from pipeline.checks_document import check_dates

    findings = check_dates(_dated(issued, 0.98), MaterialRule(date_required=True, max_age_months=12),
                           _dated_context("2025-08-28"))
    assert [f.code for f in findings] == [code]
    assert issued in findings[0].message


@pytest.mark.parametrize(("issued", "year_confidence", "code"), [
    ("2021-04-12", 0.67, FindingCode.DATE_MISSING),    # 2025 with its 5 read 1, unsurely (alt2 seed 7109)
    ("2021-04-12", 0.95, FindingCode.REPORT_EXPIRED),  # read surely: four years old, returned
    ("2023-04-12", 0.67, FindingCode.REPORT_EXPIRED),  # two years old: plausibly expired, returned
    ("2024-02-16", 0.69, FindingCode.REPORT_EXPIRED),  # a year old, read at 0.69 (a true return, alternative templates seed 7012)
    ("2021-04-12", None, FindingCode.DATE_MISSING),    # a repaired date, its parts not told apart (fresh seed 9629)
])
def test_a_year_years_old_read_unsurely_one_digit_off_a_recent_one(issued, year_confidence, code):
    from datetime import date

    from models.fields import DatedField
    from models.policy import MaterialRule
    from pipeline.checks_document import check_dates

    evidence = Evidence(stage="extract", page=1, bbox=[10, 10, 80, 20], text=f"日期：{issued}", confidence=0.9)
    parts = None if year_confidence is None else (year_confidence, 0.95, 0.95)
    dated = DatedField(value=date.fromisoformat(issued), role="issue", evidence=evidence,
                       digits_confidence=year_confidence or 0.9, part_confidences=parts)
    reading = DocumentReading(file="d.jpg", slot="medication_record", fields=ExtractedFields(issue_date=dated))
    findings = check_dates(reading, MaterialRule(date_required=True, max_age_months=6), _dated_context("2025-05-20"))
    assert [f.code for f in findings] == [code]


@pytest.mark.parametrize(("present", "codes"), [
    (True, []),
    (False, [FindingCode.SIGNATURE_MISSING]),
    (None, [FindingCode.ILLEGIBLE]),  # the field's label was not read: unknown, so a person looks
])
def test_the_physician_signature_field(present, codes):
    from models.policy import MaterialRule
    from pipeline.checks_document import check_signature

    fields = ExtractedFields(detected_type="application_form", signature_present=present)
    reading = DocumentReading(file="form.jpg", slot="application_form", fields=fields)
    findings = check_signature(reading, MaterialRule(physician_signature_required=True))
    assert [f.code for f in findings] == codes
    assert check_signature(reading, MaterialRule(physician_signature_required=False)) == []


def _diagnosed(text: str | None, confidence: float, codes: tuple[str, ...] = ()) -> DocumentReading:
    diagnosis = None
    if text is not None:
        evidence = Evidence(stage="extract", page=1, bbox=[10, 10, 80, 20], text=f"诊断：{text}", value=text,
                            confidence=confidence)
        diagnosis = FieldValue(value=text, evidence=evidence)
    fields = ExtractedFields(diagnosis=diagnosis, disease_code=codes[0] if codes else None, disease_codes=codes)
    return DocumentReading(file="d.jpg", slot="diagnosis_certificate", fields=fields)


@pytest.mark.parametrize(("text", "confidence", "codes", "code"), [
    (None, 0.0, (), FindingCode.ILLEGIBLE),                         # nothing read: a person reads it
    ("右肺（eTNNOIIB期）", 0.78, (), FindingCode.ILLEGIBLE),        # unsure, names no disease: a misreading
    ("急性支气管炎", 0.97, (), FindingCode.DIAGNOSIS_MISMATCH),      # sure, names no catalog disease: another one
    ("2型糖尿病", 0.70, ("DM",), FindingCode.DIAGNOSIS_MISMATCH),    # names another disease, however unsure
])
def test_a_diagnosis_that_does_not_name_the_disease_applied_for(text, confidence, codes, code):
    from models.policy import MaterialRule
    from pipeline.checks_document import check_diagnosis

    context = _context()
    context = DocumentContext(manifest=context.manifest, region=context.region, book=context.book,
                              disease=next(d for d in context.book.catalog.diseases if d.code == "CA"))
    findings = check_diagnosis(_diagnosed(text, confidence, codes), MaterialRule(diagnosis_must_match=True), context)
    assert [f.code for f in findings] == [code]
    assert "恶性肿瘤" in findings[0].message


def test_an_unclear_signature_box_is_shown_to_a_person():
    from models.policy import MaterialRule
    from pipeline.checks_document import check_signature

    box = Evidence(stage="extract", page=1, bbox=[300, 690, 400, 60], text="医签名：", value="unclear", confidence=0.5)
    fields = ExtractedFields(detected_type="application_form", signature_present=None, signature_evidence=box)
    findings = check_signature(DocumentReading(file="form.jpg", slot="application_form", fields=fields),
                               MaterialRule(physician_signature_required=True))
    assert [f.code for f in findings] == [FindingCode.ILLEGIBLE]
    assert "医签名" in findings[0].message and findings[0].evidence.bbox == [300, 690, 400, 60]


@pytest.mark.parametrize("issued, digits, code", [
    ("2025-12-04", 0.36, FindingCode.DATE_MISSING),     # 12025年12月4日 read over a seal: a person checks it
    ("2025-12-04", 0.52, FindingCode.DATE_MISSING),     # seed 9545: 2025 for 2024, its 5 at 0.52
    ("2025-12-04", 0.95, FindingCode.DATE_IN_FUTURE),   # every digit read surely: returned
    ("2025-12-04", None, FindingCode.DATE_IN_FUTURE),   # no per-digit confidence known: as before
    ("2024-02-01", 0.41, FindingCode.DATE_MISSING),     # expired only by an unsure digit
    ("2024-02-01", 0.9, FindingCode.REPORT_EXPIRED),
    ("2025-06-01", 0.3, None),                          # valid either way: nothing to return for
])
def test_no_return_rests_on_a_date_digit_the_ocr_doubts(issued, digits, code):
    from models.policy import MaterialRule
    from pipeline.checks_document import check_dates

    reading = _dated(issued)
    assert reading.fields is not None and reading.fields.issue_date is not None
    field = reading.fields.issue_date.model_copy(update={"digits_confidence": digits})
    reading = reading.model_copy(update={"fields": reading.fields.model_copy(update={"issue_date": field})})
    findings = check_dates(reading, MaterialRule(date_required=True, max_age_months=12), _dated_context("2025-08-28"))
    assert [f.code for f in findings] == ([code] if code else [])


@pytest.mark.parametrize("issued, parts, code", [
    ("2023-05-31", (0.98, 0.95, 0.58), FindingCode.REPORT_EXPIRED),  # seed 9556: any day of May 2023 is expired
    ("2023-05-31", (0.98, 0.58, 0.95), FindingCode.REPORT_EXPIRED),  # so is any month of 2023
    ("2023-05-31", (0.58, 0.95, 0.95), FindingCode.DATE_MISSING),    # 202X: 2025 would be valid
    ("2024-08-05", (0.98, 0.58, 0.95), FindingCode.DATE_MISSING),    # 2024-09..12 would be valid
    ("2024-08-27", (0.98, 0.95, 0.58), FindingCode.DATE_MISSING),    # 28-31 August would be valid
    ("2025-12-04", (0.98, 0.95, 0.58), FindingCode.DATE_IN_FUTURE),  # any day of December: after submission
    ("2025-09-04", (0.98, 0.58, 0.95), FindingCode.DATE_MISSING),    # 2025-01..08 would be before it
    ("2023-05-31", None, FindingCode.DATE_MISSING),                  # digits not told apart (a repaired date)
])
def test_a_doubtful_digit_that_cannot_change_the_outcome_does_not_hold_it_back(issued, parts, code):
    from models.policy import MaterialRule
    from pipeline.checks_document import check_dates

    reading = _dated(issued)
    assert reading.fields is not None and reading.fields.issue_date is not None
    field = reading.fields.issue_date.model_copy(update={"digits_confidence": 0.58, "part_confidences": parts})
    reading = reading.model_copy(update={"fields": reading.fields.model_copy(update={"issue_date": field})})
    findings = check_dates(reading, MaterialRule(date_required=True, max_age_months=12), _dated_context("2025-08-28"))
    assert [f.code for f in findings] == [code]


@pytest.mark.parametrize("sampled, sampled_year, code", [
    ("2023-03-21", 0.86, FindingCode.REPORT_EXPIRED),  # seed 9568: the sample's year vouches for the report's
    ("2023-03-21", 0.55, FindingCode.DATE_MISSING),    # read no surer than the report's own: no witness
    ("2024-03-21", 0.99, FindingCode.DATE_MISSING),    # another year: 2024-06-21 would be valid
    ("2023-07-01", 0.99, FindingCode.DATE_MISSING),    # sampled after the report as read: something is misread
])
def test_a_doubtful_year_read_surely_on_the_sampling_row_is_that_year(sampled, sampled_year, code):
    """报告时间：2023-06211616, the year's 3 at 0.52 and the month's 6 at 0.59; 采样日期 2023-03-21 above it."""
    from datetime import date

    from models.policy import MaterialRule
    from pipeline.checks_document import check_dates

    reading = _dated("2023-06-21")
    assert reading.fields is not None and reading.fields.issue_date is not None
    issued = reading.fields.issue_date.model_copy(update={"role": "report", "digits_confidence": 0.52,
                                                          "part_confidences": (0.52, 0.59, 0.67)})
    sampling = issued.model_copy(update={"value": date.fromisoformat(sampled), "role": "sampling",
                                         "digits_confidence": min(sampled_year, 0.41),
                                         "part_confidences": (sampled_year, 0.41, 0.95)})
    fields = reading.fields.model_copy(update={"issue_date": issued, "dates": (sampling, issued)})
    findings = check_dates(reading.model_copy(update={"fields": fields}),
                           MaterialRule(date_required=True, max_age_months=12), _dated_context("2025-08-28"))
    assert [f.code for f in findings] == [code]

def _stage_case(diagnosis: str, confidence: float = 0.95, code: str = "HBP",
                unsure_glyphs: tuple[str, ...] = (), supported: str | None = None) -> list[FindingCode]:
    from models.policy import MaterialRule
    from pipeline.checks_document import check_diagnosis

    book = load_policy()
    region = book.regions["linfen"]
    disease = next(d for d in book.catalog.diseases if d.code == code)
    manifest = Manifest(application_id="T-3", applicant=Applicant(name="董慧梅"))
    context = DocumentContext(manifest=manifest, region=region, book=book, disease=disease)
    evidence = Evidence(stage="extract", page=1, bbox=[10, 10, 200, 20], text=f"诊断：{diagnosis}", value=diagnosis,
                        confidence=confidence)
    fields = ExtractedFields(diagnosis=FieldValue(value=diagnosis, evidence=evidence), disease_code=code,
                             disease_codes=(code,), diagnosis_unsure_glyphs=unsure_glyphs,
                             criterion_supported=FieldValue(value=supported, evidence=evidence) if supported else None)
    reading = DocumentReading(file="zd.jpg", slot="diagnosis_certificate", fields=fields)
    rule = MaterialRule(diagnosis_must_match=True, stage_required=True)
    return [f.code for f in check_diagnosis(reading, rule, context)]


@pytest.mark.parametrize(("diagnosis", "codes"), [
    ("高血压病（Ⅲ级，极高危）", []),
    ("高血压病2级", [FindingCode.STAGE_NOT_MET]),
    ("原发性高血压（1级，中危）", [FindingCode.STAGE_NOT_MET]),
    ("高血压病（级，根高危）", [FindingCode.ILLEGIBLE]),   # seed 9480: Ⅲ not read, 极 as 根; was a false return
    ("高血压级（110）", [FindingCode.ILLEGIBLE]),  # fresh seed 9563: Ⅲ not read after the name; was a false STAGE_NOT_MET
    ("高血压病级", [FindingCode.ILLEGIBLE]),
    ("高血压病I级很高危组(110)", [FindingCode.ILLEGIBLE]),  # fresh seed 9564: Ⅲ read as a Latin I
    ("高血压病Ⅰ级", [FindingCode.STAGE_NOT_MET]),  # the roman numeral itself: grade 1
    ("高血压病2级（极高危）", [FindingCode.STAGE_NOT_MET]),  # very high risk is no grade 3 (the SPEC's criterion)
    ("高血压病（m级，极高危）（110）", [FindingCode.ILLEGIBLE]),  # fresh seed 9578: Ⅲ read as m
    # a grade after another graded thing is its grade: heart function, a kidney or retina stage, Killip
    ("高血压病2级 心功能Ⅲ级", [FindingCode.STAGE_NOT_MET]),
    ("高血压病1级 慢性肾脏病3级", [FindingCode.STAGE_NOT_MET]),
    ("高血压病（2级）伴左心室肥厚 Killip Ⅲ级", [FindingCode.STAGE_NOT_MET]),
    ("高血压病 冠心病 心功能3级", [FindingCode.STAGE_NOT_MET]),
    ("高血压病3级 心功能Ⅱ级", []),
    ("高血压病 3级 冠心病", []),
    ("3级高血压", []),
])
def test_a_grade_whose_numeral_was_not_read_is_unknown_not_unmet(diagnosis, codes):
    assert _stage_case(diagnosis) == codes


@pytest.mark.parametrize(("diagnosis", "confidence", "code", "codes"), [
    ("2型糖尿病伴糖尿病调病（E11）", 0.83, "DM", [FindingCode.ILLEGIBLE]),   # seed 9511: 肾 read as 调
    ("2型糖尿病性周围排经病变（E11）", 0.87, "DM", [FindingCode.ILLEGIBLE]),
    ("2型糖尿病伴糖尿病肾病（E11）", 0.83, "DM", []),     # an unsure reading that meets the criterion passes
    ("2型糖尿病（E11）", 0.96, "DM", [FindingCode.STAGE_NOT_MET]),
    ("2型精尿病性周围神经病变", 0.95, "DM", []),   # seed 9537: 糖 misread surely; the complication is named
    ("2型糖尿病合井视网膜病变（E11）", 0.95, "DM", []),  # seed 9543: 并 misread as 井
    ("高血压病2级", 0.85, "HBP", [FindingCode.ILLEGIBLE]),
    ("高血压病2级", 0.93, "HBP", [FindingCode.STAGE_NOT_MET]),
])
def test_an_unsure_diagnosis_that_misses_the_criterion_is_read_by_a_person(diagnosis, confidence, code, codes):
    """Every false STAGE_NOT_MET of past runs was a diagnosis read below 0.9: a complication or grade misread."""
    assert _stage_case(diagnosis, confidence, code) == codes


@pytest.mark.parametrize(("supported", "codes"), [
    ("糖尿病伴酮症", []),  # its print says a full wording of the criterion (pipeline.disease_check)
    (None, [FindingCode.ILLEGIBLE]),
])
def test_a_garbled_complication_whose_print_states_the_criterion_meets_it(supported, codes):
    assert _stage_case("1型糖尿病件副症", 0.77, "DM", supported=supported) == codes


@pytest.mark.parametrize(("diagnosis", "unsure", "codes"), [
    ("2型糖尿病伴糖尿病骨病", ("骨",), [FindingCode.ILLEGIBLE]),  # fresh seed 9606: 肾 read 骨 at 0.50, the line at 0.96
    ("2型糖尿病伴糖尿病骨病", (), [FindingCode.STAGE_NOT_MET]),   # read surely: as written
    ("2型糖尿病", ("型",), [FindingCode.STAGE_NOT_MET]),          # no look-alike of an unsure glyph would meet it
])
def test_a_criterion_met_but_for_one_unsure_glyph_is_read_by_a_person(diagnosis, unsure, codes):
    assert _stage_case(diagnosis, 0.96, "DM", unsure) == codes


@pytest.mark.parametrize(("diagnosis", "code", "codes"), [
    ("2型糖尿病不伴有并发症", "DM", [FindingCode.STAGE_NOT_MET]),  # the ICD-10 name of E11.9: no complication
    ("2型糖尿病（无并发症）", "DM", [FindingCode.STAGE_NOT_MET]),
    ("2型糖尿病未合并并发症", "DM", [FindingCode.STAGE_NOT_MET]),
    ("2型糖尿病不伴周围神经病变", "DM", [FindingCode.STAGE_NOT_MET]),
    ("2型糖尿病（未见并发症）", "DM", [FindingCode.STAGE_NOT_MET]),
    ("2型糖尿病伴有并发症", "DM", []),
    ("2型糖尿病合并高血压", "DM", [FindingCode.STAGE_NOT_MET]),  # a second disease, no complication (catalog 2025.5)
    ("2型糖尿病合并冠心病", "DM", []),  # a macrovascular complication
    ("2型糖尿病合井视网膜病变", "DM", []),  # 并 misread
    ("2型糖尿病 无酮症 伴糖尿病肾病", "DM", []),  # the denial is of the ketosis only
    ("鼻咽未分化型非角化性癌", "CA", []),  # 未 and 非 of a histology deny nothing
    ("非小细胞肺癌", "CA", []),
])
def test_a_denied_complication_does_not_meet_the_criterion(diagnosis, code, codes):
    """A criterion's word (并发, 合并, 伴…神经) inside a denial (不伴有, 无, 未合并) is no complication: these
    passed as meeting 糖尿病合并并发症, an unsafe pass."""
    assert _stage_case(diagnosis, 0.95, code) == codes

@pytest.mark.parametrize(("diagnosis", "code", "codes"), [
    ("2型糖尿病 视网膜病变待排", "DM", [FindingCode.STAGE_NOT_MET]),
    ("2型糖尿病 周围神经病变？", "DM", [FindingCode.STAGE_NOT_MET]),
    ("高血压（3级？）", "HBP", [FindingCode.STAGE_NOT_MET]),
    ("2型糖尿病 高血压性视网膜病变", "DM", [FindingCode.STAGE_NOT_MET]),  # hypertensive, not diabetic
    ("2型糖尿病 视网膜病变（高血压性）", "DM", [FindingCode.STAGE_NOT_MET]),
    ("2型糖尿病伴糖尿病性视网膜病变", "DM", []),
    ("2型糖尿病 视网膜病变", "DM", []),
    ("高血压病3级（极高危）", "HBP", []),
])
def test_a_complication_or_grade_only_suspected_or_of_another_cause_does_not_meet_the_criterion(diagnosis, code,
                                                                                                 codes):
    """A suspected complication (待排, ？) or one ascribed to another cause (高血压性) passed as meeting the
    criterion (probes of wordings our generator never writes)."""
    assert _stage_case(diagnosis, 0.95, code) == codes


def test_an_invoice_uploaded_as_the_exam_report_is_the_wrong_document():
    """Twelve real invoices read as exam reports were typed unknown and checked as reports: dated, stamped,
    the patient's name on them, a packet could pass with an invoice for its exam report."""
    from pipeline.checks_document import check_document_type
    from pipeline.extract import extract_fields
    from tests.ocr_helpers import line, page_of

    rows = ["上海市医疗门（急）诊收费票据", "票据代码：310101", "交款人：王建国", "西药费 123.00", "合计（大写）壹佰贰拾叁元整",
            "收款单位（章）", "2025年3月12日"]
    fields = extract_fields([page_of(*[line(t, 40 + 50 * i) for i, t in enumerate(rows)])], _shared_nlp(), load_policy(),
                            "exam_report")
    reading = DocumentReading(file="report.jpg", slot="exam_report", fields=fields)
    [finding] = check_document_type(reading)
    assert finding.code == FindingCode.WRONG_DOCUMENT and "收费票据" in finding.message
    assert fields.detected_type == "unknown"

@functools.lru_cache(maxsize=1)
def _shared_nlp():
    from pipeline.nlp import build_nlp

    return build_nlp(load_policy())


@pytest.mark.parametrize(("diagnosis", "code", "codes"), [
    ("疑似肺癌", "CA", [FindingCode.DIAGNOSIS_MISMATCH]),
    ("考虑肺癌", "CA", [FindingCode.DIAGNOSIS_MISMATCH]),
    ("右肺腺癌可能", "CA", [FindingCode.DIAGNOSIS_MISMATCH]),
    ("肺恶性肿瘤？", "CA", [FindingCode.DIAGNOSIS_MISMATCH]),
    ("冠心病待查", "CHD", [FindingCode.DIAGNOSIS_MISMATCH]),
    ("右肺癌（待病理证实）", "CA", [FindingCode.DIAGNOSIS_MISMATCH]),
    ("右肺腺癌（病理确诊）", "CA", []),
    ("1.冠心病 2.疑似肺癌", "CHD", []),  # the suspicion is of another disease
    ("1.疑似冠心病 2.冠心病 稳定型心绞痛", "CHD", []),  # also stated without doubt
])
def test_a_disease_only_suspected_does_not_support_the_application(diagnosis, code, codes):
    """A certificate that only suspects the disease (疑似, 考虑, 可能, ？, 待查) does not state it."""
    from models.policy import MaterialRule
    from pipeline.checks_document import check_diagnosis
    from pipeline.extract import extract_fields
    from tests.ocr_helpers import line, page_of

    book = load_policy()
    page = page_of(line("临汾市尧都中心医院", 40, x=300), line("诊断证明书", 90, x=350), line("姓名：王建国", 160),
                   line("诊断：" + diagnosis, 300), line("2025年3月12日", 900, x=600))
    fields = extract_fields([page], _shared_nlp(), book, "diagnosis_certificate")
    disease = next(d for d in book.catalog.diseases if d.code == code)
    context = DocumentContext(manifest=Manifest(application_id="T-4", applicant=Applicant(name="王建国")),
                              region=book.regions["linfen"], book=book, disease=disease)
    reading = DocumentReading(file="zd.jpg", slot="diagnosis_certificate", fields=fields)
    rule = MaterialRule(diagnosis_must_match=True, stage_required=True)
    assert [f.code for f in check_diagnosis(reading, rule, context)] == codes

@pytest.mark.parametrize(("month", "code"), [
    ("2024-07-01", FindingCode.DATE_MISSING),     # July 2024, submitted 2025-07-20: the 1st-19th expired, the rest not
    ("2024-06-01", FindingCode.REPORT_EXPIRED),   # all of June 2024 is over 12 months old
    ("2025-07-01", FindingCode.DATE_MISSING),     # the month of submission: later days would be in the future
    ("2025-08-01", FindingCode.DATE_IN_FUTURE),   # all of August is after the submission
    ("2025-03-01", None),                         # all of March is fine
])
def test_a_date_read_to_the_month_only_decides_only_what_every_day_of_it_decides(month, code):
    """Seed 9518: 报日期2024年7月日 (the day lost) was taken as 2024-07-01; a return must not rest on the day
    the reading lacks."""
    from models.policy import MaterialRule
    from pipeline.checks_document import check_dates

    reading = _dated(month)
    assert reading.fields is not None and reading.fields.issue_date is not None
    field = reading.fields.issue_date.model_copy(update={"precision": "month"})
    reading = reading.model_copy(update={"fields": reading.fields.model_copy(update={"issue_date": field})})
    findings = check_dates(reading, MaterialRule(date_required=True, max_age_months=12), _dated_context("2025-07-20"))
    assert [f.code for f in findings] == ([code] if code else [])


@pytest.mark.parametrize(("read", "codes"), [
    ("傅#军", []),                                    # the applicant's, one glyph left unread
    ("王#国", [FindingCode.IDENTITY_MISMATCH]),       # two characters read surely, both another person's
])
def test_a_name_with_a_glyph_left_unread(read, codes):
    reading = _reading(read, number=None, confidence=0.21)
    reading = reading.model_copy(update={"fields": reading.fields.model_copy(update={"person_name_unsure_chars": (1,)})})
    assert [f.code for f in check_identity(reading, _context())] == codes


@pytest.mark.parametrize(("digits", "code"), [
    (0.505, FindingCode.DATE_MISSING),   # alternative templates 2, seed 7117: 2014年1月9日 for 2024年7月19日
    (0.98, FindingCode.REPORT_EXPIRED),  # every digit read surely: as 2024 it would be expired anyway
])
def test_a_decade_old_date_with_an_unsure_digit_one_year_digit_off_a_recent_year_goes_to_a_person(digits, code):
    from datetime import date

    from models.fields import DatedField
    from models.policy import MaterialRule
    from pipeline.checks_document import check_dates

    evidence = Evidence(stage="extract", page=1, bbox=[10, 10, 80, 20], text="2014年1月9日", confidence=0.75)
    dated = DatedField(value=date(2014, 1, 9), role="unknown", evidence=evidence, digits_confidence=digits,
                       part_confidences=(0.9, digits, 0.9))
    reading = DocumentReading(file="d.jpg", slot="exam_report", fields=ExtractedFields(issue_date=dated))
    findings = check_dates(reading, MaterialRule(date_required=True, max_age_months=12), _dated_context("2025-02-11"))
    assert [f.code for f in findings] == [code]
