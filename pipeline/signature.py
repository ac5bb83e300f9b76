"""Is the application form's physician-signature field (医师签名) filled? Ink beside the label, not the label itself.

Finds the physician-signature label among the OCR lines (医师签名, 医生签字, 经治医师签字,
主治医师（签字）…), takes the box where a signature goes (to the right of the label, up
to the next printed field on the row; below it when the label ends the row), removes
what is printed there (ruled lines, recognised labels such as 日期, seal-red pixels)
and measures the remaining handwriting-like ink: dark or pen-blue strokes forming
components of a plausible size. Reads one page image and its OCR; writes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import cv2
import numpy as np

from models.evidence import Evidence
from models.ocr import OcrLine, OcrPage
from pipeline.dates import find_dates
from pipeline.fuzzy import approximate_find
from pipeline.glyphs import lookalike_substitution_cost

_PHYSICIAN_LABEL = re.compile(
    # 字 may be read as its look-alikes 宇 / 学 (经治医师签学：)
    r"(?:经\s*治|主\s*治|诊\s*断|接\s*诊|主\s*诊|门\s*诊|副?\s*主\s*任)?\s*医\s*[师生]\s*[（(]?\s*签\s*[名字章宇学]"
    # a speck read before the colon is the label's too (主治医师(签字).：, fresh seed 9602: the colon left
    # after the label was taken for the next printed field, which closed the box before the signature)
    r"\s*[）)]?\s*(?:[.。,，、·]?\s*[:：])?"
    r"|(?:经\s*治|主\s*治|诊\s*断|接\s*诊)\s*医\s*[师生]\s*[:：]"
    # the bracketed 签X whole but for X (主治医师（签宇）： for 签字): the brackets and 签 make the field
    r"|(?:经\s*治|主\s*治|诊\s*断|接\s*诊)?\s*医\s*[师生]\s*[（(]\s*签\s*[\u4e00-\u9fff]\s*[）)]\s*[:：]?"
)
# The label as a blurred photo reads it. Such a page is too blurred to trust an empty-looking box:
# a signature found there counts, an empty box is unclear (manual review), not SIGNATURE_MISSING.
_MISREAD_LABEL = re.compile(
    # 师 as 修 / 帅 / 际, 签 lost (医修名：, 医师章：), the colon kept; 师 lost (医签名：); 师签 both lost (医章：)
    r"医\s*[师生修帅际]\s*[签筌]?\s*[名字章]\s*[:：]"
    r"|医\s*[签筌]\s*[名字章]\s*[:：]"
    r"|^\s*医\s*[章字]\s*[:：]"
    # ... its colon lost too, the box holding nothing else (医章 of 医师签章：, fresh seed 9636)
    r"|^\s*医\s*章\s*$"
    # 签 misread after a whole 医师 (医师基章), the colon may be lost too; not 医师姓名
    r"|医\s*师\s*(?!姓)[\u4e00-\u9fff]\s*[名字章]\s*[:：]?"
    # 师 misread, the rest whole (医际签章, 医邮签章); not 医院 / 医保 / 医疗 / 医务 (an institution's box)
    r"|医\s*(?![院保疗务])[\u4e00-\u9fff]\s*签\s*[名字章]\s*[:：]?"
    # 签 as 连 (经治医师连字：)
    r"|(?:经\s*治|主\s*治)?\s*医\s*[师生]\s*连\s*[名字章]\s*[:：]?"
    # 医 misread (经治区师签字): the 经治 / 主治 before and the 签字 after still make the field
    r"|(?:经\s*治|主\s*治)\s*[\u4e00-\u9fff]\s*[师生修帅际]\s*签\s*[名字章]\s*[:：]?"
    # 医 lost at the start of the box's label (师签章 of 医师签章)
    r"|^\s*[师帅际]\s*[签连]\s*[名字章]\s*[:：]?"
    # one character either side of 师 misread, the rest of the label whole (医师装名：, 送师签章：,
    # 主治连师（#字）): 师, then 名 / 字 / 章 with its colon or brackets. 经治医师意见 is not one.
    r"|[\u4e00-\u9fff]\s*师\s*(?!姓)[\u4e00-\u9fff#]\s*[名字章]\s*[:：]"  # not 医师姓名, a printed name
    r"|[\u4e00-\u9fff]\s*师\s*[（(]\s*[\u4e00-\u9fff#]?\s*[名字章]\s*[）)]"
    # 主治 / 经治 and 医, then two characters in brackets, both of 签字 misread (主治医师（鉴宇）：,
    # 主治医部（量字）：); not 主治医院（盖章）, an institution's box
    r"|(?:经\s*治|主\s*治)\s*医\s*(?![院保疗务])[\u4e00-\u9fff]\s*[（(]\s*[\u4e00-\u9fff]\s*[\u4e00-\u9fff]\s*[）)]\s*[:：]?"
    # 签 whole, its 名 / 字 / 章 lost (医师签：)
    r"|医\s*[师生]\s*签\s*[:：]"
    # 签 lost and 章 / 名 misread, 医师 whole at the box's start (医师康：, fresh seed 9597); not 医师姓名
    r"|^\s*医\s*师\s*(?!姓)[\u4e00-\u9fff]\s*[:：]"
    # 医 misread and 签 lost, the box's label alone at its start with its colon (西师章：, fresh seed 9588);
    # not a lawyer's (律师章)
    r"|^\s*(?!律)[\u4e00-\u9fff]\s*师\s*[名字章]\s*[:：]"
    # the box ends at 签, its 名 / 字 lost (经治医师 (签), or on one character after it (医师签堂, 堂 at 0.47
    # under a seal): alternative templates, seed 7110
    r"|医\s*[师生]\s*[（(]?\s*签\s*[\u4e00-\u9fff]?\s*$"
    # 主治 / 经治, one character for 医, 师, one for 签字 and the colon (主治送师理：, seed 7110); not 意见 or 姓名
    r"|(?:经\s*治|主\s*治)\s*[\u4e00-\u9fff]\s*师\s*(?![姓意])[\u4e00-\u9fff]\s*[:：]"
    # the box holds 主治医师 / 经治医师 alone: the rest of the label lost (seed 7110)
    r"|^\s*(?:经\s*治|主\s*治)\s*医\s*[师生]\s*$"
)
# The whole physician label as a blurred photo may read it with any one character wrong, and
# look-alikes of others (经治医单签学： with 师 lost to 单 and 学 for 字; 主治医师《签字）：). Only the
# long labels, whose role and surname-free wording leave no other field that close, and only with
# 签 read as itself: 经治医师意见 (the opinion box, handwriting in it) is as close but has no 签.
_WHOLE_LABELS = tuple(f"{who}{title}{sign}" for who in ("经治", "主治", "接诊", "门诊") for title in ("医师", "医生")
                      for sign in ("签字", "签名", "签章", "（签字）", "（签名）"))
WHOLE_LABEL_EDITS = 1.25  # one character wrong and a look-alike (学 for 字 costs 0.17)


class _Found:
    """A label located by approximate search: what ``find_signature_fields`` reads of a regex match."""

    def __init__(self, text: str, start: int, end: int) -> None:
        self._text, self._start, self._end = text, start, end

    def start(self) -> int:
        return self._start

    def end(self) -> int:
        return self._end

    def group(self, _index: int = 0) -> str:
        return self._text[self._start:self._end]


def _whole_label_misread(text: str) -> _Found | None:
    """The physician label read with one character wrong (``_WHOLE_LABELS``), 签 read as itself."""
    if "签" not in text:
        return None
    best: tuple[float, int, int] | None = None
    for label in _WHOLE_LABELS:
        found = approximate_find(label, text, WHOLE_LABEL_EDITS, lookalike_substitution_cost)
        if found is None or "签" not in text[found[0]:found[1]]:
            continue
        if best is None or found[2] < best[0]:
            best = (found[2], found[0], found[1])
    if best is None:
        return None
    end = best[2]
    while end < len(text) and text[end] in "）)：:":
        end += 1  # the closing bracket and colon belong to the label
    return _Found(text, best[1], end)


# Printed words beside a signature; 年, 月 and 日 of a date blank are often read as separate boxes.
_PRINTED_FIELD = re.compile(r"日\s*期|年\s*月\s*日|^\s*[年月日]\s*$|[签连]\s*[名字章]|盖\s*章|科\s*室|电\s*话|[:：]")
# Ink thresholds (fractions of the searched box, or of the label's line height).
# A signature is at least a stroke as tall as a third of the label's characters, and ink worth
# about an eighth of one character cell (h x h): two hurried characters in a thin pen pass this,
# scanner dust and JPEG noise do not.
MIN_INK_CHARS = 0.12
MIN_INK_RATIO = 0.003
MIN_COMPONENT_HEIGHT = 0.3
MIN_COMPONENT_AREA = 0.05


@dataclass(frozen=True)
class SignatureResult:
    """Whether a physician signature was found.

    Attributes:
        present: True (ink found), False (field empty) or None (no physician-signature label on the page).
        evidence: The box searched, with the label as read; None when no label was found.
        ink_ratio: Share of the box covered by handwriting-like ink after printed matter is removed.
    """

    present: bool | None
    evidence: Evidence | None
    ink_ratio: float = 0.0


def _char_weight(ch: str) -> int:
    return 2 if ord(ch) > 0x2E7F else 1


def _x_at(line: OcrLine, index: int) -> int:
    """Estimated x of character ``index`` of ``line`` (CJK characters are twice as wide as ASCII)."""
    weights = [_char_weight(ch) for ch in line.text]
    total = sum(weights) or 1
    return line.bbox[0] + round(line.bbox[2] * sum(weights[:index]) / total)


def _cjk_char_width(page: OcrPage) -> float:
    """Median width of one CJK character of the page's confidently read printed lines."""
    widths = []
    for line in page.lines:
        weight = sum(_char_weight(ch) for ch in line.text)
        if line.confidence >= 0.9 and weight >= 8:
            widths.append(2 * line.bbox[2] / weight)
    if not widths:
        return 24.0
    widths.sort()
    return widths[len(widths) // 2]


def _label_extent(line: OcrLine, match: re.Match[str] | _Found, char_width: float) -> tuple[int, int]:
    """Left and right x of the physician label ``match`` within ``line``."""
    label_x0 = _x_at(line, match.start())
    if match.end() >= len(line.text.rstrip()):
        return label_x0, line.bbox[0] + line.bbox[2]
    # OCR read the handwriting into the label's line: its width says nothing about the label's,
    # so measure the label in printed characters
    label_width = sum(_char_weight(ch) for ch in match.group(0)) / 2 * char_width
    return label_x0, min(_x_at(line, match.end()), round(label_x0 + label_width))


@dataclass(frozen=True)
class SignatureField:
    """Where a physician signature belongs on a page."""

    label: str
    label_bbox: list[int]
    box: list[int]
    line_height: int
    misread: bool = False  # found only as a blurred photo misreads the label
    # what the OCR read after the label on the label's own line (医师签章：金强: the signature read
    # as text) with that part's box and confidence (its own characters', else the line's)
    read_after: str = ""
    read_after_box: tuple[int, int, int, int] | None = None
    read_after_confidence: float = 0.0


_LABEL_TAIL_MARKS = " :：\"'“”‘’.,，。·"


def find_signature_fields(page: OcrPage, labels_misread: bool = False) -> list[SignatureField]:
    """Physician-signature labels on a page and the box beside each where the signature goes.

    Args:
        page: The page's OCR lines (upright page pixels).
        labels_misread: Every label counts as found only misread (the page's labels were recognised
            by :mod:`pipeline.signature_label`, not read).
    """
    fields = []
    char_width = _cjk_char_width(page)
    for line in page.lines:
        match = _PHYSICIAN_LABEL.search(line.text)
        misread = match is None or labels_misread
        if match is None:
            match = _MISREAD_LABEL.search(line.text) or _whole_label_misread(line.text)
        if match is None:
            continue
        _, y, _, h = line.bbox
        label_x0, label_x1 = _label_extent(line, match, char_width)
        right_limit = min(page.width, label_x1 + 12 * h)
        # the next printed field in the same line, after the label
        rest = line.text[match.end():]
        # the label's own colon, also after a speck read as a quote (主治医师（签章）"：), is no next field
        own = len(rest) - len(rest.lstrip(_LABEL_TAIL_MARKS))
        printed = _PRINTED_FIELD.search(rest, own)
        if printed is not None:
            right_limit = min(right_limit, _x_at(line, match.end() + printed.start()))
        # the next printed field in another box on the same row
        for other in page.lines:
            if other is line:
                continue
            ox, oy, _, oh = other.bbox
            same_row = abs((oy + oh / 2) - (y + h / 2)) < 0.6 * max(h, oh)
            # the label's own colon read at the start of the box beside it (：曾庆宏) is no next field
            lead = len(other.text) - len(other.text.lstrip(" :："))
            hit = _PRINTED_FIELD.search(other.text, lead)
            if same_row and ox >= label_x1 - 2 and hit is not None:
                right_limit = min(right_limit, _x_at(other, hit.start()) if hit.start() > 0 else ox)
        pad_y = int(0.7 * h)
        top, bottom = max(0, y - pad_y), min(page.height, y + h + pad_y)
        # the rows above and below keep their own writing: a handwritten opinion just above the
        # label must not count as the signature (a signature read as text is short, and kept)
        for other in page.lines:
            ox, oy, ow, oh = other.bbox
            if other is line or len(other.text) < 5 or ox + ow <= label_x1 or ox >= right_limit:
                continue
            if oy + oh <= y + 0.2 * h:
                top = max(top, oy + oh + 1)
            elif oy >= y + 0.8 * h:
                bottom = min(bottom, oy - 1)
        box = [label_x1 + 2, top, right_limit - label_x1 - 2, bottom - top]
        if box[2] < 3 * h:
            # no room on the row: the signature goes under the label
            box = [max(0, label_x0 - h), y + h, min(page.width, label_x1 + 6 * h) - max(0, label_x0 - h),
                   min(page.height, y + h + int(2.5 * h)) - (y + h)]
        if box[2] > 0 and box[3] > 0:
            after = re.sub(r"\s", "", rest)
            after_x = _x_at(line, match.end())
            after_box = (after_x, y, line.bbox[0] + line.bbox[2] - after_x, h) if after else None
            fields.append(SignatureField(match.group(0), [label_x0, y, label_x1 - label_x0, h], box, h, misread,
                                         after, after_box, _confidence_of(line, match.end())))
    return fields


def _confidence_of(line: OcrLine, start: int) -> float:
    """Mean confidence of the characters of ``line`` from ``start`` on (spaces aside), or the line's own
    when the engine gave none per character."""
    if len(line.char_confidences) != len(line.text):
        return line.confidence
    own = [c for ch, c in zip(line.text[start:], line.char_confidences[start:], strict=True) if not ch.isspace()]
    return sum(own) / len(own) if own else line.confidence


def _ink_mask(crop: np.ndarray, line_height: int) -> np.ndarray:
    """Dark or pen-blue pixels of a BGR crop, seal-red pixels left out.

    The paper's brightness is estimated locally (a closing wider than a character), so the
    shadow of a phone over one side of the box is not taken for ink.
    """
    grey = cv2.cvtColor(crop, cv2.COLOR_BGR2GRAY)
    size = max(3, int(line_height) | 1)
    paper = cv2.morphologyEx(grey, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (size, size)))
    paper = cv2.blur(paper, (size, size)).astype(np.int16)
    grey = grey.astype(np.int16)
    background = paper
    dark = (grey < background - 55) & (grey < 190)
    hsv = cv2.cvtColor(crop, cv2.COLOR_BGR2HSV)
    hue, sat, val = hsv[..., 0], hsv[..., 1], hsv[..., 2]
    # ballpoint blue is light and thin on a scan: a blue hue a little darker than the paper is enough
    blue = (hue >= 95) & (hue <= 135) & (sat >= 45) & (val <= 240) & (grey < background - 20)
    red = ((hue <= 10) | (hue >= 160)) & (sat >= 60)
    return ((dark | blue) & ~red).astype(np.uint8)


