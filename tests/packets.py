"""Build packet folders for tests: a manifest plus small rendered files."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw

from pipeline.idnumbers import check_digit


def valid_id(prefix17: str) -> str:
    return prefix17 + check_digit(prefix17)


APPLICANT_ID = valid_id("14100219650312001")
AGENT_ID = valid_id("14100219900101002")

BASE_MANIFEST: dict[str, Any] = {
    "application_id": "LF-TEST-0001",
    "region": "linfen",
    "kind": "new",
    "submitted_on": "2025-06-03",
    "applicant": {"name": "张建国", "id_number": APPLICANT_ID, "insurance": "employee", "retired": False,
                  "local_household": True, "resides_offsite": False},
    "disease": "高血压(Ⅲ级)",
    "agent": None,
    "previous_approval": None,
    "files": [
        {"path": "id_card.png", "slot": "id_card"},
        {"path": "diagnosis.png", "slot": "diagnosis_certificate"},
        {"path": "exam.png", "slot": "exam_report"},
        {"path": "form.png", "slot": "application_form"},
    ],
}


def manifest(**changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(BASE_MANIFEST)
    data.update(changes)
    return data


def render_page(path: Path, lines: list[str], seed: int = 0) -> None:
    """A plain white page with a few lines of text (enough to be a real, decodable image)."""
    image = Image.new("RGB", (620, 400 + 40 * len(lines)), "white")
    draw = ImageDraw.Draw(image)
    for number, line in enumerate(lines):
        draw.text((40, 40 + 40 * number), f"{line} #{seed}", fill="black")
    image.save(path)


def write_packet(root: Path, data: dict[str, Any], folder: str | None = None,
                 files: dict[str, bytes] | None = None) -> Path:
    """Write a packet: the manifest and, for each listed path not in ``files``, a rendered page."""
    packet = root / (folder or str(data.get("application_id", "packet")))
    packet.mkdir(parents=True, exist_ok=True)
    (packet / "application.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    files = files or {}
    for number, entry in enumerate(data.get("files") or []):
        if not isinstance(entry, dict) or not isinstance(entry.get("path"), str):
            continue
        target = packet / entry["path"]
        if entry["path"] in files:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(files[entry["path"]])
        elif target.resolve().is_relative_to(packet.resolve()) and not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            render_page(target, [str(entry.get("slot"))], seed=number)
    return packet
