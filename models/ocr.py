"""OCR results: lines of text with boxes and confidences, in page coordinates.

Coordinates: ``bbox`` is ``[x, y, w, h]`` in pixels of the upright page image
(after orientation correction), origin top-left. ``page`` is 1-based.
Confidence is 0.0-1.0 whatever the engine's own convention.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from models.evidence import BBox


class OcrLine(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    text: str
    bbox: BBox
    confidence: float = Field(ge=0.0, le=1.0)
    char_confidences: tuple[float, ...] = Field(
        default=(), description="each character's own confidence, when the engine gives them (else empty)")


class OcrPage(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    page: int = Field(ge=1)
    width: int = Field(ge=0)
    height: int = Field(ge=0)
    lines: tuple[OcrLine, ...] = ()
    engine: str = Field(description="'rapidocr', 'tesseract' or 'text_layer'")
    rotation_deg: int = Field(default=0, description="clockwise rotation applied to make the page upright")
    elapsed_s: float = 0.0
    warnings: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)

    @property
    def mean_confidence(self) -> float:
        if not self.lines:
            return 0.0
        weights = [max(len(line.text), 1) for line in self.lines]
        return sum(w * line.confidence for w, line in zip(weights, self.lines, strict=True)) / sum(weights)
