"""Document-level checks: what each material shows (seal, dates, hospital, diagnosis, identity, signature).

Each ``check_*`` is pure: (reading, rule, context) -> list[Finding]. Evidence points at the
page region that proves the finding; crops are cut later, at the output edge.
"""

from __future__ import annotations

import re
from calendar import monthrange
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta

from models.codes import FindingCode
from models.evidence import Evidence
from models.fields import DatedField, ExtractedFields
from models.finding import Finding, RuleRef
from models.manifest import Manifest, Person
from models.policy import LEVEL_ZH, DiseaseEntry, Hospital, MaterialRule, PolicyBook, RegionPolicy
from models.reading import DocumentReading
from models.slots import AGENT_SLOTS, Slot, slot_label
from pipeline import fieldtext
from pipeline.classify import FOREIGN_KINDS
from pipeline.dates import BEFORE_REPORT_ROLES, SURE_WITNESS_YEAR, years_one_digit_apart
from pipeline.glyphs import ALIKE, UNSURE_ALIKE, glyph_similarity, misread_of, near_misread_of, unsure_misread_of

# Detected types a slot accepts besides its own name.
ACCEPTED_TYPES: dict[str, frozenset[str]] = {
    Slot.AGENT_ID_CARD: frozenset({Slot.ID_CARD, Slot.AGENT_ID_CARD}),
    Slot.ID_CARD: frozenset({Slot.ID_CARD}),
    Slot.MEDICAL_RECORD: frozenset({Slot.MEDICAL_RECORD, Slot.DIAGNOSIS_CERTIFICATE}),
    Slot.MEDICATION_RECORD: frozenset({Slot.MEDICATION_RECORD, Slot.MEDICAL_RECORD}),
}
WRONG_TYPE_MIN_SCORE = 0.6
LEGIBLE_MIN_CHARS = 12
LEGIBLE_MIN_CONFIDENCE = 0.55


@dataclass(frozen=True)
class DocumentContext:
    manifest: Manifest
    region: RegionPolicy
    book: PolicyBook
    disease: DiseaseEntry | None


def _finding(code: FindingCode, reading: DocumentReading, message: str, evidence: Evidence | None = None,
             rule: RuleRef | None = None) -> Finding:
    return Finding(code=code, file=reading.file, slot=reading.slot, message=message, evidence=evidence, rule=rule)


def _rule(ctx: DocumentContext, slot: str, key: str) -> RuleRef:
    kind = ctx.manifest.kind
    return RuleRef(source=f"policy_data/regions/{ctx.region.code}.yaml", key=f"kinds.{kind}.materials.{slot}.{key}",
                   version=ctx.region.policy_version)


def _label(reading: DocumentReading) -> str:
    return slot_label(reading.slot)


def is_legible(reading: DocumentReading) -> bool:
    fields = reading.fields
    if fields is None:
        return False
    return fields.text_chars >= LEGIBLE_MIN_CHARS and fields.mean_confidence >= LEGIBLE_MIN_CONFIDENCE


def check_legible(reading: DocumentReading) -> list[Finding]:
    """ILLEGIBLE when too little text could be read with confidence to check the file."""
    if is_legible(reading):
        return []
    fields = reading.fields
    chars = fields.text_chars if fields else 0
    confidence = fields.mean_confidence if fields else 0.0
    reason = "; ".join(reading.warnings) if reading.warnings else ""
    message = f"{_label(reading)}无法清晰识读（识别出{chars}个字，平均置信度{confidence:.2f}），请人工查看"
    if reason:
        message += f"（{reason}）"
    return [_finding(FindingCode.ILLEGIBLE, reading, message,
                     Evidence(stage="ocr", page=1, confidence=round(confidence, 3),
                              pages_searched=[p.page for p in reading.pages] or None))]


def check_document_type(reading: DocumentReading) -> list[Finding]:
    """WRONG_DOCUMENT when the file is confidently another kind of document than its slot."""
    fields = reading.fields
    if fields is None or reading.slot is None:
        return []
    if fields.detected_type == "unknown":
        if fields.foreign_type is None or fields.type_score < WRONG_TYPE_MIN_SCORE:
            return []
        return [_finding(FindingCode.WRONG_DOCUMENT, reading,
                         f"上传为{_label(reading)}的文件看起来是{FOREIGN_KINDS[fields.foreign_type]}，"
                         f"不是{_label(reading)}", fields.type_evidence)]
    accepted = ACCEPTED_TYPES.get(reading.slot, frozenset({reading.slot}))
    if fields.detected_type in accepted or fields.type_score < WRONG_TYPE_MIN_SCORE:
        return []
    return [_finding(FindingCode.WRONG_DOCUMENT, reading,
                     f"上传为{_label(reading)}的文件看起来是{slot_label(fields.detected_type)}",
                     fields.type_evidence)]


