"""Test helpers: render known text onto a page with Pillow and Noto CJK, and read it back with the real OCR engine.

Pages are small (about A4 at 100 dpi) so that one RapidOCR pass with one thread
takes a second or two; results are cached per process by image content, so
tests that share a page pay for it once.
"""

from __future__ import annotations

import hashlib
import math
import random
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from models.ocr import OcrLine, OcrPage
from pipeline.glyphs import simplified_chinese_face

FONT_DIRS = (Path("/usr/share/fonts/opentype/noto"), Path("/usr/share/fonts/truetype/noto"))
PAGE_SIZE = (850, 1200)


@lru_cache(maxsize=16)
def cjk_font(size: int, *, serif: bool = False, bold: bool = False) -> ImageFont.FreeTypeFont:
    """Noto Sans/Serif CJK SC at ``size`` pixels (the .ttc holds JP/KR/SC/TC/HK: pick SC by name)."""
    family = "Serif" if serif else "Sans"
    weight = "Bold" if bold else "Regular"
    for folder in FONT_DIRS:
        font = simplified_chinese_face(folder / f"Noto{family}CJK-{weight}.ttc", size)
        if font is not None:
            return font
    pytest.skip("Noto CJK fonts (fonts-noto-cjk) are not installed")
    raise AssertionError  # unreachable


@dataclass(frozen=True)
class Text:
    """A piece of text placed on the page (top-left corner ``xy``)."""

    text: str
    xy: tuple[int, int]
    size: int = 24
    bold: bool = False
    colour: tuple[int, int, int] = (20, 20, 20)


@dataclass
class PageSpec:
    """What to draw: texts, optional ruled lines and handwriting-like scribbles."""

    texts: list[Text] = field(default_factory=list)
    lines: list[tuple[int, int, int, int]] = field(default_factory=list)
    scribbles: list[tuple[int, int, int, int]] = field(default_factory=list)  # boxes to scribble in
    size: tuple[int, int] = PAGE_SIZE
    seed: int = 0


