"""Font discovery for rendering: CJK faces for raster pages and their PDF (TrueType) stand-ins.

Noto CJK ships CFF outlines, which reportlab cannot embed, so every face names a
TrueType fallback (WenQuanYi Zen Hei, AR PL UMing / UKai) used in text-layer PDFs.
Faces that are not installed are skipped; only Noto CJK is required.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PIL import ImageFont

_NOTO = Path("/usr/share/fonts/opentype/noto")
_WQY = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")
_UKAI = Path("/usr/share/fonts/truetype/arphic/ukai.ttc")
_UMING = Path("/usr/share/fonts/truetype/arphic/uming.ttc")

# Index of the Simplified Chinese face inside each Noto CJK collection (SC comes third: JP, KR, SC, TC, HK).
_NOTO_SC_INDEX = 2


@dataclass(frozen=True)
class Face:
    """One font face: where Pillow finds it and which embeddable face stands in for it in PDFs."""

    key: str
    path: Path
    index: int
    style: str  # "sans", "serif", "kai" (handwriting-like) or "mono"
    pdf_key: str


_CANDIDATES: tuple[Face, ...] = (
    Face("sans", _NOTO / "NotoSansCJK-Regular.ttc", _NOTO_SC_INDEX, "sans", "wqy"),
    Face("sans_bold", _NOTO / "NotoSansCJK-Bold.ttc", _NOTO_SC_INDEX, "sans", "wqy"),
    Face("serif", _NOTO / "NotoSerifCJK-Regular.ttc", _NOTO_SC_INDEX, "serif", "uming"),
    Face("serif_bold", _NOTO / "NotoSerifCJK-Bold.ttc", _NOTO_SC_INDEX, "serif", "uming"),
    Face("wqy", _WQY, 0, "sans", "wqy"),
    Face("uming", _UMING, 0, "serif", "uming"),
    Face("kai", _UKAI, 0, "kai", "kai"),
)

# reportlab font name -> (path, subfont index); only TrueType collections can be embedded.
PDF_FACES: dict[str, tuple[Path, int]] = {"wqy": (_WQY, 0), "uming": (_UMING, 0), "kai": (_UKAI, 0)}


@lru_cache(maxsize=1)
def available_faces() -> dict[str, Face]:
    """Installed faces by key. Raises RuntimeError when no CJK face is installed."""
    faces = {f.key: f for f in _CANDIDATES if f.path.exists()}
    if "sans" not in faces:
        raise RuntimeError("Noto Sans CJK not found: install the Debian package fonts-noto-cjk")
    return faces


def face(key: str) -> Face:
    """The face for ``key``, falling back to Noto Sans (or Serif for serif-like keys) when not installed."""
    faces = available_faces()
    if key in faces:
        return faces[key]
    if key in ("kai", "uming") and "serif" in faces:
        return faces["serif"]
    return faces["sans"]


def body_faces() -> list[str]:
    """Keys of the faces a printed document body may use."""
    return [k for k in ("sans", "serif", "wqy", "uming") if k in available_faces()]


@lru_cache(maxsize=512)
def pil_font(key: str, size_px: int) -> ImageFont.FreeTypeFont:
    """A cached Pillow font of ``size_px`` pixels for face ``key``."""
    f = face(key)
    return ImageFont.truetype(str(f.path), size=max(4, size_px), index=f.index)


def text_width_mm(text: str, key: str, size_pt: float) -> float:
    """Advance width of ``text`` in millimetres when set in ``key`` at ``size_pt`` points."""
    ref = pil_font(key, 200)
    return ref.getlength(text) / 200.0 * size_pt * 25.4 / 72.0


_REGISTERED: set[str] = set()


def pdf_font_name(key: str) -> str:
    """Register (once per process) and return the reportlab font standing in for face ``key``."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    wanted = face(key).pdf_key
    candidates = [wanted, "wqy", "uming", "kai"]
    for name in candidates:
        path, index = PDF_FACES[name]
        if not path.exists():
            continue
        if name not in _REGISTERED:
            pdfmetrics.registerFont(TTFont(name, str(path), subfontIndex=index))
            _REGISTERED.add(name)
        return name
    raise RuntimeError("no TrueType CJK font for PDFs: install fonts-wqy-zenhei or fonts-arphic-uming")