def _remove_ruled_lines(mask: np.ndarray, line_height: int) -> np.ndarray:
    """Drop long horizontal and vertical runs (underlines, table borders), bridging the gaps a photo leaves in them."""
    height, width = mask.shape
    out = mask.copy()
    if width >= 20:
        bridged = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, np.ones((3, 9), np.uint8))
        length = max(min(width // 3, 3 * line_height), 15)
        # a thin line a few degrees off the horizontal (a phone photo's underline: 7 px of drift over 150,
        # broken into flat pieces that counted as a signature, fresh seed 9576) is found turned level
        horizontal = np.zeros_like(mask)
        for angle in RULE_ANGLES:
            horizontal |= _turned_back(_horizontal_runs(_turned(bridged, angle), length, line_height), -angle)
        out[cv2.dilate(horizontal, np.ones((3, 1), np.uint8)) > 0] = 0
    if height >= 20:
        # a table border across the box, or the sides of a box drawn for the signature (an empty 医生签名：[    ]
        # whose two sides, 1.7 line heights tall, counted as strokes: alternative templates seed 7106, an unsafe
        # pass); a pen's stroke is neither that straight nor that long
        length = min(max(int(height * 0.8), 15), max(15, round(DRAWN_SIDE_HEIGHTS * line_height)))
        kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (1, length))
        vertical = cv2.morphologyEx(mask, cv2.MORPH_OPEN, kernel)
        out[cv2.dilate(vertical, np.ones((1, 3), np.uint8)) > 0] = 0
    return out


DRAWN_SIDE_HEIGHTS = 1.5  # a straight vertical run this many line heights long is printed
RULE_ANGLES = (0.0, -1.5, 1.5, -3.0, 3.0, -4.5, 4.5)  # degrees: what a sheet-corrected photo leaves of a rule's tilt


def _horizontal_runs(mask: np.ndarray, length: int, line_height: int) -> np.ndarray:
    """The thin horizontal runs of ``mask`` at least ``length`` long (a thick one is a blot of ink, kept)."""
    runs = cv2.morphologyEx(mask, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (length, 1)))
    thick = max(3, line_height // 4)
    blots = cv2.morphologyEx(mask, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (length, thick)))
    runs[cv2.dilate(blots, np.ones((3, 3), np.uint8)) > 0] = 0
    return runs


