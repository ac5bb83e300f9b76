"""signature_label: a physician label misread past the patterns is recognised by its print; other signers' are not."""

from __future__ import annotations

import numpy as np
import pytest

from models.evidence import Evidence
from models.fields import ExtractedFields
from models.ocr import OcrPage
from pipeline.ocr import get_engine
from pipeline.pages import Page
from pipeline.signature import detect_physician_signature
from pipeline.signature_label import physician_label_rows, signature_by_label_print
from tests.ocr_helpers import application_form, render, shared_reader


@pytest.fixture(scope="module")
def engine():
    return get_engine("rapidocr")


def _form(*, signed: bool, applicant_signed: bool = False, label_read_as: str | None = "医峰整名：",
          ) -> tuple[np.ndarray, OcrPage]:
    """A form read by RapidOCR, its physician label then misread as ``label_read_as`` (None: its row lost)."""
    image = render(application_form(signed=signed, applicant_signed=applicant_signed))
    page = shared_reader().read(image)
    lines = []
    for line in page.lines:
        if "医师签名" in line.text:
            if label_read_as is None:
                continue
            line = line.model_copy(update={"text": line.text.replace("医师签名：", label_read_as), "char_confidences": ()})
        lines.append(line)
    return image, page.model_copy(update={"lines": tuple(lines)})


def _not_found(page: OcrPage) -> ExtractedFields:
    return ExtractedFields(signature_evidence=Evidence(stage="extract", pages_searched=[page.page]))


def _upright(image: np.ndarray) -> Page:
    return Page(index=1, image=image, dpi=None, text_layer=None, source_kind="image")


def test_a_label_misread_past_the_patterns_is_recognised_by_its_print(engine):
    """GIVEN a form whose physician label 医师签名： was read 医峰整名： (fresh seed 9613, a blurred photo)
    WHEN no pattern finds it, and the row's print is scored against the physician labels
    THEN the row is that label, rewritten to hold it; the applicant's row is not."""
    image, page = _form(signed=True)
    assert detect_physician_signature(image, page).evidence is None  # past every pattern
    rows = physician_label_rows(image, page, engine)
    assert len(rows) == 1
    old, new = rows[0]
    assert old.text.startswith("医峰整名：") and new.text.startswith("医师签名")  # the scribble may be read after it


def test_a_role_and_title_label_whose_colon_was_misread_is_recognised_by_its_print(engine):
    """GIVEN a form whose physician label is 接诊医师： alone, read 接诊医师旭 with a seal's ink over its colon
    (alternative templates 3, seed 7302, a TIFF scan)
    WHEN the row's print is scored
    THEN it is that label, rewritten to hold it, and the scribble beside it is the signature."""
    image = render(application_form(signed=True, physician_label="接诊医师："))
    page = shared_reader().read(image)
    lines = tuple(line.model_copy(update={"text": line.text.replace("接诊医师：", "接诊医师旭"), "char_confidences": ()})
                  for line in page.lines)
    page = page.model_copy(update={"lines": lines})
    assert detect_physician_signature(image, page).evidence is None  # past every pattern
    [(old, new)] = physician_label_rows(image, page, engine)
    assert old.text.startswith("接诊医师旭") and new.text.startswith("接诊医师：")
    fields = signature_by_label_print([_upright(image)], [page], _not_found(page), engine)
    assert fields.signature_present is True


def test_a_signature_beside_the_recognised_label_counts_and_the_evidence_stays_as_read(engine):
    image, page = _form(signed=True)
    fields = signature_by_label_print([_upright(image)], [page], _not_found(page), engine)
    assert fields.signature_present is True
    assert fields.signature_evidence.value == "signed" and fields.signature_evidence.bbox is not None


def test_an_empty_box_beside_the_recognised_label_is_unclear_not_missing(engine):
    """GIVEN the same misread label beside an empty box, the applicant's box below it signed
    WHEN the label is recognised by its print
    THEN whether the physician signed is unclear (a person looks), never signed by the applicant's ink,
    and the evidence shows the label as it was read."""
    image, page = _form(signed=False, applicant_signed=True)
    fields = signature_by_label_print([_upright(image)], [page], _not_found(page), engine)
    assert fields.signature_present is None
    assert fields.signature_evidence.value == "unclear" and fields.signature_evidence.text == "医峰整名："


def test_the_applicants_signed_row_is_never_taken_for_the_physicians(engine):
    """GIVEN a form whose physician label row was lost altogether, the applicant's box signed
    WHEN the rows' print is scored
    THEN no row is the physician's label: the field stays not found (manual review)."""
    image, page = _form(signed=False, applicant_signed=True, label_read_as=None)
    assert physician_label_rows(image, page, engine) == []
    fields = _not_found(page)
    assert signature_by_label_print([_upright(image)], [page], fields, engine) is fields


def test_nothing_is_scored_once_a_label_was_found_or_without_a_scoring_engine(engine):
    image, page = _form(signed=True)
    found = ExtractedFields(signature_present=None,
                            signature_evidence=Evidence(stage="extract", page=1, bbox=[1, 2, 3, 4], value="unclear"))
    assert signature_by_label_print([_upright(image)], [page], found, engine) is found
    not_a_form = ExtractedFields()
    assert signature_by_label_print([_upright(image)], [page], not_a_form, engine) is not_a_form

    class TextOnly:
        name = "tesseract"

        def read(self, image, page):
            raise AssertionError("not read")

    fields = _not_found(page)
    assert signature_by_label_print([_upright(image)], [page], fields, TextOnly()) is fields
    layer = Page(index=1, image=image, dpi=None, text_layer=page, source_kind="pdf_text")
    assert signature_by_label_print([layer], [page], fields, engine) is fields
