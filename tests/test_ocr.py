"""OCR engines on pages rendered here: real RapidOCR and real Tesseract; failures injected at the process boundary."""

from __future__ import annotations

import difflib
import os
import stat
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from models.ocr import OcrLine, OcrPage
from pipeline.errors import EngineError, MissingDependencyError
from pipeline.ocr import (
    OcrEngine,
    RapidOcrEngine,
    TesseractEngine,
    _recognise_either_way,
    extend_lone_characters,
    get_engine,
    ocr_page,
    read_strips,
    reread_region,
    suppress_red,
    tsv_to_lines,
)
from pipeline.pages import Page
from pipeline.ppocr import shared_models

DATA = Path(__file__).parent / "data"
FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
LINES = ["临汾市尧都中心医院", "诊断证明书", "临床诊断：原发性高血压3级", "报告日期：2025年03月12日"]


def _font(px: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(FONT, px, index=2)


def render_lines(lines: list[str], size: tuple[int, int] = (900, 520), px: int = 40) -> tuple[np.ndarray, list]:
    """A white page with ``lines`` in black; returns the BGR image and each line's [x, y, w, h]."""
    image = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(image)
    boxes = []
    for i, text in enumerate(lines):
        x0, y0, x1, y1 = draw.textbbox((60, 50 + i * 2 * px), text, font=_font(px))
        draw.text((60, 50 + i * 2 * px), text, fill="black", font=_font(px))
        boxes.append([x0, y0, x1 - x0, y1 - y0])
    return cv2.cvtColor(np.asarray(image), cv2.COLOR_RGB2BGR), boxes


def _ratio(expected: str, text: str) -> float:
    keep = str.maketrans("", "", " :：")
    return difflib.SequenceMatcher(None, expected.translate(keep), text.translate(keep)).ratio()


def line_similarity(expected: str, lines: tuple[OcrLine, ...] | list[OcrLine]) -> float:
    """Best character similarity of ``expected`` to any line read (spaces and colons ignored)."""
    return max((_ratio(expected, line.text) for line in lines), default=0.0)


def similarity(expected: str, result: OcrPage) -> float:
    return line_similarity(expected, result.lines)


def iou(a: list[int], b: list[int]) -> float:
    ix = max(0, min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0]))
    iy = max(0, min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1]))
    inter = ix * iy
    return inter / (a[2] * a[3] + b[2] * b[3] - inter)


@pytest.fixture(scope="module")
def clean_page() -> tuple[np.ndarray, list]:
    return render_lines(LINES)


