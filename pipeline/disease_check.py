"""Whether the print of a diagnosis read garbled names the applicant's declared disease, by the recogniser's output.

A blurred photo garbles a diagnosis past what the catalog's near-spelling match allows
(出血后通症 for 脑出血后遗症: the first character lost and 遗 read 通; 阿尔艾海疾 for 阿尔茨海默病), so
the certificate names no disease and goes to a person. As for names
(:mod:`pipeline.name_check`), the row's recogniser output is asked how likely it says the
declared disease where something close to it was read (at most half its characters off),
against how likely it says what was read. Another disease's name, placed over the same
garble, scores far below (measured on the garbled diagnoses of stored corpora: see
:data:`DISEASE_SUPPORT_MARGIN`). Nothing is rewritten: the diagnosis stays as read, and only
the disease it names is set.

The same holds for the region's criterion: a diagnosis that names the disease but whose
complication was garbled (1型糖尿病件副症 for 伴酮症) is scored for the criterion's full wordings
(catalog data). Over the diabetes certificates of 143 stored corpora, 6 of 7 garbled
complications passed and none of 44 diagnoses without one came closer than e^-14.8.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from models.document import FieldValue
from models.fields import ExtractedFields
from models.ocr import OcrLine, OcrPage
from models.policy import Criterion, DiseaseEntry
from pipeline.fuzzy import approximate_find
from pipeline.name_check import best_replacement, row_crop
from pipeline.ocr import CharacterScoringEngine, OcrEngine
from pipeline.pages import Page

# Natural log, the declared disease against the row as read. The four diagnoses garbled past the
# near-spelling match in the phone photos of 20 stored corpora scored +2.1 (出血后通症), -0.8
# (阿尔艾海疾), -5.9 (梗死后遭症) and -8.3 (助出血后造店); every other catalog disease placed over
# the rows of 64 phone-photo diagnoses (those four included) -15.0 and below.
DISEASE_SUPPORT_MARGIN = -6.0
# How much likelier (natural log) the print must say the criterion's wording than any of its rivals (a lower
# grade): 高血压3# (3 at 0.47, 级 unread) scored 高血压3级 at -2.3 and 高血压2级 at -6.1 (alternative templates 2,
# seed 7117). See tests/test_disease_check.py for blurred rows of each grade.
RIVAL_MARGIN = 3.0
MIN_NAME_CHARS = 4  # shorter names (癫痫, 尿毒症) fit too many garbles within half their characters


def best_support(engine: CharacterScoringEngine, image: np.ndarray, rows: Sequence[OcrLine],
                 names: Sequence[str]) -> float | None:
    """The best log-likelihood gain of any of ``names`` over what was read near it on any of ``rows``."""
    best = best_wording(engine, image, rows, names)
    return best[0] if best is not None else None


def best_wording(engine: CharacterScoringEngine, image: np.ndarray, rows: Sequence[OcrLine],
                 names: Sequence[str]) -> tuple[float, str] | None:
    """The one of ``names`` whose print the rows say best in place of what was read near it (within half its
    characters), with its log-likelihood gain over the rows as read."""
    best: tuple[float, str] | None = None
    for row in rows:
        crop = row_crop(image, row.bbox)
        if crop.size == 0 or not any(approximate_find(name, row.text, _half(len(name))) for name in names):
            continue  # recognised again only where something near a name was read
        found = best_replacement(engine, engine.character_probabilities(crop), row.text, names, _half)
        if found is not None and (best is None or found[0] > best[0]):
            best = (found[0], found[1])
    return best


def _half(length: int) -> int:
    return max(1, length // 2)


def _diagnosis_rows(uprights: Sequence[Page], ocr_pages: Sequence[OcrPage], fields: ExtractedFields
                    ) -> tuple[np.ndarray, list[OcrLine]] | None:
    """The image page the diagnosis was read on and the OCR rows its evidence box overlaps; None when it was
    read from a text layer or has no box."""
    diagnosis = fields.diagnosis
    if diagnosis is None:
        return None
    evidence = diagnosis.evidence
    images = {page.index: page.image for page in uprights if page.text_layer is None}
    if evidence.page not in images or evidence.bbox is None:
        return None
    x, y, w, h = evidence.bbox
    rows = [line for page in ocr_pages if page.page == evidence.page for line in page.lines
            if line.bbox[0] < x + w and x < line.bbox[0] + line.bbox[2]
            and line.bbox[1] < y + h and y < line.bbox[1] + line.bbox[3]]
    return images[evidence.page], rows


def confirm_expected_disease(uprights: Sequence[Page], ocr_pages: Sequence[OcrPage], fields: ExtractedFields,
                             disease: DiseaseEntry | None, engine: OcrEngine) -> ExtractedFields:
    """``fields`` naming ``disease`` too when their diagnosis names it not, yet the print of its rows says
    one of its names (of four characters or more) within :data:`DISEASE_SUPPORT_MARGIN`.

    Only on an image page, with an engine that scores characters.
    """
    diagnosis = fields.diagnosis
    if disease is None or diagnosis is None or not isinstance(engine, CharacterScoringEngine):
        return fields
    if disease.code in {fields.disease_code, *fields.disease_codes}:
        return fields
    found = _diagnosis_rows(uprights, ocr_pages, fields)
    if found is None:
        return fields
    image, rows = found
    names = [name for name in dict.fromkeys(disease.all_names) if len(name) >= MIN_NAME_CHARS]
    support = best_support(engine, image, rows, names)
    if support is None or support < DISEASE_SUPPORT_MARGIN:
        return fields
    return fields.model_copy(update={"disease_code": fields.disease_code or disease.code,
                                     "disease_codes": (*fields.disease_codes, disease.code)})


def confirm_criterion_wording(uprights: Sequence[Page], ocr_pages: Sequence[OcrPage], fields: ExtractedFields,
                              disease: DiseaseEntry | None, criterion: Criterion | None,
                              engine: OcrEngine) -> ExtractedFields:
    """``fields`` with ``criterion_supported`` set when their diagnosis names ``disease`` without stating its
    ``criterion`` as read, yet the print of its rows says one of the criterion's full wordings (糖尿病伴酮症
    for 1型糖尿病件副症) within :data:`DISEASE_SUPPORT_MARGIN`, and, where the criterion names rivals (the lower
    grades), by :data:`RIVAL_MARGIN` over each of them.

    Only on an image page, with an engine that scores characters.
    """
    diagnosis = fields.diagnosis
    if disease is None or criterion is None or not criterion.wordings or diagnosis is None \
            or not isinstance(engine, CharacterScoringEngine):
        return fields
    if disease.code not in {fields.disease_code, *fields.disease_codes}:
        return fields  # not a diagnosis of that disease, as read: the disease's own check first
    stated = " ".join(v for v in (diagnosis.value, fields.stage.value if fields.stage else None) if v)
    if any(re.search(pattern, stated) for pattern in criterion.patterns):
        return fields
    found = _diagnosis_rows(uprights, ocr_pages, fields)
    if found is None:
        return fields
    image, rows = found
    best = best_wording(engine, image, rows, criterion.wordings)
    if best is None or best[0] < DISEASE_SUPPORT_MARGIN:
        return fields
    rival = best_wording(engine, image, rows, criterion.rivals) if criterion.rivals else None
    if rival is not None and best[0] - rival[0] < RIVAL_MARGIN:
        return fields  # the print says a lower grade about as well (高血压3# read for 高血压2级?): a person reads it
    supported = FieldValue(value=best[1], evidence=diagnosis.evidence)
    return fields.model_copy(update={"criterion_supported": supported})
