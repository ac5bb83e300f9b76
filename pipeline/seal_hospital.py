"""The hospital named by a document's seal, when its text names none the registry knows.

A certificate's hospital is usually printed in its title; on some it is only in the seal's ring
(临汾市尧都中心医院 around the star, 医院（盖章） beside it, alternative templates seed 7013: a false
HOSPITAL_UNKNOWN). The ring is read (:func:`pipeline.seal_text.read_seal`, about 0.1 s a seal) only
then. Measured on the sealed documents of three corpora (9627, alternative 7013, second family
7107), the ring named the document's own hospital on 80, another hospital on none, and none on 65.
"""

from __future__ import annotations

from collections.abc import Sequence

from models.document import FieldValue, Seal
from models.evidence import Evidence
from models.fields import ExtractedFields
from models.policy import PolicyBook
from pipeline.errors import EngineError
from pipeline.pages import Page
from pipeline.seal_text import read_seal


def hospital_from_seals(uprights: Sequence[Page], seals: Sequence[Seal], fields: ExtractedFields,
                        book: PolicyBook) -> tuple[list[Seal], ExtractedFields]:
    """``seals`` and ``fields`` with the first seal that names a registry hospital read, and the document's
    hospital taken from it when none was read; unchanged when the text named a registry hospital.

    Args:
        uprights: The upright pages, in page order (the seals' boxes are in their pixels).
        seals: The seals detected on them.
        fields: What was extracted from the text.
        book: The policy book (its registry of hospitals).
    """
    if fields.hospital_in_registry or not seals:
        return list(seals), fields
    by_page = {page.index: page for page in uprights}
    hospitals = book.all_hospitals
    read = list(seals)
    for i, seal in enumerate(seals):
        page = by_page.get(seal.page)
        if page is None:
            continue
        try:
            seal = read_seal(page.image, seal, hospitals)
        except EngineError:
            continue  # the recogniser failed on this ring: the document keeps what its text gave
        read[i] = seal
        if seal.hospital is None:
            continue
        if fields.hospital is None:
            evidence = Evidence(stage="seal", page=seal.page, bbox=list(seal.bbox), text=seal.text, value=seal.hospital)
            fields = fields.model_copy(update={"hospital": FieldValue(value=seal.hospital, evidence=evidence),
                                               "hospital_in_registry": True})
        break
    return read, fields
