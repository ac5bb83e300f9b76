"""Read text lines off an upright page image: one interface, two engines, and targeted re-reads.

``ocr_page()`` returns a page's PDF text layer when it has one, else runs an
engine over the working image. The engines are RapidOCR (PP-OCRv4 through
onnxruntime, default) and Tesseract 5 (``chi_sim``). Both return
:class:`~models.ocr.OcrPage` in the same convention: boxes ``[x, y, w, h]`` in
pixels of the image given, confidence 0.0-1.0; nothing downstream sees an
engine's own conventions.

The ``reread_*`` functions are second looks the caller asks for when a
required field is missing (a date under a red seal, small print on a large
photo); they are not run by ``ocr_page()``. Orientation and perspective are
``geometry.py``'s job; this module assumes the image is upright.
"""

from __future__ import annotations

import difflib
import os
import re
import shutil
import subprocess
import tempfile
import time
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import cv2
import numpy as np

from models.ocr import OcrLine, OcrPage
from pipeline.errors import EngineError, MissingDependencyError
from pipeline.pages import Page
from pipeline.ppocr import LineReading, PpOcrModels, shared_models

# ---------------------------------------------------------------- interface


@runtime_checkable
class OcrEngine(Protocol):
    """An OCR engine: reads one upright BGR image into lines with boxes and confidences.

    Implementations SHALL return boxes in pixels of ``image`` and confidences in 0.0-1.0,
    SHALL turn a per-page timeout into an empty page with a warning, and SHALL raise
    :class:`EngineError` when the engine crashes.
    """

    name: str

    def read(self, image: np.ndarray, page: int) -> OcrPage:
        """Read ``image`` (BGR uint8, upright) as page number ``page`` (1-based)."""
        ...


@runtime_checkable
class LineDetectingEngine(OcrEngine, Protocol):
    """An engine whose line detection can run apart from its recognition.

    Geometry detects the lines of a page before it knows which way up the page is (the
    line boxes vote on the orientation) and hands them back, turned, to ``read``: one
    detection per page serves both.
    """

    def detect_lines(self, image: np.ndarray) -> list[np.ndarray]:
        """Text line boxes (tl, tr, br, bl, float32) in pixels of ``image``, as ``read`` would find them."""
        ...

    def read(self, image: np.ndarray, page: int, line_boxes: Sequence[np.ndarray] | None = None) -> OcrPage:
        """Read ``image``; with ``line_boxes`` (from ``detect_lines`` on this image), recognise those lines only."""
        ...


@runtime_checkable
class CharacterScoringEngine(OcrEngine, Protocol):
    """An engine whose recogniser can say how well a line crop supports any given text (CTC output)."""

    def character_probabilities(self, crop: np.ndarray) -> np.ndarray:
        """Per time step of the recogniser, each character's probability (column 0: the CTC blank)."""
        ...

    def character_columns(self, text: str) -> list[int] | None:
        """The columns of ``text``'s characters in :meth:`character_probabilities`, None if one is unknown."""
        ...

    def best_path_text(self, probabilities: np.ndarray) -> str:
        """The text of the likeliest character at each step of :meth:`character_probabilities`."""
        ...


def get_engine(name: str = "rapidocr", **options: Any) -> OcrEngine:
    """Return the engine called ``name`` (``rapidocr`` or ``tesseract``).

    Args:
        name: Engine name, case-insensitive.
        **options: Keyword arguments for the engine's constructor.

    Raises:
        ValueError: ``name`` is not a known engine.
    """
    key = name.strip().lower()
    if key == "rapidocr":
        return RapidOcrEngine(**options)
    if key == "tesseract":
        return TesseractEngine(**options)
    raise ValueError(f"unknown OCR engine {name!r}; choose 'rapidocr' or 'tesseract'")


def ocr_page(page: Page, engine: OcrEngine) -> OcrPage:
    """Text lines of one page: the PDF text layer when usable, else the engine's reading.

    Args:
        page: A loaded (and preferably upright) page.
        engine: The engine used when the page has no usable text layer.

    Returns:
        The page's lines in ``page.image`` pixels, ``rotation_deg`` taken from the page.

    Raises:
        EngineError: The engine crashed.
        MissingDependencyError: The engine's binary or model is missing.
    """
    if page.text_layer is not None and page.text_layer.lines:
        layer = page.text_layer.model_copy(update={"page": page.index, "rotation_deg": page.rotation_deg})
        if not page.pictures:
            return layer
        return with_picture_text(layer, engine.read(page.image, page.index), page.pictures)
    if page.line_boxes is not None and isinstance(engine, LineDetectingEngine):
        result = engine.read(page.image, page.index, line_boxes=page.line_boxes)
    else:
        result = engine.read(page.image, page.index)
    return result.model_copy(update={"rotation_deg": page.rotation_deg})


