"""How alike two Chinese characters look, and whether a name read by OCR is a misreading of another.

OCR confuses characters that look alike (侯/候, 阎/阁, 雷/雪, 宇/字): the strokes differ by a
dot or a radical. Comparing the characters' rendered shapes tells such a misreading apart
from a different name (张/王), without a hand-made table of confusions. Shapes come from the
system's Noto CJK font; without it every two different characters count as unlike.
"""

from __future__ import annotations

from collections.abc import Collection
from functools import lru_cache
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

FONT_FILES = (
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
    Path("/usr/share/fonts/truetype/noto/NotoSansCJK-Regular.ttc"),
)
GLYPH_PX = 48
_CANVAS = 64
_INK = 100
# Share of each glyph's ink lying within one pixel of the other's. Misreadings seen on phone
# photos score 0.80-0.97 (傅/俏 0.80, 侯/候 0.87, 雷/雪 0.96); unrelated characters mostly
# 0.5-0.7 (张/王 0.60, 明/平 0.50).
ALIKE = 0.8
# A looser bar for the one character a name may misread beyond look-alikes when the
# document's own ID number already names the person (车/军 0.65); clearly unlike pairs
# (明/平 0.50, 国/军 0.52, 伟/军 0.49) stay below it.
LOOSELY_ALIKE = 0.6
# The bar for characters the OCR itself doubted (:func:`unsure_misread_of`). Of 1,500 random pairs
# of common name characters 11 % reach 0.7 (44 % reach 0.6: 张/王 0.60); misreads seen on fresh
# seeds: 乔/养 0.72, 吕/昌 0.78, 郝/部 0.79, 翠/罩 0.82.
UNSURE_ALIKE = 0.7
# What PP-OCR writes for a glyph it cannot read (钟#秀 for 钟梅秀, the # at 0.21; 主治连师（#字）)
UNREAD_GLYPH = "#"


def simplified_chinese_face(path: Path, size: int) -> ImageFont.FreeTypeFont | None:
    """The simplified Chinese face of a Noto CJK collection (a .ttc holds JP/KR/SC/TC faces)."""
    if not path.exists():
        return None
    for index in range(8):
        try:
            font = ImageFont.truetype(str(path), size, index=index)
        except OSError:
            break
        if font.getname()[0].endswith(" SC"):
            return font
    return None


@lru_cache(maxsize=1)
def _font() -> ImageFont.FreeTypeFont | None:
    return next((f for f in (simplified_chinese_face(p, GLYPH_PX) for p in FONT_FILES) if f is not None), None)


@lru_cache(maxsize=4096)
def _glyph(char: str) -> np.ndarray | None:
    font = _font()
    if font is None:
        return None
    image = Image.new("L", (_CANVAS, _CANVAS), 0)
    ImageDraw.Draw(image).text(((_CANVAS - GLYPH_PX) // 2, 0), char, font=font, fill=255)
    return np.asarray(image) > _INK


# Below this likeness a misread character costs a whole edit in a weighted match.
LOOKALIKE_FLOOR = 0.7


@lru_cache(maxsize=65536)
def lookalike_substitution_cost(a: str, b: str) -> float:
    """Edit cost of reading ``a`` as ``b``: 1 minus their likeness for look-alikes (类/美 0.19,
    湿/温 0.06), a whole edit for unlike characters."""
    similarity = glyph_similarity(a, b)
    return 1.0 - similarity if similarity >= LOOKALIKE_FLOOR else 1.0


def glyph_similarity(a: str, b: str) -> float:
    """1.0 for the same character; else the smaller share of either glyph's ink the other covers (±1 px).

    Returns 0.0 when a glyph cannot be drawn (no font, empty glyph).
    """
    if a == b:
        return 1.0
    ga, gb = _glyph(a), _glyph(b)
    if ga is None or gb is None or not ga.any() or not gb.any():
        return 0.0
    kernel = np.ones((3, 3), np.uint8)
    grown_a = cv2.dilate(ga.astype(np.uint8), kernel) > 0
    grown_b = cv2.dilate(gb.astype(np.uint8), kernel) > 0
    return float(min((ga & grown_b).sum() / ga.sum(), (gb & grown_a).sum() / gb.sum()))


def misread_of(read: str, wanted: str) -> bool:
    """True when ``read`` is ``wanted`` as OCR could have misread it.

    Either characters read as look-alikes (``候生`` for ``侯生``; ``雪桂风`` for ``雷桂凤``, every
    differing character alike and at least one read exactly), or one character lost from a name
    of three or more (``万梅`` for ``万梅晓``). An unlike character (``张伟`` for ``王伟``), or no
    character read exactly, makes another name.
    """
    if read == wanted:
        return True
    if len(read) == len(wanted) >= 2:
        differing = [(a, b) for a, b in zip(read, wanted, strict=True) if a != b]
        return len(differing) < len(wanted) and all(glyph_similarity(a, b) >= ALIKE for a, b in differing)
    if len(read) == len(wanted) - 1 >= 2:
        return any(wanted[:i] + wanted[i + 1:] == read for i in range(len(wanted)))
    return False


def unsure_misread_of(read: str, wanted: str, unsure: Collection[int], *, sure_exact_needed: bool = True) -> bool:
    """True when ``read`` differs from ``wanted`` only in characters the OCR itself doubted.

    Every differing character was read unsurely (its position is in ``unsure``) and is fairly
    alike (:data:`UNSURE_ALIKE`: 部敏罩 for 郝敏翠, 部 read at 0.32 and 罩 at 0.62; 养胜 for 乔胜,
    养 at 0.72), and at least one character was read surely and exactly. Another person's name
    differs in characters read as surely as the rest, or unlike ones.

    ``sure_exact_needed`` False: one exact character suffices however unsurely read, for a document
    whose ID number independently names the person (孙位件 for 孙俊伟, every character below 0.9).
    """
    if len(read) != len(wanted) or len(wanted) < 2:
        return False
    differing = [i for i, (a, b) in enumerate(zip(read, wanted, strict=True)) if a != b]
    sure_same = [i for i, (a, b) in enumerate(zip(read, wanted, strict=True))
                 if a == b and (i not in unsure or not sure_exact_needed)]
    if UNREAD_GLYPH in read:
        # one glyph left unread, in a name of three or more, every other character read exactly
        return len(wanted) >= 3 and len(differing) == 1 and read[differing[0]] == UNREAD_GLYPH \
            and differing[0] in unsure and bool(sure_same)
    return bool(differing) and bool(sure_same) and all(
        i in unsure and glyph_similarity(read[i], wanted[i]) >= UNSURE_ALIKE for i in differing)


def near_misread_of(read: str, wanted: str) -> bool:
    """True when ``read`` shares all but one character of ``wanted`` and that one is loosely alike.

    For names of three or more characters: every position but one is read exactly or as a
    look-alike, at least one exactly, and the remaining pair scores at least
    :data:`LOOSELY_ALIKE` (``博胜车`` for ``傅胜军``). Weaker evidence than :func:`misread_of`;
    only for a document whose ID number independently names the person.
    """
    if misread_of(read, wanted):
        return True
    if len(read) != len(wanted) or len(wanted) < 3:
        return False
    pairs = list(zip(read, wanted, strict=True))
    if not any(a == b for a, b in pairs):
        return False
    unlike = [(a, b) for a, b in pairs if glyph_similarity(a, b) < ALIKE]
    return len(unlike) == 1 and glyph_similarity(*unlike[0]) >= LOOSELY_ALIKE
