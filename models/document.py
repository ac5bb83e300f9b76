"""What was read from one uploaded file: pages, seals and fields."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from models.evidence import BBox, Evidence

SealColour = Literal["red", "blue", "grey", "other"]
SealShape = Literal["round", "oval", "square", "unknown"]


class Seal(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    page: int = Field(ge=1)
    bbox: BBox
    score: float = Field(ge=0.0, le=1.0)
    colour: SealColour = "red"
    shape: SealShape = "unknown"
    text: str | None = None
    hospital: str | None = Field(default=None, description="registry name the seal text matched")
    crop: str | None = None


class FieldValue(BaseModel):
    """A field read from a document: raw text beside the parsed value."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    value: str
    evidence: Evidence


class DocumentRecord(BaseModel):
    """One entry of ``verdict.documents``: one per manifest file, in manifest order."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    file: str
    slot: str | None
    detected_type: str = "unknown"
    media_type: str | None = None
    bytes: int | None = None
    sha256: str | None = None
    pages: int = 0
    text_source: Literal["text_layer", "ocr", "mixed", "none"] | None = None
    seals: list[Seal] = Field(default_factory=list)
    issue_date: date | None = None
    hospital: str | None = None
    person_name: str | None = None
    id_number: str | None = Field(default=None, description="masked: first 6 and last 4 digits")
    diagnosis: str | None = None
    disease_code: str | None = None
    stage: str | None = None
    signature_present: bool | None = None
    ocr_confidence: float | None = Field(default=None, ge=0.0, le=1.0)
    elapsed_s: dict[str, float] = Field(default_factory=dict, description="seconds per reading stage")
    ocr_engine: str | None = None
    fields: dict[str, FieldValue] = Field(default_factory=dict)
    page_images: list[str] = Field(default_factory=list, description="thumbnails, relative paths")
    readable: bool = True
    error: str | None = None
