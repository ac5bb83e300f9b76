"""Geometry: quarter turns, deskew and sheet perspective on pages rendered here, with the real PP-OCR models."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from models.ocr import OcrLine, OcrPage
from pipeline.geometry import (
    PageTransform,
    apply_transform,
    checked_skew,
    correct_geometry,
    estimate_skew,
    find_sheet,
    sheet_size,
    text_line_angle,
    upright_page,
)
from pipeline.pages import Page

FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
LINES = [
    "临汾市尧都中心医院诊断证明书",
    "姓名：张建国  性别：男  年龄：60岁",
    "临床诊断：原发性高血压3级（极高危）",
    "建议：低盐饮食，规律服药，定期复查血压",
    "门诊号：20250312001  科室：心内科",
    "医师签名：王明  报告日期：2025年03月12日",
    "本证明仅供办理门诊慢特病申请使用",
    "检查项目：心电图  超声心动图  血常规",
]


@pytest.fixture(scope="module")
def text_page() -> np.ndarray:
    """An upright A5-like page (BGR) with eight lines of Chinese text."""
    image = Image.new("RGB", (1000, 1300), "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(FONT, 36, index=2)
    for i, text in enumerate(LINES):
        draw.text((70, 90 + i * 120), text, fill="black", font=font)
    return cv2.cvtColor(np.asarray(image), cv2.COLOR_RGB2BGR)


def _turn(image: np.ndarray, clockwise_deg: int) -> np.ndarray:
    codes = {90: cv2.ROTATE_90_CLOCKWISE, 180: cv2.ROTATE_180, 270: cv2.ROTATE_90_COUNTERCLOCKWISE}
    return cv2.rotate(image, codes[clockwise_deg]) if clockwise_deg else image


def _similar(a: np.ndarray, b: np.ndarray) -> float:
    """Normalised correlation of two greyscale thumbnails of the same size."""
    ga = cv2.GaussianBlur(cv2.resize(cv2.cvtColor(a, cv2.COLOR_BGR2GRAY), (200, 260)), (0, 0), 3).astype(np.float32)
    gb = cv2.GaussianBlur(cv2.resize(cv2.cvtColor(b, cv2.COLOR_BGR2GRAY), (200, 260)), (0, 0), 3).astype(np.float32)
    ga, gb = ga - ga.mean(), gb - gb.mean()
    return float((ga * gb).sum() / (np.linalg.norm(ga) * np.linalg.norm(gb) + 1e-9))


@pytest.mark.parametrize("turned_by", [90, 180, 270])
def test_quarter_turned_page_is_made_upright(text_page: np.ndarray, turned_by: int) -> None:
    """GIVEN the page turned clockwise by 90/180/270° (0° is covered by the sheet test)
    WHEN the page is made upright
    THEN the applied rotation undoes the turn, is recorded on the page, and the image matches."""
    page = Page(index=2, image=_turn(text_page, turned_by), dpi=None, text_layer=None, source_kind="image")
    result = upright_page(page)
    transform = result.transform
    assert transform is not None and transform.rotation_deg == (360 - turned_by) % 360
    assert result.rotation_deg == transform.rotation_deg
    assert transform.sheet_quad is None and abs(transform.skew_deg) < 1.0
    assert result.image.shape == text_page.shape
    assert _similar(result.image, text_page) > 0.9


@pytest.mark.parametrize("tilt", [-6.0, 3.5, 12.0])
def test_skew_is_measured_to_half_a_degree(text_page: np.ndarray, tilt: float) -> None:
    height, width = text_page.shape[:2]
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), tilt, 1.0)  # counter-clockwise by tilt
    tilted = cv2.warpAffine(text_page, matrix, (width, height), borderValue=(255, 255, 255))
    clockwise, confidence = estimate_skew(tilted)
    assert clockwise == pytest.approx(tilt, abs=0.5)
    assert confidence > 0.5


def _camera_corners(width: int, height: int, photo: tuple[int, int]) -> np.ndarray:
    """Where a pinhole camera (focal 1800 px, centred) sees the page corners, tilted 18° and 8°."""
    ax, ay, az = np.radians([18.0, -8.0, 4.0])
    rx = np.array([[1, 0, 0], [0, np.cos(ax), -np.sin(ax)], [0, np.sin(ax), np.cos(ax)]])
    ry = np.array([[np.cos(ay), 0, np.sin(ay)], [0, 1, 0], [-np.sin(ay), 0, np.cos(ay)]])
    rz = np.array([[np.cos(az), -np.sin(az), 0], [np.sin(az), np.cos(az), 0], [0, 0, 1]])
    flat = np.array(
        [[-width / 2, -height / 2, 0], [width / 2, -height / 2, 0], [width / 2, height / 2, 0], [-width / 2, height / 2, 0]]
    )
    world = flat @ (rz @ ry @ rx).T + [0, 0, 1900.0]
    focal, (cx, cy) = 1800.0, (photo[0] / 2, photo[1] / 2)
    return np.float32([[focal * x / z + cx, focal * y / z + cy] for x, y, z in world])


def _photo_of(page: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The page laid on a dark desk and photographed at an angle; returns the photo and page corners."""
    height, width = page.shape[:2]
    size = (1600, 1800)
    corners = _camera_corners(width, height, size)
    matrix = cv2.getPerspectiveTransform(np.float32([[0, 0], [width, 0], [width, height], [0, height]]), corners)
    desk = np.full((size[1], size[0], 3), (45, 60, 80), np.uint8)
    noise = np.random.default_rng(3).normal(0, 8, desk.shape)
    desk = np.clip(desk + noise, 0, 255).astype(np.uint8)
    warped = cv2.warpPerspective(page, matrix, size)
    mask = cv2.warpPerspective(np.full(page.shape[:2], 255, np.uint8), matrix, size)
    photo = np.where(mask[..., None] > 127, warped, desk)
    return photo, corners


