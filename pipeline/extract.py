"""extract_fields(): from a document's OCR pages to its type and fields, each tied to its evidence.

Runs the spaCy pipeline (``nlp.build_nlp``) over every page, then chooses among
what the components found: the issue date by label priority, the hospital of
the title area, the applicant's name, a valid ID number, the main diagnosis
with its disease code and stage. Reads OCR pages (and page images for the
signature check, when given); writes nothing. The checks decide what the
fields mean for the application.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

import numpy as np
from pydantic import SecretStr
from spacy.language import Language
from spacy.tokens import Doc, Span

from models.document import FieldValue
from models.evidence import Evidence
from models.fields import DatedField, ExtractedFields, NameGuess
from models.ocr import OcrPage
from models.policy import PolicyBook
from pipeline import classify, dates, fieldtext
from pipeline.components import UNLABELLED_PRIORITY
from pipeline.fieldtext import diagnosis_value
from pipeline.glyphs import LOOSELY_ALIKE, glyph_similarity
from pipeline.idnumbers import birth_date_of, mask_id_number
from pipeline.nlp import DISEASE_FAMILY_PATTERNS, make_page_doc
from pipeline.pagetext import PageText
from pipeline.signature import detect_physician_signature

# Dates a document type may fall back on when it shows no report / issue date:
# an imaging or ultrasound report is written on the day of the examination,
# a clinic record or prescription is dated by its visit.
TYPE_DATE_FALLBACK: dict[str, tuple[str, ...]] = {
    "exam_report": ("exam",),
    "medical_record": ("visit",),
    "medication_record": ("visit",),
}
# Dates a document type is dated by before any other: an application form is the applicant's,
# dated by its 申请日期, not by the date the doctor signed the opinion box on it.
TYPE_OWN_DATE: dict[str, tuple[str, ...]] = {
    "application_form": ("request",),
}
_OWN_PRIORITY = 60  # above every label (报告日期 is 50)
_FALLBACK_PRIORITY = 30  # below a bare 日期 at the foot (40) or a sign-off date (38), above a bare 日期 at the top (20)
_CORRECTED_FACTOR = 0.9
_YEAR_LESS_MAX_DAYS = 60  # a report follows its sample or examination within weeks
_MONTH_FACTOR = 0.8
_TITLE_ZONE = 0.25

# Diagnosis label groups in order of preference, per document type.
_DIAGNOSIS_ORDER: dict[str, tuple[str, ...]] = {
    "exam_report": ("pathology", "conclusion", "clinical", "disease"),
    "application_form": ("clinical", "pathology", "disease", "conclusion"),
}
_DEFAULT_DIAGNOSIS_ORDER = ("pathology", "clinical", "conclusion", "disease")
_STAGE_KINDS = ("grade", "stage", "tnm", "type", "complication", "malignancy")


UNSURE_CHARACTER = 0.9  # a character read below this may be another (as for ID number digits)


@dataclass(frozen=True)
class _Located:
    """A span with the page it is on."""

    doc: Doc
    span: Span

    @property
    def page(self) -> PageText:
        return self.doc._.page_text

    def character_confidences(self) -> list[float | None]:
        """Each of the span's non-space characters' own OCR confidence (None where unknown)."""
        confidences = self.page.char_confidences_of(self.span.start_char, self.span.end_char)
        return [c for ch, c in zip(self.span.text, confidences, strict=True) if not ch.isspace()]

    def unsure_glyphs(self) -> tuple[str, ...]:
        """The span's characters read below ``UNSURE_CHARACTER``, as read."""
        text = [ch for ch in self.span.text if not ch.isspace()]
        return tuple(dict.fromkeys(text[i] for i in self.unsure_characters()))

    def unsure_characters(self) -> tuple[int, ...]:
        """Positions, among the span's non-space characters, of those read below ``UNSURE_CHARACTER``."""
        return tuple(i for i, c in enumerate(self.character_confidences()) if c is not None and c < UNSURE_CHARACTER)

    def evidence(self, *, value: str | None = None, text_from: int | None = None, confidence_factor: float = 1.0,
                 bbox_from_span: bool = True, by_character: bool = False) -> Evidence:
        """Evidence of the span; ``by_character``: its confidence is that of its least sure character
        when the engine gave them (a name's own characters, not the label read surely beside it)."""
        page = self.page
        start = self.span.start_char if text_from is None else min(text_from, self.span.start_char)
        end = self.span.end_char
        box_start = self.span.start_char if bbox_from_span else start
        confidence = page.confidence_of(self.span.start_char, end)
        if by_character:
            chars = self.character_confidences()
            if chars and all(c is not None for c in chars):
                confidence = min(confidence, *(c for c in chars if c is not None))
        confidence *= confidence_factor
        return Evidence(stage="extract", page=page.page.page, bbox=page.bbox_of(box_start, end),
                        text=page.text[start:end], value=value, confidence=round(min(max(confidence, 0.0), 1.0), 3))


def run_pages(pages: Sequence[OcrPage], nlp: Language) -> list[Doc]:
    """The annotated Doc of every page, in page order."""
    return [nlp(make_page_doc(nlp, page)) for page in pages]


