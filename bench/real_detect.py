"""Detect functions for `make eval-real`: the full reading stage, and the plain red-mask baseline.

Each takes one image path and returns ``{"seals": [...], "issue_date": "YYYY-MM-DD" | None}``,
the shape ``bench.eval_real.score_real`` expects. The real images are only read, never copied.
"""

from __future__ import annotations

import tempfile
from functools import lru_cache
from pathlib import Path

from models.manifest import FileEntry
from models.policy import PolicyBook
from pipeline.packet import PacketFile
from pipeline.pages import load_document
from pipeline.policy import load_policy
from pipeline.reading import ReadSettings, read_file
from pipeline.seal_baseline import detect_seals_baseline


@lru_cache(maxsize=1)
def _policy() -> PolicyBook:
    return load_policy()


def detect_pipeline(path: Path) -> dict:
    """Seals and the report date as the pre-check reads them: its own reading of a file (geometry, OCR once,
    seals, fields, the second look for a date), with no slot given, since the real images come from no packet."""
    item = PacketFile(entry=FileEntry(path=path.name), index=0, path=path)
    with tempfile.TemporaryDirectory() as work:
        reading = read_file(item, Path(work), ReadSettings(keep_page_images=False), _policy())
    if reading.error is not None:
        raise RuntimeError(reading.error)
    fields = reading.fields
    issued = fields.issue_date if fields else None
    return {"seals": [s.model_dump() for s in reading.seals],
            "issue_date": issued.value.isoformat() if issued else None}


def detect_baseline(path: Path) -> dict:
    """The plain red-mask-and-contour baseline (no date reading)."""
    document = load_document(path)
    seals = [s for page in document.pages for s in detect_seals_baseline(page.image, page.index)]
    return {"seals": [s.model_dump() if hasattr(s, "model_dump") else s for s in seals], "issue_date": None}