def _turned(mask: np.ndarray, angle: float) -> np.ndarray:
    if angle == 0.0:
        return mask
    height, width = mask.shape
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), angle, 1.0)
    return cv2.warpAffine(mask, matrix, (width, height), flags=cv2.INTER_NEAREST, borderValue=0)


def _turned_back(mask: np.ndarray, angle: float) -> np.ndarray:
    # thicken before turning back, so rounding does not leave the rule's edge pixels behind
    return _turned(cv2.dilate(mask, np.ones((3, 3), np.uint8)) if angle else mask, angle)


@dataclass(frozen=True)
class Ink:
    """Handwriting-like ink found in a signature box."""

    ratio: float  # share of the box
    strokes: int  # components at least MIN_COMPONENT_HEIGHT of a character tall
    chars: float  # ink pixels in units of one character cell (line height squared)


def measure_ink(image_bgr: np.ndarray, page: OcrPage, field: SignatureField) -> Ink:
    """Handwriting-like ink in a signature box, printed matter and seal red removed."""
    x, y, w, h = field.box
    img_h, img_w = image_bgr.shape[:2]
    x0, y0 = max(0, x), max(0, y)
    x1, y1 = min(img_w, x + w), min(img_h, y + h)
    if x1 - x0 < 4 or y1 - y0 < 4:
        return Ink(0.0, 0, 0.0)
    crop = image_bgr[y0:y1, x0:x1]
    mask = _ink_mask(crop, field.line_height)
    # printed labels recognised inside the box (日期, （签字）, 年 月 日) are not a signature
    char_width = _cjk_char_width(page)
    for line in page.lines:
        label = _PHYSICIAN_LABEL.search(line.text)
        if label is not None:
            _, ly, _, lh = line.bbox
            lx, label_x1 = _label_extent(line, label, char_width)  # the label only, not a signature read into its line
            lw = label_x1 - lx
        elif (_PRINTED_FIELD.search(line.text) and line.confidence >= 0.8) or find_dates(line.text):
            lx, ly, lw, lh = line.bbox  # a printed label, or the date written beside the signature
        else:
            continue
        ax0, ay0 = max(lx - x0, 0), max(ly - y0, 0)
        ax1, ay1 = min(lx + lw - x0, x1 - x0), min(ly + lh - y0, y1 - y0)
        if ax1 > ax0 and ay1 > ay0:
            mask[ay0:ay1, ax0:ax1] = 0
    mask = _remove_ruled_lines(mask, field.line_height)
    mask = cv2.morphologyEx(mask, cv2.MORPH_OPEN, np.ones((2, 2), np.uint8))
    count, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    min_height = MIN_COMPONENT_HEIGHT * field.line_height
    min_area = MIN_COMPONENT_AREA * field.line_height
    strokes = 0
    ink = 0
    for index in range(1, count):
        _, _, cw, ch, area = stats[index]
        if area < min_area:
            continue  # speckle, JPEG noise
        if ch < 0.25 * field.line_height and cw > 1.5 * field.line_height:
            continue  # what is left of a ruled line: long and flat, unlike a pen stroke
        ink += int(area)
        if max(ch, cw) >= min_height:
            strokes += 1
    return Ink(ink / float((x1 - x0) * (y1 - y0)), strokes, ink / float(max(field.line_height, 1) ** 2))


