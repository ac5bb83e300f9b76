"""Evidence: where on which page a finding or field comes from.

Coordinate convention: ``bbox`` is ``[x, y, width, height]`` in pixels of the
rasterised page (origin top-left, after orientation correction); ``page`` is
1-based, as people count pages and as the SPEC's verdict shows it.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

BBox = Annotated[list[int], Field(min_length=4, max_length=4)]

EvidenceStage = Literal["manifest", "file", "ocr", "seal", "extract", "check"]


class Evidence(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    page: int | None = Field(default=None, ge=1, description="1-based page number")
    bbox: BBox | None = Field(default=None, description="[x, y, w, h] in page pixels")
    text: str | None = Field(default=None, description="text exactly as read, before normalising")
    value: str | None = Field(default=None, description="the parsed / normalised value")
    confidence: float | None = Field(default=None, ge=0.0, le=1.0)
    crop: str | None = Field(default=None, description="path of a crop image, relative to the verdict")
    pages_searched: list[int] | None = None
    stage: EvidenceStage = "check"
