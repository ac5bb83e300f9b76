"""form_dates: an application-time date with one year digit misread is repaired from the submission date."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from models.evidence import Evidence
from models.fields import DatedField, ExtractedFields
from models.manifest import Applicant, Manifest
from models.reading import DocumentReading
from pipeline.form_dates import APPLICATION_LEAD, reconcile_application_date, repaired_application_year


@pytest.mark.parametrize(("read", "submitted", "expected"), [
    ("2005-03-03", "2025-03-10", "2025-03-03"),   # seed 9537: 2005/03/03 on a phone photo
    ("2023-04-04", "2025-04-20", "2025-04-04"),   # seed 9543: 3 for 5
    ("2015-04-04", "2025-04-20", "2025-04-04"),   # seed 9543: 1 for 2
    ("2024-12-20", "2025-01-05", None),           # a few weeks before submission: as read
    ("2014-12-20", "2025-01-05", "2024-12-20"),   # the year before the submission's
    ("2026-03-03", "2025-03-10", None),           # after submission: the date checks see it as read
    ("2005-09-03", "2025-03-10", None),           # 2025-09-03 would be after submission
    ("2018-03-03", "2025-03-10", None),           # two digits off
])
def test_a_misread_year_of_an_application_time_date(read, submitted, expected):
    found = repaired_application_year(date.fromisoformat(read), date.fromisoformat(submitted))
    assert (found.isoformat() if found else None) == expected


def _reading(slot: str, read: str, parts: tuple[float, float, float] | None = None) -> DocumentReading:
    evidence = Evidence(stage="extract", page=1, bbox=[10, 10, 100, 20], text=f"申请日期：{read}", value=read,
                        confidence=0.9)
    field = DatedField(value=date.fromisoformat(read), role="request", evidence=evidence, precision="day",
                       part_confidences=parts)
    return DocumentReading(file="f.jpg", slot=slot, fields=ExtractedFields(issue_date=field))


@pytest.mark.parametrize(("slot", "expected"), [
    ("application_form", "2025-03-03"), ("power_of_attorney", "2025-03-03"),
    ("exam_report", "2005-03-03"),  # an exam report may be old: its date is never repaired
])
def test_only_application_time_materials_are_repaired(slot, expected):
    manifest = Manifest(application_id="T-1", applicant=Applicant(name="傅胜军"), submitted_on=date(2025, 3, 10))
    out = reconcile_application_date(_reading(slot, "2005-03-03"), manifest)
    assert out.fields is not None and out.fields.issue_date is not None
    assert out.fields.issue_date.value.isoformat() == expected
    if expected != "2005-03-03":
        assert out.fields.issue_date.evidence.text == "申请日期：2005-03-03"  # the text as read stays
        assert out.fields.issue_date.evidence.confidence < 0.9


@pytest.mark.parametrize(("year_confidence", "expected"), [
    (0.53, "2025-08-02"),  # fresh seed 9593: 申请日期：2028年08月02, the 8 at 0.53, submitted in 2025 (here 2026)
    (0.99, "2026-08-02"),  # the next year read surely stays for the date checks
])
def test_a_later_date_is_repaired_only_when_its_year_was_read_unsurely(year_confidence, expected):
    manifest = Manifest(application_id="T-1", applicant=Applicant(name="傅胜军"), submitted_on=date(2025, 8, 20))
    out = reconcile_application_date(_reading("application_form", "2026-08-02", (year_confidence, 0.99, 0.99)),
                                     manifest)
    assert out.fields is not None and out.fields.issue_date is not None
    assert out.fields.issue_date.value.isoformat() == expected


def test_a_date_years_after_submission_is_repaired_however_surely_read():
    manifest = Manifest(application_id="T-1", applicant=Applicant(name="傅胜军"), submitted_on=date(2025, 3, 28))
    out = reconcile_application_date(_reading("application_form", "2075-03-20", (0.97, 0.99, 0.99)), manifest)
    assert out.fields is not None and out.fields.issue_date is not None
    assert out.fields.issue_date.value.isoformat() == "2025-03-20"  # fresh seed 9597


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2040, 12, 31)),
       st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)))
def test_a_repair_lands_shortly_before_submission_and_changes_the_year_only(read, submitted):
    found = repaired_application_year(read, submitted)
    if found is not None:
        assert (found.month, found.day) == (read.month, read.day) and found.year != read.year
        assert 0 <= (submitted - found).days <= APPLICATION_LEAD.days
        assert read < submitted and (submitted - read) > APPLICATION_LEAD