def test_sheet_on_a_desk_is_found_and_flattened(text_page: np.ndarray) -> None:
    """GIVEN a photo of the page on a dark desk, in perspective
    WHEN geometry is corrected
    THEN the sheet corners are found within 2 % and the flattened page matches the original."""
    photo, corners = _photo_of(text_page)
    quad = find_sheet(photo)
    assert quad is not None
    found = np.array(quad) * [photo.shape[1], photo.shape[0]]
    assert np.abs(found - corners).max() < 0.02 * max(photo.shape[:2])
    flat, transform = correct_geometry(photo)
    assert transform.sheet_quad is not None and transform.rotation_deg == 0
    aspect = flat.shape[0] / flat.shape[1]
    assert aspect == pytest.approx(1300 / 1000, rel=0.03)
    assert _similar(flat, text_page) > 0.6


def test_a_nearly_frontal_photo_keeps_the_sheet_shape_its_edges_show() -> None:
    """GIVEN the corners of an A4 sheet photographed almost head-on (one edge pair nearly parallel),
    as found on a generated phone photo of 885 x 1180 px
    WHEN the flattened size is computed
    THEN it has the A4 shape the edges show, not the 3.8:1 strip an unstable focal-length
    estimate gave (which left nothing for the OCR to read)."""
    corners = np.array([(81.1, 79.3), (754.1, 116.2), (735.7, 1021.4), (60.8, 1082.3)])
    width, height = sheet_size(corners, (885 / 2, 1180 / 2))
    assert width / height == pytest.approx(1 / 2**0.5, rel=0.06)
    assert height == pytest.approx(1003, rel=0.02)


def test_plain_scan_has_no_sheet_to_find(text_page: np.ndarray) -> None:
    assert find_sheet(text_page) is None


def test_transform_replays_at_double_resolution(text_page: np.ndarray) -> None:
    """GIVEN a transform (sheet, skew, quarter turn) measured on a photo
    WHEN it is replayed on the same photo at twice the resolution
    THEN the result is the same picture at twice the size."""
    photo, _ = _photo_of(_turn(text_page, 90))
    quad = find_sheet(photo)
    assert quad is not None
    transform = PageTransform(sheet_quad=quad, skew_deg=1.5, rotation_deg=270)
    small_result = apply_transform(photo, transform)
    big = cv2.resize(photo, None, fx=2, fy=2, interpolation=cv2.INTER_CUBIC)
    big_result = apply_transform(big, transform)
    assert big_result.shape[0] == pytest.approx(2 * small_result.shape[0], abs=3)
    assert big_result.shape[1] == pytest.approx(2 * small_result.shape[1], abs=3)
    assert _similar(cv2.resize(big_result, small_result.shape[1::-1]), small_result) > 0.95


