"""Policy data models: regions, the disease catalog and the institution registry.

Everything an insurance office can change is data (``policy_data/``), validated
here on load. ``extra="forbid"`` everywhere: a misspelt key is an error naming it.
"""

from __future__ import annotations

import re
from datetime import date
from enum import IntEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from models.slots import Slot

_STRICT = ConfigDict(frozen=True, extra="forbid")
ICD10_RANGE = re.compile(r"^[A-Z]\d{2}(\.\d{1,2})?(-[A-Z]\d{2}(\.\d{1,2})?)?$")


class HospitalLevel(IntEnum):
    """医院等级: 一级 / 二级 / 三级."""

    PRIMARY = 1
    SECONDARY = 2
    TERTIARY = 3


LEVEL_ZH = {1: "一级", 2: "二级", 3: "三级"}


class Criterion(BaseModel):
    """What a diagnosis must state for the disease to qualify (stage, type, complication)."""

    model_config = _STRICT

    label: str = Field(description="shown to reviewers, e.g. '高血压3级'")
    patterns: tuple[str, ...] = Field(min_length=1, description="regexes; any match satisfies")
    wordings: tuple[str, ...] = Field(
        default=(), description="how diagnoses state it in full (糖尿病伴酮症): a garbled diagnosis row is checked "
                                "against its print for them (pipeline.disease_check); each must match a pattern")
    rivals: tuple[str, ...] = Field(
        default=(), description="statements that fall short of it (高血压2级 beside 高血压3级): a wording is taken from "
                                "the print only when it beats each of these there; none may match a pattern")

    @field_validator("patterns")
    @classmethod
    def _compile(cls, patterns: tuple[str, ...]) -> tuple[str, ...]:
        for pattern in patterns:
            re.compile(pattern)
        return patterns

    @model_validator(mode="after")
    def _wordings_state_it(self) -> Criterion:
        unmatched = [w for w in self.wordings if not any(re.search(p, w) for p in self.patterns)]
        if unmatched:
            raise ValueError(f"criterion {self.label}: wordings that state no pattern: {unmatched}")
        meeting = [r for r in self.rivals if any(re.search(p, r) for p in self.patterns)]
        if meeting:
            raise ValueError(f"criterion {self.label}: rivals that state a pattern: {meeting}")
        return self


class RegionTerms(BaseModel):
    model_config = _STRICT

    criterion: Criterion | None = None
    annual_limit: int | None = Field(default=None, ge=0)
    ratio: float | None = Field(default=None, gt=0, le=1)
    ratio_employed: float | None = Field(default=None, gt=0, le=1)
    ratio_retired: float | None = Field(default=None, gt=0, le=1)
    auto_renew_years: int | None = Field(default=None, ge=1)


class DiseaseEntry(BaseModel):
    model_config = _STRICT

    code: str = Field(pattern=r"^[A-Z][A-Z0-9]{1,9}$")
    name: str = Field(min_length=1)
    synonyms: tuple[str, ...] = ()
    icd10: tuple[str, ...] = Field(min_length=1)
    regions: dict[str, RegionTerms] = Field(default_factory=dict)

    @field_validator("icd10")
    @classmethod
    def _icd10_ranges(cls, ranges: tuple[str, ...]) -> tuple[str, ...]:
        for item in ranges:
            if not ICD10_RANGE.match(item):
                raise ValueError(f"not an ICD-10 code or range: {item!r}")
        return ranges

    @property
    def all_names(self) -> tuple[str, ...]:
        return (self.name, *self.synonyms)