PICTURE_SHARE = 0.5  # an OCR line at least this much inside the page's pictures was read from one


def _compact(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def covered_share(line: OcrLine, other: OcrLine) -> float:
    """Share of ``line``'s box inside ``other``'s."""
    x, y, w, h = line.bbox
    ox, oy, ow, oh = other.bbox
    ix, iy = min(x + w, ox + ow) - max(x, ox), min(y + h, oy + oh) - max(y, oy)
    return ix * iy / max(1, w * h) if ix > 0 and iy > 0 else 0.0


def with_picture_text(layer: OcrPage, read: OcrPage, pictures: Sequence[Sequence[int]]) -> OcrPage:
    """The text layer plus the OCR lines read from the page's embedded pictures.

    A typed form filled in by hand and saved as PDF keeps its labels in the text layer and its
    entries (name, date, diagnosis) as pictures; the text layer alone would lose every entry.

    - A typed row that the OCR read through, with an entry in it, is replaced by the OCR's
      lines on that row: every label of it (``姓 名: 性别: 年龄:``) is read in order across
      those lines (``姓名：龚生`` ``性别：男`` ``年龄：82岁``).
    - A typed row the OCR did not read so (a pasted seal garbling ``审核时间：2024-10-13``)
      stays exact, and the OCR's reading that repeats it garbled is dropped; entries in the
      row's gaps are added.
    - An entry on no typed row (a signature, a stamp's text) is added.
    """
    entries = [i for i, line in enumerate(read.lines) if _reads_a_picture(line, pictures)]
    if not entries:
        return layer
    replacing: dict[int, list[int]] = {}
    blocked: set[int] = set()
    for t, typed in enumerate(layer.lines):
        row = [i for i, line in enumerate(read.lines) if _same_row(typed, line)]
        if not any(i in entries for i in row):
            continue
        if _labels_read_in_order(typed.text, [read.lines[i] for i in row]):
            replacing[t] = row
        else:  # a reading that repeats the typed text garbled is dropped; an entry in a gap of the row is not
            blocked.update(i for i in row if _echoes(typed.text, read.lines[i].text))
    # A garbled echo of a typed row that stays exact is dropped also where it reaches into the row of a
    # label it read in order (报告日期 | 2025/8/2射科, a pasted seal over the typed 2025/8/29 below the label:
    # alternative templates family 2, seed 7107, the report dated 08-02); that row is replaced only if the
    # readings left still hold its labels in order, else it stays as typed.
    replaced = {t for t, row in replacing.items()
                if _labels_read_in_order(layer.lines[t].text, [read.lines[i] for i in row if i not in blocked])}
    added = ({i for t in replaced for i in replacing[t]} | set(entries)) - blocked
    if not added:
        return layer
    kept = [typed for t, typed in enumerate(layer.lines) if t not in replaced]
    lines = sorted([*kept, *(read.lines[i] for i in sorted(added))], key=lambda line: (line.bbox[1], line.bbox[0]))
    return layer.model_copy(update={"lines": tuple(lines), "engine": f"text_layer+{read.engine}",
                                    "elapsed_s": read.elapsed_s})


def _reads_a_picture(line: OcrLine, pictures: Sequence[Sequence[int]]) -> bool:
    """The line is mostly inside the pictures, or holds most of one (a label read with its entry)."""
    x, y, w, h = line.bbox
    inside = 0
    for px, py, pw, ph in pictures:
        overlap = max(0, min(x + w, px + pw) - max(x, px)) * max(0, min(y + h, py + ph) - max(y, py))
        if overlap >= PICTURE_SHARE * pw * ph:
            return True
        inside += overlap
    return inside >= PICTURE_SHARE * w * h


def _same_row(typed: OcrLine, line: OcrLine) -> bool:
    """The two boxes overlap, by at least half the lower one's height."""
    x, y, w, h = typed.bbox
    ox, oy, ow, oh = line.bbox
    across = min(x + w, ox + ow) - max(x, ox)
    down = min(y + h, oy + oh) - max(y, oy)
    return across > 0 and down >= 0.5 * min(h, oh)


def _echoes(typed: str, text: str) -> bool:
    """``text`` repeats a piece of ``typed`` of two characters or more."""
    a, b = _compact(typed), _compact(text)
    return difflib.SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, len(b)).size >= 2


