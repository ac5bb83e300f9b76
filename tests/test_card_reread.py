"""An identity card photographed small is read again, enlarged, around its number when no name was read."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import numpy as np
import pytest

from models.fields import ExtractedFields
from models.manifest import Applicant, FileEntry, Manifest
from models.ocr import OcrLine, OcrPage
from models.reading import DocumentReading
from pipeline.card_reread import _merged, reread_card_front
from pipeline.extract import extract_fields
from pipeline.names import reconcile_person_name
from pipeline.nlp import build_nlp
from pipeline.packet import PacketFile
from pipeline.pages import FileLimits, Page, load_document
from pipeline.policy import load_policy
from pipeline.reading import ReadSettings, read_file, read_page, shared_engine

BOOK = load_policy()
PHOTO = Path(__file__).parent / "data" / "small_card_on_a_phone_photo.jpg"


@pytest.fixture(scope="module")
def nlp():
    return build_nlp(BOOK)


def _named(pages: list[OcrPage], fields: ExtractedFields) -> str | None:
    manifest = Manifest(application_id="T-1", applicant=Applicant(name="赵林国", id_number="141082194303243937"))
    reading = DocumentReading(file=PHOTO.name, slot="id_card", ocr=tuple(pages), fields=fields)
    name = reconcile_person_name(reading, manifest).fields.person_name
    return name.value if name else None


def test_the_name_row_the_page_missed_is_read_on_the_enlarged_card(nlp):
    """Seed 9606: a card a tenth of a photographed A4 photocopy, its name print 8 px tall. The page's
    reading has the number and birth date, but not its name row; the card's front read
    again enlarged gives 赵林国."""
    engine = shared_engine("rapidocr")
    upright, first, _ = read_page(load_document(PHOTO, FileLimits()).pages[0], engine, defaultdict(float))
    extract = lambda pages: extract_fields(pages, nlp, BOOK, "id_card")  # noqa: E731
    fields = extract([first])
    assert fields.person_name is None and fields.id_number is not None  # one digit misread: 143082…
    assert _named([first], fields) is None
    pages, again = reread_card_front([upright], [first], fields, "id_card", engine, extract)
    assert _named(pages, again) == "赵林国"
    assert again.id_number == fields.id_number  # the number's row is not read again


def test_a_card_with_a_name_or_without_a_number_is_not_read_again(nlp):
    class _Refuses:
        name = "refuses"

        def read(self, image: np.ndarray, page: int, line_boxes=None) -> OcrPage:
            raise AssertionError("read again")

    page = Page(index=1, image=np.full((400, 600, 3), 250, np.uint8), dpi=None, text_layer=None,
                source_kind="image")
    extract = lambda pages: extract_fields(pages, nlp, BOOK, "id_card")  # noqa: E731
    named = OcrPage(page=1, width=600, height=400, engine="rapidocr", lines=(
        OcrLine(text="姓名 邱杰国", bbox=[100, 100, 120, 20], confidence=0.95),
        OcrLine(text="450602194602069430", bbox=[200, 300, 200, 20], confidence=0.99)))
    unnumbered = OcrPage(page=1, width=600, height=400, engine="rapidocr", lines=(
        OcrLine(text="1946年2月6日", bbox=[100, 200, 120, 20], confidence=0.95),))
    for ocr in (named, unnumbered):
        fields = extract([ocr])
        assert reread_card_front([page], [ocr], fields, "id_card", _Refuses(), extract) == ([ocr], fields)


def _line(text: str, x: int, y: int, confidence: float) -> OcrLine:
    return OcrLine(text=text, bbox=[x, y, 20 * len(text), 18], confidence=confidence)


def test_rows_read_again_are_added_or_replace_a_less_sure_reading_but_never_the_number():
    number = _line("141023196311229181", 460, 555, 0.9)
    first = [_line("马派花", 420, 410, 0.66), _line("1963年11月22日", 416, 462, 0.96), number]
    again = [_line("马淑花", 418, 409, 0.81), _line("女", 419, 441, 0.71), _line("1963年日1月22日", 419, 465, 0.91),
             _line("141023196311229131", 464, 557, 1.0)]
    assert [line.text for line in _merged(first, again, keep=number)] == [
        "马淑花", "女", "1963年11月22日", "141023196311229181"]


def test_reading_the_file_reads_the_card_again(tmp_path):
    item = PacketFile(entry=FileEntry(path=PHOTO.name, slot="id_card"), index=0, path=PHOTO)
    reading = read_file(item, tmp_path, ReadSettings(keep_page_images=False), BOOK)
    manifest = Manifest(application_id="T-1", applicant=Applicant(name="赵林国", id_number="141082194303243937"))
    assert reconcile_person_name(reading, manifest).fields.person_name.value == "赵林国"


def test_a_card_whose_number_the_page_missed_is_read_beside_its_back(tmp_path):
    """Fresh seed 9625: a blurred photocopy of both sides; the page read the back's 居民身份证 and, of the
    front, a birth date's pieces only: an ILLEGIBLE card. Read again above the back, enlarged, the front
    gives the holder's number."""
    photo = Path(__file__).parent / "data" / "card_front_barely_seen_above_its_back.jpg"
    item = PacketFile(entry=FileEntry(path=photo.name, slot="id_card"), index=0, path=photo)
    reading = read_file(item, tmp_path, ReadSettings(keep_page_images=False), BOOK)
    assert reading.fields.id_number_full is not None
    assert reading.fields.id_number_full.get_secret_value() == "141024195710179806"
