"""The date of a material written at the time of application, its year repaired when OCR misread one digit of it.

An application form (申请日期) or a power of attorney (委托日期) is dated when the application is
made, days or weeks before it is submitted. Read 2005/03/03, 2015-04-04 or 2023-04-04 on a packet
submitted in 2025, its year has a digit misread (fresh seeds 9535-9543 had one such form or
power of attorney in most corpora of 20). Knowing the submission date, such a date is taken as the
same day in the submission year (or the year before) when that day falls shortly before submission.
The evidence keeps the text exactly as read and its confidence is lowered. Dates read before the
submission are repaired; a date after it only when its year was read unsurely or is years later,
else it stays as read, so the date checks still see it.
"""

from __future__ import annotations

from datetime import date, timedelta

from models.manifest import Manifest
from models.reading import DocumentReading
from models.slots import Slot
from pipeline.dates import years_one_digit_apart

DATED_AT_APPLICATION = frozenset({Slot.APPLICATION_FORM.value, Slot.POWER_OF_ATTORNEY.value})
APPLICATION_LEAD = timedelta(days=120)  # how long before submission such a material may be dated
REPAIRED_CONFIDENCE = 0.8  # factor on the evidence confidence when the year was repaired
UNSURE_YEAR = 0.6  # a year whose least sure digit was read below this may be a later year misread


def repaired_application_year(issued: date, submitted: date, *, later_too: bool = False) -> date | None:
    """The date ``issued`` would be with one year digit read right, when that puts it within
    ``APPLICATION_LEAD`` before ``submitted`` and ``issued`` itself is older than that (or, with
    ``later_too``, after the submission)."""
    if issued > submitted:
        if not later_too:
            return None
    elif submitted - issued <= APPLICATION_LEAD:
        return None
    for year in (submitted.year, submitted.year - 1):
        if year == issued.year or not years_one_digit_apart(issued.year, year):
            continue
        try:
            candidate = issued.replace(year=year)
        except ValueError:  # 29 February
            continue
        if timedelta(0) <= submitted - candidate <= APPLICATION_LEAD:
            return candidate
    return None


def reconcile_application_date(reading: DocumentReading, manifest: Manifest) -> DocumentReading:
    """``reading`` with its issue date's year repaired (see the module), or unchanged."""
    fields = reading.fields
    if reading.slot not in DATED_AT_APPLICATION or fields is None or fields.issue_date is None \
            or manifest.submitted_on is None or fields.issue_date.precision != "day":
        return reading
    issued = fields.issue_date
    # a later date is repaired only when its year was read unsurely (申请日期：2028年08月02, the 8 at 0.53,
    # on a form submitted in 2025: fresh seed 9593); one read surely stays for the date checks
    year_unsure = issued.part_confidences is not None and issued.part_confidences[0] < UNSURE_YEAR
    # …and one years after the submission however surely read: a form is not dated 2075 (2025 misread, fresh
    # seed 9597)
    years_later = issued.value.year > manifest.submitted_on.year + 1
    repaired = repaired_application_year(issued.value, manifest.submitted_on, later_too=year_unsure or years_later)
    if repaired is None:
        return reading
    evidence = issued.evidence.model_copy(update={
        "value": repaired.isoformat(),
        "confidence": round((issued.evidence.confidence or 1.0) * REPAIRED_CONFIDENCE, 3)})
    field = issued.model_copy(update={"value": repaired, "evidence": evidence, "part_confidences": None,
                                      "read_as": issued.read_as or issued.value})
    return reading.model_copy(update={"fields": fields.model_copy(update={"issue_date": field})})