def _labels_read_in_order(typed: str, row: Sequence[OcrLine]) -> bool:
    """Every piece of ``typed`` between spaces and colons is in the row's reading, in order."""
    joined = _compact("".join(line.text for line in sorted(row, key=lambda line: line.bbox[0])))
    position = 0
    for piece in re.split(r"[\s:：]+", unicodedata.normalize("NFKC", typed)):
        if not piece:
            continue
        found = joined.find(piece, position)
        if found < 0:
            return False
        position = found + len(piece)
    return True


# ---------------------------------------------------------------- helpers shared by both engines


def quad_to_bbox(quad: Sequence[Sequence[float]], width: int, height: int) -> list[int]:
    """Axis-aligned ``[x, y, w, h]`` around a quadrilateral, clipped to the image."""
    xs = [float(p[0]) for p in quad]
    ys = [float(p[1]) for p in quad]
    x0, y0 = max(0, int(np.floor(min(xs)))), max(0, int(np.floor(min(ys))))
    x1, y1 = min(width, int(np.ceil(max(xs)))), min(height, int(np.ceil(max(ys))))
    return [x0, y0, max(1, x1 - x0), max(1, y1 - y0)]


def _clip01(value: float) -> float:
    return float(min(1.0, max(0.0, value)))


def _as_bgr(image: np.ndarray) -> np.ndarray:
    if image.dtype != np.uint8:
        raise TypeError(f"expected a uint8 image, got {image.dtype}")
    if image.ndim == 2:
        return cv2.cvtColor(image, cv2.COLOR_GRAY2BGR)
    if image.ndim == 3 and image.shape[2] == 4:
        return cv2.cvtColor(image, cv2.COLOR_BGRA2BGR)
    if image.ndim == 3 and image.shape[2] == 3:
        return image
    raise TypeError(f"expected a BGR image, got shape {image.shape}")


# ---------------------------------------------------------------- RapidOCR


@dataclass(frozen=True)
class RapidOcrSettings:
    """Knobs of the RapidOCR pipeline (PP-OCRv4 det + rec, PP-OCR mobile v2 direction classifier).

    Detection runs on a copy of the page scaled to ``det_max_side_px`` at most (small
    images are enlarged to ``det_min_side_px`` on the short side); recognition crops the
    lines from the page itself, so small print keeps every pixel the page has. Measured
    on the real set (bench/ocr_compare.py): detecting at the full 3000-4000 px of a phone
    photo lost a curved footer line (报告日期) that detection at 2000 px finds, and cost
    more; recognition at full resolution is what reads small print. Detecting at 1600 px
    instead of 2000 found the same fields on 115 files (27 real, 88 synthetic of every
    capture kind: dates, names, hospitals, diagnoses; one real seal's text fewer, which the
    seal reader reads from its own crop) for 12 % less OCR time. The detector's thresholds
    are in :mod:`pipeline.ppocr`.
    """

    text_score: float = 0.5
    det_max_side_px: int = 1600
    det_min_side_px: int = 736
    threads: int = 1


def det_scale(width: int, height: int, settings: RapidOcrSettings) -> float:
    """Scale at which the text detector sees a ``width`` x ``height`` image."""
    longest, shortest = max(width, height), min(width, height)
    if longest > settings.det_max_side_px:
        return settings.det_max_side_px / longest
    if shortest < settings.det_min_side_px:
        return min(settings.det_min_side_px / shortest, settings.det_max_side_px / longest)
    return 1.0