def extract_fields(pages: list[OcrPage], nlp: Language, policy: PolicyBook, hint_slot: str | None,
                   *, page_images: Sequence[np.ndarray | None] | None = None) -> ExtractedFields:
    """Type and fields of one document from its OCR pages.

    Args:
        pages: The document's OCR pages in order (upright page coordinates).
        nlp: From ``nlp.build_nlp(policy)``, built once per process.
        policy: The policy book (kept for the catalog lookups of later versions; the nlp already holds its data).
        hint_slot: The slot the file was uploaded as; it only breaks near-ties of the type and picks
            type-specific fallbacks when the type cannot be told.
        page_images: Optional upright BGR images of the same pages; when given and the document is
            (or was uploaded as) an application form, its physician-signature field is checked.

    Returns:
        The fields, each with its evidence; ``detected_type`` is a slot name or ``unknown``
        (never ``agent_id_card``: an agent's ID card is an ``id_card``).
    """
    del policy  # the catalog and registry are compiled into ``nlp``
    docs = run_pages(pages, nlp)
    page_texts = [doc._.page_text for doc in docs]
    decision = classify.decide_type([hit for doc in docs for hit in doc._.type_hits], hint_slot)
    hinted = "id_card" if hint_slot == "agent_id_card" else hint_slot
    doc_type = decision.doc_type if decision.doc_type != classify.UNKNOWN else (hinted or classify.UNKNOWN)

    dated = births_by_the_id_number(_dates(docs), docs)
    issue = choose_issue_date(dated, doc_type)
    if issue is None and doc_type == "exam_report":
        issue = report_under_a_garbled_label(dated)
    if issue is not None:
        # first: a report year misread years ahead would also be after the print date, and marked doubtful there
        issue = on_the_examination_day(issue, dated)
        issue = the_first_day_of_its_validity(issue, dated)
        issue = before_the_print(issue, dated)
        issue = after_the_examination(issue, dated)
        issue = not_before_the_visit(issue, dated)
        issue = restore_lost_day_digit(issue, dated)
        issue = confirmed_by_another_row(issue, dated)
        issue = contradicted_by_the_report_row(issue, page_texts, doc_type)
    hospital = _hospital(docs)
    diagnosis, disease_codes = _diagnosis(docs, doc_type)
    signature_present, signature_evidence = None, None
    if page_images is not None and "application_form" in (doc_type, hint_slot):
        signature_present, signature_evidence = _signature(pages, page_images)
    text_chars = sum(len("".join(page.text.split())) for page in page_texts)
    person = _person_name(docs, doc_type)
    return ExtractedFields(
        detected_type=decision.doc_type,
        type_score=decision.score,
        type_evidence=classify.decision_evidence(decision, page_texts),
        foreign_type=decision.foreign,
        issue_date=issue.field if issue else None,
        dates=tuple(d.field for d in dated),
        hospital=hospital[0] if hospital else None,
        hospital_in_registry=hospital[1] if hospital else False,
        person_name=person[0] if person else None,
        person_name_unsure_chars=person[1] if person else (),
        person_name_guesses=() if person else card_name_guesses(docs, doc_type),
        **_id_number(docs),
        diagnosis=diagnosis[0] if diagnosis else None,
        disease_code=disease_codes[0] if disease_codes else None,
        disease_codes=tuple(disease_codes),
        suspected_disease_codes=_suspected_codes(diagnosis[1]) if diagnosis else (),
        diagnosis_unsure_glyphs=diagnosis[1].unsure_glyphs() if diagnosis else (),
        stage=_stage(docs, diagnosis[1] if diagnosis else None),
        signature_present=signature_present,
        signature_evidence=signature_evidence,
        text_chars=text_chars,
        mean_confidence=round(_mean_confidence(pages), 4),
    )


# ---------------------------------------------------------------------------
# Dates
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CandidateDate:
    """A date read on the document with what is needed to choose the issue date."""

    field: DatedField
    priority: int
    order: tuple[int, int]
    raw: str = ""  # the date exactly as read
    day_lost: bool = False  # read to the month, its 日 right after it: the day's digits were lost (2025年8月日)


def _dates(docs: Sequence[Doc]) -> list[CandidateDate]:
    """Every date the pages show, as ``DatedField`` with evidence (label and date as read) and its priority."""
    out = []
    for doc in docs:
        for span in doc._.dates or []:
            located = _Located(doc, span)
            factor = (_CORRECTED_FACTOR if span._.date_corrected else 1.0) * (
                _MONTH_FACTOR if span._.date_precision == "month" else 1.0)
            value = span._.date_value
            shown = value.isoformat() if span._.date_precision == "day" else value.isoformat()[:7]
            label_start = span._.date_label_start
            evidence = located.evidence(value=shown, text_from=label_start, confidence_factor=factor)
            field = DatedField(value=value, role=span._.date_role, evidence=evidence,
                               precision="month" if span._.date_precision == "month" else "day",
                               digits_confidence=_digits_confidence(located.page, span),
                               part_confidences=_part_confidences(located.page, span))
            day_lost = field.precision == "month" and doc.text[span.end_char:span.end_char + 3].lstrip().startswith("日")
            out.append(CandidateDate(field, span._.date_priority or 0, (located.page.page.page, span.start_char),
                                     span.text, day_lost))
    return out


def births_by_the_id_number(dated: Sequence[CandidateDate], docs: Sequence[Doc]) -> list[CandidateDate]:
    """``dated`` with each date that is the birth date of an ID number read on the document made a birth date.

    A form's 出生日期 stands in its own cell, its label often too far or too low to be paired with it (a
    phone photo's 出生日期 | 1939年10月24日, fresh seed 9653): unlabelled, it was taken for the form's date.
    No document is issued on its holder's birthday of decades ago; the number says whose birthday it is.
    """
    births = {born for doc in docs for span in doc._.id_numbers or []
              if len(span._.id_full) == 18 and (born := birth_date_of(span._.id_full)) is not None}
    if not births:
        return list(dated)
    return [replace(d, field=d.field.model_copy(update={"role": "birth"}), priority=0)
            if d.field.value in births and d.field.precision == "day" and d.field.role != "birth" else d
            for d in dated]


def _digits_confidence(page: PageText, span: Span) -> float | None:
    least = dates.least_sure_numeral(span.text, page.char_confidences_of(span.start_char, span.end_char))
    return None if least is None else round(least, 3)


def _part_confidences(page: PageText, span: Span) -> tuple[float, float, float] | None:
    if span._.date_precision != "day":
        return None  # the day was not read
    parts = dates.part_confidences(span.text, page.char_confidences_of(span.start_char, span.end_char))
    return None if parts is None else (round(parts[0], 3), round(parts[1], 3), round(parts[2], 3))


def choose_issue_date(dated: Sequence[CandidateDate], doc_type: str) -> CandidateDate | None:
    """The document's report / issue date.

    Order: the type's own date (an application form's 申请日期); then the best-ranked report /
    issue label (报告日期 over 审核日期 over a bare 日期 beside the signature), first in reading
    order; then the type's fallback (an exam report's 检查日期, a record's 就诊日期); then a bare
    日期 near the top; then the last unlabelled date in the lower part of a page. Sampling,
    print, birth and validity dates are never chosen.

    Args:
        dated: Every date read on the document.
        doc_type: The detected (or hinted) type.
    """
    fallback_roles = TYPE_DATE_FALLBACK.get(doc_type, ())
    own_roles = TYPE_OWN_DATE.get(doc_type, ())

    def rank(item: CandidateDate) -> int:
        if item.field.role in own_roles:
            return _OWN_PRIORITY
        if item.field.role in fallback_roles:
            return _FALLBACK_PRIORITY
        return item.priority

    ranked = [(rank(d), d) for d in dated if rank(d) > 0]
    if not ranked:
        return None
    best = max(r for r, _ in ranked)
    tied = [d for r, d in ranked if r == best]
    if best <= UNLABELLED_PRIORITY:
        return max(tied, key=lambda d: d.order)  # the last unlabelled date in the lower part
    return _with_its_day(min(tied, key=lambda d: d.order), tied)


