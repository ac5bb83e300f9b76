"""hospital_check: a hospital name read outside the registry, checked against its print for registry names."""

from __future__ import annotations

import numpy as np
import pytest

from models.document import FieldValue
from models.evidence import Evidence
from models.fields import ExtractedFields
from models.ocr import OcrLine, OcrPage
from pipeline.hospital_check import confirm_registry_hospital, registry_spellings
from pipeline.ocr import get_engine
from pipeline.pages import Page
from pipeline.policy import load_policy
from tests.test_name_check import blurred_row


@pytest.fixture(scope="module")
def engine():
    return get_engine("rapidocr")


@pytest.fixture(scope="module")
def spellings():
    return registry_spellings(load_policy().all_hospitals)


def _read(printed: str, read_as: str, text_layer: bool = False) -> tuple[Page, OcrPage, ExtractedFields]:
    row = blurred_row(printed, size=34, shrink=0.22)
    image = np.full((row.shape[0] + 40, row.shape[1] + 40, 3), 255, np.uint8)
    image[20:-20, 20:-20] = row
    line = OcrLine(text=read_as, bbox=[30, 35, row.shape[1] - 20, row.shape[0] - 30], confidence=0.9)
    ocr = OcrPage(page=1, width=image.shape[1], height=image.shape[0], lines=(line,), engine="rapidocr")
    hospital = FieldValue(value=read_as, evidence=Evidence(stage="extract", page=1, bbox=line.bbox, text=read_as))
    page = Page(index=1, image=image, dpi=None, text_layer=ocr if text_layer else None,
                source_kind="pdf_text" if text_layer else "image")
    return page, ocr, ExtractedFields(hospital=hospital)


def test_a_registry_name_misread_past_the_tolerant_match_is_that_hospital(engine, spellings):
    """Fresh seed 9657: 临汾市粉西人民医院 for 临汾市汾西人民医院 on a phone photo (粉 and 汾 alike only loosely),
    a false HOSPITAL_UNKNOWN. The evidence keeps what was read."""
    page, ocr, fields = _read("临汾市汾西人民医院", "临汾市粉西人民医院")
    confirmed = confirm_registry_hospital([page], [ocr], fields, spellings, engine)
    assert confirmed.hospital_in_registry and confirmed.hospital.value == "临汾市汾西人民医院"
    assert confirmed.hospital.evidence.text == "临汾市粉西人民医院"


@pytest.mark.parametrize(("printed", "read_as"), [
    ("临汾市汾阳人民医院", "临汾市粉阳人民医院"),  # another hospital, two characters from a registry one
    ("临汾市汾西妇幼保健院", "临汾市汾西妇幼保健院"),  # another kind of institution of the same place
])
def test_another_hospital_is_not_taken_for_a_registry_one(engine, spellings, printed, read_as):
    page, ocr, fields = _read(printed, read_as)
    assert confirm_registry_hospital([page], [ocr], fields, spellings, engine) is fields


def test_a_text_layer_is_not_scored(engine, spellings):
    page, ocr, fields = _read("临汾市汾西人民医院", "临汾市粉西人民医院", text_layer=True)
    assert confirm_registry_hospital([page], [ocr], fields, spellings, engine) is fields
