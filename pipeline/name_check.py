"""Whether the print of a name read otherwise says the expected person's name, by the recogniser's own output.

On a blurred phone photo the recogniser misreads names with characters that look nothing
alike in print (邵娟 read 鲜奶, 易庆宏 read 易庆宅, 卢文 read 户文): the rendered-glyph comparison
of :mod:`pipeline.glyphs` cannot tell such a misreading from another person's name. The
recogniser can. Its output for the name's row gives, per time step, every character's
probability; the CTC forward algorithm sums them into how likely the row says a given text.
The row read with the expected name in place of the name read is compared with the row as
read: a misreading of the expected name scores close to the reading, another person's name
far below it.

Measured on the 46 names misread on phone photos in 22 stored corpora of our generator, each
row scored with its true name and with every other name of the same length in those corpora
(3,155 strangers; 2,859 with the true surname and another given name; 1,989 with the true
given name and another surname): at :data:`SUPPORT_MARGIN` 32 of the 46 true names are
supported, no stranger, 2 of the surnames' relatives and 15 of the given names' (0.1 % and
0.8 %). Close relatives' names on the same blurred print are the residual risk; an ID number
read on the material is still checked.

With no name read at all, a row that ends on a name's label (姓名：春 for 朱春, its 朱 lost; 患者姓名：
with the name's box lost) is read again on to its right and scored the same way, against what the
recogniser reads there; through the next box when it holds only one or two characters of the name
(俊 of 谭俊, its 谭 lost). Over the 20 such rows of the cached name misses, 6 true names pass, none
of 720 strangers' names and none of 620 sharing the surname. So is the row of a box holding the name's
surname alone (高 of 高豪 on a blurred card, the detector's box stopping before 豪), also when a card's
garbled labels were guessed at as names: on that card none of 101 strangers sharing the surname passed
(the nearest, 高家, at -4.2).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import numpy as np

from models.document import FieldValue
from models.evidence import Evidence
from models.fields import ExtractedFields
from models.ocr import OcrLine, OcrPage
from pipeline.fuzzy import approximate_find, trimmed_spans
from pipeline.ocr import CharacterScoringEngine, OcrEngine
from pipeline.pages import Page

# How much less likely (natural log) than the row as read its reading with the expected name
# may be; see the module docstring for the measurement.
SUPPORT_MARGIN = -4.0
ROW_PAD_SHARE = 1 / 6  # of the row's height, added around its box (at least 2 px): the recogniser's margin
_SPACES = re.compile(r"\s+")


def ctc_log_likelihood(probabilities: np.ndarray, columns: Sequence[int]) -> float:
    """Natural log of the probability that a CTC output (time steps x characters, blank in column 0)
    reads the characters ``columns``, summed over every alignment (the forward algorithm)."""
    steps = probabilities.shape[0]
    if steps == 0:
        return float("-inf")
    log_p = np.log(np.maximum(probabilities, 1e-30))
    extended = np.zeros(2 * len(columns) + 1, dtype=np.int64)  # blank, c1, blank, c2, ..., blank
    extended[1::2] = columns
    # a character may follow the one two places back directly, unless the two are the same
    skip = np.zeros(len(extended), dtype=bool)
    skip[2:] = (extended[2:] != 0) & (extended[2:] != extended[:-2])
    alpha = np.full(len(extended), -np.inf)
    alpha[0] = log_p[0, extended[0]]
    if len(extended) > 1:
        alpha[1] = log_p[0, extended[1]]
    for step in range(1, steps):
        moved = alpha.copy()
        moved[1:] = np.logaddexp(moved[1:], alpha[:-1])
        moved[2:] = np.where(skip[2:], np.logaddexp(moved[2:], alpha[:-2]), moved[2:])
        alpha = moved + log_p[step, extended]
    return float(np.logaddexp(alpha[-1], alpha[-2]) if len(extended) > 1 else alpha[-1])


def row_crop(image: np.ndarray, bbox: Sequence[int]) -> np.ndarray:
    """The pixels of a row's box, with the recogniser's margin around it."""
    x, y, w, h = (int(v) for v in bbox)
    pad = max(2, round(h * ROW_PAD_SHARE))
    height, width = image.shape[:2]
    return image[max(0, y - pad):min(height, y + h + pad), max(0, x - pad):min(width, x + w + pad)]


def support_for(engine: CharacterScoringEngine, crop: np.ndarray, row_text: str, read: str,
                expected: str) -> float | None:
    """Log-likelihood of the row saying ``expected`` where ``read`` was read, less that of the row as read.

    None when ``read`` is not in ``row_text`` or the recogniser does not know a character.
    """
    at = row_text.find(read)
    if at < 0 or crop.size == 0:
        return None
    return span_support(engine, engine.character_probabilities(crop), row_text, at, at + len(read), expected)


def span_support(engine: CharacterScoringEngine, probabilities: np.ndarray, row_text: str, start: int, end: int,
                 expected: str) -> float | None:
    """Log-likelihood of a row's recogniser output (``probabilities``) saying ``expected`` in place of
    ``row_text[start:end]``, less that of it saying ``row_text``; None when a character is unknown."""
    as_read = engine.character_columns(row_text)
    as_expected = engine.character_columns(row_text[:start] + expected + row_text[end:])
    if as_read is None or as_expected is None:
        return None
    return ctc_log_likelihood(probabilities, as_expected) - ctc_log_likelihood(probabilities, as_read)


def best_replacement(engine: CharacterScoringEngine, probabilities: np.ndarray, text: str, candidates: Sequence[str],
                     max_edits: Callable[[int], float]) -> tuple[float, str, int, int] | None:
    """The one of ``candidates`` a row's recogniser output says best in place of what was read near it (within
    ``max_edits(len(candidate))`` edits, the span also tried without the punctuation at its ends), as
    ``(gain over the row as read, candidate, start, end)``; None when none is near."""
    best: tuple[float, str, int, int] | None = None
    for candidate in candidates:
        found = approximate_find(candidate, text, max_edits(len(candidate)))
        if found is None:
            continue
        for start, end in trimmed_spans(text, found[0], found[1]):
            gain = span_support(engine, probabilities, text, start, end, candidate)
            if gain is not None and (best is None or gain > best[0]):
                best = (gain, candidate, start, end)
    return best


def row_of(pages: Sequence[OcrPage], field: FieldValue, held: str | None = None) -> OcrLine | None:
    """The OCR row a field was read in: on its page, holding ``held`` (the field's value unless given),
    overlapping its evidence box."""
    evidence = field.evidence
    if evidence.page is None or evidence.bbox is None:
        return None
    text = field.value if held is None else held
    x, y, w, h = evidence.bbox
    for page in pages:
        if page.page != evidence.page:
            continue
        for line in page.lines:
            lx, ly, lw, lh = line.bbox
            if text in line.text and lx < x + w and x < lx + lw and ly < y + h and y < ly + lh:
                return line
    return None


# A name's label at the end of its row with nothing, or too little to be a name, read after it (姓名：春 for
# 朱春, 姓名：T胜 for 丁胜, 患者姓名： with the name's box lost): the name may stand to its right.
_LABEL_ROW_END = re.compile(r"姓\s*名\s*[:：]?\s*(?P<value>[^\s:：]{0,2})$")
_LABEL = re.compile(r"姓\s*名\s*[:：]?\s*")
_A_FRAGMENT = re.compile(r"^\s*[\u4e00-\u9fff]{1,2}\s*$")  # too little to be a name: one or two characters
LABEL_ROW_REACH = 1.0  # line heights beyond the expected name's width, to the right of what was read


def _rows_ending_on_a_label(page: OcrPage, wanted: str) -> list[tuple[OcrLine, list[int]]]:
    """The rows that end on a name's label (and up to two characters), each with its box widened to the
    right to hold ``wanted``, up to the next box on the row or the page's edge."""
    rows = []
    for line in page.lines:
        found = _LABEL_ROW_END.search(line.text)
        if found is None:
            continue
        x, y, w, h = line.bbox
        missing = len(wanted) - len(found.group("value"))
        right = x + w + round(max(0, missing) * h + LABEL_ROW_REACH * h)
        middle = y + h / 2
        beside = sorted((o for o in page.lines if o is not line and o.bbox[0] >= x + w - 2
                         and o.bbox[1] <= middle <= o.bbox[1] + o.bbox[3]), key=lambda o: o.bbox[0])
        if beside and _A_FRAGMENT.match(beside[0].text) and beside[0].bbox[0] <= right:
            # the name's box holds what was read of it (俊 of 谭俊, its 谭 lost): the row goes on through it
            right = max(right, beside[0].bbox[0] + beside[0].bbox[2])
            beside = beside[1:]
        right = min([right, page.width, *(o.bbox[0] for o in beside)])
        rows.append((line, [x, y, max(w, right - x), h]))
    return rows


def _label_row_support(engine: CharacterScoringEngine, image: np.ndarray, box: Sequence[int],
                       wanted: str) -> float | None:
    """How much likelier the row, read again over ``box``, says its label followed by ``wanted`` than what
    the recogniser reads there; None when it reads no label."""
    crop = row_crop(image, box)
    if crop.size == 0:
        return None
    probabilities = engine.character_probabilities(crop)
    read = engine.best_path_text(probabilities)
    label = _LABEL.search(read)
    if label is None:
        return None
    return span_support(engine, probabilities, read, label.end(), len(read), wanted)


def confirm_expected_name(uprights: Sequence[Page], ocr_pages: Sequence[OcrPage], fields: ExtractedFields,
                          expected: str | None, engine: OcrEngine) -> ExtractedFields:
    """``fields`` with ``person_name_supported`` set when the print of the name read, or with none read
    of a card's unsure guess at one, supports ``expected`` within :data:`SUPPORT_MARGIN`.

    Nothing is read as the expected name here: :func:`pipeline.names.reconcile_person_name`
    decides, with the supported reading's own evidence. Only image pages and an engine that
    scores characters (PP-OCR) are checked; a name read as ``expected`` needs no check.
    """
    wanted = _SPACES.sub("", expected or "")
    if len(wanted) < 2 or not isinstance(engine, CharacterScoringEngine):
        return fields
    guesses = [guess.name for guess in fields.person_name_guesses]
    readings = [fields.person_name] if fields.person_name is not None else guesses
    images = {page.index: page.image for page in uprights if page.text_layer is None}
    for name in readings:
        read = _SPACES.sub("", name.value)
        if read == wanted:
            return fields
        row = row_of(ocr_pages, name)
        image = images.get(name.evidence.page or 0)
        if row is None or image is None:
            continue
        support = support_for(engine, row_crop(image, row.bbox), row.text, read, wanted)
        if support is not None and support >= SUPPORT_MARGIN:
            return fields.model_copy(update={"person_name_supported": FieldValue(value=wanted, evidence=name.evidence)})
    if fields.person_name is None:
        # no name read, or only guesses at one that do not say it (a card's garbled labels 作丽, 作务)
        confirmed = _confirmed_beside_a_label(ocr_pages, images, fields, wanted, engine)
        if confirmed is fields:
            confirmed = _confirmed_after_its_surname(ocr_pages, images, fields, wanted, engine)
        return confirmed
    return fields


def _confirmed_beside_a_label(ocr_pages: Sequence[OcrPage], images: dict[int, np.ndarray], fields: ExtractedFields,
                              wanted: str, engine: CharacterScoringEngine) -> ExtractedFields:
    """With no name read at all: a row ending on a name's label whose print, read on to its right, says
    ``wanted`` within :data:`SUPPORT_MARGIN` of what the recogniser reads there."""
    for page in ocr_pages:
        image = images.get(page.page)
        if image is None:
            continue
        for row, box in _rows_ending_on_a_label(page, wanted):
            support = _label_row_support(engine, image, box, wanted)
            if support is not None and support >= SUPPORT_MARGIN:
                evidence = Evidence(stage="extract", page=page.page, bbox=box, text=row.text, value=wanted,
                                    confidence=round(row.confidence, 3))
                return fields.model_copy(update={"person_name_supported": FieldValue(value=wanted, evidence=evidence)})
    return fields


def _confirmed_after_its_surname(ocr_pages: Sequence[OcrPage], images: dict[int, np.ndarray], fields: ExtractedFields,
                                 wanted: str, engine: CharacterScoringEngine) -> ExtractedFields:
    """With no name read at all: a box of the name's first character alone (高 of 高豪 on a blurred card, the
    detector's box stopping before 豪) whose row, read on to its right, says ``wanted`` within
    :data:`SUPPORT_MARGIN` of what the recogniser reads there."""
    for page in ocr_pages:
        image = images.get(page.page)
        if image is None:
            continue
        for line in page.lines:
            if _SPACES.sub("", line.text) != wanted[0]:
                continue
            box = _read_on(page, line, len(wanted) - 1)
            crop = row_crop(image, box)
            if crop.size == 0:
                continue
            probabilities = engine.character_probabilities(crop)
            read = engine.best_path_text(probabilities).strip()
            if not read.startswith(wanted[0]):
                continue
            support = span_support(engine, probabilities, read, 0, len(read), wanted)
            if support is not None and support >= SUPPORT_MARGIN:
                evidence = Evidence(stage="extract", page=page.page, bbox=box, text=line.text, value=wanted,
                                    confidence=round(line.confidence, 3))
                return fields.model_copy(update={"person_name_supported": FieldValue(value=wanted, evidence=evidence)})
    return fields


def _read_on(page: OcrPage, line: OcrLine, characters: int) -> list[int]:
    """``line``'s box widened to the right by ``characters`` characters and :data:`LABEL_ROW_REACH`, up to the next
    box on its row or the page's edge."""
    x, y, w, h = line.bbox
    middle = y + h / 2
    beside = [o.bbox[0] for o in page.lines if o is not line and o.bbox[0] >= x + w - 2
              and o.bbox[1] <= middle <= o.bbox[1] + o.bbox[3]]
    right = min([x + w + round((characters + LABEL_ROW_REACH) * h), page.width, *beside])
    return [x, y, max(w, right - x), h]