def expected_seal_region(reading: DocumentReading) -> Evidence:
    """Where a seal should be: around the issue date, else the lower right of the last page."""
    fields = reading.fields
    pages = [p.page for p in reading.pages] or None
    if fields and fields.issue_date and fields.issue_date.evidence.bbox and fields.issue_date.evidence.page:
        x, y, w, h = fields.issue_date.evidence.bbox
        page = fields.issue_date.evidence.page
        info = next((p for p in reading.pages if p.page == page), None)
        side = max(h * 8, w)
        x0 = max(0, x + w // 2 - side // 2)
        y0 = max(0, y + h // 2 - side // 2)
        if info is not None:
            side_w = min(side, info.width - x0)
            side_h = min(side, info.height - y0)
        else:
            side_w = side_h = side
        return Evidence(stage="seal", page=page, bbox=[x0, y0, side_w, side_h], pages_searched=pages)
    if reading.pages:
        last = reading.pages[-1]
        return Evidence(stage="seal", page=last.page,
                        bbox=[last.width // 2, last.height // 2, last.width - last.width // 2,
                              last.height - last.height // 2],
                        pages_searched=pages)
    return Evidence(stage="seal", pages_searched=pages)


def check_seal(reading: DocumentReading, rule: MaterialRule, ctx: DocumentContext) -> list[Finding]:
    """SEAL_MISSING when a material that must be stamped shows no hospital seal on any page."""
    if not rule.seal_required or reading.seals:
        return []
    return [_finding(FindingCode.SEAL_MISSING, reading, f"{_label(reading)}未见医院公章",
                     expected_seal_region(reading), _rule(ctx, str(reading.slot), "seal_required"))]


IMPLAUSIBLE_YEARS_AHEAD = 2  # a date more years than this after the submission year is a misreading


# Below this OCR confidence a future year one digit off the submission year may be that year misread.
SURE_YEAR_CONFIDENCE = 0.9


def _year_confidence(issued: DatedField) -> float | None:
    """How surely the date's year was read: its least sure digit when told apart (the row's confidence also
    counts its label: 报售日路：2026:08/28 at 0.79 with the year's digits at 0.98, a true DATE_IN_FUTURE sent to
    a person, fresh seed 9631; 2026 for 2025, its 6 at 0.81 on a row read above 0.9, a false one, fresh seed
    9619);
    else, for a repaired date, the evidence's confidence."""
    if issued.part_confidences is not None:
        return issued.part_confidences[0]
    return issued.evidence.confidence


def _year_digit_doubtful(issued: date, submitted: date, confidence: float | None) -> bool:
    """A later year read without confidence, which as the submission year would be a past date.

    ``2026.1010`` read at 0.84 for a certificate of 2025-10-10 submitted on 2025-10-20: returning
    the application as dated in the future would rest on one uncertain digit.
    """
    if issued.year == submitted.year or confidence is None or confidence >= SURE_YEAR_CONFIDENCE:
        return False
    try:
        as_submission_year = issued.replace(year=submitted.year)
    except ValueError:  # 29 February
        return False
    return years_one_digit_apart(issued.year, submitted.year) and as_submission_year <= submitted


# A date whose least sure digit was read below this is not a ground for a return (DATE_IN_FUTURE,
# REPORT_EXPIRED): a person checks it. Misread digits under seals were read at 0.27-0.41, and on a
# phone photo 2025年12月5日 for 2024 at 0.52 (fresh seed 9545, a false DATE_IN_FUTURE); the 20 true
# date returns of seeds 9526-9529 rest on digits read at 0.79 or more.
UNSURE_DATE_DIGITS = 0.6


def _month_straddles(first_day: date, submitted: date, oldest: date | None) -> bool:
    """Whether the month starting ``first_day`` holds both days that pass and days that fail a date check."""
    last_day = first_day + relativedelta(months=1, days=-1)
    return first_day <= submitted < last_day or (oldest is not None and first_day < oldest <= last_day)


def _digits_doubtful(issued: DatedField) -> bool:
    return issued.digits_confidence is not None and issued.digits_confidence < UNSURE_DATE_DIGITS




def _year_vouched_for(issued: DatedField, others: Sequence[DatedField]) -> bool:
    """Whether another row of the document, dated before the report, reads the report's year surely.

    报告时间：2023-06211616 with its year's 3 at 0.52, under 采样日期：2023-03-21 whose year was read at
    0.86 (seed 9568): the sample was taken that year, and the report, on or after it, bears the
    same year. A report dated before its sample vouches for nothing (its year may be the next one).
    """
    return any(other.role in BEFORE_REPORT_ROLES and other.value.year == issued.value.year
               and other.value <= issued.value and other.part_confidences is not None
               and other.part_confidences[0] >= SURE_WITNESS_YEAR for other in others)


def _doubt_changes_nothing(issued: DatedField, passes: Callable[[date], bool],
                           others: Sequence[DatedField] = ()) -> bool:
    """Whether the date fails its check whatever its doubtful month or day really is.

    2023-05-31 with a day digit at 0.58, against reports valid from 2024-06-01: any day of May 2023
    is as expired. Only a year read surely (or vouched for by the document's sampling date,
    ``others``) can say so, and only when the digits were told apart as read (``part_confidences``,
    None once a date was repaired).
    """
    parts = issued.part_confidences
    if parts is None or issued.digits_confidence is None or min(parts) > issued.digits_confidence:
        return False  # marked doubtful beyond its digits (a report after its own print date)
    year_confidence, month_confidence, day_confidence = parts
    if year_confidence < UNSURE_DATE_DIGITS and not _year_vouched_for(issued, others):
        return False
    year = issued.value.year
    months = range(1, 13) if month_confidence < UNSURE_DATE_DIGITS else (issued.value.month,)
    for month in months:
        days = range(1, monthrange(year, month)[1] + 1) if day_confidence < UNSURE_DATE_DIGITS else (issued.value.day,)
        for day in days:
            try:
                if passes(date(year, month, day)):
                    return False
            except ValueError:  # 31 in a shorter month, read as the day of the month as printed
                continue
    return True


# A material dated this many years before its submission, whose year is one digit off a recent
# one (2004 for 2024, 2005 for 2025, read even at 0.98), is more likely misread than that old.
IMPLAUSIBLY_OLD_YEARS = 10
# ... and this many years when its year was read unsurely: 2021 for 2025, the 1 at 0.67 on a phone photo
# of a medication record (alternative templates 2, seed 7109: a false REPORT_EXPIRED). Expired reports
# are mostly a year or two old (a true one at 2024 for a 2025 submission had its year read at 0.69).
UNSURELY_OLD_YEARS = 3
SURE_OLD_YEAR = 0.8


def _old_years(issued: DatedField) -> int:
    """How many years before its submission a material's date is more likely a misread year than true: fewer
    when its year was read unsurely, or not told apart as read (a repaired date: 报告日期20206月09日, its 年 lost,
    taken as 2020-06-09 for 2024年06月09日, fresh seed 9629)."""
    parts = issued.part_confidences
    if parts is None:
        # an OCR'd date whose parts were not told apart (its digits have confidences) is unsure; a text
        # layer's date (no confidences at all, as printed) is not
        return UNSURELY_OLD_YEARS if issued.digits_confidence is not None else IMPLAUSIBLY_OLD_YEARS
    return UNSURELY_OLD_YEARS if parts[0] < SURE_OLD_YEAR else IMPLAUSIBLY_OLD_YEARS


def _recent_year_misread(issued: date, submitted: date, oldest: date, old_years: int = IMPLAUSIBLY_OLD_YEARS
                         ) -> date | None:
    """The recent, still valid date an implausibly old one (``old_years`` before the submission year or
    more) would be with one year digit read right."""
    if issued.year > submitted.year - old_years:
        return None
    for year in (submitted.year, submitted.year - 1):
        if not years_one_digit_apart(issued.year, year):
            continue
        try:
            candidate = issued.replace(year=year)
        except ValueError:  # 29 February
            continue
        if oldest <= candidate <= submitted:
            return candidate
    return None


def check_dates(reading: DocumentReading, rule: MaterialRule, ctx: DocumentContext) -> list[Finding]:
    """DATE_MISSING, DATE_IN_FUTURE and REPORT_EXPIRED against ``submitted_on``.

    A date read more than ``IMPLAUSIBLE_YEARS_AHEAD`` years after the submission year is taken for
    what it is, an OCR misreading, and reported as no readable date (manual review) with its evidence;
    so is a later year one digit off the submission year read with little confidence, when the
    submission year would make it a past date, and a year over ``IMPLAUSIBLY_OLD_YEARS`` back one
    digit off a recent year that would make the material valid.
    """
    if not (rule.date_required or rule.max_age_months):
        return []
    fields = reading.fields
    issued = fields.issue_date if fields else None
    submitted = ctx.manifest.submitted_on
    if issued is None:
        if rule.date_required or rule.max_age_months:
            return [_finding(FindingCode.DATE_MISSING, reading, f"{_label(reading)}未能读出出具/报告日期",
                             Evidence(stage="extract", pages_searched=[p.page for p in reading.pages] or None),
                             _rule(ctx, str(reading.slot), "date_required"))]
        return []
    if submitted is None:
        return []
    evidence = issued.evidence.model_copy(update={"value": issued.value.isoformat()})
    if issued.value.year > submitted.year + IMPLAUSIBLE_YEARS_AHEAD:
        # 2073 for 2023 or 2025: a misread year digit, not a document dated decades ahead. Returning
        # the application for it would be a false return; the date is unreadable, so a person checks it.
        return [_finding(FindingCode.DATE_MISSING, reading,
                         f"{_label(reading)}日期读作{issued.value.isoformat()}，远晚于申请提交日"
                         f"{submitted.isoformat()}，疑为识别错误，请人工核对日期", evidence,
                         _rule(ctx, str(reading.slot), "date_required"))]
    if issued.value > submitted and _year_digit_doubtful(issued.value, submitted, _year_confidence(issued)):
        return [_finding(FindingCode.DATE_MISSING, reading,
                         f"{_label(reading)}日期读作{issued.value.isoformat()}，晚于申请提交日{submitted.isoformat()}，"
                         f"但年份识别把握不足（换作{submitted.year}年即早于提交日），请人工核对日期", evidence,
                         _rule(ctx, str(reading.slot), "date_required"))]
    oldest = submitted - relativedelta(months=rule.max_age_months) if rule.max_age_months else None
    if issued.precision == "month" and _month_straddles(issued.value, submitted, oldest):
        # read to the month only (2024年7月日, the day lost): some days of that month would be a defect,
        # others not, so the date decides nothing; a person reads the day
        return [_finding(FindingCode.DATE_MISSING, reading,
                         f"{_label(reading)}日期只读出年月（{issued.value.isoformat()[:7]}），"
                         f"无法据此判断是否晚于提交日{submitted.isoformat()}或已过期，请人工核对日期", evidence,
                         _rule(ctx, str(reading.slot), "date_required"))]
    def passes(day: date) -> bool:
        return day <= submitted and (oldest is None or day >= oldest)

    if (issued.value > submitted or (oldest is not None and issued.value < oldest)) and _digits_doubtful(issued) \
            and not _doubt_changes_nothing(issued, passes, [d for d in fields.dates if d is not issued]):
        # a return must not rest on a digit the OCR itself doubts (12025年12月4日 read over a seal)
        return [_finding(FindingCode.DATE_MISSING, reading,
                         f"{_label(reading)}日期读作{issued.value.isoformat()}，但日期数字识读把握不足"
                         f"（最低{issued.digits_confidence:.2f}），无法据此判断是否晚于提交日或已过期，请人工核对日期",
                         evidence, _rule(ctx, str(reading.slot), "date_required"))]
    if issued.value > submitted:
        return [_finding(FindingCode.DATE_IN_FUTURE, reading,
                         f"{_label(reading)}日期{issued.value.isoformat()}晚于申请提交日{submitted.isoformat()}",
                         evidence)]
    if oldest is not None:
        old_years = _old_years(issued)
        recent = _recent_year_misread(issued.value, submitted, oldest, old_years)
        if recent is None and _digits_doubtful(issued):
            # years old as read, its year one digit off a recent one and another digit unsure too (2014年1月9日
            # for 2024年7月19日 read from a blurred photo's second look, alternative templates 2, seed 7117: a
            # false REPORT_EXPIRED): the date is more likely misread twice than a decade old
            recent = _recent_year_misread(issued.value, submitted, date.min, old_years)
        if recent is not None:
            unsure = "且年份识读把握不足" if old_years < IMPLAUSIBLY_OLD_YEARS else ""
            return [_finding(FindingCode.DATE_MISSING, reading,
                             f"{_label(reading)}日期读作{issued.value.isoformat()}，早于申请提交日逾"
                             f"{old_years}年{unsure}，年份疑为{recent.year}年的识别错误，请人工核对日期", evidence,
                             _rule(ctx, str(reading.slot), "date_required"))]
        if issued.value < oldest:
            return [_finding(FindingCode.REPORT_EXPIRED, reading,
                             f"{_label(reading)}日期{issued.value.isoformat()}已超过{rule.max_age_months}个月"
                             f"（须不早于{oldest.isoformat()}）",
                             evidence, _rule(ctx, str(reading.slot), "max_age_months"))]
    return []


def find_hospital(name: str | None, book: PolicyBook) -> Hospital | None:
    if not name:
        return None
    for hospital in book.all_hospitals:
        if name == hospital.name or name in hospital.aliases:
            return hospital
    return None


def check_hospital(reading: DocumentReading, rule: MaterialRule, ctx: DocumentContext) -> list[Finding]:
    """HOSPITAL_NOT_ELIGIBLE (level or ownership below the rule) or HOSPITAL_UNKNOWN (unread / not registered)."""
    if rule.min_hospital_level is None and not rule.public_hospital_only:
        return []
    fields = reading.fields
    read_name = fields.hospital.value if fields and fields.hospital else None
    evidence = fields.hospital.evidence if fields and fields.hospital else None
    hospital = find_hospital(read_name, ctx.book)
    if hospital is None:
        seal_hospital = next((s.hospital for s in reading.seals if s.hospital), None)
        hospital = find_hospital(seal_hospital, ctx.book)
        if hospital is not None and evidence is None:
            seal = next(s for s in reading.seals if s.hospital)
            evidence = Evidence(stage="seal", page=seal.page, bbox=seal.bbox, text=seal.text, value=seal.hospital)
    if hospital is None:
        shown = f"“{read_name}”" if read_name else "（未能读出）"
        return [_finding(FindingCode.HOSPITAL_UNKNOWN, reading,
                         f"{_label(reading)}的出具机构{shown}不在定点医疗机构名录中，请人工核实", evidence)]
    problems = []
    if rule.min_hospital_level is not None and hospital.level < rule.min_hospital_level:
        problems.append(f"为{LEVEL_ZH[hospital.level]}医院，须{LEVEL_ZH[rule.min_hospital_level]}及以上")
    if rule.public_hospital_only and hospital.ownership != "public":
        problems.append("为非公立医院，须由公立医院出具")
    if not problems:
        return []
    return [_finding(FindingCode.HOSPITAL_NOT_ELIGIBLE, reading,
                     f"{_label(reading)}出具机构{hospital.name}" + "，".join(problems),
                     evidence, _rule(ctx, str(reading.slot), "min_hospital_level"))]


# A diagnosis naming no disease of the catalog is another disease (急性支气管炎) only when read
# this surely; below it, it is more likely a known disease misread.
SURE_DIAGNOSIS_CONFIDENCE = 0.9
# A grade whose numeral was lost: 级 right after a bracket, a comma or a character of the disease's
# name (高血压病（级，根高危） for 高血压病（Ⅲ级，极高危）, 高血压级（110） for 高血压Ⅲ级: the Ⅲ not read at all).
# Only a numeral stands before a grade's 级 (3级, Ⅲ级, 三级, III级).
# A roman grade read as one or two Latin letters (I级, II级, l级, m级) may have lost or joined strokes of Ⅲ
# (高血压病I级很高危组 for 高血压病Ⅲ级, fresh seed 9564; 高血压病（m级，极高危）, 9578): whether it is below the
# criterion is not known from it.
_GRADE_IN_LATIN_LETTERS = re.compile(r"(?<![A-Za-z])[A-Za-z|]{1,2}\s*级")  # also m级 (fresh seed 9578)
_GRADE_NUMERAL_LOST = re.compile(r"(?:^|[（(\[【，,、;；]|[\u4e00-\u9fff](?<![一二三四五六七八九十]))\s*级")


def _met_but_for_an_unsure_glyph(patterns: Sequence[str], stated: str, fields: ExtractedFields | None,
                                 ctx: DocumentContext) -> bool:
    """Whether the criterion would be stated were one character the OCR read unsurely its look-alike in the
    criterion's own words: 2型糖尿病伴糖尿病骨病 with 骨 at 0.50 for 肾 (fresh seed 9606, a false STAGE_NOT_MET
    on a line read at 0.96 as a whole)."""
    unsure = set(fields.diagnosis_unsure_glyphs) if fields is not None else set()
    if not unsure or ctx.disease is None:
        return False
    wanted = {ch for pattern in patterns for ch in pattern if "\u4e00" <= ch <= "\u9fff"}
    for index, read in enumerate(stated):
        if read not in unsure:
            continue
        for glyph in wanted:
            if glyph != read and glyph_similarity(read, glyph) >= UNSURE_ALIKE and _criterion_stated(
                    patterns, stated[:index] + glyph + stated[index + 1:], ctx.disease, ctx.book):
                return True
    return False


def _criterion_stated(patterns: Sequence[str], stated: str, disease: DiseaseEntry, book: PolicyBook) -> bool:
    """Whether some pattern of the criterion matches ``stated`` where it is not denied (2型糖尿病不伴有
    并发症 names 并发症 and meets no complication criterion), only suspected (视网膜病变待排, 3级？) or
    ascribed to another cause (高血压性视网膜病变) and, for a grade, where it is the disease's own (see
    ``_grade_of_another``)."""
    return any(not fieldtext.is_statement_denied(stated, match.start(), match.end())
               and not fieldtext.is_suspected(stated, match.start(), match.end())
               and not fieldtext.is_caused_otherwise(stated, match.start(), match.end())
               and not ("级" in match.group(0) and _grade_of_another(stated, match.start(), disease, book))
               for pattern in patterns for match in re.finditer(pattern, stated))


# What a grade after them is the grade of: heart function (心功能Ⅲ级, NYHA, Killip), a kidney, liver or
# retina stage, a lung's GOLD grade.
_OTHER_GRADED = re.compile(r"心功能|NYHA|Killip|心衰|心力衰竭|肾脏病|肾病|肾功能|CKD|视网膜|肝功能|Child|GOLD|分期|分级|"
                           r"房室传导阻滞|狭窄|骨质疏松")


def _grade_of_another(stated: str, at: int, disease: DiseaseEntry, book: PolicyBook) -> bool:
    """Whether the grade read at ``stated[at:]`` belongs to something named after the disease: 高血压病2级
    心功能Ⅲ级 states heart function class III, not hypertension grade 3 (it passed as grade 3). Another
    catalog disease or a graded organ function between the disease's last mention and the grade owns it."""
    before = stated[:at]
    mention = max((before.rfind(name) + len(name) for name in disease.all_names if name in before), default=-1)
    if mention < 0:
        return False  # the grade before the disease's name (3级高血压), or the disease not named as such
    between = before[mention:]
    others = (name for entry in book.catalog.diseases if entry.code != disease.code for name in entry.all_names
              if len(name) >= 2)
    return _OTHER_GRADED.search(between) is not None or any(name in between for name in others)


def check_diagnosis(reading: DocumentReading, rule: MaterialRule, ctx: DocumentContext) -> list[Finding]:
    """DIAGNOSIS_MISMATCH when the diagnosis names another disease; STAGE_NOT_MET when the required
    stage / type / complication is not stated; ILLEGIBLE (manual) when no diagnosis, or only an
    unsure one naming no disease, could be read, or its grade was printed but its numeral not read."""
    if ctx.disease is None or not (rule.diagnosis_must_match or rule.stage_required):
        return []
    fields = reading.fields
    diagnosis = fields.diagnosis if fields else None
    if diagnosis is None:
        # nothing read is not a diagnosis of another disease: a person reads it (never a return)
        return [_finding(FindingCode.ILLEGIBLE, reading,
                         f"{_label(reading)}未能读出诊断内容，无法确认是否支持申请病种“{ctx.disease.name}”，请人工核对",
                         Evidence(stage="extract", pages_searched=[p.page for p in reading.pages] or None))]
    named = {fields.disease_code, *fields.disease_codes} - {None} if fields is not None else set()
    if rule.diagnosis_must_match and not named and (diagnosis.evidence.confidence or 0.0) < SURE_DIAGNOSIS_CONFIDENCE:
        # an unsure reading that names no disease at all (右肺（eTNNOIIB期） for 右肺腺癌…) is a misreading
        return [_finding(FindingCode.ILLEGIBLE, reading,
                         f"诊断“{diagnosis.value}”识读不清，无法确认是否支持申请病种“{ctx.disease.name}”，请人工核对",
                         diagnosis.evidence)]
    if rule.diagnosis_must_match and ctx.disease.code not in named:
        return [_finding(FindingCode.DIAGNOSIS_MISMATCH, reading,
                         f"诊断“{diagnosis.value}”与申请病种“{ctx.disease.name}”不符", diagnosis.evidence)]
    if rule.diagnosis_must_match and fields is not None and ctx.disease.code in fields.suspected_disease_codes:
        # 疑似肺癌, 冠心病可能: a suspicion, not the diagnosis the certificate must state
        return [_finding(FindingCode.DIAGNOSIS_MISMATCH, reading,
                         f"诊断“{diagnosis.value}”中申请病种“{ctx.disease.name}”仅为疑似诊断（疑似/考虑/可能/待查），"
                         f"未予确诊", diagnosis.evidence)]
    terms = ctx.book.region_terms(ctx.region.code, ctx.disease)
    criterion = terms.criterion if terms else None
    if not rule.stage_required or criterion is None:
        return []
    stated = " ".join(v for v in (diagnosis.value, fields.stage.value if fields and fields.stage else None) if v)
    if _criterion_stated(criterion.patterns, stated, ctx.disease, ctx.book):
        return []
    if fields is not None and fields.criterion_supported is not None \
            and _criterion_stated(criterion.patterns, fields.criterion_supported.value, ctx.disease, ctx.book):
        return []  # garbled as read, its print says a full wording of the criterion (pipeline.disease_check)
    if _GRADE_NUMERAL_LOST.search(diagnosis.value) or _GRADE_IN_LATIN_LETTERS.search(diagnosis.value):
        # the grade was printed but not read: whether it meets the criterion is unknown (never a return)
        return [_finding(FindingCode.ILLEGIBLE, reading,
                         f"诊断“{diagnosis.value}”中的分级未能识读，无法确认是否写明{criterion.label}，请人工核对",
                         diagnosis.evidence)]
    if (diagnosis.evidence.confidence or 0.0) < SURE_DIAGNOSIS_CONFIDENCE \
            or _met_but_for_an_unsure_glyph(criterion.patterns, stated, fields, ctx):
        # An unsure reading that misses the criterion has mostly misread it: 伴糖尿病调病 for 肾病, 周围排经病变,
        # 高血压病山级 for Ⅲ级. In past runs every false STAGE_NOT_MET was read at 0.77-0.90, all but one of
        # 22 true ones at 0.91 or more. A person reads it; an applicant is not returned on a misreading.
        return [_finding(FindingCode.ILLEGIBLE, reading,
                         f"诊断“{diagnosis.value}”识读不确定（置信度{diagnosis.evidence.confidence or 0.0:.2f}），"
                         f"无法确认是否写明{criterion.label}，请人工核对",
                         diagnosis.evidence)]
    return [_finding(FindingCode.STAGE_NOT_MET, reading,
                     f"诊断“{diagnosis.value}”未写明{criterion.label}", diagnosis.evidence,
                     RuleRef(source="policy_data/disease_catalog.yaml",
                             key=f"{ctx.disease.code}.regions.{ctx.region.code}.criterion",
                             version=ctx.book.catalog.catalog_version))]


def _compact(text: str) -> str:
    return re.sub(r"[\s:：·•]", "", text)


# A name read below this OCR confidence, differing from the expected one in a single character
# of at least UNSURE_NAME_SIMILARITY glyph likeness (皖梅 read at 0.73 for 姚梅, 0.79), is that name.
UNSURE_NAME_CONFIDENCE = 0.8
UNSURE_NAME_SIMILARITY = 0.7


def _one_glyph_off(read: str, wanted: str) -> bool:
    if len(read) != len(wanted) or len(wanted) < 2:
        return False
    differing = [(a, b) for a, b in zip(read, wanted, strict=True) if a != b]
    return len(differing) == 1 and glyph_similarity(*differing[0]) >= UNSURE_NAME_SIMILARITY


def _same_person_misread(read: str, wanted: str, fields: ExtractedFields, person: Person) -> bool:
    """The name field differs from ``wanted`` only as OCR misreads a name (look-alikes, or loosely
    alike characters the OCR itself doubted); or, read with little
    confidence, by one fairly alike character; or, on a document whose own ID number (read in
    full, or one digit off it with its check digit failing) is the person's, by one more loosely
    alike character.

    The ID number alone does not vouch for any name: another person's name next to the
    applicant's number is exactly what the identity check must catch.
    """
    if misread_of(read, wanted) or unsure_misread_of(read, wanted, fields.person_name_unsure_chars):
        return True
    confidence = fields.person_name.evidence.confidence if fields.person_name else None
    if confidence is not None and confidence < UNSURE_NAME_CONFIDENCE and _one_glyph_off(read, wanted):
        return True  # the OCR itself doubts the reading, and only one fairly alike character differs
    number = person.id_number.strip().upper() if person.id_number else ""
    if not number:
        return False
    if fields.id_number_full is not None:
        own_number = fields.id_number_full.get_secret_value().upper() == number
    else:
        # A number whose check digit fails differs from what was printed in at least one digit (the
        # check catches every single-digit error): one digit off the person's own is that number
        # misread, which another person's never is (region, birth date and serial all differ).
        own_number = _own_number_misread(fields, number)
    return own_number and (near_misread_of(read, wanted) or unsure_misread_of(
        read, wanted, fields.person_name_unsure_chars, sure_exact_needed=False))


MAX_MISREAD_DIGITS = 4


def _own_number_misread(fields: ExtractedFields, number: str) -> bool:
    """Whether a number whose check digit failed is ``number`` misread: one digit off it, or off it only
    where the OCR was unsure (141028…0864… for 141023…1103…, the three differing digits at 0.41-0.79).

    Another person's number differs in region, birth date or serial, digits read as surely as the rest.
    """
    misread = fields.id_number_misread_full.get_secret_value().upper() if fields.id_number_misread_full else ""
    if len(misread) != len(number):
        return False
    differing = [i for i, (a, b) in enumerate(zip(misread, number, strict=True)) if a != b]
    if len(differing) == 1:
        return True
    unsure = set(fields.id_number_unsure_digits)
    return len(differing) <= MAX_MISREAD_DIGITS and all(i in unsure for i in differing)


# A differing name read below SURE_NAME_CONFIDENCE that shares a character with the expected one
# (孙景 for 孙珍翠, 家美兰 for 廖美兰), or read below GUESSED_NAME_CONFIDENCE at all, is more likely
# the expected name misread than another person's: a person checks it (manual), the applicant is
# not returned. On seeds 8811 and 9401-9405 another person's name was read at 0.84-1.0, the
# applicant's own misread at 0.55-0.86 (英明 at 0.74 for 蒋娟, 福科 at 0.55).
SURE_NAME_CONFIDENCE = 0.9
GUESSED_NAME_CONFIDENCE = 0.8


# Two characters read surely (see ``person_name_unsure_chars``) that are in the expected name nowhere,
# not even as look-alikes, make the reading another person's however unsure the rest: 间文春 (文 0.99,
# 春 1.0) is not 钟家. Of 50 applicants' own names read unsurely in past runs none had more than one.
SURE_FOREIGN_CHARACTERS = 2


def _surely_foreign_characters(read: str, wanted: str, unsure: tuple[int, ...]) -> int:
    return sum(1 for i, ch in enumerate(read) if i not in unsure
               and all(glyph_similarity(ch, w) < ALIKE for w in wanted))


def _unsure_other_name(read: str, wanted: str, confidence: float | None, unsure: tuple[int, ...] = ()) -> bool:
    if confidence is None or confidence >= SURE_NAME_CONFIDENCE:
        return False
    if unsure and _surely_foreign_characters(read, wanted, unsure) >= SURE_FOREIGN_CHARACTERS:
        return False
    return confidence < GUESSED_NAME_CONFIDENCE or bool(set(read) & set(wanted))


_CARD_SLOTS = frozenset({Slot.ID_CARD, Slot.AGENT_ID_CARD})


def check_identity(reading: DocumentReading, ctx: DocumentContext) -> list[Finding]:
    """IDENTITY_MISMATCH when the name or ID number on a material is another person's.

    A name counts as matching when the expected name appears anywhere in the document's text,
    so a mis-extracted name field alone never returns an application; also when the name read
    is the expected one as OCR misreads it (look-alike characters, one character lost), or
    differs by one more loosely alike character on a document whose ID number is the person's
    own. Another person's name beside the applicant's own number is still a mismatch. A differing
    name read unsurely (``_unsure_other_name``) is ILLEGIBLE, a person checks it, unless the document's
    number, read surely, says whose it is.

    An ID card on which neither the name nor a valid number could be read is ILLEGIBLE: whose it is
    cannot be told, and a card of another person must not pass unseen.

    A power of attorney's person is its principal (委托人), who must be the applicant: another name read
    surely is a mismatch, one read unsurely no finding; its ID number is not compared, since it carries
    the agent's number as well.
    """
    fields = reading.fields
    if fields is None:
        return []
    attorney = reading.slot == Slot.POWER_OF_ATTORNEY
    agent_material = reading.slot in AGENT_SLOTS and not attorney
    person = ctx.manifest.agent if agent_material else ctx.manifest.applicant
    role = "代办人" if agent_material else "申请人"
    if person is None:
        return []
    findings = []
    all_text = _compact("".join(page.text for page in reading.ocr))
    if reading.slot in _CARD_SLOTS and fields.person_name is None and fields.id_number_full is None \
            and not (person.name and _compact(person.name) in all_text) \
            and not (person.id_number and _own_number_misread(fields, person.id_number.strip().upper())):
        # a card whose holder cannot be told (a blurred photo, its back only) is not passed unverified; the
        # person's own number misread in one digit, or only in digits read unsurely, tells it (fresh seed 9601)
        return [_finding(FindingCode.ILLEGIBLE, reading,
                         f"{_label(reading)}上未能读出姓名和身份证号码，无法核对是否为{role}本人，请人工核对",
                         Evidence(stage="extract", pages_searched=[p.page for p in reading.pages] or None))]
    if fields.person_name and person.name:
        read = _compact(fields.person_name.value)
        wanted = _compact(person.name)
        if read != wanted and wanted not in all_text and not _same_person_misread(read, wanted, fields, person):
            confidence = fields.person_name.evidence.confidence
            if _unsure_other_name(read, wanted, confidence, fields.person_name_unsure_chars):
                if attorney:
                    return []  # the principal's name is checked where it can be read surely, not sent to a person
                own_number = _surely_read_number_is_persons(fields, person)
                if own_number is False:
                    return [_number_mismatch(reading, role)]  # the number settles what the name cannot
                if own_number or (own_number is None and _persons_number_misread(fields, person)):
                    return []  # so it does the other way: the person's own number, read surely (姓书 素汉 on a card)
                return [_finding(FindingCode.ILLEGIBLE, reading,
                                 f"{_label(reading)}上的姓名读作“{fields.person_name.value}”（识读置信度{confidence:.2f}），"
                                 f"识读不确定，无法确认是否为{role}本人，请人工核对",
                                 fields.person_name.evidence)]
            whose = "委托人" if attorney else "姓名"
            findings.append(_finding(FindingCode.IDENTITY_MISMATCH, reading,
                                     f"{_label(reading)}上的{whose}“{fields.person_name.value}”与{role}不一致",
                                     fields.person_name.evidence))
    if not findings and not attorney and fields.person_name is None and person.name \
            and reading.slot not in _CARD_SLOTS and _compact(person.name) not in all_text \
            and _surely_read_number_is_persons(fields, person) is None and _name_unread_on_a_clear_page(reading):
        # another person's report whose name went unread must not pass unseen (姓名/Name：常平庆 before its label's
        # gloss was known: an unsafe pass, alternative templates 2 seed 7114); on a page read this clearly a
        # name that cannot be read is a reading failure a person looks at
        return [_finding(FindingCode.ILLEGIBLE, reading,
                         f"{_label(reading)}上有姓名栏但未能读出姓名，无法核对是否为{role}本人，请人工核对",
                         Evidence(stage="extract", pages_searched=[p.page for p in reading.pages] or None))]
    if not findings and not attorney and fields.id_number_full and person.id_number:
        read_number = fields.id_number_full.get_secret_value().upper()
        wanted_number = person.id_number.strip().upper()
        if read_number != wanted_number and not _differs_where_unsure(read_number, wanted_number,
                                                                      fields.id_number_unsure_digits):
            if _nearly_the_persons(read_number, wanted_number, fields.id_number_unsure_digits):
                # one or two digits off, some read unsurely, the check digit passing by chance (…196408287628 for
                # …196403267628 on a blurred photo, fresh seed 9649): a person compares, no return rests on it
                apart = len(_differing_digits(read_number, wanted_number) or ())
                findings.append(_finding(
                    FindingCode.ILLEGIBLE, reading,
                    f"{_label(reading)}上的身份证号码读作{fields.id_number.value if fields.id_number else ''}，"
                    f"与{role}的号码仅差{apart}位且其中有识读把握不足的数字，请人工核对",
                    fields.id_number.evidence if fields.id_number else None))
            else:
                findings.append(_number_mismatch(reading, role))
    return findings


_NAME_LABEL_ROW = re.compile(r"(?:患\s*者|病\s*人|受\s*检\s*者|申\s*请\s*人)?\s*姓\s*名|[Nn]ame\b")
CLEAR_PAGE_CONFIDENCE = 0.9  # mean OCR confidence of a page read clearly (scans, PDFs; blurred photos read lower)


def _name_unread_on_a_clear_page(reading: DocumentReading) -> bool:
    """Whether the document was read clearly (mean confidence at least ``CLEAR_PAGE_CONFIDENCE``) and holds a
    name label read as surely, yet no name was read: not a blurred photo's loss, a reading failure."""
    fields = reading.fields
    if fields is None or fields.mean_confidence < CLEAR_PAGE_CONFIDENCE:
        return False
    return any(_NAME_LABEL_ROW.search(line.text) and line.confidence >= CLEAR_PAGE_CONFIDENCE
               for page in reading.ocr for line in page.lines)


def _differs_where_unsure(read: str, wanted: str, unsure: tuple[int, ...],
                          max_digits: int = MAX_MISREAD_DIGITS) -> bool:
    """Whether a number whose check digit passed differs from ``wanted`` only in digits the OCR doubted: a
    misreading that happens to pass the check (…1221 for …123X, the 2 at 0.51 and the 1 at 0.23; one
    misread number in ten does), not another person's number, which differs in digits read surely."""
    differing = _differing_digits(read, wanted)
    return differing is not None and len(differing) <= max_digits and all(i in unsure for i in differing)


def _differing_digits(read: str, wanted: str) -> list[int] | None:
    """Positions where two numbers of the same length differ; None when their lengths differ."""
    if len(read) != len(wanted):
        return None
    return [i for i, (a, b) in enumerate(zip(read, wanted, strict=True)) if a != b]


NEARLY_SAME_NUMBER_DIGITS = 2


def _nearly_the_persons(read: str, wanted: str, unsure: tuple[int, ...]) -> bool:
    """Whether a valid number differs from ``wanted`` in at most ``NEARLY_SAME_NUMBER_DIGITS`` digits, at least one
    of them read unsurely: a misreading whose check digit passed by chance as likely as a relative's number."""
    differing = _differing_digits(read, wanted)
    return bool(differing) and len(differing) <= NEARLY_SAME_NUMBER_DIGITS and any(i in unsure for i in differing)


def _surely_read_number_is_persons(fields: ExtractedFields, person: Person) -> bool | None:
    """Whether the document's ID number, its check digit valid and every digit read surely, is the person's;
    None when no such number was read.

    A name read too unsurely to judge (林速 at 0.50 on a blurred card photo) leaves the number to
    say whose the document is: a misread number fails its check digit, so a valid one read surely
    that differs from the person's is another person's, and one equal to it the person's own.
    """
    if fields.id_number_full is None or not person.id_number or fields.id_number_unsure_digits:
        return None
    return fields.id_number_full.get_secret_value().upper() == person.id_number.strip().upper()


MAX_UNSURE_DIGITS_OFF = 2


def _persons_number_misread(fields: ExtractedFields, person: Person) -> bool:
    """Whether the document's number is the person's own read with a digit or two wrong, each read unsurely
    (…197005… for …197006…, the 5 at 0.48, check digit valid by chance; fresh seed 9609): every digit read
    surely is the person's, which another person's number, differing in birth date and serial, is not."""
    if not person.id_number:
        return False
    wanted = person.id_number.strip().upper()
    if fields.id_number_full is None:
        return fields.id_number_misread_full is not None and _own_number_misread(fields, wanted)
    return _differs_where_unsure(fields.id_number_full.get_secret_value().upper(), wanted,
                                 fields.id_number_unsure_digits, MAX_UNSURE_DIGITS_OFF)


def _number_mismatch(reading: DocumentReading, role: str) -> Finding:
    fields = reading.fields
    assert fields is not None
    return _finding(FindingCode.IDENTITY_MISMATCH, reading,
                    f"{_label(reading)}上的身份证号码{fields.id_number.value if fields.id_number else ''}与{role}不一致",
                    fields.id_number.evidence if fields.id_number else None)


def check_signature(reading: DocumentReading, rule: MaterialRule) -> list[Finding]:
    """SIGNATURE_MISSING when the application form's physician-signature field is empty.

    When the field itself could not be found (its label unread on a blurred photo), or was found
    only through a misread label and looks empty, whether it is signed is unknown: ILLEGIBLE
    (manual review), never a silent pass and never a return for an empty box nobody could see.
    """
    fields = reading.fields
    if not rule.physician_signature_required or fields is None:
        return []
    if fields.signature_present is None and fields.signature_evidence is not None \
            and fields.signature_evidence.value == "unclear":
        return [_finding(FindingCode.ILLEGIBLE, reading,
                         f"{_label(reading)}的医师签名栏（标签识读为“{fields.signature_evidence.text}”）模糊不清，"
                         f"无法确认医师是否签名，请人工核对", fields.signature_evidence)]
    if fields.signature_present is None:
        return [_finding(FindingCode.ILLEGIBLE, reading,
                         f"{_label(reading)}上未能找到医师签名栏，无法确认医师是否签名，请人工核对",
                         Evidence(stage="extract", pages_searched=[p.page for p in reading.pages] or None))]
    if fields.signature_present is not False:
        return []
    return [_finding(FindingCode.SIGNATURE_MISSING, reading, f"{_label(reading)}的医师签名栏为空",
                     fields.signature_evidence)]


def check_document(reading: DocumentReading, ctx: DocumentContext) -> list[Finding]:
    """All document-level checks for one readable file, in a fixed order."""
    if reading.error is not None:
        return []
    legibility = check_legible(reading)
    if legibility:
        return legibility
    wrong = check_document_type(reading)
    if wrong:
        return wrong
    findings = check_identity(reading, ctx)
    kind = ctx.region.kinds.get(ctx.manifest.kind) if ctx.manifest.kind else None
    rule = kind.materials.get(Slot(reading.slot)) if kind and reading.slot else None
    if rule is None:
        return findings
    findings += check_seal(reading, rule, ctx)
    findings += check_dates(reading, rule, ctx)
    findings += check_hospital(reading, rule, ctx)
    findings += check_diagnosis(reading, rule, ctx)
    findings += check_signature(reading, rule)
    return findings
