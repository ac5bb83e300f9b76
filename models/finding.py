"""A finding: one problem (or note) about a packet, with the evidence behind it."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, computed_field

from models.codes import FindingCode, Severity, severity_of
from models.evidence import Evidence


class RuleRef(BaseModel):
    """The policy data entry behind a finding, so a reviewer can trace it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    source: str = Field(description="policy file or catalog the rule comes from")
    key: str = Field(description="entry inside it, e.g. 'linfen.new.max_age_months.exam_report'")
    version: str | None = None


class Finding(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    code: FindingCode
    message: str = Field(description="one sentence in Chinese a reviewer can act on")
    file: str | None = None
    slot: str | None = None
    evidence: Evidence | None = None
    rule: RuleRef | None = None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def severity(self) -> Severity:
        return severity_of(self.code)