def _with_its_day(chosen: CandidateDate, tied: Sequence[CandidateDate]) -> CandidateDate:
    """The same date read whole when ``chosen`` stopped at its month and an equal-ranked row reads it
    to the day: 报告时间：2024年9月， (a box merged with the seal over it) and, read again under the
    seal, 报告时间：2024年9月17日16:04 (seed 9564)."""
    if chosen.field.precision == "day":
        return chosen
    month = (chosen.field.value.year, chosen.field.value.month)
    whole = [d for d in tied if d.field.precision == "day" and (d.field.value.year, d.field.value.month) == month]
    return min(whole, key=lambda d: d.order) if whole else chosen


# A lab's report follows its sample within the day or the next few (审核时间 the same afternoon).
GARBLED_REPORT_LAG_DAYS = 3


def report_under_a_garbled_label(dated: Sequence[CandidateDate]) -> CandidateDate | None:
    """An exam report's date under a time label the OCR garbled, when no report date was read.

    审核时间 under a seal read 请时间, 邮机时间 or 审时间: a time label, but whose (role ``other``). Taken
    only on the day of the report's own sampling or up to ``GARBLED_REPORT_LAG_DAYS`` after, so a
    print date long after the report (which would hide its age) is never taken for it.
    """
    sampled = [d.field.value for d in dated if d.field.role == "sampling"]
    if not sampled:
        return None
    latest = max(sampled)
    garbled = [d for d in dated if d.field.role == "other"
               and 0 <= (d.field.value - latest).days <= GARBLED_REPORT_LAG_DAYS]
    return min(garbled, key=lambda d: d.order) if garbled else None


_REPORT_ROLES = ("report", "issue")


def after_the_examination(issue: CandidateDate, dated: Sequence[CandidateDate]) -> CandidateDate:
    """A report date read earlier than its own sample or examination has its year misread
    (``2021.10.29`` for 2024 under a seal): take the year that puts it closest after them.

    A report dated months after them, one digit off a date soon after them, is kept as read and marked
    doubtful too. Only the year is repaired, and only when month and day then fall within
    ``_YEAR_LESS_MAX_DAYS`` after the latest sampling / examination date; otherwise the
    date is kept as read and marked doubtful (:func:`_doubtful`). An unlabelled date chosen for
    the report (a footer grid's cell whose header went unread: 2005.02.16 beside 采集时间
    2025.02.16, alternative templates family 2, seed 7102) is repaired the same way.
    """
    if issue.field.role not in (*_REPORT_ROLES, "unknown"):
        return issue
    before = [d.field.value for d in dated if d.field.role in dates.BEFORE_REPORT_ROLES]
    if not before:
        return issue
    anchor = max(before)
    if issue.field.value >= anchor:
        if (issue.field.value - anchor).days > REPORT_LAG_DAYS and _one_digit_from_soon_after(issue.field.value, anchor):
            # months after its examination, yet one digit off a date soon after it: 2025年8月30 for 3月30 under a
            # seal's star, read at 0.98 (alternative templates 2, seed 7111: a false DATE_IN_FUTURE)
            return _doubtful(issue)
        return issue
    value = dates.nearest_year(issue.field.value.month, issue.field.value.day, [anchor], _YEAR_LESS_MAX_DAYS)
    if value is None or value < anchor or value.year == issue.field.value.year:
        # misread, but not in its year alone (报告日期：2024年1月20日 for 11月20日 after 采集时间 2024年11月18日,
        # fresh seed 9622, a false REPORT_EXPIRED): kept as read, and no return rests on it
        return _doubtful(issue)
    return _redated(issue, value)


REPORT_LAG_DAYS = 31  # a report follows its sample or examination within a month


def not_before_the_visit(issue: CandidateDate, dated: Sequence[CandidateDate]) -> CandidateDate:
    """A record or summary dated before the visit it documents is misread (its 出院小结 dated 2024年1月15日 for
    11月15日, a digit of the month lost, after 入院日期 2024年11月9日 and 出院日期 2024年11月15日).

    One digit of its month or day lost, added or read otherwise gives a visit date read on the document:
    that date, when only one does. Otherwise it is kept as read and marked doubtful: no return rests on it.
    """
    if issue.field.role not in _REPORT_ROLES:
        return issue
    visits = {d.field.value for d in dated if d.field.role == "visit" and d.order != issue.order}
    if not visits or issue.field.value >= min(visits):
        return issue
    repairs = _one_digit_repairs(issue.field.value) & visits
    if len(repairs) == 1:
        return _redated(issue, repairs.pop())
    return _doubtful(issue)


def _one_digit_repairs(value: date, *, misread_only: bool = False) -> set[date]:
    """The dates of ``value``'s year whose month or day is that of ``value`` with one digit lost, added or
    read otherwise (as printed with or without a leading zero); only read otherwise with ``misread_only``."""
    found = set()
    for part in ("month", "day"):
        number = getattr(value, part)
        for written in {str(number), f"{number:02d}"}:
            variants = {written[:at] + digit + written[at + 1:] for at in range(len(written)) for digit in "0123456789"}
            if not misread_only:
                variants |= {written[:at] + written[at + 1:] for at in range(len(written))}
                variants |= {written[:at] + digit + written[at:] for at in range(len(written) + 1) for digit in "0123456789"}
            for variant in variants:
                if not variant or len(variant) > 2:
                    continue
                try:
                    found.add(value.replace(**{part: int(variant)}))
                except ValueError:
                    continue
    found.discard(value)
    return found


def _one_digit_from_soon_after(value: date, anchor: date) -> bool:
    """Whether one digit of ``value``'s month or day, read otherwise, gives a date ``REPORT_LAG_DAYS`` or less
    after ``anchor``."""
    return any(0 <= (candidate - anchor).days <= REPORT_LAG_DAYS
               for candidate in _one_digit_repairs(value, misread_only=True))


def _redated(issue: CandidateDate, value: date, **changes: object) -> CandidateDate:
    """``issue`` repaired to ``value``: its evidence shows the repaired value, with less confidence, and
    its per-part confidences (of what was read) no longer apply."""
    evidence = issue.field.evidence
    evidence = evidence.model_copy(update={"value": value.isoformat(),
                                           "confidence": round((evidence.confidence or 1.0) * _CORRECTED_FACTOR, 3)})
    read_as = issue.field.read_as or issue.field.value
    return replace(issue, field=issue.field.model_copy(update={"value": value, "evidence": evidence, "read_as": read_as,
                                                               "part_confidences": None, **changes}))