def _script(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "fake-tesseract"
    path.write_text("#!/bin/sh\n" + body + "\n", encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


# ---------------------------------------------------------------- real engines, clean page


def test_rapidocr_reads_a_clean_page_with_boxes(clean_page: tuple[np.ndarray, list]) -> None:
    image, boxes = clean_page
    result = RapidOcrEngine().read(image, page=3)
    assert result.engine == "rapidocr" and result.page == 3
    assert (result.width, result.height) == (900, 520)
    for text, box in zip(LINES, boxes, strict=True):
        assert similarity(text, result) >= 0.9, text
        best = max(result.lines, key=lambda line: iou(line.bbox, box))
        assert iou(best.bbox, box) > 0.5
    assert all(0.0 <= line.confidence <= 1.0 for line in result.lines)
    assert result.mean_confidence > 0.8


def test_tesseract_reads_a_clean_page(clean_page: tuple[np.ndarray, list]) -> None:
    image, boxes = clean_page
    result = TesseractEngine().read(image, page=1)
    assert result.engine == "tesseract" and not result.warnings
    for text in LINES:
        assert similarity(text, result) >= 0.75, text
    date_line = max(result.lines, key=lambda line: iou(line.bbox, boxes[3]))
    assert iou(date_line.bbox, boxes[3]) > 0.4  # boxes are mapped back from the enlarged image
    assert all(0.0 <= line.confidence <= 1.0 for line in result.lines)


def test_a_line_the_direction_classifier_turns_is_also_read_as_it_is() -> None:
    """A blurred bold hospital title, taken for upside down (0.91), was read as nothing."""
    crop = cv2.imread(str(DATA / "title_the_classifier_turns.png"))
    models = shared_models()
    _, [(label, _)] = models.classify([crop])
    assert label == "180"  # the case this guards
    [reading] = _recognise_either_way(models, [crop])
    assert "尧都中心医院" in reading.text and reading.confidence > 0.9
    assert len(reading.char_confidences) == len(reading.text)


def test_get_engine_names_both_engines() -> None:
    assert isinstance(get_engine(), RapidOcrEngine)
    assert isinstance(get_engine("Tesseract"), TesseractEngine)
    assert isinstance(get_engine("rapidocr"), OcrEngine)
    with pytest.raises(ValueError, match="unknown OCR engine"):
        get_engine("abbyy")


def test_rapidocr_models_are_loaded_once_with_an_arena() -> None:
    assert RapidOcrEngine()._models is RapidOcrEngine()._models is shared_models()  # geometry's and seals' too
    sessions = RapidOcrEngine()._models.rapid.text_det.infer.session
    assert sessions.get_session_options().enable_cpu_mem_arena  # buffers reused, not mmapped per run


def test_threads_reading_at_once_read_what_one_thread_reads() -> None:
    pages = [render_lines(LINES)[0], render_lines(LINES[::-1], size=(1400, 700), px=52)[0]] * 3
    engine = RapidOcrEngine()
    alone = [[line.text for line in engine.read(image, 1).lines] for image in pages]
    with ThreadPoolExecutor(max_workers=3) as pool:
        together = list(pool.map(lambda image: [line.text for line in engine.read(image, 1).lines], pages))
    assert together == alone


# ---------------------------------------------------------------- text layer


def test_ocr_page_uses_the_text_layer_without_running_the_engine(tmp_path: Path) -> None:
    """GIVEN a PDF page with a usable text layer and an engine whose binary does not exist
    WHEN the page is read
    THEN the text layer is returned and the engine is never started (it would raise)."""
    layer = OcrPage(
        page=1,
        width=900,
        height=520,
        engine="text_layer",
        lines=(OcrLine(text="报告日期：2025年03月12日", bbox=[60, 290, 480, 45], confidence=1.0),),
    )
    page = Page(index=2, image=np.full((520, 900, 3), 255, np.uint8), dpi=200.0, text_layer=layer, source_kind="pdf_text")
    absent = TesseractEngine(tesseract_cmd=tmp_path / "no-such-tesseract")
    result = ocr_page(page, absent)
    assert result.engine == "text_layer" and result.page == 2
    assert result.text == "报告日期：2025年03月12日"
    scan = Page(index=1, image=page.image, dpi=200.0, text_layer=None, source_kind="pdf_scan")
    with pytest.raises(MissingDependencyError):
        ocr_page(scan, absent)


# ---------------------------------------------------------------- Tesseract failures at the process boundary


def test_tesseract_timeout_gives_an_empty_page_with_a_warning(tmp_path: Path) -> None:
    sleeper = _script(tmp_path, "sleep 10")
    engine = TesseractEngine(tesseract_cmd=sleeper, timeout_s=0.5)
    result = engine.read(np.full((100, 200, 3), 255, np.uint8), page=4)
    assert result.lines == () and result.page == 4
    assert len(result.warnings) == 1 and "超时" in result.warnings[0]


def test_tesseract_crash_is_an_engine_error(tmp_path: Path) -> None:
    crasher = _script(tmp_path, 'echo "Segmentation fault" >&2; exit 139')
    with pytest.raises(EngineError, match="Segmentation fault"):
        TesseractEngine(tesseract_cmd=crasher).read(np.full((100, 200, 3), 255, np.uint8), page=1)


def test_tesseract_silent_success_is_an_engine_error(tmp_path: Path) -> None:
    silent = _script(tmp_path, "exit 0")
    with pytest.raises(EngineError, match="没有输出"):
        TesseractEngine(tesseract_cmd=silent).read(np.full((100, 200, 3), 255, np.uint8), page=1)


def test_missing_tesseract_binary_is_a_missing_dependency(tmp_path: Path) -> None:
    engine = TesseractEngine(tesseract_cmd=tmp_path / "absent")
    with pytest.raises(MissingDependencyError) as caught:
        engine.read(np.full((100, 200, 3), 255, np.uint8), page=1)
    assert caught.value.hint


def test_missing_language_data_is_a_missing_dependency() -> None:
    engine = TesseractEngine(lang="zzz_missing")
    with pytest.raises(MissingDependencyError, match="zzz_missing"):
        engine.read(np.full((100, 200, 3), 255, np.uint8), page=1)


def test_tesseract_runs_with_one_openmp_thread(tmp_path: Path) -> None:
    """The subprocess sees OMP_THREAD_LIMIT=1 whatever the parent's environment says."""
    dump = tmp_path / "env.txt"
    spy = _script(tmp_path, f'echo "$OMP_THREAD_LIMIT" > {dump}; printf "level\\tpage_num\\n"')
    os.environ.pop("OMP_THREAD_LIMIT", None)
    TesseractEngine(tesseract_cmd=spy).read(np.full((100, 200, 3), 255, np.uint8), page=1)
    assert dump.read_text().strip() == "1"


def test_tsv_rows_become_lines_in_zero_to_one_confidence() -> None:
    header = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext"
    rows = [
        "1\t1\t0\t0\t0\t0\t0\t0\t500\t200\t-1\t",
        "4\t1\t1\t1\t1\t0\t10\t10\t300\t40\t-1\t",
        "5\t1\t1\t1\t1\t1\t10\t10\t40\t40\t90\t报告",
        "5\t1\t1\t1\t1\t2\t52\t10\t40\t40\t80\t日期",
        "5\t1\t1\t1\t1\t3\t100\t10\t60\t40\t70\t2025",
        "5\t1\t1\t1\t1\t4\t170\t10\t40\t40\t60\tMar",
        "5\t1\t1\t1\t1\t5\t220\t10\t40\t40\t95\t ",
        "5\t1\t2\t1\t1\t1\t10\t100\t40\t40\t50\t医院",
    ]
    lines = tsv_to_lines("\n".join([header, *rows]))
    assert [line.text for line in lines] == ["报告日期2025 Mar", "医院"]
    assert lines[0].bbox == [10, 10, 200, 40]
    assert lines[0].confidence == pytest.approx((2 * 90 + 2 * 80 + 4 * 70 + 3 * 60) / 11 / 100)
    assert lines[1].confidence == pytest.approx(0.5)


# ---------------------------------------------------------------- second looks


def _stamp_seal(image: np.ndarray, centre: tuple[int, int], radius: int) -> np.ndarray:
    """Press a solid-ish red seal (ring, star, ring text) over ``image``, multiplying like ink."""
    seal = Image.new("RGB", (image.shape[1], image.shape[0]), "white")
    draw = ImageDraw.Draw(seal)
    cx, cy = centre
    red = (225, 30, 40)
    draw.ellipse([cx - radius, cy - radius, cx + radius, cy + radius], outline=red, width=10)
    draw.regular_polygon((cx, cy, radius // 4), 5, fill=red)
    font = _font(radius // 4)
    for i, ch in enumerate("临汾市尧都中心医院专用章"):
        angle = np.radians(200 + i * 12)
        x, y = cx + 0.72 * radius * np.cos(angle), cy + 0.72 * radius * np.sin(angle)
        draw.text((x, y), ch, fill=red, font=font, anchor="mm")
    ink = cv2.cvtColor(np.asarray(seal), cv2.COLOR_RGB2BGR).astype(np.float32) / 255.0
    return (image.astype(np.float32) * ink).astype(np.uint8)


@pytest.mark.parametrize("engine_name", ["rapidocr", "tesseract"])
def test_date_under_a_red_seal_is_read_with_red_suppressed(engine_name: str) -> None:
    """GIVEN a date line with a red seal stamped over it
    WHEN the region is re-read with red ink suppressed
    THEN the date is read, in page coordinates, at least as well as without suppression
    (Tesseract 5.3 reads "告日期:202嘲>" without it)."""
    image, boxes = render_lines(["医师签名：王明", "报告日期：2025年03月12日"], size=(900, 400), px=36)
    x, y, w, h = boxes[1]
    stamped = _stamp_seal(image, (x + w // 2 + 60, y + h // 2), 150)
    assert suppress_red(stamped)[y : y + h, x : x + w].min() < 80  # the black print stays
    engine = get_engine(engine_name)
    region = [x - 20, y - 160, w + 200, h + 320]
    lines = reread_region(stamped, region, engine, suppress_red_ink=True)
    date_line = next(line for line in lines if "2025年03月12日" in line.text)
    assert iou(date_line.bbox, boxes[1]) > 0.5
    plain = reread_region(stamped, region, engine, suppress_red_ink=False)
    assert line_similarity("报告日期2025年03月12日", plain) <= line_similarity("报告日期2025年03月12日", lines)


def test_strips_read_a_tall_image_once_per_line() -> None:
    """GIVEN a tall image whose lines fall on strip boundaries
    WHEN it is read in overlapping full-width strips
    THEN every line is read once, in image coordinates."""
    lines = ["门诊号：20250312001", "临床诊断：原发性高血压3级", "报告日期：2025年03月12日"]
    image, boxes = render_lines(lines, size=(700, 1500), px=40)
    spaced = np.full((1500, 700, 3), 255, np.uint8)
    for i, (x, y, w, h) in enumerate(boxes):  # move line i to 100 + 560 * i: around the strip starts
        top = 100 + 560 * i
        spaced[top : top + h + 10, x : x + w + 10] = image[y : y + h + 10, x : x + w + 10]
    result = read_strips(spaced, RapidOcrEngine(), strip_px=600, overlap=0.25)
    for i, text in enumerate(lines):
        matches = [line for line in result.lines if _ratio(text, line.text) > 0.6]
        assert len(matches) == 1, text
        assert _ratio(text, matches[0].text) >= 0.9
        assert abs(matches[0].bbox[1] - (100 + 560 * i)) < 20


def test_detection_skips_blank_margins_but_keeps_faint_print() -> None:
    """GIVEN a page with dark print in the middle, faint grey print near the foot and a few specks of
    dust in the margin, WHEN its inked extent is taken, THEN the margins are cut, the faint print is
    inside, the dust is not, and the extent is whole multiples of 32 pixels."""
    from pipeline.ocr import ink_extent

    page = np.full((1600, 1200, 3), 248, np.uint8)
    page[400:440, 300:900] = 30          # a dark line of print
    page[1300:1320, 250:700] = 205       # faint grey print (a footer in light ink)
    page[50, 50] = page[1550, 1150] = 0  # single specks of dust
    x0, y0, x1, y1 = ink_extent(page)
    assert x0 <= 250 - 1 and x1 >= 900 and y0 <= 400 and y1 >= 1320
    assert x0 > 60 and y0 > 60 and x1 < 1140 and y1 < 1540
    assert (x1 - x0) % 32 == 0 and (y1 - y0) % 32 == 0


def test_a_blank_page_keeps_its_whole_extent() -> None:
    from pipeline.ocr import ink_extent

    assert ink_extent(np.full((300, 200, 3), 255, np.uint8)) == (0, 0, 200, 300)


def test_a_name_the_detector_cut_to_one_character_is_read_with_its_row() -> None:
    """Seed 9515, a speckled photocopy of an ID card: the detector boxed only 钱 of 钱雪 (the 雪 left
    undetected). The row read again to the right, up to the next box, gives the whole name; a lone
    character with nothing after it stays as it was."""
    image = cv2.imread(str(Path(__file__).parent / "data" / "name_cut_short_on_a_photocopy.png"))
    lines = (OcrLine(text="姓名", bbox=[44, 46, 52, 26], confidence=1.0, char_confidences=(1.0, 1.0)),
             OcrLine(text="钱", bbox=[135, 47, 26, 22], confidence=1.0, char_confidences=(1.0,)),
             OcrLine(text="民族", bbox=[224, 106, 49, 24], confidence=1.0, char_confidences=(1.0, 1.0)),
             OcrLine(text="壮", bbox=[310, 106, 30, 27], confidence=1.0, char_confidences=(1.0,)))
    extended = extend_lone_characters(shared_models(), image, lines)
    assert [line.text for line in extended] == ["姓名", "钱雪", "民族", "壮"]
    assert extended[1].bbox[:2] == [135, 47] and min(extended[1].char_confidences) >= 0.8
