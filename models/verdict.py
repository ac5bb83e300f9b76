"""The pre-review verdict (SPEC section 3). Status is derived, never set by hand."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field, computed_field

from models.codes import Status, derive_status
from models.document import DocumentRecord
from models.finding import Finding


class Deadlines(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    pre_review_due: date | None = None
    resubmit_by: date | None = None
    review_due: date | None = None
    result_notice_due: date | None = None
    calendar_note: str | None = Field(
        default=None, description="set when the official holiday calendar does not cover a date"
    )


class Verdict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    application_id: str
    findings: list[Finding] = Field(default_factory=list)
    documents: list[DocumentRecord] = Field(default_factory=list)
    deadlines: Deadlines = Field(default_factory=Deadlines)
    policy: str | None = None
    region: str | None = None
    kind: str | None = None
    disease: str | None = None
    disease_code: str | None = None
    submitted_on: date | None = None
    packet_folder: str | None = None
    packet_fingerprint: str | None = None
    catalog_version: str | None = None
    pipeline_version: str | None = None
    generated_at: datetime | None = None
    elapsed_s: float | None = None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def status(self) -> Status:
        return derive_status([f.severity for f in self.findings])


class PacketRejection(BaseModel):
    """Written for a packet folder without a usable manifest (no application id to file it under)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    folder: str
    reason: str
    problems: list[str] = Field(default_factory=list)
    status: Status = Status.RETURN
    generated_at: datetime | None = None