def _doubtful(issue: CandidateDate) -> CandidateDate:
    """``issue`` with its digits marked doubtful (``digits_confidence`` 0): no return rests on it."""
    return replace(issue, field=issue.field.model_copy(update={"digits_confidence": 0.0, "part_confidences": None}))


_UNSURE_REPORT_YEAR = 0.6


def on_the_examination_day(issue: CandidateDate, dated: Sequence[CandidateDate]) -> CandidateDate:
    """A report date whole years after its own sampling or examination, on its day or up to
    ``GARBLED_REPORT_LAG_DAYS`` after it, its year one digit off theirs, has its year misread: an ECG
    reported the day it was taken read 报售时间：20939月24日 under a seal, beside 检查日期：2023年9月24日
    clear of it (2093: an alternative template, seed 7002); an ultrasound report read 报告日期12055年04月24日
    a day after 检查日期：2025年04月23日 (fresh seed 9601). The examination's year, read surely, is taken
    (the next one when the report crosses the new year)."""
    if issue.field.role not in _REPORT_ROLES:
        return issue
    read = issue.field.value
    parts = issue.field.part_confidences
    year_unsure = parts is not None and parts[0] < _UNSURE_REPORT_YEAR
    for other in dated:
        seen = other.field
        # a report a year to the day after its examination is unlikely but possible; years later, or with its
        # year read unsurely, it is a misreading
        if not (read.year - seen.value.year >= 2 or year_unsure):
            continue
        if seen.role not in dates.BEFORE_REPORT_ROLES or seen.precision != "day" or seen.value.year >= read.year \
                or seen.part_confidences is None or seen.part_confidences[0] < dates.SURE_WITNESS_YEAR:
            continue
        value = _reported_after(seen.value, read)
        if value is None or not dates.years_one_digit_apart(value.year, read.year):
            continue
        return _redated(issue, value)
    return issue


def the_first_day_of_its_validity(issue: CandidateDate, dated: Sequence[CandidateDate]) -> CandidateDate:
    """An approval whose date's year was read unsurely, on the same month and day as its validity period,
    a year one digit off, read surely, is dated that year: an approval is valid from the day it is
    given (审批日期：2003年4月16日, its 0 at 0.55, above 有效期：2023年4月16日至…; fresh seed 9613)."""
    parts = issue.field.part_confidences
    if issue.field.role not in _REPORT_ROLES or parts is None or parts[0] >= _UNSURE_REPORT_YEAR:
        return issue
    read = issue.field.value
    for other in dated:
        seen = other.field
        if seen.role != "validity" or seen.precision != "day" or seen.part_confidences is None \
                or seen.part_confidences[0] < dates.SURE_WITNESS_YEAR:
            continue
        if (seen.value.month, seen.value.day) != (read.month, read.day) or seen.value.year == read.year \
                or not dates.years_one_digit_apart(seen.value.year, read.year):
            continue
        return _redated(issue, seen.value)
    return issue


def _reported_after(examined: date, read: date) -> date | None:
    """The date with ``read``'s month and day that falls on ``examined`` or up to
    ``GARBLED_REPORT_LAG_DAYS`` after it, if there is one."""
    for year in (examined.year, examined.year + 1):
        try:
            candidate = read.replace(year=year)
        except ValueError:  # 29 February
            continue
        if 0 <= (candidate - examined).days <= GARBLED_REPORT_LAG_DAYS:
            return candidate
    return None


_NOT_A_REPORT_DATE = ("birth", "validity", "print")


def before_the_print(issue: CandidateDate, dated: Sequence[CandidateDate]) -> CandidateDate:
    """A report date later than the document's own print date has a digit misread: a report is
    printed after it is written (报告日期 2026/05/31 read under a seal, 打印时间 2025-10-13).

    The year is repaired when the year one digit off it that puts the date on or before the print
    date is also the date of another row on the document (2025-05-31 read elsewhere on it). Otherwise
    a date whose digits were not all read surely (``SURE_PRINTED_DIGITS``) is marked doubtful
    (``digits_confidence`` 0), so no return rests on it; one read surely stands as read.
    """
    if issue.field.role not in _REPORT_ROLES:
        return issue
    printed = [d.field.value for d in dated if d.field.role == "print"]
    if not printed or issue.field.value <= min(printed):
        return issue
    printed_on, value = min(printed), issue.field.value
    others = {d.field.value for d in dated if d.order != issue.order and d.field.role not in _NOT_A_REPORT_DATE}
    for year in (printed_on.year, printed_on.year - 1):
        try:
            candidate = value.replace(year=year)
        except ValueError:  # 29 February
            continue
        if dates.years_one_digit_apart(year, value.year) and candidate <= printed_on and candidate in others:
            return _redated(issue, candidate)
    if issue.field.digits_confidence is not None and issue.field.digits_confidence >= SURE_PRINTED_DIGITS:
        return issue  # read surely: the report really is dated after its printing (altered, or mistyped)
    return _doubtful(issue)


# A report / issue label and the year after it, on a row whose date was not read whole (报告日期2025年00月20日:
# the month's 3 read 0, no valid date).
_REPORT_ROW_YEAR = re.compile(r"(?:报\s*告|审\s*核|签\s*发|出\s*具|开\s*具)\s*(?:日\s*期|时\s*间)\s*[:：]?\s*((?:19|20)\d\d)")


def contradicted_by_the_report_row(issue: CandidateDate, page_texts: Sequence[PageText],
                                   doc_type: str) -> CandidateDate:
    """A fallback date (an exam report's 检查日期) whose year the report's own date row, unread as a date,
    gives otherwise is doubtful: 检查日期：2020年03月20日 (its 5 read 0 at 0.72) under 报告日期2025年00月20日
    made a false REPORT_EXPIRED (fresh seed 9595). Its digits are marked doubtful (``digits_confidence``
    0), so no return rests on it; a person reads the date."""
    if issue.field.role not in TYPE_DATE_FALLBACK.get(doc_type, ()):
        return issue
    years = {int(found.group(1)) for page in page_texts for found in _REPORT_ROW_YEAR.finditer(page.text)}
    if not years or years == {issue.field.value.year}:
        return issue
    return _doubtful(issue)


# A report date after the print date, every digit read at this or more, is what the paper says: fresh
# seeds 9526 and 9530 had reports dated after submission (and after their print date) read at 0.9+
# on clean scans, DATE_IN_FUTURE, which marking them doubtful had turned into a manual review.
SURE_PRINTED_DIGITS = 0.9


