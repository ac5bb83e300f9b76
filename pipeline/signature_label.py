"""The physician-signature label found by the recogniser's own scores, where a blurred photo misread it past the patterns.

:mod:`pipeline.signature` finds the label 经治医师签字 / 医师签名 / 主治医师（签章） by its wording,
with patterns for the common misreadings. A blurred phone photo misreads it in ever new ways
(经治国字：, 医生管名：, 主洲医（签）：, 主治医师多单), and with no label found whether the form
is signed is unknown: a manual review. The print can still tell. As for names
(:mod:`pipeline.name_check`), a short row that holds something near a physician label is read
once more for the recogniser's output, and the label in place of what was read there is
scored against the row as read (CTC log-likelihood). A row whose print says a physician label
within :data:`LABEL_SUPPORT_MARGIN`, and says it better than any other signer's label (申请人签字,
代办人签字, 经治医师意见 …), is that label.

The label is then treated as found only misread: a box beside it holding a signature counts,
an empty-looking box is unclear (manual review), never SIGNATURE_MISSING, since the page is as
blurred as the label's reading shows.

Measured on 106 application forms photographed by phone in 63 stored corpora (our templates
and both alternative families): the rows that were physician labels not found by the patterns
scored -6.6 to +1.5; every other signer's label (申请人签字, 本人签字, 申请人（签名）…) scored
-20 or below for a physician label, and the opinion box (经治医师意见) -14.9 or below. With the role and
title alone before a colon among the labels (接诊医师：), the check accepted six rows on the 464 application
forms of 24 stored corpora (all three families), each a physician label, and none on their 107 powers of
attorney, which carry no physician label.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from models.fields import ExtractedFields
from models.ocr import OcrLine, OcrPage
from pipeline.fuzzy import approximate_find
from pipeline.name_check import best_replacement, row_crop
from pipeline.ocr import CharacterScoringEngine, OcrEngine
from pipeline.pages import Page
from pipeline.signature import detect_physician_signature

_WHO = ("经治", "主治", "接诊", "门诊", "")
_TITLES = ("医师", "医生")
_SIGNS = ("签字", "签名", "签章", "（签字）", "（签名）", "（签章）")
PHYSICIAN_LABELS = tuple(f"{who}{title}{sign}" for who in _WHO for title in _TITLES for sign in _SIGNS) + tuple(
    # the role and title alone before the colon, as the patterns take it (接诊医师：, the colon under a seal's ink
    # read 旭: alternative templates 3, seed 7302)
    f"{who}{title}：" for who in _WHO if who for title in _TITLES)
# Other boxes of a form that hold a signature, a seal or handwriting: a row more like one of them is not
# the physician's. Generic parts (签字, 日期) are left out: every physician label holds them.
OTHER_LABELS = ("申请人签字", "申请人（签字）", "申请人签名", "申请人（签名）", "本人签字", "患者签字", "患者（签字）",
                "代办人签字", "代办人（签字）", "经办人签字", "经办人（签字）", "审核人签字", "受理人签字", "家属签字",
                "经治医师意见", "医师意见", "医生意见", "医院盖章", "医疗机构盖章", "医院（盖章）", "医保经办机构审核意见")
# Natural log, a physician label against the row as read; see the module docstring for the measurement.
LABEL_SUPPORT_MARGIN = -7.0
OTHER_LABEL_LEAD = 1.0  # the physician label must beat every other signer's label by this much
MAX_ROW_CHARS = 16  # a label row, perhaps with the signature read into it; not a paragraph


def _half(length: int) -> float:
    return max(1, length / 2)


def _near_a_label(text: str) -> bool:
    return 2 <= len(text) <= MAX_ROW_CHARS and any(
        approximate_find(label, text, _half(len(label))) is not None for label in PHYSICIAN_LABELS)


def physician_label_rows(image: np.ndarray, page: OcrPage, engine: CharacterScoringEngine
                         ) -> list[tuple[OcrLine, OcrLine]]:
    """The rows of ``page`` whose print says a physician label, each with its text rewritten to hold it.

    Only rows of at most :data:`MAX_ROW_CHARS` characters near a label's wording (within half its
    characters) are read again: one recognition each.
    """
    found = []
    for line in page.lines:
        text = "".join(line.text.split())
        if not _near_a_label(text):
            continue
        crop = row_crop(image, line.bbox)
        if crop.size == 0:
            continue
        probabilities = engine.character_probabilities(crop)
        physician = best_replacement(engine, probabilities, text, PHYSICIAN_LABELS, _half)
        if physician is None or physician[0] < LABEL_SUPPORT_MARGIN:
            continue
        other = best_replacement(engine, probabilities, text, OTHER_LABELS, _half)
        if other is not None and other[0] + OTHER_LABEL_LEAD > physician[0]:
            continue  # as like another signer's box (申请人签字) or the opinion box
        _, label, start, end = physician
        found.append((line, line.model_copy(update={"text": text[:start] + label + text[end:], "char_confidences": ()})))
    return found


def signature_by_label_print(uprights: Sequence[Page], ocr_pages: Sequence[OcrPage], fields: ExtractedFields,
                             engine: OcrEngine) -> ExtractedFields:
    """``fields`` with the physician signature looked for beside a label recognised by its print, when the
    patterns found no label on the form (:func:`pipeline.signature.detect_physician_signature`).

    The label counts as misread: ink or a name beside it is a signature, an empty-looking box is
    unclear. The evidence keeps the row as read. Only image pages, with an engine that scores characters.
    """
    searched = fields.signature_evidence
    if fields.signature_present is not None or searched is None or searched.bbox is not None \
            or not isinstance(engine, CharacterScoringEngine):
        return fields  # not a form, or its label was found
    images = {page.index: page.image for page in uprights if page.text_layer is None}
    for page in ocr_pages:
        image = images.get(page.page)
        if image is None:
            continue
        rows = physician_label_rows(image, page, engine)
        if not rows:
            continue
        rewritten = {id(old): new for old, new in rows}
        labelled = page.model_copy(update={"lines": tuple(rewritten.get(id(line), line) for line in page.lines)})
        result = detect_physician_signature(image, labelled, labels_misread=True)
        if result.evidence is None:
            continue
        as_read = next((old.text for old, new in rows if result.evidence.text and result.evidence.text in new.text),
                       result.evidence.text)
        evidence = result.evidence.model_copy(update={"text": as_read})
        return fields.model_copy(update={"signature_present": result.present, "signature_evidence": evidence})
    return fields
