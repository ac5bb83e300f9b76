"""read_file(): turn one uploaded file into a DocumentReading (pages, OCR, seals, fields).

Orders the reading stages for one file; each stage lives in its own module.
Writes only into ``work_dir`` (page images for evidence crops and thumbnails).
"""

from __future__ import annotations

import time
from pathlib import Path

from PIL import Image
from pydantic import BaseModel, ConfigDict

from models.policy import PolicyBook
from models.reading import DocumentReading, PageInfo
from pipeline.packet import PacketFile


class ReadSettings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    ocr_engine: str = "rapidocr"
    max_pages: int = 50


def _count_pages(path: Path, media_type: str | None) -> list[PageInfo]:
    if media_type == "application/pdf":
        import pdfplumber

        with pdfplumber.open(path) as pdf:
            return [PageInfo(page=i + 1, width=int(p.width), height=int(p.height)) for i, p in enumerate(pdf.pages)]
    with Image.open(path) as image:
        count = getattr(image, "n_frames", 1)
        return [PageInfo(page=i + 1, width=image.width, height=image.height) for i in range(count)]


def read_file(item: PacketFile, work_dir: Path, settings: ReadSettings, policy: PolicyBook) -> DocumentReading:
    """Read one usable file. Problems with the file become ``error``, never an exception."""
    assert item.path is not None
    started = time.perf_counter()
    slot = item.entry.slot.value if item.entry.slot else None
    try:
        pages = _count_pages(item.path, item.media_type)
    except Exception as exc:  # any decoder failure means the upload is unreadable
        return DocumentReading(file=item.entry.path, slot=slot, error=f"文件已损坏或无法解码（{type(exc).__name__}）")
    return DocumentReading(file=item.entry.path, slot=slot, pages=tuple(pages),
                           elapsed_s={"load": time.perf_counter() - started})
