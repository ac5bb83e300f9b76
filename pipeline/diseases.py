"""Resolve the disease an applicant chose (name, synonym or code) to a catalog entry."""

from __future__ import annotations

import re
import unicodedata

from models.policy import DiseaseCatalog, DiseaseEntry

_ROMAN = str.maketrans({"Ⅰ": "1", "Ⅱ": "2", "Ⅲ": "3", "Ⅳ": "4"})


def normalise_disease_name(text: str) -> str:
    """Fold width, brackets, roman numerals and spacing so typed variants compare equal."""
    folded = unicodedata.normalize("NFKC", text).translate(_ROMAN)
    folded = folded.replace("（", "(").replace("）", ")").replace("【", "(").replace("】", ")")
    return re.sub(r"[\s·•]+", "", folded).upper()


def resolve_disease(text: str | None, catalog: DiseaseCatalog) -> DiseaseEntry | None:
    """The catalog entry whose code, name or synonym equals ``text`` (after normalising).

    Falls back to the longest catalog name contained in the text, so that
    ``高血压病(Ⅲ级)`` still resolves to 高血压 while ``感冒`` resolves to nothing.
    """
    if not text:
        return None
    wanted = normalise_disease_name(text)
    best: tuple[int, DiseaseEntry] | None = None
    for entry in catalog.diseases:
        if wanted == entry.code:
            return entry
        for name in entry.all_names:
            norm = normalise_disease_name(name)
            if wanted == norm:
                return entry
            if len(norm) >= 2 and norm in wanted and (best is None or len(norm) > best[0]):
                best = (len(norm), entry)
    return best[1] if best else None