SURE_ROW_DIGITS = 0.9


def confirmed_by_another_row(issue: CandidateDate, dated: Sequence[CandidateDate]) -> CandidateDate:
    """A date read unsurely that another row of the document reads the same, every digit surely, is
    that sure reading: 时间：20260821 with its 6 at 0.43, and 检查日期：2026.08.21 at 0.96 above it
    (fresh seed 9537, a report dated a year after submission, left to a person as a doubtful year).
    The issue date keeps its own row as evidence; its digits and confidence become the other row's."""
    own = issue.field.digits_confidence
    if own is None or own >= SURE_ROW_DIGITS or issue.field.precision != "day":
        return issue
    sure = [d.field for d in dated if d.order != issue.order and d.field.value == issue.field.value
            and d.field.precision == "day" and d.field.role not in ("birth", "validity")
            and d.field.digits_confidence is not None and d.field.digits_confidence >= SURE_ROW_DIGITS]
    if not sure:
        return issue
    best = max(sure, key=lambda f: (f.digits_confidence or 0.0, f.evidence.confidence or 0.0))
    evidence = issue.field.evidence.model_copy(update={"confidence": max(issue.field.evidence.confidence or 0.0,
                                                                         best.evidence.confidence or 0.0)})
    field = issue.field.model_copy(update={"digits_confidence": best.digits_confidence,
                                           "part_confidences": best.part_confidences, "evidence": evidence})
    return replace(issue, field=field)


_PADDED_MONTH_SHORT_DAY = re.compile(r"(?<!\d)\d{4}\D{1,3}0[1-9]\D{1,3}([1-9])(?!\d)")
_NOT_THE_SAME_DAY_ROLES = ("birth", "validity", "print", "other")


def _one_character_off(read: str, written: str) -> bool:
    return len(read) == len(written) and sum(a != b for a, b in zip(read, written, strict=True)) == 1