_NAME_LIKE = re.compile(r"^[\u4e00-\u9fff·]{2,4}$")
# A line of its own in the box is handwriting the recogniser reads unsurely (常坐 at 0.69 for a faint
# grey 常华 in a phone's shadow, seed 9529, which the ink measure missed: a false SIGNATURE_MISSING).
# Over 158 application forms of seeds 9526-9533, signed boxes held names read at 0.51-1.0; the 7
# unsigned ones held nothing name-like but printed words read at 1.0 (年月日, 病情属实).
# The same holds for a name read after the label on its line, at its own characters' confidence: over
# 366 application forms of 24 corpora (seeds 9529-9555), the 13 unsigned ones read nothing after the
# label; two signed ones read 投林立 (0.72) and 萧立振 (0.88) after a misread label, their lines below 0.9.
BOX_NAME_CONFIDENCE = 0.65
BOX_NAME_WITH_INK = 0.5  # a name read this surely counts where the box holds ink enough for a signature
# The opinion box's printed words, which a blurred photo may read unsurely, are not a name.
_OPINION_WORDS = re.compile(r"属实|同意|申请|审批|情况|病情|诊断|意见|病种|签字|签名")
SEAL_RED_SHARE = 0.3


def _name_read_in(image_bgr: np.ndarray, page: OcrPage, field: SignatureField,
                  least_confidence: float = BOX_NAME_CONFIDENCE) -> bool:
    """The OCR read a name (2-4 characters, confidently, not a printed label or seal text) in the box,
    as its own line or after the label on the label's line (医师签章：金强, fresh seed 9514: faint blue
    strokes the ink measure missed).
    """
    # read after the label, as on a line of its own: the name's own characters' confidence counts
    readings = [(field.read_after, field.read_after_confidence, field.read_after_box, least_confidence)
                ] if field.read_after_box else []
    x, y, w, h = field.box
    for line in page.lines:
        lx, ly, lw, lh = line.bbox
        inside_x = min(lx + lw, x + w) - max(lx, x)
        inside_y = min(ly + lh, y + h) - max(ly, y)
        if inside_x >= 0.8 * lw and inside_y >= 0.5 * lh:
            # the label's colon may be read into the name's box (：曾庆宏, fresh seed 9607)
            text = re.sub(r"\s", "", line.text).lstrip(":：.。,，、")
            readings.append((text, line.confidence, tuple(line.bbox), least_confidence))
    return any(_a_written_name(image_bgr, *reading) for reading in readings)


