"""Whether the print of a hospital name read outside the registry says a registry hospital's name.

On a blurred photo a registry name is misread in its distinctive part (临汾市粉西人民医院 for
临汾市汾西人民医院, 粉 and 汾 alike only loosely): the registry's tolerant match refuses it, as it
must refuse a true other hospital one character away, and the document goes to a person as
HOSPITAL_UNKNOWN. The recogniser can tell the two apart. Its output for the name's row is scored
(CTC, as :mod:`pipeline.name_check` does for names) for each registry spelling within two edits of
what was read; one that the print says within :data:`HOSPITAL_SUPPORT_MARGIN` of the reading, and
by :data:`HOSPITAL_RIVAL_MARGIN` over every other registry spelling scored there, is the document's
hospital. The evidence keeps what was read.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from models.document import FieldValue
from models.fields import ExtractedFields
from models.ocr import OcrPage
from models.policy import Hospital
from pipeline.fuzzy import approximate_find
from pipeline.name_check import best_replacement, row_crop, row_of
from pipeline.ocr import CharacterScoringEngine, OcrEngine
from pipeline.pages import Page

HOSPITAL_SUPPORT_MARGIN = -3.0  # natural log, below the row as read
HOSPITAL_RIVAL_MARGIN = 3.0  # over the next registry spelling
MAX_EDITS = 2


def _two_edits(length: int) -> int:
    return MAX_EDITS


def registry_spellings(hospitals: Iterable[Hospital]) -> dict[str, str]:
    """Every registry spelling (name and aliases) with the registry name it stands for."""
    return {spelling: hospital.name for hospital in hospitals for spelling in (hospital.name, *hospital.aliases)}


def confirm_registry_hospital(uprights: Sequence[Page], ocr_pages: Sequence[OcrPage], fields: ExtractedFields,
                              spellings: dict[str, str], engine: OcrEngine) -> ExtractedFields:
    """``fields`` with the registry hospital whose name the print of the hospital's row says, when the name
    was read outside the registry (see the module); else unchanged.

    Args:
        uprights: The upright pages (image pages only are scored).
        ocr_pages: Their OCR.
        fields: What was extracted.
        spellings: Every registry spelling (name or alias) with the registry name it stands for.
        engine: The OCR engine; only one that scores characters (PP-OCR) is used.
    """
    hospital = fields.hospital
    if hospital is None or fields.hospital_in_registry or not isinstance(engine, CharacterScoringEngine):
        return fields
    read = (hospital.evidence.text or "").strip()
    row = row_of(ocr_pages, hospital, read) if read else None  # the row holding the name as read
    images = {page.index: page.image for page in uprights if page.text_layer is None}
    image = images.get(hospital.evidence.page or 0)
    if row is None or image is None:
        return fields
    near = [s for s in spellings if approximate_find(s, row.text, MAX_EDITS) is not None]
    if not near:
        return fields
    crop = row_crop(image, row.bbox)
    if crop.size == 0:
        return fields
    probabilities = engine.character_probabilities(crop)
    scored = []
    for spelling in near:
        found = best_replacement(engine, probabilities, row.text, [spelling], _two_edits)
        if found is not None:
            scored.append((found[0], spelling))
    if not scored:
        return fields
    scored.sort(reverse=True)
    gain, spelling = scored[0]
    rivals = [g for g, s in scored[1:] if spellings[s] != spellings[spelling]]
    if gain < HOSPITAL_SUPPORT_MARGIN or (rivals and gain - rivals[0] < HOSPITAL_RIVAL_MARGIN):
        return fields
    name = spellings[spelling]
    confirmed = FieldValue(value=name, evidence=hospital.evidence.model_copy(update={"value": name}))
    return fields.model_copy(update={"hospital": confirmed, "hospital_in_registry": True})