class RapidOcrEngine:
    """PP-OCRv4 through RapidOCR/onnxruntime; models shared by every thread of a process."""

    name = "rapidocr"

    def __init__(self, settings: RapidOcrSettings | None = None) -> None:
        self.settings = settings or RapidOcrSettings()
        self._models = shared_models(self.settings.threads)

    def detect_lines(self, image: np.ndarray) -> list[np.ndarray]:
        """Text line boxes of ``image`` in its own pixels, detected as ``read`` detects them."""
        bgr = _as_bgr(image)
        det_image, scale = self._detection_image(bgr)
        return [box / np.float32(scale) for box in self._detect(det_image)]

    def character_probabilities(self, crop: np.ndarray) -> np.ndarray:
        return self._models.character_probabilities(_as_bgr(crop))

    def character_columns(self, text: str) -> list[int] | None:
        return self._models.character_columns(text)

    def best_path_text(self, probabilities: np.ndarray) -> str:
        return self._models.best_path_text(probabilities)

    def _detect(self, det_image: np.ndarray) -> list[np.ndarray]:
        """Line boxes of the detection copy, found in its inked part only (blank margins cost time, hold no text)."""
        x0, y0, x1, y1 = ink_extent(det_image)
        boxes = self._models.detect(det_image[y0:y1, x0:x1])
        if x0 or y0:
            boxes = [box + np.float32([x0, y0]) for box in boxes]
        return boxes

    def read(self, image: np.ndarray, page: int, line_boxes: Sequence[np.ndarray] | None = None) -> OcrPage:
        """Read one upright BGR image. See :class:`OcrEngine`.

        Args:
            image: The upright page.
            page: 1-based page number.
            line_boxes: Lines already detected in ``image`` (``detect_lines``, possibly on the
                page before it was turned upright and turned with it); detection is skipped.

        Raises:
            EngineError: RapidOCR failed on this image.
        """
        bgr = _as_bgr(image)
        height, width = bgr.shape[:2]
        started = time.monotonic()
        try:
            found = self._recognise(bgr, line_boxes)
        except Exception as exc:
            raise EngineError(f"RapidOCR 识别第 {page} 页失败：{exc}") from exc
        lines = tuple(
            OcrLine(text=reading.text, bbox=quad_to_bbox(quad, width, height), confidence=_clip01(reading.confidence),
                    char_confidences=tuple(_clip01(c) for c in reading.char_confidences))
            for quad, reading in found
        )
        lines = extend_lone_characters(self._models, bgr, lines)
        return OcrPage(
            page=page,
            width=width,
            height=height,
            lines=lines,
            engine=self.name,
            elapsed_s=round(time.monotonic() - started, 3),
        )

    def _detection_image(self, bgr: np.ndarray) -> tuple[np.ndarray, float]:
        """The copy of ``bgr`` the detector sees (bounded, or enlarged when small) and its scale."""
        height, width = bgr.shape[:2]
        scale = det_scale(width, height, self.settings)
        if scale == 1.0:
            return bgr, 1.0
        size = (max(32, round(width * scale)), max(32, round(height * scale)))
        return cv2.resize(bgr, size, interpolation=cv2.INTER_AREA if scale < 1 else cv2.INTER_CUBIC), scale

    def _recognise(self, bgr: np.ndarray, line_boxes: Sequence[np.ndarray] | None = None) -> list[tuple[np.ndarray, LineReading]]:
        """Detect on a bounded copy (unless the lines are given), then classify and recognise crops.

        A small image is enlarged once (cubic) and both detected and cropped from the
        enlargement, which measured better on small phone screenshots than cropping the
        original; a large one is detected on a reduced copy and cropped from the original.
        """
        models, settings = self._models, self.settings
        height, width = bgr.shape[:2]
        scale = det_scale(width, height, settings)
        # the detection copy is made only when it is detected on or cropped from
        det_image = self._detection_image(bgr)[0] if line_boxes is None or scale > 1.0 else bgr
        source, crop_scale = (det_image, scale) if scale > 1.0 else (bgr, 1.0)
        if line_boxes is None:
            boxes = self._detect(det_image)
        else:  # given in ``bgr`` pixels; in detector pixels from here on, as if detected
            boxes = [np.asarray(box, dtype=np.float32) * np.float32(scale) for box in line_boxes]
        if not boxes:
            return []
        src_h, src_w = source.shape[:2]
        quads = [
            np.clip(box * np.float32(crop_scale / scale), 0, [src_w - 1, src_h - 1]).astype(np.float32)
            for box in models.sorted_boxes(boxes)
        ]
        recognised = _recognise_either_way(models, models.crop_lines(source, quads))
        return [
            (quad / np.float32(crop_scale), _stripped(reading))
            for quad, reading in zip(quads, recognised, strict=True)
            if reading.confidence >= settings.text_score and reading.text.strip()
        ]


# A line of one character is often a word the detector cut short (钱 of 钱雪 on a speckled photocopy,
# the 雪 left undetected). Its row is read again to the right, up to the next line or this many
# line heights, and the longer reading taken when the recogniser is sure of every character.
LONE_CHARACTER_REACH = 6.0
LONE_CHARACTER_SURE = 0.8
_CJK = re.compile(r"^[\u4e00-\u9fff]+$")


