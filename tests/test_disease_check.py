"""disease_check: a garbled diagnosis whose print says the declared disease names it; another disease's does not."""

from __future__ import annotations

import numpy as np
import pytest

from models.document import FieldValue
from models.evidence import Evidence
from models.fields import ExtractedFields
from models.ocr import OcrLine, OcrPage
from pipeline.disease_check import DISEASE_SUPPORT_MARGIN, best_support, confirm_expected_disease
from pipeline.fuzzy import trimmed_spans
from pipeline.ocr import get_engine
from pipeline.pages import Page
from pipeline.policy import load_policy
from tests.test_name_check import blurred_row


@pytest.fixture(scope="module")
def engine():
    return get_engine("rapidocr")


@pytest.fixture(scope="module")
def catalog():
    return {entry.code: entry for entry in load_policy().catalog.diseases}


def _page(printed: str, read_as: str) -> tuple[Page, OcrPage, ExtractedFields]:
    row = blurred_row(printed, size=36, shrink=0.22)
    image = np.full((300, 40 + row.shape[1], 3), 255, np.uint8)
    height, width = row.shape[:2]
    image[100:100 + height, 20:20 + width] = row
    line = OcrLine(text=read_as, bbox=[25, 110, width - 10, height - 20], confidence=0.7)
    ocr = OcrPage(page=1, width=image.shape[1], height=300, lines=(line,), engine="rapidocr")
    value = read_as.split("：", 1)[-1]
    diagnosis = FieldValue(value=value, evidence=Evidence(stage="extract", page=1, bbox=[120, 110, width - 110, height - 20],
                                                          text=read_as, value=value, confidence=0.7))
    return Page(index=1, image=image, dpi=None, text_layer=None, source_kind="image"), ocr, \
        ExtractedFields(diagnosis=diagnosis)


def test_a_garbled_diagnosis_whose_print_says_the_declared_disease_names_it(engine, catalog):
    # as a blurred photo read it (fresh seed 9628): the first character lost and 遗 read 通
    page, ocr, fields = _page("诊断：脑出血后遗症", "诊断：出血后通症")
    confirmed = confirm_expected_disease([page], [ocr], fields, catalog["STK"], engine)
    assert confirmed.disease_code == "STK" and "STK" in confirmed.disease_codes
    assert confirmed.diagnosis.value == "出血后通症"  # the diagnosis stays as read


def test_another_declared_disease_is_not_found_in_that_print(engine, catalog):
    page, ocr, fields = _page("诊断：慢性肾衰竭", "诊断：慢性肾衰竭")
    fields = fields.model_copy(update={"disease_code": "CKD", "disease_codes": ("CKD",)})
    # 慢性心衰 is within half its characters of 慢性肾衰竭, but the print says otherwise
    support = best_support(engine, page.image, ocr.lines, ["慢性心衰"])
    assert support is not None and support < DISEASE_SUPPORT_MARGIN
    assert confirm_expected_disease([page], [ocr], fields, catalog["CHF"], engine) == fields


def test_nothing_to_check_without_a_diagnosis_or_when_it_names_the_disease(engine, catalog):
    page, ocr, fields = _page("诊断：脑出血后遗症", "诊断：脑出血后遗症")
    assert confirm_expected_disease([page], [ocr], ExtractedFields(), catalog["STK"], engine) == ExtractedFields()
    named = fields.model_copy(update={"disease_code": "STK", "disease_codes": ("STK",)})
    assert confirm_expected_disease([page], [ocr], named, catalog["STK"], engine) is named
    assert confirm_expected_disease([page], [ocr], fields, None, engine) is fields


def test_the_span_is_also_tried_without_the_punctuation_the_search_took_in():
    assert trimmed_spans("诊断：梗死后遭症（左）", 2, 8) == {(2, 8), (3, 8)}
    assert trimmed_spans("（阿尔艾海疾（", 0, 7) == {(0, 7), (1, 7), (1, 6)}
