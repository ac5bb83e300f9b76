"""signature_look: the physician label's row a seal hid from the page's reading is read again around the seal."""

from __future__ import annotations

from pathlib import Path

import cv2
import pytest

from pipeline.extract import extract_fields
from pipeline.ocr import get_engine, ocr_page
from pipeline.pages import Page
from pipeline.policy import load_policy
from pipeline.reading import shared_nlp
from pipeline.seals import detect_seals
from pipeline.signature_look import look_for_signature_label

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def engine():
    return get_engine("rapidocr")


IMAGE = cv2.imread(str(DATA / "physician_label_beside_a_red_seal.jpg"))


def _extract(policy):
    return lambda pages: extract_fields(pages, shared_nlp(policy), policy, "application_form", page_images=[IMAGE])


def test_a_physician_label_beside_a_seal_missed_by_the_page_is_found_around_the_seal(engine):
    """A scanned application form (alternative templates 3, seed 7302; its hospital block): 接诊医师： 许娟静 beside
    the red seal is no row of the page's reading, so no label was found (a manual review). Read again around the
    seal with its ink faded, the label and the signature beside it are found: the form is signed."""
    policy = load_policy()
    page = Page(index=1, image=IMAGE, dpi=None, text_layer=None, source_kind="image")
    ocr = ocr_page(page, engine)
    seals = detect_seals(IMAGE, 1)
    fields = _extract(policy)([ocr])
    assert fields.signature_present is None and fields.signature_evidence.bbox is None  # the page's own reading
    pages, found = look_for_signature_label([page], [ocr], seals, fields, engine, _extract(policy))
    assert found.signature_present is True and "医师" in found.signature_evidence.text
    assert len(pages[0].lines) > len(ocr.lines)


def test_nothing_is_read_again_without_a_seal_or_once_a_label_was_found(engine):
    policy = load_policy()
    page = Page(index=1, image=IMAGE, dpi=None, text_layer=None, source_kind="image")
    ocr = ocr_page(page, engine)
    fields = _extract(policy)([ocr])
    assert look_for_signature_label([page], [ocr], [], fields, engine, _extract(policy)) == ([ocr], fields)
    signed = fields.model_copy(update={"signature_present": True})
    assert look_for_signature_label([page], [ocr], detect_seals(IMAGE, 1), signed, engine, _extract(policy)) \
        == ([ocr], signed)