def _a_written_name(image_bgr: np.ndarray, text: str, confidence: float, bbox: Sequence[int],
                    least_confidence: float) -> bool:
    """A name read well enough that is no printed label or opinion word, nor seal text (told by its colour: mostly red)."""
    if confidence < least_confidence or not _NAME_LIKE.match(text) or _PRINTED_FIELD.search(text) \
            or _OPINION_WORDS.search(text):
        return False
    bx, by, bw, bh = bbox
    crop = image_bgr[max(0, by):by + bh, max(0, bx):bx + bw]
    return bool(crop.size) and _red_share(crop) < SEAL_RED_SHARE


def _red_share(crop: np.ndarray) -> float:
    """Share of the ink (pixels clearly darker than the crop's paper) that is red."""
    grey = cv2.cvtColor(crop, cv2.COLOR_BGR2GRAY)
    ink = grey < 0.8 * float(np.percentile(grey, 90))
    if not ink.any():
        return 0.0
    hsv = cv2.cvtColor(crop, cv2.COLOR_BGR2HSV)
    red = ((hsv[..., 0] <= 10) | (hsv[..., 0] >= 165)) & (hsv[..., 1] >= 70)
    return float((red & ink).sum()) / float(ink.sum())


# A physician's personal seal (名章): a small, square, red-inked stamp (a frame or a solid block), larger than the print
# around it, standing alone inside the signature box. A hospital's round seal crossing the box runs out
# of the box or, for its star or text inside, has the rest of the seal around it.
NAME_SEAL_SIZE = (1.3, 4.5)  # its side, in label line heights
NAME_SEAL_ASPECT = (0.6, 1.7)
NAME_SEAL_FILL = 0.15  # share of its square that is red ink
NAME_SEAL_SATURATION = 45  # a phone photo washes a seal's red out (saturation 45-60)
NAME_SEAL_ALONE = 0.1  # red ink around it, within its own size, at most this share of its own
NAME_SEAL_MARGIN = 0.3  # of its side: its own broken edges lie this close