def extend_lone_characters(models: PpOcrModels, bgr: np.ndarray, lines: Sequence[OcrLine]) -> tuple[OcrLine, ...]:
    """Each one-character line read again with the rest of its row, up to the next line on it.

    Taken only when the wider reading starts with the same character, adds at most three, all
    Chinese characters and each read at ``LONE_CHARACTER_SURE`` or more; else the line stays.
    """
    height, width = bgr.shape[:2]
    rows: list[tuple[int, list[int], np.ndarray]] = []  # (line index, its row's box, the row's pixels)
    for i, line in enumerate(lines):
        if len(line.text) != 1 or not _CJK.match(line.text):
            continue
        x, y, w, h = line.bbox
        middle = y + h / 2
        after = [o.bbox[0] for o in lines if o.bbox[0] >= x + w and o.bbox[1] <= middle <= o.bbox[1] + o.bbox[3]]
        right = min([x + round(LONE_CHARACTER_REACH * h), width, *after])
        pad = max(1, round(h / 4))
        x0, y0, y1 = max(0, x - pad), max(0, y - pad), min(height, y + h + pad)
        if right - x0 > w + pad and y1 - y0 >= 8:
            rows.append((i, [x, y, right - x, h], np.ascontiguousarray(bgr[y0:y1, x0:right])))
    if not rows:
        return tuple(lines)
    extended = list(lines)
    readings = models.recognise_characters([pixels for _, _, pixels in rows])
    for (i, box, _), reading in zip(rows, readings, strict=True):
        reading = _stripped(reading)
        text, chars = reading.text, reading.char_confidences
        if (1 < len(text) <= 4 and text[0] == lines[i].text and _CJK.match(text) and len(chars) == len(text)
                and min(chars) >= LONE_CHARACTER_SURE):
            extended[i] = lines[i].model_copy(update={
                "text": text, "bbox": box, "confidence": _clip01(reading.confidence),
                "char_confidences": tuple(_clip01(c) for c in chars)})
    return tuple(extended)


def _stripped(reading: LineReading) -> LineReading:
    """``reading`` without the spaces around its text (and their character confidences)."""
    text = reading.text.strip()
    if text == reading.text:
        return reading
    chars = reading.char_confidences
    if chars:
        start = len(reading.text) - len(reading.text.lstrip())
        chars = chars[start:start + len(text)]
    return LineReading(text, reading.confidence, chars)


def _recognise_either_way(models: PpOcrModels, crops: Sequence[np.ndarray]) -> list[LineReading]:
    """Text and confidence of each line crop; a crop the direction classifier turns is read both ways.

    The page is already upright, so a line read upside down is rare, and the classifier is
    not always right: a blurred bold serif hospital name (临汾市尧都中心医院) was turned at
    0.91 and then read as nothing. The better-scoring reading of the two is kept.
    """
    turned, labels = models.classify(crops)
    recognised = models.recognise_characters(turned)
    flipped = [i for i, (label, _) in enumerate(labels) if label == "180"]
    if flipped:
        as_is = models.recognise_characters([crops[i] for i in flipped])
        for i, reading in zip(flipped, as_is, strict=True):
            if reading.confidence > recognised[i].confidence:
                recognised[i] = reading
    return recognised


INK_MARGIN_PX = 32  # kept around the ink: the detector's context, and the unclipped box edges
INK_FROM_PAPER = 25  # grey levels below the paper that count as ink (faint grey print included)
INK_CHROMA = 40  # HSV saturation that counts as ink (a pale seal, coloured print)


def ink_extent(image: np.ndarray) -> tuple[int, int, int, int]:
    """``(x0, y0, x1, y1)`` around everything inked on the page, with a margin, in multiples of 32.

    Paper is the page's 90th-percentile grey; ink is anything clearly darker or coloured.
    Isolated specks (scanner dust) are ignored. A page with nothing on it keeps its full extent.
    The detector is fully convolutional, so its cost follows the pixels it sees: on the bench's
    pages the blank margins are a quarter of them.
    """
    height, width = image.shape[:2]
    grey = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    paper = float(np.percentile(grey, 90))
    saturation = cv2.cvtColor(image, cv2.COLOR_BGR2HSV)[..., 1]
    ink = ((grey < paper - INK_FROM_PAPER) | (saturation > INK_CHROMA)).astype(np.uint8)
    ink = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((2, 2), np.uint8))
    points = cv2.findNonZero(ink)
    if points is None:
        return 0, 0, width, height
    x, y, w, h = cv2.boundingRect(points)
    x0, y0 = max(0, x - INK_MARGIN_PX), max(0, y - INK_MARGIN_PX)
    x1, y1 = min(width, x + w + INK_MARGIN_PX), min(height, y + h + INK_MARGIN_PX)
    # whole multiples of 32, so the detector sees the crop without resizing it
    x1, y1 = min(width, x0 + _round_up(x1 - x0, 32)), min(height, y0 + _round_up(y1 - y0, 32))
    x0, y0 = max(0, x1 - _round_up(x1 - x0, 32)), max(0, y1 - _round_up(y1 - y0, 32))
    return x0, y0, x1, y1