def test_identity_transform_returns_the_same_array(text_page: np.ndarray) -> None:
    assert apply_transform(text_page, PageTransform()) is text_page


def test_upright_page_leaves_text_layer_pages_alone(text_page: np.ndarray) -> None:
    layer = OcrPage(
        page=1,
        width=1000,
        height=1300,
        engine="text_layer",
        lines=(OcrLine(text="诊断证明书", bbox=[70, 90, 300, 40], confidence=1.0),),
    )
    page = Page(index=1, image=_turn(text_page, 90), dpi=200.0, text_layer=layer, source_kind="pdf_text")
    assert upright_page(page) is page


def test_two_cards_on_one_page_are_not_cropped_to_one(text_page: np.ndarray) -> None:
    """GIVEN both sides of an ID card copied side by side on a black page
    WHEN the sheet is looked for
    THEN none is reported: flattening to one card would lose the other."""
    page = np.zeros((1600, 1200, 3), np.uint8)
    card = cv2.resize(text_page, (900, 560))
    page[150:710, 150:1050] = card
    page[900:1460, 150:1050] = card
    assert find_sheet(page) is None


def _shadowed(page: np.ndarray) -> np.ndarray:
    """``page`` with a hard diagonal shadow across it (a phone's shadow on a photographed card)."""
    height, width = page.shape[:2]
    mask = np.zeros((height, width), np.uint8)
    cv2.fillPoly(mask, [np.array([[0, 0], [int(width * 0.7), 0], [0, int(height * 0.9)]], np.int32)], 1)
    shaded = page.astype(np.float32)
    shaded[mask > 0] *= 0.55
    return shaded.astype(np.uint8)


def test_a_diagonal_shadow_does_not_set_the_skew(text_page: np.ndarray) -> None:
    """GIVEN a level page with a hard diagonal shadow edge, WHEN corrected, THEN it is barely turned."""
    _, transform = correct_geometry(_shadowed(text_page))
    assert abs(transform.skew_deg) <= 2.0
    assert transform.rotation_deg == 0


def test_a_large_skew_no_text_line_confirms_is_not_applied() -> None:
    """GIVEN a page without readable lines but with diagonal bands (a desk's grain, glare edges)
    that make a 35° projection profile sharpest
    WHEN the skew is checked, THEN it is not applied (seed 9401: a blurred card photo was turned 40.8°
    by its shadow bands and read nothing)."""
    page = np.full((1300, 1000, 3), 235, np.uint8)
    for offset in range(-1300, 1300, 160):
        cv2.line(page, (0, offset), (1000, offset + round(1000 * np.tan(np.radians(35)))), (120, 120, 120), 18)
    skew, _ = estimate_skew(page)
    assert abs(skew) > 8.0  # the bands fool the profile
    assert checked_skew(page, skew) == 0.0


def test_checked_skew_keeps_an_angle_the_text_lines_confirm(text_page: np.ndarray) -> None:
    height, width = text_page.shape[:2]
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), -12.0, 1.0)  # 12° clockwise
    tilted = cv2.warpAffine(text_page, matrix, (width, height), borderValue=(255, 255, 255))
    assert abs(text_line_angle(tilted) - 12.0) < 3.0
    assert checked_skew(tilted, -12.3) == -12.3
    assert abs(checked_skew(tilted, 30.0) + 12.0) < 2.0


def test_the_recogniser_tells_a_line_turned_over(text_page: np.ndarray) -> None:
    """The check a small-print turn must pass: lines read better the right way up."""
    from pipeline.geometry import _reads_better_turned
    from pipeline.ppocr import shared_models

    rows = [text_page[80 + i * 120:140 + i * 120, 60:940] for i in range(3)]
    assert not _reads_better_turned(shared_models(), rows)
    assert _reads_better_turned(shared_models(), [cv2.rotate(r, cv2.ROTATE_180) for r in rows])


def test_a_small_card_on_a_sheet_is_not_turned_over(text_page: np.ndarray) -> None:
    """GIVEN a card of small print in the middle of an otherwise blank photographed sheet,
    WHEN oriented, THEN it stays upright; turned over, it is turned back."""
    sheet = np.full((1400, 1000, 3), 245, np.uint8)
    card = cv2.resize(text_page[60:700, 40:980], None, fx=0.3, fy=0.3, interpolation=cv2.INTER_AREA)
    sheet[300:300 + card.shape[0], 300:300 + card.shape[1]] = card
    _, upright = correct_geometry(sheet)
    assert upright.rotation_deg == 0
    _, turned = correct_geometry(cv2.rotate(sheet, cv2.ROTATE_180))
    assert turned.rotation_deg == 180