def _red_mask(image_bgr: np.ndarray) -> np.ndarray:
    hsv = cv2.cvtColor(image_bgr, cv2.COLOR_BGR2HSV)
    return (((hsv[..., 0] <= 10) | (hsv[..., 0] >= 160)) & (hsv[..., 1] >= NAME_SEAL_SATURATION)).astype(np.uint8)


NAME_SEAL_CORNER = 0.15  # share of its side: the corner patches looked at
NAME_SEAL_CORNER_INK = 0.2  # share of a corner patch inked for the corner to count
NAME_SEAL_CORNERS = 2  # corners of four inked: square (a frame, faint or tilted, or a solid block), not round (0)


def _square_cornered(mask: np.ndarray) -> bool:
    """Whether a stamp's ink reaches into the corners of its bounding box: a square name seal does, its
    frame or its solid block; a round hospital seal, which may fit whole in a tall signature box, does not."""
    height, width = mask.shape
    size_y, size_x = max(2, round(NAME_SEAL_CORNER * height)), max(2, round(NAME_SEAL_CORNER * width))
    corners = (mask[:size_y, :size_x], mask[:size_y, -size_x:], mask[-size_y:, :size_x], mask[-size_y:, -size_x:])
    return sum(float(corner.mean()) >= NAME_SEAL_CORNER_INK for corner in corners) >= NAME_SEAL_CORNERS


