"""name_check: the print of a name read otherwise, scored for the expected name by the recogniser's CTC output."""

from __future__ import annotations

import itertools
import math

import cv2
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image, ImageDraw

from models.document import FieldValue
from models.evidence import Evidence
from models.fields import ExtractedFields, NameGuess
from models.manifest import Applicant, Manifest
from models.ocr import OcrLine, OcrPage
from models.reading import DocumentReading
from pipeline.name_check import SUPPORT_MARGIN, confirm_expected_name, ctc_log_likelihood, row_crop, support_for
from pipeline.names import reconcile_person_name
from pipeline.ocr import get_engine
from pipeline.pages import Page
from tests.ocr_helpers import cjk_font


def _collapse(path: tuple[int, ...]) -> tuple[int, ...]:
    """A CTC path as the text it reads: repeats merged, then blanks (0) dropped."""
    return tuple(step for step, _ in itertools.groupby(path) if step != 0)


@settings(max_examples=60, deadline=None)
@given(steps=st.integers(1, 5), classes=st.integers(2, 3), seed=st.integers(0, 10_000),
       label=st.lists(st.integers(1, 2), max_size=3))
def test_the_forward_algorithm_sums_every_path_that_reads_the_label(steps, classes, seed, label):
    label = [c for c in label if c < classes]
    probabilities = np.random.default_rng(seed).dirichlet(np.ones(classes), size=steps)
    total = sum(math.prod(probabilities[t, c] for t, c in enumerate(path))
                for path in itertools.product(range(classes), repeat=steps) if _collapse(path) == tuple(label))
    got = ctc_log_likelihood(probabilities, label)
    if total == 0:
        assert got < -50
    else:
        assert got == pytest.approx(math.log(total), rel=1e-6, abs=1e-9)


def test_a_sure_output_reads_its_own_text_and_not_another():
    # steps: a, blank, a, b -> "aab" (the blank keeps the two a apart)
    sure = np.array([[0.0, 1, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1]]) * 0.98 + 0.02 / 3
    assert ctc_log_likelihood(sure, [1, 1, 2]) > math.log(0.9)
    assert ctc_log_likelihood(sure, [1, 2]) < math.log(0.05)  # only by reading the blank step as a


@pytest.fixture(scope="module")
def engine():
    return get_engine("rapidocr")