def test_a_page_the_direction_classifier_takes_for_upside_down_stays_upright(text_page: np.ndarray,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """GIVEN an upright page of large print whose lines the direction classifier votes upside down
    (as it did, 0.7-0.95 per line, on seed 9402's blurred phone photo with 18 px lines)
    WHEN oriented, THEN the recogniser's check keeps it upright."""
    from pipeline.geometry import detect_orientation
    from pipeline.ppocr import shared_models

    models = shared_models()
    monkeypatch.setattr(type(models), "classify", lambda self, crops: (list(crops), [("180", 0.9) for _ in crops]))
    rotation, _ = detect_orientation(text_page)
    assert rotation == 0


@pytest.mark.parametrize("turned_by", [0, 90, 180, 270])
def test_the_ocr_reads_the_lines_found_while_orienting(text_page: np.ndarray, turned_by: int,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """GIVEN the page turned by 0/90/180/270° and the RapidOCR engine's line detector
    WHEN the page is made upright with that detector
    THEN the line boxes kept on the page lie on the upright image's text (the OCR reading them
    reads the same text as a fresh detection on the upright image, every line of it); a page turned a
    quarter keeps none, so the OCR detects its lines again upright (sideways detection loses small print)."""
    import pipeline.ocr
    from pipeline.ocr import RapidOcrEngine, ocr_page

    # the whole page is detected: cropping to the ink would frame the turned and the upright page
    # differently, and the detector may split a vertical line elsewhere than a horizontal one
    monkeypatch.setattr(pipeline.ocr, "ink_extent", lambda image: (0, 0, image.shape[1], image.shape[0]))
    engine = RapidOcrEngine()
    page = Page(index=1, image=_turn(text_page, turned_by), dpi=None, text_layer=None, source_kind="image")
    upright = upright_page(page, detect_lines=engine.detect_lines)
    assert upright.transform is not None and upright.transform.rotation_deg == (360 - turned_by) % 360
    if turned_by in (90, 270):
        assert upright.line_boxes is None
        return
    assert upright.line_boxes is not None and len(upright.line_boxes) >= len(LINES)
    height, width = upright.image.shape[:2]
    for box in upright.line_boxes:
        top_left, _, bottom_right, _ = box
        assert top_left[0] < bottom_right[0] and top_left[1] < bottom_right[1]  # named for the upright frame
        assert box[:, 0].min() >= -1 and box[:, 0].max() <= width and box[:, 1].max() <= height
    reused = "".join(line.text for line in ocr_page(upright, engine).lines).replace(" ", "")
    fresh = "".join(line.text for line in engine.read(upright.image, 1).lines).replace(" ", "")
    assert reused == fresh  # a turned page's lines may split at other gaps: the same text, spaced otherwise
    for text in LINES:
        assert unicodedata.normalize("NFKC", text.replace(" ", "")) in unicodedata.normalize("NFKC", reused)


def test_a_glare_edge_across_the_sheet_is_not_its_outline():
    """Generated phone photo (seed 9499): the bright region stopped at a glare's border, a third of the
    page in; cropping to it cut the seal and the date away (a false SEAL_MISSING return). Along that
    edge the paper outside is brighter, never so at a sheet's outline: no sheet is taken."""
    photo = cv2.imread(str(Path(__file__).parent / "data" / "sheet_with_a_glare_edge.jpg"))
    assert find_sheet(photo) is None


def test_a_shadow_edge_across_the_sheet_gives_way_to_the_whole_outline():
    """Generated phone photo (seed 9482): a sharp shadow split the sheet, and the lit part's
    quadrilateral (a third of the image) passed every check. The edge map's outline holds it and
    more: that is the sheet."""
    photo = cv2.imread(str(Path(__file__).parent / "data" / "sheet_with_a_shadow_edge.jpg"))
    corners = find_sheet(photo)
    assert corners is not None
    assert cv2.contourArea(np.float32(corners)) > 0.5  # of the image; the lit part alone was 0.33