def restore_lost_day_digit(issue: CandidateDate, dated: Sequence[CandidateDate]) -> CandidateDate:
    """A day OCR lost a digit of: ``2025年04月4日`` where the document's other date reads ``2025年04月24日``.

    A date printed with a zero-padded month is printed with a two-digit day; a single-digit day
    after ``04月`` lost one of its digits. When exactly one other date on the document (not a birth,
    validity or print date) has the same year and month and a two-digit day holding that digit
    (``24`` for ``4``, ``29`` for ``2``), the day is taken from it. Likewise a Chinese-numeral day
    cut at the row's end, read as the month only (``二〇二五年十月十`` where the other date reads
    ``十月十八日``): the other date whose day is written starting with what was read; or, when what was
    read is no day (``七月十十三``), whose day is written so with one numeral misread. And a day lost
    whole (``申请日期：2025年8月日`` on a form the physician dated ``2025年8月9日``): the one other date of
    that month. Otherwise the date is kept as read.
    """
    raw = dates.normalise_ocr_text(issue.raw)
    value = issue.field.value
    cut_day = dates.cut_chinese_day(raw)
    if _PADDED_MONTH_SHORT_DAY.search(raw):
        def lost(day: int) -> bool:  # either digit may be the one lost (24 read 4, 29 read 2)
            return day >= 10 and value.day in (day % 10, day // 10)
    elif cut_day and any(dates.cn_day_text(day).startswith(cut_day) for day in range(1, 32)):
        def lost(day: int) -> bool:  # 二 of 二十八: the rest was cut off with the 日
            return dates.cn_day_text(day).startswith(cut_day)
    elif cut_day:
        def lost(day: int) -> bool:  # 十十三, no day as written: 二十三 with one numeral misread
            return _one_character_off(cut_day, dates.cn_day_text(day))
    elif issue.day_lost:
        def lost(day: int) -> bool:  # 2025年8月日: any day of the month
            return True
    else:
        return issue
    fits = {d.field.value for d in dated
            if d.order != issue.order and d.field.role not in _NOT_THE_SAME_DAY_ROLES
            and (d.field.value.year, d.field.value.month) == (value.year, value.month) and lost(d.field.value.day)}
    if len(fits) != 1:
        return issue
    return _redated(issue, fits.pop(), precision="day")


# ---------------------------------------------------------------------------
# Hospital, name, ID number
# ---------------------------------------------------------------------------


def _hospital(docs: Sequence[Doc]) -> tuple[FieldValue, bool] | None:
    """The issuing hospital: title area of the first pages, or after a 医院名称 label, before other mentions."""
    best: tuple[tuple[float, ...], FieldValue, bool] | None = None
    for doc in docs:
        page = doc._.page_text
        for span in doc._.hospitals or []:
            rel_y = page.relative_y(span.start_char, span.end_char)
            header = rel_y <= _TITLE_ZONE or bool(span._.hospital_labelled)
            key = (float(header), -float(page.page.page), float(span._.hospital_in_registry), -rel_y,
                   float(span._.hospital_score or 0.0))
            located = _Located(doc, span)
            value = FieldValue(value=span._.hospital_name,
                               evidence=located.evidence(value=span._.hospital_name,
                                                         confidence_factor=span._.hospital_score or 1.0))
            if best is None or key > best[0]:
                best = (key, value, bool(span._.hospital_in_registry))
    return (best[1], best[2]) if best else None


_NAME_ROLE_ORDER = {"patient": 0, "principal": 1, "agent": 2}
_CLEARLY_MORE_CONFIDENT = 0.05
_CONFIDENT_NAME = 0.85  # ... and is itself a confident reading (not 0.58 against 0.47 on a blurred card)


def _person_name(docs: Sequence[Doc], doc_type: str) -> tuple[FieldValue, tuple[int, ...]] | None:
    """The document's person: the patient / applicant; on a power of attorney, the principal (委托人).

    Among names of the best role, a name that another one contains is taken as that one with a
    character lost (``德军`` in ``贾德军``), and a name written more often on the document wins over
    a single misreading (``贾燕蒸`` once, ``贾燕燕`` twice); then a reading clearly more confident than
    the rest (by 0.05), the more specific label (…姓名), the first page, the first position. An ID
    card whose labels were not read falls back to its first line. A power of attorney's agent
    (受托人) is never taken: with its principal unread, the name is unknown.

    Returns:
        The name and the positions of its characters read unsurely.
    """
    order = dict(_NAME_ROLE_ORDER)
    if doc_type == "power_of_attorney":
        order = {"principal": 0, "patient": 1}
    candidates = [(doc, span) for doc in docs for span in doc._.person_names or []
                  if not (doc_type == "power_of_attorney" and span._.person_role == "agent")]
    if not candidates:
        return _card_name(docs) if doc_type in ("id_card", "residence_permit") else None
    best_role = min(order.get(span._.person_role, 3) for _, span in candidates)
    candidates = [(doc, span) for doc, span in candidates if order.get(span._.person_role, 3) == best_role]
    values = {id(span): span._.person_value or "".join(span.text.split()) for _, span in candidates}
    longer = [c for c in candidates if not any(values[id(c[1])] != values[id(o[1])] and values[id(c[1])] in
                                               values[id(o[1])] for o in candidates)]
    all_text = "".join("".join(doc.text.split()) for doc in docs)

    def key(item: tuple[Doc, Span]) -> tuple[int, int, int, int]:
        doc, span = item
        return (-all_text.count(values[id(span)]), _label_rank(item[1]), doc._.page_text.page.page, span.start_char)

    pool = longer or candidates
    doc, span = min(pool, key=key)
    # Two readings as often each: one read with clearly more confidence beats the label's preference
    # (委托人：抗晓 at 0.87 against 委托人（签字/按印）：沈晓 at 0.95).
    confidence = {id(s): d._.page_text.confidence_of(s.start_char, s.end_char) for d, s in pool}
    rivals = [c for c in pool if key(c)[0] == key((doc, span))[0] and confidence[id(c[1])] >= _CONFIDENT_NAME
              and (_label_rank(c[1]) < _BARE_NAME_RANK or _label_rank(span) == _BARE_NAME_RANK)
              and confidence[id(c[1])] >= confidence[id(span)] + _CLEARLY_MORE_CONFIDENT]
    if rivals:
        doc, span = max(rivals, key=lambda c: confidence[id(c[1])])
    value = values[id(span)]
    located = _Located(doc, span)
    return FieldValue(value=value, evidence=located.evidence(value=value, text_from=span._.person_label_start,
                                                             by_character=True)), located.unsure_characters()


_BARE_NAME_RANK = 3


def _label_rank(span: Span) -> int:
    """How surely the name's label names the person: …姓名 first; a bare 名 (its 姓 lost) last, since
    it may as well be what is left of 签名 (医师签名：邓云 with 医师签 under the seal, fresh seed 9586)."""
    label = "".join((span._.person_label or "").split()).rstrip(":：")
    if label.endswith("姓名"):
        return 0
    if label == "名":
        return _BARE_NAME_RANK
    return 2 if re.search("签[名字章]", label) else 1


_CARD_NAME = re.compile(r"^[\u4e00-\u9fff·]{2,5}$")
_CARD_NAME_CONFIDENCE = 0.7
# Printed card words, also with a character lost or misread (发机关 of 签发机关, 民蒙古 of 民族 蒙古,
# 出型 of 出生), and the certification a photocopy carries (与原件一致, 复印件…, also misread: 与照件一政 on
# fresh seed 9596, a false IDENTITY_MISMATCH), are not names.
_CARD_WORDS = re.compile(r"中华|人民|共和国|国民|公民|号码|身份|居住|社会|保障|公安|签发|发卡|发机|机关|发.关|有效|民族|"
                         r"^民|^出|姓名|性别|出生|住址|地址|汉|男|女|原件|一致|复印|仅供|专用|港口|^与|[别证局司省市县区路街号村镇乡期址限件]"
                         # the birth row's 年 月 日 with its digits lost (年月日 on fresh seed 9654)
                         r"|年.?月|月.?日"
                         # the value of 民族 when it stands alone (蒙古 on fresh seed 9610): the nationalities
                         # named in two characters or more, one character being a surname too (白, 满, 回)
                         r"|^(?:蒙古|维吾尔|布依|朝鲜|土家|哈尼|哈萨克|傈僳|拉祜|东乡|纳西|景颇|柯尔克孜|达斡尔|仫佬|布朗|撒拉|"
                         r"毛南|仡佬|锡伯|阿昌|普米|塔吉克|乌孜别克|俄罗斯|鄂温克|德昂|保安|裕固|塔塔尔|独龙|鄂伦春|赫哲|"
                         r"门巴|珞巴|基诺|高山)族?$")

# The card's two-character labels, as a photo misreads one character of them (佳址 for 住址, 性名 for 姓名,
# 作址, 在效 for 有效: each character of these only loosely alike, 0.67-0.68, seed 9541).
_CARD_LABELS = ("姓名", "性别", "民族", "出生", "住址", "有效", "公民")


def _a_misread_card_label(text: str) -> bool:
    """Whether ``text`` is a card label with one character read loosely alike, the other exactly."""
    return len(text) == 2 and any(
        sum(a == b for a, b in zip(text, label, strict=True)) == 1
        and all(a == b or glyph_similarity(a, b) >= LOOSELY_ALIKE for a, b in zip(text, label, strict=True))
        for label in _CARD_LABELS)


_NATIONAL_TITLE = "中华人民共和国"
_NATIONAL_TITLE_KEPT = 3


def _a_misread_national_title(text: str) -> bool:
    """Whether ``text`` is what a blurred card back's 中华人民共和国 reads as: three of its characters, in
    order, among others misread (中年人此和, with 中 and 和 read surely, fresh seed 9622: a false
    IDENTITY_MISMATCH). No name holds three of them."""
    matcher = difflib.SequenceMatcher(None, text, _NATIONAL_TITLE, autojunk=False)
    return sum(block.size for block in matcher.get_matching_blocks()) >= _NATIONAL_TITLE_KEPT


def _card_name(docs: Sequence[Doc]) -> tuple[FieldValue, tuple[int, ...]] | None:
    """An ID card's name when its printed labels were not read: the name-like box nearest the birth date or number.

    A card's name sits a row or two above its birth date and number; boxes naming places or
    offices (…公安局, …路) are not names. Each OCR box is a candidate on its own, since on a
    tilted photo the name's box may share a row with 性别 / 女; a box read with little
    confidence (a guess at smudged print) is not taken: see :func:`card_name_guesses`.
    """
    sure = [c for c in _card_name_candidates(docs) if c.confidence >= _CARD_NAME_CONFIDENCE]
    return sure[0].field() if sure else None


def card_name_guesses(docs: Sequence[Doc], doc_type: str) -> tuple[NameGuess, ...]:
    """The name-like boxes of an ID card read too unsurely to be taken as its name, nearest first.

    They are never reported as a name; they can only confirm the expected person's name as the
    OCR misread it (马派花 at 0.66 for 马淑花, :func:`pipeline.names.reconcile_person_name`).
    """
    if doc_type not in ("id_card", "residence_permit"):
        return ()
    return tuple(NameGuess(name=name, unsure_chars=unsure) for name, unsure in (
        c.field() for c in _card_name_candidates(docs) if c.confidence < _CARD_NAME_CONFIDENCE))


@dataclass(frozen=True)
class _CardNameCandidate:
    located: _Located
    text: str
    confidence: float

    def field(self) -> tuple[FieldValue, tuple[int, ...]]:
        return (FieldValue(value=self.text, evidence=self.located.evidence(value=self.text, confidence_factor=0.8,
                                                                           by_character=True)),
                self.located.unsure_characters())


def _label_remnant(text: str) -> int:
    """How many characters ``text`` starts with that are the card's 姓名 label run into the name: the label
    (also misread: 批名黄伟庆, fresh seed 9617), or what is left of it (姓乔丽, 名红英: 姓 and 名 name nobody)."""
    if len(text) >= 4 and (text.startswith("姓名") or _a_misread_card_label(text[:2])) and _CARD_NAME.match(text[2:]):
        return 2
    if len(text) >= 3 and text[0] in "姓名" and _CARD_NAME.match(text[1:]):
        return 1
    return 0


def _card_name_candidates(docs: Sequence[Doc]) -> list[_CardNameCandidate]:
    """Every name-like box of the card's first page, nearest its birth date or number first, then the larger."""
    if not docs:
        return []
    doc = docs[0]
    page = doc._.page_text
    anchors = [page.row_index_at(s.start_char) for s in (doc._.id_numbers or []) + (doc._.dates or [])]
    ranked = []
    for index, row in enumerate(page.rows):
        for piece in page.pieces_in(row.start, row.end):
            line = page.page.lines[piece.line_index]
            raw = page.text[piece.start:piece.end]
            start = piece.start + len(raw) - len(raw.lstrip()) + _label_remnant(raw.strip())
            text = page.text[start:piece.end].strip()
            if (_CARD_NAME.match(text) and not _CARD_WORDS.search(text) and not _a_misread_card_label(text)
                    and not _a_misread_national_title(text)):
                span = doc.char_span(start, piece.end, alignment_mode="expand")
                if span is None:
                    continue
                distance = min((abs(index - a) for a in anchors), default=index)
                # nearest the anchors; then the larger print (the name is set bigger than the labels)
                ranked.append(((distance, -line.bbox[3], index, piece.start),
                               _CardNameCandidate(_Located(doc, span), text, line.confidence)))
    return [candidate for _, candidate in sorted(ranked, key=lambda item: item[0])]


def _id_number(docs: Sequence[Doc]) -> dict[str, object]:
    """The masked ID number and the full one (kept in memory only), valid check digits first.

    A number whose check digit fails is most likely misread: it is reported masked, with a
    halved confidence, and without ``id_number_full`` so that no identity check runs on it.
    """
    candidates = []
    for doc in docs:
        for span in doc._.id_numbers or []:
            candidates.append(((not span._.id_valid, not span._.id_labelled, doc._.page_text.page.page,
                                span.start_char), doc, span))
    if not candidates:
        return {}
    _, doc, span = min(candidates, key=lambda c: c[0])
    masked = mask_id_number(span._.id_full)
    evidence = _Located(doc, span).evidence(value=masked, confidence_factor=1.0 if span._.id_valid else 0.5)
    # the evidence text is the number as read: mask it too
    evidence = evidence.model_copy(update={"text": mask_id_number(evidence.text or "")})
    out: dict[str, object] = {"id_number": FieldValue(value=masked, evidence=evidence)}
    if span._.id_valid:
        out["id_number_full"] = SecretStr(span._.id_full)
        out["id_number_unsure_digits"] = _unsure_digits(doc, span)
    elif len(span._.id_full) == 18:
        out["id_number_misread_full"] = SecretStr(span._.id_full)
        out["id_number_unsure_digits"] = _unsure_digits(doc, span)
    return out


SURE_DIGIT_CONFIDENCE = 0.9


def _unsure_digits(doc: Doc, span: Span) -> tuple[int, ...]:
    """Positions of the ID number's 18 characters read below ``SURE_DIGIT_CONFIDENCE`` (all, when unknown)."""
    confidences = doc._.page_text.char_confidences_of(span.start_char, span.end_char)
    digits = [c for ch, c in zip(span.text, confidences, strict=True) if ch.isalnum()]
    if len(digits) != 18:
        return tuple(range(18))
    return tuple(i for i, c in enumerate(digits) if c is None or c < SURE_DIGIT_CONFIDENCE)


# ---------------------------------------------------------------------------
# Diagnosis, disease, stage
# ---------------------------------------------------------------------------


def _diagnosis(docs: Sequence[Doc], doc_type: str) -> tuple[tuple[FieldValue, _Located] | None, list[str]]:
    """The main diagnosis by label group (type-dependent order), its disease codes in order of mention."""
    order = _DIAGNOSIS_ORDER.get(doc_type, _DEFAULT_DIAGNOSIS_ORDER)
    candidates = []
    for doc in docs:
        for span in doc._.diagnoses or []:
            group = span._.diagnosis_group
            rank = order.index(group) if group in order else len(order)
            has_code = 0 if span._.disease_codes else 1
            candidates.append(((rank, has_code, doc._.page_text.page.page, span.start_char), doc, span))
    if not candidates:
        if doc_type in _UNLABELLED_DIAGNOSIS_TYPES:
            found = _unlabelled_diagnosis(docs)
            if found is not None:
                return found
        codes = [m._.disease_code for doc in docs for m in (doc._.disease_mentions or [])
                 if m._.disease_via == "icd10"]
        return None, list(dict.fromkeys(codes))
    _, doc, span = min(candidates, key=lambda c: c[0])
    located = _Located(doc, span)
    value = diagnosis_value(span.text, span._.diagnosis_item_starts or (), span._.diagnosis_skipped or ())
    evidence = located.evidence(value=value, text_from=span._.diagnosis_label_start, bbox_from_span=False)
    words = _words_confidence(located)
    if words is not None:
        evidence = evidence.model_copy(update={"confidence": words})
    field = FieldValue(value=value, evidence=evidence)
    codes = list(span._.disease_codes or [])
    if not codes:
        # another labelled diagnosis on the document may name the disease (临床诊断 beside 印象)
        for _, _, other in sorted(candidates, key=lambda c: c[0]):
            if other._.disease_codes:
                codes = list(other._.disease_codes)
                break
    return (field, located), codes


# An ICD code in brackets after the diagnosis (（I10）), spaces and punctuation: not the diagnosis's words.
_NOT_WORDS = re.compile(r"[（(]\s*[A-Z]\s*\d{2}(?:\s*\.\s*\d+)?\s*[)）]|[\s（）()，,。.、；;：:]")


def _words_confidence(located: _Located) -> float | None:
    """The mean OCR confidence of the diagnosis's own words (its characters but an ICD code in brackets,
    spaces and punctuation), None when the engine gave no character confidences. 高血压病1级中危 (I10) was
    read at 0.90 as a line for its bracket and code (0.59-0.73), every word at 0.95 or more: a person was
    asked to read a grade read surely (fresh seed 9607, the true STAGE_NOT_MET lost)."""
    text = located.span.text
    confidences = located.page.char_confidences_of(located.span.start_char, located.span.end_char)
    if not confidences or any(c is None for c in confidences):
        return None
    skipped = {i for match in _NOT_WORDS.finditer(text) for i in range(match.start(), match.end())}
    kept = [c for i, c in enumerate(confidences) if i not in skipped and c is not None]
    return round(sum(kept) / len(kept), 3) if kept else None


def _suspected_codes(located: _Located) -> tuple[str, ...]:
    """The diseases the diagnosis names only as suspected: every mention of them in it is (疑似肺癌)."""
    inside = [m for m in located.doc._.disease_mentions or []
              if located.span.start_char <= m.start_char < located.span.end_char]
    codes = dict.fromkeys(m._.disease_code for m in inside)
    return tuple(code for code in codes if all(m._.disease_suspected for m in inside if m._.disease_code == code))


# Documents whose diagnosis row may be taken without its label, and what a row naming a disease
# must not be: history, complaint, advice or the form's own 申请病种.
_UNLABELLED_DIAGNOSIS_TYPES = ("diagnosis_certificate", "medical_record")
_NOT_A_DIAGNOSIS_ROW = re.compile(r"史|既往|否认|主诉|家族|过敏|建议|处理|医嘱|申请|病种|[:：]")
_UNLABELLED_FACTOR = 0.8


def _unlabelled_diagnosis(docs: Sequence[Doc]) -> tuple[tuple[FieldValue, _Located], list[str]] | None:
    """A row that names a catalog disease by name, read where the 诊断 label was lost (OCR dropped
    it on a blurred photo: 同种异体肝移植术后 on a row of its own), when no row has the label.

    The row must carry no label of its own and no history, complaint or advice words before the
    name; the first such row is taken, at reduced confidence.
    """
    for doc in docs:
        page = doc._.page_text
        for mention in doc._.disease_mentions or []:
            if mention._.disease_via != "name":
                continue
            row = page.rows[page.row_index_at(mention.start_char)]
            if _NOT_A_DIAGNOSIS_ROW.search(page.text[row.start:mention.start_char]):
                continue
            taken = _row_as_diagnosis(doc, row.start, row.end)
            if taken is None:
                continue
            codes = [m._.disease_code for m in doc._.disease_mentions
                     if row.start <= m.start_char < row.end and m._.disease_via != "icd10"]
            return taken, list(dict.fromkeys(codes))
    return _unlabelled_family_row(docs)


def _row_as_diagnosis(doc: Doc, start: int, end: int) -> tuple[FieldValue, _Located] | None:
    """The row ``doc.text[start:end]`` taken as the diagnosis without its label, at reduced confidence."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return None
    value = span.text.strip()
    located = _Located(doc, span)
    return FieldValue(value=value, evidence=located.evidence(value=value, confidence_factor=_UNLABELLED_FACTOR)), located


_FAMILY_ROW_PATTERNS = tuple((code, re.compile(p)) for code, items in DISEASE_FAMILY_PATTERNS.items() for p in items)


def _unlabelled_family_row(docs: Sequence[Doc]) -> tuple[tuple[FieldValue, _Located], list[str]] | None:
    """A row naming a disease of an open-ended family (乙状结肠癌术后: any organ's 癌) where the 诊断
    label was lost (诊图：, seed 9530): the catalog's names cannot list every such disease, and the
    family patterns otherwise run inside labelled diagnoses only. Same row conditions as above."""
    for doc in docs:
        page = doc._.page_text
        for row in page.rows:
            text = page.text[row.start:row.end]
            for code, pattern in _FAMILY_ROW_PATTERNS:
                match = pattern.search(text)
                if match is None or fieldtext.is_family_match_negated(text, match.start(), match.end()) \
                        or _NOT_A_DIAGNOSIS_ROW.search(text[:match.start()]):
                    continue
                taken = _row_as_diagnosis(doc, row.start, row.end)
                if taken is not None:
                    return taken, [code]
    return None


def _stage(docs: Sequence[Doc], diagnosis: _Located | None) -> FieldValue | None:
    """Stage / grade / type / complication statements of the main diagnosis, joined in order of mention."""
    if diagnosis is None:
        return None
    span = diagnosis.span
    stages = [s for s in diagnosis.doc._.stages or [] if span.start_char <= s.start_char < span.end_char]
    kept = [s for s in stages if s._.stage_kind in _STAGE_KINDS] or [s for s in stages if s._.stage_kind == "risk"]
    if not kept:
        return None
    values = list(dict.fromkeys(s._.stage_value for s in kept))
    first, last = kept[0], kept[-1]
    merged = diagnosis.doc.char_span(first.start_char, last.end_char, alignment_mode="expand")
    if merged is None:
        return None
    return FieldValue(value="，".join(values), evidence=_Located(diagnosis.doc, merged).evidence(value="，".join(values)))


# ---------------------------------------------------------------------------
# Signature and page statistics
# ---------------------------------------------------------------------------


def _signature(pages: Sequence[OcrPage], images: Sequence[np.ndarray | None]) -> tuple[bool | None, Evidence | None]:
    """The first physician-signature field found on the form's pages decides."""
    searched = []
    unclear: Evidence | None = None
    for page, image in zip(pages, images, strict=False):
        if image is None:
            continue
        searched.append(page.page)
        result = detect_physician_signature(image, page)
        if result.present is not None:
            return result.present, result.evidence
        unclear = unclear or result.evidence  # a field found but too blurred to tell
    if unclear is not None:
        return None, unclear
    return None, Evidence(stage="extract", pages_searched=searched or None) if searched else None


def _mean_confidence(pages: Sequence[OcrPage]) -> float:
    weights = [sum(max(len(line.text), 1) for line in page.lines) for page in pages]
    if not sum(weights):
        return 0.0
    return sum(w * page.mean_confidence for w, page in zip(weights, pages, strict=True)) / sum(weights)