class DiseaseCatalog(BaseModel):
    model_config = _STRICT

    catalog_version: str
    source: str
    diseases: tuple[DiseaseEntry, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> DiseaseCatalog:
        seen_codes: set[str] = set()
        claimed: dict[str, str] = {}
        for entry in self.diseases:
            if entry.code in seen_codes:
                raise ValueError(f"disease code {entry.code} listed twice")
            seen_codes.add(entry.code)
            for alias in entry.all_names:
                other = claimed.setdefault(alias, entry.code)
                if other != entry.code:
                    raise ValueError(f"name {alias!r} claimed by both {other} and {entry.code}")
        return self


class Hospital(BaseModel):
    model_config = _STRICT

    name: str
    aliases: tuple[str, ...] = ()
    level: HospitalLevel
    ownership: Literal["public", "private"]
    region: str


class HospitalRegistry(BaseModel):
    model_config = _STRICT

    registry_version: str
    source: str
    hospitals: tuple[Hospital, ...]


class RequiredMaterial(BaseModel):
    """A material the policy requires: any one of ``slots`` satisfies it."""

    model_config = _STRICT

    slots: tuple[Slot, ...] = Field(min_length=1)
    when: dict[str, bool] = Field(
        default_factory=dict, description="applicant flags that must hold, e.g. {local_household: false}"
    )
    label: str | None = None


class MaterialRule(BaseModel):
    """What a material of one slot must show."""

    model_config = _STRICT

    seal_required: bool = False
    date_required: bool = False
    max_age_months: int | None = Field(default=None, ge=1)
    stage_required: bool = False
    min_hospital_level: HospitalLevel | None = None
    public_hospital_only: bool = False
    physician_signature_required: bool = False
    diagnosis_must_match: bool = False


class RenewalWindow(BaseModel):
    model_config = _STRICT

    months_before_expiry: int | None = Field(default=None, ge=1, description="window opens this long before")
    allow_after_expiry: bool = False


class KindPolicy(BaseModel):
    model_config = _STRICT

    required: tuple[RequiredMaterial, ...]
    materials: dict[Slot, MaterialRule] = Field(default_factory=dict)
    renewal_window: RenewalWindow | None = None
    offsite_filing_reminder: bool = False


class DeadlineRule(BaseModel):
    model_config = _STRICT

    pre_review_working_days: int | None = Field(default=None, ge=0)
    resubmit_working_days: int | None = Field(default=None, ge=0)
    review_working_days: int | None = Field(default=None, ge=0)
    result_notice_working_days: int | None = Field(default=None, ge=0)


class RegionPolicy(BaseModel):
    model_config = _STRICT

    code: str = Field(pattern=r"^[a-z][a-z0-9_]{1,31}$")
    name: str
    adcode: str = Field(pattern=r"^\d{6}$", description="GB/T 2260 division code")
    source: str
    policy_version: str
    effective_from: date | None = None
    kinds: dict[Literal["new", "renewal"], KindPolicy]
    agent_required: tuple[Slot, ...] = (Slot.AGENT_ID_CARD, Slot.POWER_OF_ATTORNEY)
    deadlines: DeadlineRule = Field(default_factory=DeadlineRule)
    diseases: dict[str, RegionTerms] = Field(
        default_factory=dict, description="catalog codes this region covers, beyond the catalog's own lists"
    )
    hospitals: tuple[Hospital, ...] = Field(default=(), description="institutions this file adds to the registry")


class PolicyBook(BaseModel):
    """Everything the checks need, loaded and cross-validated once at start-up."""

    model_config = ConfigDict(frozen=True, extra="forbid", arbitrary_types_allowed=True)

    catalog: DiseaseCatalog
    registry: HospitalRegistry
    regions: dict[str, RegionPolicy]

    @model_validator(mode="after")
    def _cross_file(self) -> PolicyBook:
        problems: list[str] = []
        codes = {d.code for d in self.catalog.diseases}
        for entry in self.catalog.diseases:
            for region in entry.regions:
                if region not in self.regions:
                    problems.append(f"disease {entry.code}: unknown region {region!r}")
        for region in self.regions.values():
            for code in region.diseases:
                if code not in codes:
                    problems.append(f"region {region.code}: unknown disease code {code!r}")
        for hospital in self.all_hospitals:
            if hospital.region not in self.regions:
                problems.append(f"hospital {hospital.name}: unknown region {hospital.region!r}")
        if problems:
            raise ValueError("; ".join(problems))
        return self

    @property
    def all_hospitals(self) -> tuple[Hospital, ...]:
        extra = tuple(h for r in self.regions.values() for h in r.hospitals)
        return self.registry.hospitals + extra

    def region_terms(self, region: str, disease: DiseaseEntry) -> RegionTerms | None:
        """The terms under which ``region`` covers ``disease``, or None when it does not."""
        policy = self.regions.get(region)
        if policy is None:
            return None
        if disease.code in policy.diseases:
            return policy.diseases[disease.code]
        return disease.regions.get(region)