def _name_seal_in(image_bgr: np.ndarray, field: SignatureField) -> bool:
    """Whether a physician's name seal is stamped inside the signature box (the signature by stamp a
    form's 医师签名（盖章） allows; it was read as an empty box: alternative templates, seed 7002)."""
    x, y, w, h = field.box
    line_height = max(field.line_height, 1)
    pad = 2 * line_height  # a seal stamped on the line stands above and below the box's text row
    img_h, img_w = image_bgr.shape[:2]
    y0, y1 = max(0, y - pad), min(img_h, y + h + pad)
    # and may overlap the label's end, stamped hard against it (苏德宇印 over the colon of 经治医师签字：, a
    # false SIGNATURE_MISSING on two phone photos of alternative templates seed 7011)
    x0, x1 = max(0, x - pad), min(img_w, x + w)
    if x1 - x0 < 4 or y1 - y0 < 4:
        return False
    # closed over half a line height: glare washing a seal's frame out leaves it in pieces a few pixels apart
    kernel = np.ones((max(3, line_height // 2 | 1),) * 2, np.uint8)
    red = cv2.morphologyEx(_red_mask(image_bgr[y0:y1, x0:x1]), cv2.MORPH_CLOSE, kernel)
    count, _, stats, _ = cv2.connectedComponentsWithStats(red, connectivity=8)
    for index in range(1, count):
        cx, cy, cw, ch, area = (int(v) for v in stats[index])
        if cx <= 0 or cy <= 0 or cx + cw >= x1 - x0 or cy + ch >= y1 - y0:
            continue  # runs out of the box: a hospital seal crossing it
        side = max(cw, ch) / line_height
        if not (NAME_SEAL_SIZE[0] <= side <= NAME_SEAL_SIZE[1] and NAME_SEAL_ASPECT[0] <= cw / max(ch, 1) <= NAME_SEAL_ASPECT[1]
                and area >= NAME_SEAL_FILL * cw * ch and _square_cornered(red[cy:cy + ch, cx:cx + cw])):
            continue
        # alone: no more red around it on the page (a hospital seal's ring and text around its star), its
        # own broken edges just beside it aside
        gx, gy, margin = x0 + cx, y0 + cy, int(NAME_SEAL_MARGIN * max(cw, ch))
        wx0, wy0 = max(0, gx - cw), max(0, gy - ch)
        wx1, wy1 = min(img_w, gx + 2 * cw), min(img_h, gy + 2 * ch)
        around = _red_mask(image_bgr[wy0:wy1, wx0:wx1])
        around[max(0, gy - wy0 - margin):gy - wy0 + ch + margin, max(0, gx - wx0 - margin):gx - wx0 + cw + margin] = 0
        if int(around.sum()) <= NAME_SEAL_ALONE * area:
            return True
    return False


def detect_physician_signature(image_bgr: np.ndarray, page: OcrPage, labels_misread: bool = False) -> SignatureResult:
    """Whether the physician-signature field on this page is filled.

    Args:
        image_bgr: The upright page image (BGR uint8), in the pixels ``page`` was read in.
        page: The page's OCR lines.
        labels_misread: Its labels count as found only misread (see :func:`find_signature_fields`).

    Returns:
        ``present`` None when no physician-signature label is on the page, or when its label was
        only found misread and the box looks empty (evidence value "unclear"); otherwise True when
        handwriting-like ink fills the box beside the label (any labelled field suffices), when a
        physician's name seal is stamped in it, or when the OCR read a name there with confidence
        (faint strokes the ink measure missed).
    """
    fields = find_signature_fields(page, labels_misread)
    if not fields:
        return SignatureResult(None, None)
    best: tuple[Ink, SignatureField] | None = None
    for field in fields:
        ink = measure_ink(image_bgr, page, field)
        if best is None or (ink.strokes > 0, ink.chars) > (best[0].strokes > 0, best[0].chars):
            best = (ink, field)
    assert best is not None
    ink, field = best
    present = ink.strokes >= 1 and ink.chars >= MIN_INK_CHARS and ink.ratio >= MIN_INK_RATIO
    if not present:
        stamped = next((f for f in fields if _name_seal_in(image_bgr, f)), None)
        if stamped is not None:  # the physician's own seal (名章) on the line: signed by stamp (签字或盖章)
            evidence = Evidence(stage="extract", page=page.page, bbox=stamped.box, text=stamped.label,
                                value="signed", confidence=0.8)
            return SignatureResult(True, evidence, round(ink.ratio, 4))
        written = next((f for f in fields if _name_read_in(image_bgr, page, f)), None)
        if written is None and ink.chars >= MIN_INK_CHARS and ink.ratio >= MIN_INK_RATIO:
            # ink enough for a signature, broken into specks too small for strokes, and a name read there less
            # surely: two weak signs that agree (薛明光 at 0.59 over a faint blue pen, fresh seed 9609)
            written = field if _name_read_in(image_bgr, page, field, BOX_NAME_WITH_INK) else None
        if written is not None:  # faint strokes the ink measure broke up, yet read as a name
            evidence = Evidence(stage="extract", page=page.page, bbox=written.box, text=written.label,
                                value="signed", confidence=0.8)
            return SignatureResult(True, evidence, round(ink.ratio, 4))
        if all(f.misread for f in fields):
            # the label itself was misread: too blurred to call the box empty
            evidence = Evidence(stage="extract", page=page.page, bbox=field.box, text=field.label,
                                value="unclear", confidence=0.5)
            return SignatureResult(None, evidence, round(ink.ratio, 4))
    # confidence grows with the distance from the threshold, in either direction
    confidence = min(1.0, 0.5 + abs(ink.chars - MIN_INK_CHARS) / (2 * MIN_INK_CHARS))
    evidence = Evidence(stage="extract", page=page.page, bbox=field.box, text=field.label,
                        value="signed" if present else "empty", confidence=round(confidence, 3))
    return SignatureResult(present, evidence, round(ink.ratio, 4))
