"""The closed list of finding codes (SPEC section 4) and their severities, declared once.

Severity is never stored by hand on a finding: it is looked up here, and the
packet status is derived from severities (see ``derive_status``).
"""

from __future__ import annotations

from enum import StrEnum


class Severity(StrEnum):
    RETURN = "return"
    MANUAL = "manual"
    INFO = "info"


class Status(StrEnum):
    PASS = "pass"
    MANUAL_REVIEW = "manual_review"
    RETURN = "return"


class FindingCode(StrEnum):
    MATERIAL_MISSING = "MATERIAL_MISSING"
    UNREADABLE_FILE = "UNREADABLE_FILE"
    WRONG_DOCUMENT = "WRONG_DOCUMENT"
    ILLEGIBLE = "ILLEGIBLE"
    SEAL_MISSING = "SEAL_MISSING"
    DATE_MISSING = "DATE_MISSING"
    REPORT_EXPIRED = "REPORT_EXPIRED"
    DATE_IN_FUTURE = "DATE_IN_FUTURE"
    DISEASE_NOT_COVERED = "DISEASE_NOT_COVERED"
    DIAGNOSIS_MISMATCH = "DIAGNOSIS_MISMATCH"
    STAGE_NOT_MET = "STAGE_NOT_MET"
    HOSPITAL_NOT_ELIGIBLE = "HOSPITAL_NOT_ELIGIBLE"
    HOSPITAL_UNKNOWN = "HOSPITAL_UNKNOWN"
    IDENTITY_MISMATCH = "IDENTITY_MISMATCH"
    ID_NUMBER_INVALID = "ID_NUMBER_INVALID"
    SIGNATURE_MISSING = "SIGNATURE_MISSING"
    AGENT_MATERIALS_MISSING = "AGENT_MATERIALS_MISSING"
    RENEWAL_OUT_OF_WINDOW = "RENEWAL_OUT_OF_WINDOW"
    OFFSITE_FILING_REMINDER = "OFFSITE_FILING_REMINDER"
    DUPLICATE_FILE = "DUPLICATE_FILE"


SEVERITY_BY_CODE: dict[FindingCode, Severity] = {
    FindingCode.MATERIAL_MISSING: Severity.RETURN,
    FindingCode.UNREADABLE_FILE: Severity.RETURN,
    FindingCode.WRONG_DOCUMENT: Severity.RETURN,
    FindingCode.ILLEGIBLE: Severity.MANUAL,
    FindingCode.SEAL_MISSING: Severity.RETURN,
    FindingCode.DATE_MISSING: Severity.MANUAL,
    FindingCode.REPORT_EXPIRED: Severity.RETURN,
    FindingCode.DATE_IN_FUTURE: Severity.RETURN,
    FindingCode.DISEASE_NOT_COVERED: Severity.RETURN,
    FindingCode.DIAGNOSIS_MISMATCH: Severity.RETURN,
    FindingCode.STAGE_NOT_MET: Severity.RETURN,
    FindingCode.HOSPITAL_NOT_ELIGIBLE: Severity.RETURN,
    FindingCode.HOSPITAL_UNKNOWN: Severity.MANUAL,
    FindingCode.IDENTITY_MISMATCH: Severity.RETURN,
    FindingCode.ID_NUMBER_INVALID: Severity.RETURN,
    FindingCode.SIGNATURE_MISSING: Severity.RETURN,
    FindingCode.AGENT_MATERIALS_MISSING: Severity.RETURN,
    FindingCode.RENEWAL_OUT_OF_WINDOW: Severity.RETURN,
    FindingCode.OFFSITE_FILING_REMINDER: Severity.INFO,
    FindingCode.DUPLICATE_FILE: Severity.INFO,
}

assert set(SEVERITY_BY_CODE) == set(FindingCode), "every code needs a severity"


def severity_of(code: FindingCode) -> Severity:
    return SEVERITY_BY_CODE[code]


def derive_status(severities: list[Severity]) -> Status:
    """SPEC 3: return beats manual beats pass; info never changes the status."""
    if Severity.RETURN in severities:
        return Status.RETURN
    if Severity.MANUAL in severities:
        return Status.MANUAL_REVIEW
    return Status.PASS