def _round_up(value: int, step: int) -> int:
    return -(-value // step) * step


# ---------------------------------------------------------------- Tesseract


class TesseractEngine:
    """Tesseract 5 with ``chi_sim``, run as a subprocess with ``OMP_THREAD_LIMIT=1``.

    Small images are enlarged first (Tesseract wants CJK glyphs about 30 px tall);
    the boxes are mapped back to the pixels of the image given.
    """

    name = "tesseract"

    def __init__(
        self,
        tesseract_cmd: str | Path = "tesseract",
        lang: str = "chi_sim",
        psm: int = 6,
        timeout_s: float = 60.0,
        min_long_side_px: int = 1600,
    ) -> None:
        """Configure the engine.

        Args:
            tesseract_cmd: The binary (a name on PATH or a path).
            lang: Tesseract language(s), e.g. ``chi_sim`` or ``chi_sim+eng``.
            psm: Page segmentation mode; 6 (one uniform block) measured best on
                forms and tables here (see bench/ocr_compare.py).
            timeout_s: Per-page wall time; beyond it the page is returned empty with a warning.
            min_long_side_px: Images with a shorter long side are enlarged to it before reading.
        """
        self.tesseract_cmd = str(tesseract_cmd)
        self.lang = lang
        self.psm = psm
        self.timeout_s = timeout_s
        self.min_long_side_px = min_long_side_px

    def read(self, image: np.ndarray, page: int) -> OcrPage:
        """Read one upright BGR image. See :class:`OcrEngine`.

        Raises:
            EngineError: Tesseract crashed or exited without output.
            MissingDependencyError: The binary or the language data is missing.
        """
        bgr = _as_bgr(image)
        height, width = bgr.shape[:2]
        factor = 1.0
        if max(height, width) < self.min_long_side_px:
            factor = min(3.0, self.min_long_side_px / max(height, width))
            bgr = cv2.resize(bgr, None, fx=factor, fy=factor, interpolation=cv2.INTER_CUBIC)
        started = time.monotonic()
        with tempfile.TemporaryDirectory(prefix="precheck-tess-") as work:
            source = Path(work) / f"p{page:03d}.png"
            cv2.imwrite(str(source), bgr)
            try:
                tsv = self._run(source)
            except subprocess.TimeoutExpired:
                return OcrPage(
                    page=page,
                    width=width,
                    height=height,
                    engine=self.name,
                    elapsed_s=round(time.monotonic() - started, 3),
                    warnings=(f"Tesseract 识别第 {page} 页超时（超过 {self.timeout_s:g} 秒），本页未识别",),
                )
        lines = tuple(_scale_line(line, 1.0 / factor, width, height) for line in tsv_to_lines(tsv))
        return OcrPage(
            page=page,
            width=width,
            height=height,
            lines=lines,
            engine=self.name,
            elapsed_s=round(time.monotonic() - started, 3),
        )

    def _run(self, source: Path) -> str:
        binary = shutil.which(self.tesseract_cmd) or (self.tesseract_cmd if Path(self.tesseract_cmd).is_file() else None)
        if binary is None:
            raise MissingDependencyError(f"找不到 tesseract 程序：{self.tesseract_cmd}")
        env = dict(os.environ, OMP_THREAD_LIMIT="1")
        command = [binary, str(source), "stdout", "-l", self.lang, "--psm", str(self.psm), "tsv"]
        try:
            done = subprocess.run(command, capture_output=True, timeout=self.timeout_s, env=env, check=False)
        except FileNotFoundError as exc:
            raise MissingDependencyError(f"找不到 tesseract 程序：{self.tesseract_cmd}") from exc
        except PermissionError as exc:
            raise MissingDependencyError(f"tesseract 程序不可执行：{self.tesseract_cmd}") from exc
        stderr = done.stderr.decode("utf-8", "replace")
        if "Failed loading language" in stderr or "Error opening data file" in stderr:
            raise MissingDependencyError(f"tesseract 缺少语言数据 {self.lang}（需要 tesseract-ocr-chi-sim）")
        if done.returncode != 0:
            detail = stderr.strip().splitlines()[-1] if stderr.strip() else f"退出码 {done.returncode}"
            raise EngineError(f"tesseract 运行失败：{detail}")
        stdout = done.stdout.decode("utf-8", "replace")
        if not stdout.startswith("level\t"):
            raise EngineError("tesseract 正常退出但没有输出识别结果")
        return stdout


def tsv_to_lines(tsv: str) -> list[OcrLine]:
    """Group Tesseract's TSV word rows into lines.

    Rows with ``conf == -1`` (page, block, paragraph and line rows) and empty words are
    dropped; conf 0-100 becomes 0.0-1.0 (character-weighted mean over the line's words).
    CJK words are joined without spaces, Latin/digit words with one space.
    """
    header, *rows = tsv.splitlines()
    columns = header.split("\t")
    index = {name: i for i, name in enumerate(columns)}
    groups: dict[tuple[int, int, int], list[tuple[str, list[int], float]]] = {}
    for row in rows:
        cells = row.split("\t")
        if len(cells) != len(columns):
            continue
        try:
            conf = float(cells[index["conf"]])
        except ValueError:
            continue
        text = cells[index["text"]].strip()
        if conf < 0 or not text:
            continue
        key = (int(cells[index["block_num"]]), int(cells[index["par_num"]]), int(cells[index["line_num"]]))
        box = [int(cells[index[name]]) for name in ("left", "top", "width", "height")]
        groups.setdefault(key, []).append((text, box, conf))
    lines = []
    for words in groups.values():
        text = _join_words(word for word, _, _ in words)
        x0 = min(b[0] for _, b, _ in words)
        y0 = min(b[1] for _, b, _ in words)
        x1 = max(b[0] + b[2] for _, b, _ in words)
        y1 = max(b[1] + b[3] for _, b, _ in words)
        weights = [len(word) for word, _, _ in words]
        conf = sum(w * c for w, (_, _, c) in zip(weights, words, strict=True)) / sum(weights)
        lines.append(OcrLine(text=text, bbox=[x0, y0, x1 - x0, y1 - y0], confidence=_clip01(conf / 100.0)))
    return lines


def _join_words(words: Iterable[str]) -> str:
    out = ""
    for word in words:
        if out and out[-1].isascii() and out[-1].isalnum() and word[0].isascii() and word[0].isalnum():
            out += " "
        out += word
    return out


def _scale_line(line: OcrLine, factor: float, width: int, height: int) -> OcrLine:
    if factor == 1.0:
        return line
    x, y, w, h = (round(v * factor) for v in line.bbox)
    x, y = min(x, width - 1), min(y, height - 1)
    return line.model_copy(update={"bbox": [x, y, max(1, min(w, width - x)), max(1, min(h, height - y))]})


# ---------------------------------------------------------------- second looks (called on demand)


def suppress_red(image: np.ndarray) -> np.ndarray:
    """Return a greyscale-BGR copy in which red and pink ink (seals, red print) fades to paper.

    The red channel is used as the grey image: red ink reflects red light as brightly
    as the paper does, so it nearly vanishes, while black and blue print stays dark.
    Black text printed under a seal survives because it is dark in every channel.
    """
    bgr = _as_bgr(image)
    red = bgr[:, :, 2]
    # Stretch so that the paper is white again (the red channel of white paper under a
    # warm light is often the brightest; of a grey photocopy it equals the grey).
    low, high = np.percentile(red, (1, 99))
    if high - low > 10:
        red = np.clip((red.astype(np.float32) - low) * (255.0 / (high - low)), 0, 255).astype(np.uint8)
    return cv2.cvtColor(red, cv2.COLOR_GRAY2BGR)


def reread_region(
    image: np.ndarray,
    bbox: Sequence[int],
    engine: OcrEngine,
    *,
    suppress_red_ink: bool = True,
    margin: float = 0.1,
    page: int = 1,
) -> list[OcrLine]:
    """OCR one region of ``image`` again, optionally with red ink (a seal) suppressed.

    Args:
        image: BGR page image the box refers to.
        bbox: ``[x, y, w, h]`` in ``image`` pixels.
        engine: The engine to read with.
        suppress_red_ink: Fade red/pink ink first (reads a date under a red seal).
        margin: Extra context around the box, as a fraction of its larger side.
        page: Page number for the engine's bookkeeping.

    Returns:
        Lines in ``image`` pixels (the crop offset added back).
    """
    height, width = image.shape[:2]
    x, y, w, h = (int(v) for v in bbox)
    pad = round(margin * max(w, h))
    x0, y0 = max(0, x - pad), max(0, y - pad)
    x1, y1 = min(width, x + w + pad), min(height, y + h + pad)
    if x1 - x0 < 4 or y1 - y0 < 4:
        return []
    crop = image[y0:y1, x0:x1]
    if suppress_red_ink:
        crop = suppress_red(crop)
    result = engine.read(np.ascontiguousarray(crop), page)
    return [
        line.model_copy(update={"bbox": [line.bbox[0] + x0, line.bbox[1] + y0, line.bbox[2], line.bbox[3]]})
        for line in result.lines
    ]


def reread_page_region(
    page: Page,
    bbox: Sequence[int],
    engine: OcrEngine,
    *,
    suppress_red_ink: bool = True,
    full_resolution: bool = True,
    margin: float = 0.1,
) -> list[OcrLine]:
    """Like :func:`reread_region` on a page, reading the full-resolution original when there is one.

    Args:
        page: A loaded (and possibly upright-corrected) page.
        bbox: ``[x, y, w, h]`` in ``page.image`` pixels.
        engine: The engine to read with.
        suppress_red_ink: Fade red/pink ink first.
        full_resolution: Read from ``page.full_image`` (made upright the same way) when the
            working image was reduced from it.
        margin: Extra context around the box, as a fraction of its larger side.

    Returns:
        Lines in ``page.image`` pixels.
    """
    from pipeline.geometry import upright_original

    if not full_resolution or page.full_image is None:
        return reread_region(page.image, bbox, engine, suppress_red_ink=suppress_red_ink, margin=margin, page=page.index)
    original = upright_original(page)
    factor = original.shape[1] / page.image.shape[1]
    big_box = [round(v * factor) for v in bbox]
    lines = reread_region(original, big_box, engine, suppress_red_ink=suppress_red_ink, margin=margin, page=page.index)
    return [_scale_line(line, 1.0 / factor, page.width, page.height) for line in lines]


def read_strips(
    image: np.ndarray,
    engine: OcrEngine,
    *,
    strip_px: int = 1200,
    overlap: float = 0.2,
    page: int = 1,
) -> OcrPage:
    """OCR a large upright image in full-width horizontal strips, so small print keeps its resolution.

    Strips run the full width, so a text line is never cut along its length; they overlap
    so that a line on a strip boundary is whole in one of them. Of two readings of the same
    line the longer, then more confident, one is kept.

    Returns:
        One page of lines in ``image`` pixels.
    """
    bgr = _as_bgr(image)
    height, width = bgr.shape[:2]
    started = time.monotonic()
    step = max(1, round(strip_px * (1.0 - overlap)))
    found: list[OcrLine] = []
    warnings: list[str] = []
    for top in _strip_starts(height, strip_px, step):
        result = engine.read(np.ascontiguousarray(bgr[top : top + strip_px]), page)
        warnings.extend(result.warnings)
        found.extend(
            line.model_copy(update={"bbox": [line.bbox[0], line.bbox[1] + top, line.bbox[2], line.bbox[3]]})
            for line in result.lines
        )
    return OcrPage(
        page=page,
        width=width,
        height=height,
        lines=tuple(_dedupe_lines(found)),
        engine=engine.name,
        elapsed_s=round(time.monotonic() - started, 3),
        warnings=tuple(dict.fromkeys(warnings)),
    )


def read_full_resolution(page: Page, engine: OcrEngine, *, strip_px: int = 1200) -> OcrPage:
    """Second look at a reduced photo: read its upright original in strips, boxes mapped to ``page.image``.

    Returns the normal reading (``ocr_page``) when the page was not reduced.
    """
    from pipeline.geometry import upright_original

    if page.full_image is None:
        return ocr_page(page, engine)
    original = upright_original(page)
    factor = page.image.shape[1] / original.shape[1]
    result = read_strips(original, engine, strip_px=strip_px, page=page.index)
    lines = tuple(_scale_line(line, factor, page.width, page.height) for line in result.lines)
    return result.model_copy(
        update={"lines": lines, "width": page.width, "height": page.height, "rotation_deg": page.rotation_deg}
    )


def _strip_starts(length: int, strip: int, step: int) -> list[int]:
    if length <= strip:
        return [0]
    starts = list(range(0, length - strip, step))
    starts.append(length - strip)
    return starts


def _dedupe_lines(lines: list[OcrLine]) -> list[OcrLine]:
    ranked = sorted(lines, key=lambda line: (-len(line.text), -line.confidence))
    kept: list[OcrLine] = []
    for line in ranked:
        if all(_overlap_of_smaller(line.bbox, other.bbox) < 0.6 for other in kept):
            kept.append(line)
    return sorted(kept, key=lambda line: (line.bbox[1] // max(1, line.bbox[3]), line.bbox[0]))


def _overlap_of_smaller(a: Sequence[int], b: Sequence[int]) -> float:
    ix = max(0, min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0]))
    iy = max(0, min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1]))
    smaller = min(a[2] * a[3], b[2] * b[3])
    return (ix * iy) / smaller if smaller else 0.0