def blurred_row(text: str, *, size: int = 40, shrink: float = 0.2) -> np.ndarray:
    """``text`` printed on a white row, shrunk to a fifth and blown up again (a phone photo's blur)."""
    image = Image.new("RGB", (40 + size * (len(text) + 1), size * 2 + 20), "white")
    ImageDraw.Draw(image).text((20, 10 + size // 2), text, font=cjk_font(size), fill=(40, 40, 40))
    sharp = cv2.cvtColor(np.asarray(image), cv2.COLOR_RGB2BGR)
    small = cv2.resize(sharp, None, fx=shrink, fy=shrink, interpolation=cv2.INTER_AREA)
    return cv2.resize(small, (sharp.shape[1], sharp.shape[0]), interpolation=cv2.INTER_LINEAR)


def test_the_print_of_the_true_name_supports_it_over_a_misreading_and_not_a_strangers(engine):
    row = blurred_row("姓名：邵娟")
    # as if the page had read 鲜奶 (fresh seed 9606): the print says 邵娟 far more likely
    assert support_for(engine, row, "姓名：鲜奶", "鲜奶", "邵娟") > 0
    # another person's name, or a relative's with the same surname, is far less likely than what is printed
    assert support_for(engine, row, "姓名：邵娟", "邵娟", "王建国") < SUPPORT_MARGIN
    assert support_for(engine, row, "姓名：邵娟", "邵娟", "邵伟") < SUPPORT_MARGIN
    # a name the row does not hold, or a character the recogniser does not know: no score
    assert support_for(engine, row, "姓名：邵娟", "王伟", "邵娟") is None
    assert support_for(engine, row, "姓名：邵娟", "邵娟", "邵\U0002A6A5") is None


def _page_with_row(text: str, read_as: str) -> tuple[Page, OcrPage, FieldValue]:
    row = blurred_row(text)
    page_image = np.full((400, 600, 3), 255, np.uint8)
    height, width = row.shape[:2]
    page_image[100:100 + height, 50:50 + width] = row
    line = OcrLine(text=f"姓名：{read_as}", bbox=[55, 110, width - 10, height - 20], confidence=0.6)
    ocr = OcrPage(page=1, width=600, height=400, lines=(line,), engine="rapidocr")
    name = FieldValue(value=read_as, evidence=Evidence(stage="extract", page=1, bbox=[150, 110, 80, height - 20],
                                                       text=line.text, value=read_as, confidence=0.6))
    return Page(index=1, image=page_image, dpi=None, text_layer=None, source_kind="image"), ocr, name


def test_a_misread_name_whose_print_says_the_applicants_is_taken_as_the_applicants(engine):
    page, ocr, name = _page_with_row("姓名：邵娟", read_as="鲜奶")
    fields = confirm_expected_name([page], [ocr], ExtractedFields(person_name=name), "邵娟", engine)
    assert fields.person_name_supported is not None and fields.person_name_supported.value == "邵娟"
    assert fields.person_name_supported.evidence.text == "姓名：鲜奶"  # the evidence stays as read
    reading = DocumentReading(file="a.jpg", slot="exam_report", ocr=(ocr,), fields=fields)
    reconciled = reconcile_person_name(reading, Manifest(application_id="T-1", applicant=Applicant(name="邵娟")))
    assert reconciled.fields.person_name.value == "邵娟"
    assert reconciled.fields.person_name.evidence.confidence < 0.6
    # another applicant's name is not supported by that print, and the reading stays as read
    other = confirm_expected_name([page], [ocr], ExtractedFields(person_name=name), "王建国", engine)
    assert other.person_name_supported is None
    reading = DocumentReading(file="a.jpg", slot="exam_report", ocr=(ocr,), fields=other)
    assert reconcile_person_name(reading, Manifest(application_id="T-1", applicant=Applicant(name="王建国"))
                                 ).fields.person_name.value == "鲜奶"


def test_a_cards_unsure_guess_is_checked_when_no_name_was_read(engine):
    page, ocr, name = _page_with_row("姓名：邵娟", read_as="鲜奶")
    fields = ExtractedFields(person_name_guesses=(NameGuess(name=name, unsure_chars=(0, 1)),))
    confirmed = confirm_expected_name([page], [ocr], fields, "邵娟", engine)
    assert confirmed.person_name_supported is not None


def test_nothing_is_checked_without_a_scoring_engine_or_an_image_page(engine):
    page, ocr, name = _page_with_row("姓名：邵娟", read_as="鲜奶")
    fields = ExtractedFields(person_name=name)

    class TextOnly:
        name = "tesseract"

        def read(self, image, page):
            raise AssertionError("not read")

    assert confirm_expected_name([page], [ocr], fields, "邵娟", TextOnly()).person_name_supported is None
    layer = Page(index=1, image=page.image, dpi=None, text_layer=ocr, source_kind="pdf_text")
    assert confirm_expected_name([layer], [ocr], fields, "邵娟", engine).person_name_supported is None
    assert confirm_expected_name([page], [ocr], fields, None, engine) is fields


def test_the_row_crop_keeps_a_margin_inside_the_page():
    image = np.zeros((100, 200, 3), np.uint8)
    assert row_crop(image, [10, 20, 50, 30]).shape[:2] == (30 + 2 * 5, 50 + 2 * 5)
    assert row_crop(image, [0, 0, 200, 100]).shape[:2] == (100, 200)


def test_a_name_printed_after_a_label_whose_row_was_cut_is_checked_to_the_right(engine):
    """No name read: the row ended on its label (患者姓名：, 姓名：春 for 朱春, 姓名：T胜 for 丁胜). Read on to the
    right, the print says the expected name, and not a stranger's."""
    row = blurred_row("姓名：邵娟")
    page_image = np.full((400, 600, 3), 255, np.uint8)
    height, width = row.shape[:2]
    page_image[100:100 + height, 50:50 + width] = row
    label_only = OcrLine(text="姓名：", bbox=[70, 140, 120, 43], confidence=0.9)  # the name's box lost
    ocr = OcrPage(page=1, width=600, height=400, lines=(label_only,), engine="rapidocr")
    page = Page(index=1, image=page_image, dpi=None, text_layer=None, source_kind="image")
    fields = confirm_expected_name([page], [ocr], ExtractedFields(), "邵娟", engine)
    assert fields.person_name_supported is not None
    assert fields.person_name_supported.evidence.bbox[2] > 120  # the row read on to the right
    assert fields.person_name_supported.evidence.text == "姓名："
    assert confirm_expected_name([page], [ocr], ExtractedFields(), "王建国", engine).person_name_supported is None
    reading = DocumentReading(file="a.jpg", slot="exam_report", ocr=(ocr,), fields=fields)
    manifest = Manifest(application_id="T-1", applicant=Applicant(name="邵娟"))
    assert reconcile_person_name(reading, manifest).fields.person_name.value == "邵娟"


def test_a_name_whose_first_character_was_lost_is_read_through_the_rest_of_its_box(engine):
    """No name read: the label's box (患者姓名) and, beside it, a box holding only the name's last character
    (俊 of 谭俊, alternative templates seed 7017). The row is read on through that box: the print says the
    expected name; a stranger's is not supported."""
    row = blurred_row("姓名：邵娟")
    page_image = np.full((400, 600, 3), 255, np.uint8)
    height, width = row.shape[:2]
    page_image[100:100 + height, 50:50 + width] = row
    label_only = OcrLine(text="姓名：", bbox=[70, 140, 120, 43], confidence=0.9)
    last_character = OcrLine(text="娟", bbox=[232, 140, 45, 43], confidence=0.9)  # 邵 lost between them
    ocr = OcrPage(page=1, width=600, height=400, lines=(label_only, last_character), engine="rapidocr")
    page = Page(index=1, image=page_image, dpi=None, text_layer=None, source_kind="image")
    fields = confirm_expected_name([page], [ocr], ExtractedFields(), "邵娟", engine)
    assert fields.person_name_supported is not None
    x, _, w, _ = fields.person_name_supported.evidence.bbox
    assert x + w >= 232 + 45  # through the fragment's box
    assert confirm_expected_name([page], [ocr], ExtractedFields(), "王建国", engine).person_name_supported is None



def test_a_name_whose_box_stopped_after_its_surname_is_read_on_to_the_right(engine):
    """No name read on a blurred card, only garbled labels guessed at (作丽): the detector's box held the
    surname alone (高 of 高豪, fresh seed 9652). Read on to the right, the print says the expected name;
    a stranger's with the same surname is not supported, nor a name of another surname."""
    row = blurred_row("邵娟")
    page_image = np.full((400, 600, 3), 255, np.uint8)
    height, width = row.shape[:2]
    page_image[100:100 + height, 50:50 + width] = row
    labels = blurred_row("性别")
    page_image[250:250 + labels.shape[0], 50:50 + labels.shape[1]] = labels
    surname = OcrLine(text="邵", bbox=[70, 135, 42, 40], confidence=0.95)
    label = OcrLine(text="作丽", bbox=[70, 285, 82, 40], confidence=0.5)  # 性别 misread
    ocr = OcrPage(page=1, width=600, height=400, lines=(surname, label), engine="rapidocr")
    page = Page(index=1, image=page_image, dpi=None, text_layer=None, source_kind="image")
    guess = FieldValue(value="作丽", evidence=Evidence(stage="extract", page=1, bbox=label.bbox, text="作丽"))
    fields = ExtractedFields(person_name_guesses=(NameGuess(name=guess, unsure_chars=(0, 1)),))
    confirmed = confirm_expected_name([page], [ocr], fields, "邵娟", engine)
    assert confirmed.person_name_supported is not None and confirmed.person_name_supported.value == "邵娟"
    assert confirmed.person_name_supported.evidence.bbox[2] > 42  # read on past the surname's box
    for stranger in ("邵伟", "邵建国", "王娟"):
        assert confirm_expected_name([page], [ocr], fields, stranger, engine).person_name_supported is None