def stack(rows: list[str], *, top: int = 60, left: int = 60, size: int = 24, gap: int = 20,
          title: str | None = None) -> list[Text]:
    """Rows of text one under the other; an optional bold, larger, centred title first."""
    texts: list[Text] = []
    y = top
    if title:
        font = cjk_font(36, bold=True)
        width = font.getbbox(title)[2]
        texts.append(Text(title, ((PAGE_SIZE[0] - width) // 2, y), 36, bold=True))
        y += 36 + 2 * gap
    for row in rows:
        texts.append(Text(row, (left, y), size))
        y += size + gap
    return texts


def _scribble(draw: ImageDraw.ImageDraw, box: tuple[int, int, int, int], rng: random.Random) -> None:
    """A handwriting-like signature: a few connected pen strokes wandering across ``box`` in blue-black ink."""
    x, y, w, h = box
    ink = (25, 35, 110)
    for stroke in range(3):
        points = []
        x0 = x + stroke * w / 3
        for step in range(24):
            t = step / 23
            px = x0 + t * w / 3 + rng.uniform(-3, 3)
            py = y + h / 2 + math.sin(t * math.pi * rng.uniform(2.5, 4.5) + stroke) * h * 0.38 + rng.uniform(-2, 2)
            points.append((px, py))
        draw.line(points, fill=ink, width=3, joint="curve")


def render(spec: PageSpec) -> np.ndarray:
    """Draw ``spec`` on white paper; returns a BGR uint8 image."""
    image = Image.new("RGB", spec.size, (250, 250, 247))
    draw = ImageDraw.Draw(image)
    for item in spec.texts:
        draw.text(item.xy, item.text, fill=item.colour, font=cjk_font(item.size, bold=item.bold))
    for x0, y0, x1, y1 in spec.lines:
        draw.line([(x0, y0), (x1, y1)], fill=(30, 30, 30), width=2)
    rng = random.Random(spec.seed)
    for box in spec.scribbles:
        _scribble(draw, box, rng)
    return np.ascontiguousarray(np.asarray(image)[:, :, ::-1])


# ---------------------------------------------------------------------------
# OCR
# ---------------------------------------------------------------------------


class Reader:
    """The real RapidOCR engine (pipeline.ocr's when present), one thread, results cached by image bytes."""

    def __init__(self) -> None:
        self._cache: dict[str, OcrPage] = {}
        try:
            from pipeline.ocr import RapidOcrEngine
        except ImportError:  # pipeline.ocr not there yet: read with RapidOCR directly
            from rapidocr_onnxruntime import RapidOCR

            self._engine = None
            self._raw = RapidOCR(intra_op_num_threads=1, inter_op_num_threads=1)
        else:
            self._engine = RapidOcrEngine()
            self._raw = None

    def read(self, image: np.ndarray, page: int = 1) -> OcrPage:
        key = hashlib.sha1(image.tobytes()).hexdigest() + f":{page}"
        if key not in self._cache:
            self._cache[key] = self._read(image, page)
        return self._cache[key]

    def _read(self, image: np.ndarray, page: int) -> OcrPage:
        if self._engine is not None:
            return self._engine.read(image, page)
        assert self._raw is not None
        result, _ = self._raw(image)
        return rapidocr_to_page(result or [], image.shape[1], image.shape[0], page)


def rapidocr_to_page(result: list, width: int, height: int, page: int = 1) -> OcrPage:
    """RapidOCR's ``[[quad, text, score], ...]`` as an ``OcrPage`` (axis-aligned boxes, 0-1 confidence)."""
    lines = []
    for quad, text, score in result:
        xs = [float(p[0]) for p in quad]
        ys = [float(p[1]) for p in quad]
        x0, y0 = max(0, int(min(xs))), max(0, int(min(ys)))
        x1, y1 = min(width, math.ceil(max(xs))), min(height, math.ceil(max(ys)))
        if str(text).strip():
            lines.append(OcrLine(text=str(text).strip(), bbox=[x0, y0, x1 - x0, y1 - y0],
                                 confidence=min(max(float(score), 0.0), 1.0)))
    return OcrPage(page=page, width=width, height=height, lines=tuple(lines), engine="rapidocr")


_READER: Reader | None = None


def shared_reader() -> Reader:
    """One reader per test process."""
    global _READER
    if _READER is None:
        _READER = Reader()
    return _READER


def line(text: str, y: int, *, x: int = 40, h: int = 30, confidence: float = 0.95) -> OcrLine:
    """A hand-written OCR line for unit tests (width from the text length)."""
    width = sum(2 if ord(ch) > 0x2E7F else 1 for ch in text) * h // 2
    return OcrLine(text=text, bbox=[x, y, max(width, 1), h], confidence=confidence)


def page_of(*lines: OcrLine, page: int = 1, width: int = 1000, height: int = 1400) -> OcrPage:
    """An ``OcrPage`` from hand-written lines."""
    return OcrPage(page=page, width=width, height=height, lines=tuple(lines), engine="rapidocr")


# ---------------------------------------------------------------------------
# Sample documents shared by the tests (rendered once per process, then cached by content)
# ---------------------------------------------------------------------------


def valid_id(first17: str = "14100219650312001") -> str:
    """A GB 11643-valid 18-digit ID number (fictional) from its first 17 digits."""
    from pipeline.idnumbers import check_digit

    return first17 + check_digit(first17)


def header(hospital: str, title: str) -> list[Text]:
    """A hospital name and a document title, centred, as printed at the top of a form."""
    texts = []
    for text, y, size in ((hospital, 50, 30), (title, 100, 36)):
        width = cjk_font(size, bold=True).getbbox(text)[2]
        texts.append(Text(text, ((PAGE_SIZE[0] - width) // 2, y), size, bold=True))
    return texts


def diagnosis_certificate(*, hospital: str = "临汾市尧都中心医院", name: str = "张建国", id_number: str | None = None,
                          diagnosis: str = "原发性高血压3级（极高危）", date_text: str = "2025年3月12日") -> PageSpec:
    """诊断证明书 with a hospital header, patient line, ID number, diagnosis, advice and a dated signature block."""
    texts = header(hospital, "疾病诊断证明书")
    texts += stack([f"姓名：{name}      性别：男      年龄：60岁", f"身份证号：{id_number or valid_id()}",
                    f"临床诊断：{diagnosis}", "建议：低盐低脂饮食，规律服药，定期复查。"], top=200)
    texts += [Text("医师签名：", (60, 900)), Text(f"日期：{date_text}", (480, 900))]
    return PageSpec(texts=texts, scribbles=[(190, 892, 180, 40)], seed=1)


def exam_report() -> PageSpec:
    """An ultrasound report: exam date in the header, findings, a two-row conclusion, report and print times."""
    texts = header("防城港市北部湾中心医院", "彩色超声检查报告单")
    texts += stack(["姓名：李秀兰    性别：女    年龄：58岁    检查日期：2025-04-02",
                    "检查部位：肝胆胰脾", "超声所见：", "肝脏大小形态正常，包膜光滑，实质回声均匀。",
                    "超声提示：", "1.肝内胆管结石", "2.胆囊息肉样病变"], top=200)
    texts += [Text("报告医师：王明", (60, 960)), Text("报告日期：2025-04-03", (480, 960)),
              Text("打印时间：2025-06-01 09:12", (480, 1010))]
    return PageSpec(texts=texts, seed=2)


def application_form(*, signed: bool, applicant_signed: bool = False, physician_label: str = "医师签名：") -> PageSpec:
    """门诊慢特病认定申请表 with a physician-signature field, filled with a scribble or left empty.

    ``applicant_signed`` scribbles in the applicant's field below it (never the physician's).
    """
    texts = header("临汾市医疗保障局", "门诊慢特病认定申请表")
    texts += stack([f"申请人姓名：张建国    身份证号：{valid_id()}", "申请病种：高血压（Ⅲ级）",
                    "临床诊断：原发性高血压3级", "医师意见：同意申请"], top=200)
    texts += [Text(physician_label, (60, 700)), Text("日期：2025年5月20日", (480, 700)),
              Text("申请人签名：", (60, 800))]
    lines = [(180, 732, 460, 732)]
    scribbles = [(190, 690, 200, 42)] if signed else []
    if applicant_signed:
        scribbles.append((210, 790, 180, 42))
    return PageSpec(texts=texts, lines=lines, scribbles=scribbles, seed=3)
