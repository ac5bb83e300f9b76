"""Fields extracted from one document's OCR, each tied to the evidence that proves it.

Full ID numbers are kept only in ``id_number_full`` and ``id_number_misread_full`` (excluded
from every dump, used in memory by the identity check); ``id_number.value`` is masked.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr

from models.document import FieldValue
from models.evidence import Evidence


class DatedField(BaseModel):
    """A date read from the document, with what kind of date it is."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    value: date
    role: str = Field(description="'issue', 'report', 'exam', 'sampling', 'print', 'visit', 'birth', 'unknown'")
    evidence: Evidence
    precision: Literal["day", "month"] = Field(default="day", description="'month': the day was not read (day 1)")
    digits_confidence: float | None = Field(
        default=None, ge=0.0, le=1.0, description="OCR confidence of the date's least sure digit, when known")
    part_confidences: tuple[float, float, float] | None = Field(
        default=None, exclude=True,
        description="least sure digit of the year, month and day as read; None when not told apart or once"
                    " the value was repaired (it then no longer is what those digits say)")
    read_as: date | None = Field(
        default=None, exclude=True,
        description="the date as read, when ``value`` is a repair of it (a year or digit taken from the document's"
                    " other dates)")


class NameGuess(BaseModel):
    """A name-like box read too unsurely to be taken as the document's name (see ``person_name_guesses``)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: FieldValue
    unsure_chars: tuple[int, ...] = Field(default=(), description="positions of characters read unsurely")


class ExtractedFields(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    detected_type: str = "unknown"
    type_score: float = Field(default=0.0, ge=0.0, le=1.0)
    type_evidence: Evidence | None = None
    foreign_type: str | None = Field(
        default=None,
        description="a document no slot takes (invoice, contract, household_register, drug_leaflet, other_certificate)")
    issue_date: DatedField | None = Field(default=None, description="the report / issue date a check uses")
    dates: tuple[DatedField, ...] = ()
    hospital: FieldValue | None = Field(default=None, description="registry name when matched, else as read")
    hospital_in_registry: bool = False
    person_name: FieldValue | None = None
    person_name_unsure_chars: tuple[int, ...] = Field(
        default=(), exclude=True, description="positions in the person name of characters the OCR read unsurely")
    person_name_guesses: tuple[NameGuess, ...] = Field(
        default=(), exclude=True,
        description="with no name read, an identity card's name-like boxes read too unsurely to be taken as its"
                    " name; never reported, they only confirm the expected person's name as misread")
    person_name_supported: FieldValue | None = Field(
        default=None, exclude=True,
        description="the expected person's name, when the print of the name read (or, with none read, of a"
                    " card's guess at one) says it nearly as likely as what was read (pipeline.name_check);"
                    " its evidence is that reading's")
    criterion_supported: FieldValue | None = Field(
        default=None, exclude=True,
        description="how the diagnosis states the region's criterion for the disease applied for, when the print of"
                    " its garbled row says that wording nearly as likely as what was read (pipeline.disease_check)")
    id_number: FieldValue | None = Field(default=None, description="masked value")
    id_number_full: SecretStr | None = Field(default=None, exclude=True, repr=False)
    # A number read in full whose check digit fails (a digit misread): never checked against anyone,
    # only compared with the expected person's (one digit off is that number misread). Memory only.
    id_number_misread_full: SecretStr | None = Field(default=None, exclude=True, repr=False)
    id_number_unsure_digits: tuple[int, ...] = Field(
        default=(), exclude=True, description="positions (0-17) of the number's digits read unsurely (valid or misread)")
    diagnosis: FieldValue | None = None
    diagnosis_unsure_glyphs: tuple[str, ...] = Field(
        default=(), exclude=True, description="characters of the diagnosis as read that the OCR read unsurely")
    disease_code: str | None = Field(default=None, description="catalog code of the first disease the diagnosis names")
    disease_codes: tuple[str, ...] = Field(default=(), description="every catalog disease the diagnosis names, in order")
    suspected_disease_codes: tuple[str, ...] = Field(
        default=(), description="diseases the diagnosis names only as suspected (疑似肺癌, 冠心病可能, 肺癌？)")
    stage: FieldValue | None = None
    signature_present: bool | None = None
    signature_evidence: Evidence | None = None
    text_chars: int = 0
    mean_confidence: float = Field(default=0.0, ge=0.0, le=1.0)
