"""A diagnosis row that names no disease is read again alone before a DIAGNOSIS_MISMATCH rests on it."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from models.ocr import OcrLine, OcrPage
from pipeline.diagnosis_reread import reread_diagnosis_rows
from pipeline.extract import extract_fields
from pipeline.nlp import build_nlp
from pipeline.ocr import get_engine, ocr_page
from pipeline.pages import Page
from pipeline.policy import load_policy

BOOK = load_policy()


@pytest.fixture(scope="module")
def nlp():
    return build_nlp(BOOK)


def _extractor(nlp):
    return lambda pages: extract_fields(pages, nlp, BOOK, "diagnosis_certificate")


def test_a_character_the_page_read_lost_is_read_back_when_the_row_is_read_alone(nlp):
    """A crop of fresh seed 9559's generated certificate photo: read with its surroundings, the row is
    诊断意见：乙状结肠术后 (癌 dropped, at 0.96), a DIAGNOSIS_MISMATCH; read alone, 乙状结肠癌术后."""
    image = cv2.imread(str(Path(__file__).parent / "data" / "diagnosis_row_with_a_lost_character.png"))
    page = Page(index=1, image=image, dpi=None, text_layer=None, source_kind="image")
    engine = get_engine("rapidocr")
    first = ocr_page(page, engine)
    fields = _extractor(nlp)([first])
    assert fields.diagnosis is not None and fields.disease_code is None
    pages, again = reread_diagnosis_rows([page], [first], fields, engine, _extractor(nlp))
    assert again.disease_code == "CA" and "癌" in again.diagnosis.value
    assert pages[0] is not first


class _ReadsAs:
    """A stand-in recogniser for the logic alone: reads every given box as ``text``."""

    name = "fake"

    def __init__(self, text: str) -> None:
        self.text, self.calls = text, 0

    def detect_lines(self, image: np.ndarray) -> list[np.ndarray]:
        return []

    def read(self, image: np.ndarray, page: int, line_boxes=None) -> OcrPage:
        self.calls += 1
        lines = (OcrLine(text=self.text, bbox=[40, 100, 400, 30], confidence=0.97),)
        return OcrPage(page=page, width=image.shape[1], height=image.shape[0], lines=lines, engine="fake")


def _certificate(diagnosis: str) -> tuple[Page, OcrPage]:
    image = np.full((600, 800, 3), 250, np.uint8)
    page = Page(index=1, image=image, dpi=None, text_layer=None, source_kind="image")
    ocr = OcrPage(page=1, width=800, height=600, engine="rapidocr", lines=(
        OcrLine(text="诊断证明书", bbox=[300, 20, 200, 40], confidence=0.99),
        OcrLine(text=f"诊断：{diagnosis}", bbox=[40, 100, 400, 30], confidence=0.97)))
    return page, ocr


@pytest.mark.parametrize(("again", "kept"), [
    ("诊断：慢性胃炎", "慢性胃炎"),  # the re-read names no disease either: the first reading stands
])
def test_a_re_read_that_names_no_disease_changes_nothing(nlp, again, kept):
    page, ocr = _certificate("慢性胃炎")
    fields = _extractor(nlp)([ocr])
    pages, after = reread_diagnosis_rows([page], [ocr], fields, _ReadsAs(again), _extractor(nlp))
    assert pages == [ocr] and after is fields and after.diagnosis.value == kept


def test_a_diagnosis_that_names_a_disease_is_not_read_again(nlp):
    page, ocr = _certificate("原发性高血压3级")
    fields = _extractor(nlp)([ocr])
    engine = _ReadsAs("诊断：慢性胃炎")
    _, after = reread_diagnosis_rows([page], [ocr], fields, engine, _extractor(nlp))
    assert engine.calls == 0 and after is fields


def test_only_materials_whose_diagnosis_is_checked_are_read_again():
    from pipeline.diagnosis_reread import diagnosis_checked_slots

    assert diagnosis_checked_slots(BOOK) == frozenset({"diagnosis_certificate"})  # 临汾's rules
