"""disease_check: a garbled diagnosis whose print says the declared disease names it; another disease's does not."""

from __future__ import annotations

import numpy as np
import pytest

from models.document import FieldValue
from models.evidence import Evidence
from models.fields import ExtractedFields
from models.ocr import OcrLine, OcrPage
from pipeline.disease_check import (
    DISEASE_SUPPORT_MARGIN,
    best_support,
    confirm_criterion_wording,
    confirm_expected_disease,
)
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


@pytest.fixture(scope="module")
def diabetes_criterion():
    book = load_policy()
    disease = next(entry for entry in book.catalog.diseases if entry.code == "DM")
    return disease, book.region_terms("linfen", disease).criterion


def _diabetes(printed: str, read_as: str) -> tuple[Page, OcrPage, ExtractedFields]:
    page, ocr, fields = _page(printed, read_as)
    return page, ocr, fields.model_copy(update={"disease_code": "DM", "disease_codes": ("DM",)})


def test_a_garbled_complication_whose_print_states_the_criterion_is_supported(engine, diabetes_criterion):
    """GIVEN 1型糖尿病伴酮症 read 1型糖尿病件副症 (fresh seed 9632: ILLEGIBLE, 伴 and 酮 misread)
    WHEN the criterion's wordings are scored against the row's print
    THEN 糖尿病伴酮症 is supported, and the check finds the criterion stated; the diagnosis stays as read."""
    disease, criterion = diabetes_criterion
    page, ocr, fields = _diabetes("诊断：1型糖尿病伴酮症", "诊断：1型糖尿病件副症")
    confirmed = confirm_criterion_wording([page], [ocr], fields, disease, criterion, engine)
    assert confirmed.criterion_supported is not None and confirmed.criterion_supported.value == "糖尿病伴酮症"
    assert confirmed.diagnosis.value == "1型糖尿病件副症"


@pytest.mark.parametrize("printed", ["诊断：2型糖尿病", "诊断：2型糖尿病（无并发症）", "诊断：Ⅱ型糖尿病 血糖控制不佳"])
def test_a_diagnosis_without_its_complication_is_never_supported_as_stating_one(engine, diabetes_criterion, printed):
    disease, criterion = diabetes_criterion
    page, ocr, fields = _diabetes(printed, printed)
    assert confirm_criterion_wording([page], [ocr], fields, disease, criterion, engine) is fields


def test_the_criterion_is_not_scored_when_stated_or_for_another_disease(engine, diabetes_criterion):
    disease, criterion = diabetes_criterion
    page, ocr, fields = _diabetes("诊断：2型糖尿病伴糖尿病肾病", "诊断：2型糖尿病伴糖尿病肾病")
    assert confirm_criterion_wording([page], [ocr], fields, disease, criterion, engine) is fields
    page, ocr, garbled = _page("诊断：1型糖尿病伴酮症", "诊断：1型糖尿病件副症")
    other = garbled.model_copy(update={"disease_code": "HBP", "disease_codes": ("HBP",)})
    assert confirm_criterion_wording([page], [ocr], other, disease, criterion, engine) is other
    assert confirm_criterion_wording([page], [ocr], garbled, disease, None, engine) is garbled



@pytest.fixture(scope="module")
def hypertension_criterion():
    book = load_policy()
    disease = next(entry for entry in book.catalog.diseases if entry.code == "HBP")
    return disease, book.region_terms("linfen", disease).criterion


@pytest.mark.parametrize(("printed", "read_as", "supported"), [
    ("诊断：高血压3级", "诊断：高血压3#", True),   # alternative templates 2, seed 7117: 级 unread
    ("诊断：高血压2级", "诊断：高血压3#", False),  # a lower grade printed, its numeral misread too: never grade 3
    ("诊断：高血压1级", "诊断：高血压#级", False),  # the numeral unread: the print says grade 1
    ("诊断：高血压Ⅱ级", "诊断：高血压#级", False),
    # the grade in brackets, its numeral unread: a lower grade's print is never grade 3 (nor, rendered in this
    # font, is Ⅲ itself, which reads about as well as 1: a person reads it)
    ("诊断：高血压病（Ⅱ级，极高危）", "诊断：高血压病（级，极高危）", False),
    ("诊断：高血压病（Ⅲ级，极高危）", "诊断：高血压病（级，极高危）", False),
    ("诊断：高血压病（2级，高危）", "诊断：高血压病（级，高危）", False),
])
def test_a_garbled_grade_is_supported_only_where_its_print_beats_each_lower_grade(engine, hypertension_criterion,
                                                                                  printed, read_as, supported):
    disease, criterion = hypertension_criterion
    page, ocr, fields = _page(printed, read_as)
    fields = fields.model_copy(update={"disease_code": "HBP", "disease_codes": ("HBP",)})
    confirmed = confirm_criterion_wording([page], [ocr], fields, disease, criterion, engine)
    assert (confirmed.criterion_supported is not None) is supported


def test_a_grade_in_brackets_whose_numeral_a_photocopy_lost_is_supported_by_its_print(engine, hypertension_criterion):
    """Fresh seed 9665: 高血压病（Ⅲ级，极高危） on a photocopied certificate read 高血压病（级，极高危）(110). The
    bracketed wording scores +2.2, the best lower grade -2.1 (高血压病（Ⅱ级): grade 3 is supported."""
    from pathlib import Path

    import cv2

    image = cv2.imread(str(Path(__file__).parent / "data" / "hypertension_grade_in_brackets_photocopy.png"))
    read_as = "诊断：高血压病（级，极高危）(110)"
    line = OcrLine(text=read_as, bbox=[40, 41, 853, 60], confidence=0.97)
    ocr = OcrPage(page=1, width=image.shape[1], height=image.shape[0], lines=(line,), engine="rapidocr")
    value = read_as.split("：", 1)[-1]
    diagnosis = FieldValue(value=value, evidence=Evidence(stage="extract", page=1, bbox=[40, 41, 853, 60],
                                                          text=read_as, value=value, confidence=0.97))
    fields = ExtractedFields(diagnosis=diagnosis, disease_code="HBP", disease_codes=("HBP",))
    page = Page(index=1, image=image, dpi=None, text_layer=None, source_kind="image")
    disease, criterion = hypertension_criterion
    confirmed = confirm_criterion_wording([page], [ocr], fields, disease, criterion, engine)
    assert confirmed.criterion_supported is not None and "Ⅲ" in confirmed.criterion_supported.value


def test_a_criterion_whose_rival_states_it_is_refused():
    from models.policy import Criterion

    with pytest.raises(ValueError, match="rivals"):
        Criterion(label="高血压3级", patterns=[r"3\s*级"], rivals=["高血压3级"])
