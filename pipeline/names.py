"""The person named on a material, spelled as the manifest spells it when OCR misread that name.

Extraction reads a name without knowing whose application it is; it may come back with a
look-alike character (``雪桂凤`` for ``雷桂凤``), a character lost (``德明`` for ``廖德明``), or
nothing when the label was lost but the name itself was read elsewhere on the page. Knowing
the applicant (or agent) the material should name, such a reading is taken as that person's
name; the evidence keeps the text exactly as read and its confidence is lowered. A name that
is another person's (two unlike characters, a different length) is left as read, so the
identity check still sees it.
"""

from __future__ import annotations

import re

from models.document import FieldValue
from models.evidence import Evidence
from models.fields import ExtractedFields
from models.manifest import Manifest, Person
from models.reading import DocumentReading
from models.slots import AGENT_SLOTS
from pipeline.glyphs import misread_of, unsure_misread_of

MISREAD_CONFIDENCE = 0.8  # factor on the evidence confidence when the spelling was taken from the manifest
FOUND_CONFIDENCE = 0.6  # a name found on the page without its label


def compact_name(text: str) -> str:
    return re.sub(r"[\s:：·.]", "", text)


def expected_person(reading: DocumentReading, manifest: Manifest) -> Person | None:
    """Whom the material should name: the agent for the agent's ID card, else the applicant."""
    return _person_for(reading.slot, manifest)


def _person_for(slot: str | None, manifest: Manifest) -> Person | None:
    return manifest.agent if slot in AGENT_SLOTS else manifest.applicant


def expected_name(slot: str | None, manifest: Manifest | None) -> str | None:
    """The name a material in ``slot`` should carry, for reading it (:func:`pipeline.reading.read_file`)."""
    person = _person_for(slot, manifest) if manifest is not None else None
    return person.name if person is not None and person.name else None


def _found_on_page(reading: DocumentReading, wanted: str) -> Evidence | None:
    """The first OCR line that holds ``wanted`` whole (spaces ignored)."""
    for page in reading.ocr:
        for line in page.lines:
            if wanted in compact_name(line.text):
                return Evidence(stage="extract", page=page.page, bbox=list(line.bbox), text=line.text, value=wanted,
                                confidence=round(line.confidence * FOUND_CONFIDENCE, 3))
    return None


def _guessed(fields: ExtractedFields, person: Person, wanted: str) -> Evidence | None:
    """The first of a card's unsure name-like boxes that is ``wanted`` misread, as its evidence.

    As for a name taken (:func:`pipeline.glyphs.misread_of`, :func:`pipeline.glyphs.unsure_misread_of`);
    on a card whose number, read in full, is the person's own, one exact character suffices however
    unsurely read (候春怡 for 侯春怡, 候 0.40 and 怡 0.55).
    """
    own_number = bool(person.id_number and fields.id_number_full is not None
                      and fields.id_number_full.get_secret_value().upper() == person.id_number.strip().upper())
    for guess in fields.person_name_guesses:
        read = compact_name(guess.name.value)
        if misread_of(read, wanted) or unsure_misread_of(read, wanted, guess.unsure_chars,
                                                         sure_exact_needed=not own_number):
            confidence = round((guess.name.evidence.confidence or 1.0) * MISREAD_CONFIDENCE, 3)
            return guess.name.evidence.model_copy(update={"value": wanted, "confidence": confidence})
    return None


def _supported(fields: ExtractedFields, wanted: str) -> Evidence | None:
    """The evidence of the name (or card guess) whose print says ``wanted`` nearly as likely as what was
    read (:mod:`pipeline.name_check`), with ``wanted`` as its value and its confidence lowered."""
    supported = fields.person_name_supported
    if supported is None or compact_name(supported.value) != wanted:
        return None
    confidence = round((supported.evidence.confidence or 1.0) * MISREAD_CONFIDENCE, 3)
    return supported.evidence.model_copy(update={"value": wanted, "confidence": confidence})


def reconcile_person_name(reading: DocumentReading, manifest: Manifest) -> DocumentReading:
    """``reading`` with its person name spelled as the manifest spells it, when what was read is that name.

    Taken as the expected person's name: a name read as that name misread (look-alike characters,
    one character lost: :func:`pipeline.glyphs.misread_of`; loosely alike characters the OCR
    doubted: :func:`pipeline.glyphs.unsure_misread_of`), or, when no name was read, the
    expected name written whole on the page; or a name (or a card's guess at one) whose print says the
    expected name nearly as likely as what was read (``person_name_supported``, checked while reading).
    Anything else is returned unchanged.
    """
    fields = reading.fields
    person = expected_person(reading, manifest)
    if fields is None or person is None or not person.name:
        return reading
    wanted = compact_name(person.name)
    if len(wanted) < 2:
        return reading
    current = fields.person_name
    supported = _supported(fields, wanted)
    if current is not None:
        read = compact_name(current.value)
        if read == wanted or not (misread_of(read, wanted) or supported is not None
                                  or unsure_misread_of(read, wanted, fields.person_name_unsure_chars)):
            return reading
        confidence = round((current.evidence.confidence or 1.0) * MISREAD_CONFIDENCE, 3)
        evidence = current.evidence.model_copy(update={"value": wanted, "confidence": confidence})
    else:
        found = _found_on_page(reading, wanted) or _guessed(fields, person, wanted) or supported
        if found is None:
            return reading
        evidence = found
    name = FieldValue(value=wanted, evidence=evidence)
    return reading.model_copy(update={"fields": fields.model_copy(update={"person_name": name,
                                                                          "person_name_unsure_chars": ()})})
