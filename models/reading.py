"""What the reading stages produced for one uploaded file (internal; the verdict shows a DocumentRecord)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from models.document import Seal
from models.fields import ExtractedFields
from models.ocr import OcrPage


class Expected(BaseModel):
    """What the manifest says a material should show, checked against its print where it was read otherwise
    (pipeline.name_check, pipeline.disease_check). Never taken as read on its own."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str | None = Field(default=None, description="the applicant's, or the agent's on the agent's materials")
    disease: str | None = Field(default=None, description="the disease applied for, as the manifest states it")
    region: str | None = Field(default=None, description="the region whose criterion for that disease applies")


class PageInfo(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    page: int = Field(ge=1)
    width: int
    height: int
    dpi: float | None = None
    rotation_deg: int = 0
    image_path: str | None = Field(default=None, description="upright page image kept for evidence crops")
    thumbnail: str | None = Field(default=None, description="relative to the packet's OUT folder")


class DocumentReading(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    file: str
    slot: str | None
    pages: tuple[PageInfo, ...] = ()
    text_source: str | None = None
    ocr: tuple[OcrPage, ...] = ()
    seals: tuple[Seal, ...] = ()
    fields: ExtractedFields | None = None
    error: str | None = Field(default=None, description="why the file could not be read, in Chinese")
    warnings: tuple[str, ...] = ()
    elapsed_s: dict[str, float] = Field(default_factory=dict, description="seconds per stage")
