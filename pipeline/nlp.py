"""build_nlp(): the blank Chinese spaCy pipeline of rule components, assembled by name from policy data.

The tokenizer is spaCy's character segmenter for ``zh`` (no model, no pkuseg,
nothing downloaded). Build the pipeline once per process and pass it around:
the entity ruler's phrase patterns are compiled from the catalog and registry here.
"""

from __future__ import annotations

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from models.ocr import OcrPage
from models.policy import PolicyBook
from pipeline import components
from pipeline.pagetext import build_page_text

# Open-ended disease families a name list cannot enumerate (any organ's 癌 is a malignant tumour).
# Keys are catalog codes; the component ignores codes missing from the catalog.
DISEASE_FAMILY_PATTERNS: dict[str, list[str]] = {
    "CA": [r"[\u4e00-\u9fff]{0,8}?(?:癌(?!胚|抗原|基因|症筛查|前病变)|肉瘤|淋巴瘤|白血病|骨髓瘤|黑色素瘤|母细胞瘤)",
           r"恶性(?:肿瘤|肿物|病变)",
           # a TNM stage is given to malignant tumours only (右肺牌（cT2NIMOIIB期） with 腺癌 misread as 牌);
           # OCR reads N1 as NI and M0 as MO
           r"(?<![A-Za-z])[cpyr]?T\s?[0-4xX][a-d]?\s?N\s?[0-3xXIl][a-c]?\s?M\s?[01xXOo]"],
}

PIPE_NAMES = ("precheck_layout_v1", "entity_ruler", "precheck_id_numbers_v1", "precheck_dates_v1",
              "precheck_hospitals_v1", "precheck_person_names_v1", "precheck_diagnosis_v1",
              "precheck_diseases_v1", "precheck_stages_v1", "precheck_doctype_v1")


def ruler_patterns(policy: PolicyBook) -> list[dict[str, str]]:
    """Entity-ruler phrase patterns: DISEASE for catalog names and synonyms, HOSPITAL for registry spellings."""
    patterns: list[dict[str, str]] = []
    for disease in policy.catalog.diseases:
        for name in disease.all_names:
            patterns.append({"label": "DISEASE", "pattern": name, "id": disease.code})
    for hospital in policy.all_hospitals:
        for spelling in (hospital.name, *hospital.aliases):
            patterns.append({"label": "HOSPITAL", "pattern": spelling, "id": hospital.name})
    return patterns


def build_nlp(policy: PolicyBook) -> Language:
    """A blank ``zh`` pipeline with the precheck rule components, configured from ``policy``.

    Args:
        policy: The loaded policy book (disease catalog and hospital registry).

    Returns:
        The pipeline; run it on ``make_page_doc(nlp, page)``.
    """
    components.register_extensions()
    nlp = spacy.blank("zh")
    nlp.add_pipe("precheck_layout_v1")
    ruler = nlp.add_pipe("entity_ruler", config={"overwrite_ents": True})
    ruler.add_patterns(ruler_patterns(policy))  # type: ignore[attr-defined]
    nlp.add_pipe("precheck_id_numbers_v1")
    nlp.add_pipe("precheck_dates_v1")
    registry = [{"name": h.name, "aliases": list(h.aliases)} for h in policy.all_hospitals]
    nlp.add_pipe("precheck_hospitals_v1", config={"registry": registry})
    nlp.add_pipe("precheck_person_names_v1")
    nlp.add_pipe("precheck_diagnosis_v1")
    diseases = [{"code": d.code, "names": list(d.all_names), "icd10": list(d.icd10)} for d in policy.catalog.diseases]
    codes = {d.code for d in policy.catalog.diseases}
    extra = {code: patterns for code, patterns in DISEASE_FAMILY_PATTERNS.items() if code in codes}
    nlp.add_pipe("precheck_diseases_v1", config={"diseases": diseases, "extra_patterns": extra})
    nlp.add_pipe("precheck_stages_v1")
    nlp.add_pipe("precheck_doctype_v1")
    return nlp


def make_page_doc(nlp: Language, page: OcrPage) -> Doc:
    """A Doc of one OCR page (rows in reading order) with its geometry in ``doc._.page_text``.

    Args:
        nlp: From ``build_nlp``.
        page: One upright page's OCR lines.
    """
    page_text = build_page_text(page)
    doc = nlp.make_doc(page_text.text)
    doc._.page_text = page_text
    return doc


def run_page(nlp: Language, page: OcrPage) -> Doc:
    """Run the pipeline over one OCR page and return the annotated Doc."""
    return nlp(make_page_doc(nlp, page))
