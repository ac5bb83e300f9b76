"""Write a packet's results under OUT: verdict.json, evidence crops, rejection records.

Files are written atomically (temporary file, then rename) so a reader or a crash never
sees half a verdict. Nothing is ever written inside the inbox.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import cv2
import numpy as np

from models.evidence import Evidence
from models.reading import DocumentReading
from models.verdict import PacketRejection, Verdict
from pipeline.idnumbers import redact_id_numbers

CROP_MAX_SIDE = 900


def write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_verdict(verdict: Verdict, packet_out: Path) -> Path:
    """Write ``verdict.json``; any full ID number that slipped into free text is masked on the way out."""
    text = redact_id_numbers(verdict.model_dump_json(indent=2))
    path = packet_out / "verdict.json"
    write_atomic(path, text.encode("utf-8"))
    return path


def write_rejection(rejection: PacketRejection, packet_out: Path) -> Path:
    path = packet_out / "rejection.json"
    write_atomic(path, redact_id_numbers(rejection.model_dump_json(indent=2)).encode("utf-8"))
    return path


def _crop(image: np.ndarray, bbox: list[int], margin: int) -> np.ndarray | None:
    x, y, w, h = bbox
    height, width = image.shape[:2]
    x0, y0 = max(0, x - margin), max(0, y - margin)
    x1, y1 = min(width, x + w + margin), min(height, y + h + margin)
    if x1 <= x0 or y1 <= y0:
        return None
    crop = image[y0:y1, x0:x1]
    scale = CROP_MAX_SIDE / max(crop.shape[:2])
    if scale < 1:
        crop = cv2.resize(crop, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    return crop


def _page_image_path(readings: dict[str, DocumentReading], file: str | None, page: int | None) -> Path | None:
    reading = readings.get(file or "")
    if reading is None or page is None:
        return None
    info = next((p for p in reading.pages if p.page == page), None)
    return Path(info.image_path) if info and info.image_path else None


def _save_crop(image_path: Path, bbox: list[int], target: Path, margin: int) -> bool:
    image = cv2.imread(str(image_path), cv2.IMREAD_COLOR)
    if image is None:
        return False
    crop = _crop(image, bbox, margin)
    if crop is None:
        return False
    ok, encoded = cv2.imencode(".jpg", crop, [cv2.IMWRITE_JPEG_QUALITY, 85])
    if not ok:
        return False
    write_atomic(target, encoded.tobytes())
    return True


def attach_evidence_crops(verdict: Verdict, readings: tuple[DocumentReading, ...], packet_out: Path) -> Verdict:
    """Cut the crop behind each finding (and each seal) from the kept page images.

    Returns:
        The verdict with ``evidence.crop`` / ``seals[].crop`` set to paths relative to ``packet_out``.
    """
    by_file = {r.file: r for r in readings}
    evidence_dir = packet_out / "evidence"
    findings = []
    for number, finding in enumerate(verdict.findings, start=1):
        ev = finding.evidence
        image_path = _page_image_path(by_file, finding.file, ev.page if ev else None)
        if ev is not None and ev.bbox is not None and image_path is not None:
            name = f"f{number:02d}_{finding.code.value.lower()}.jpg"
            if _save_crop(image_path, ev.bbox, evidence_dir / name, margin=20):
                finding = finding.model_copy(update={"evidence": Evidence(**{**ev.model_dump(), "crop": f"evidence/{name}"})})
        findings.append(finding)
    documents = []
    for doc_number, document in enumerate(verdict.documents, start=1):
        seals = []
        for seal_number, seal in enumerate(document.seals, start=1):
            image_path = _page_image_path(by_file, document.file, seal.page)
            name = f"d{doc_number:02d}_seal{seal_number}.jpg"
            if image_path is not None and _save_crop(image_path, seal.bbox, evidence_dir / name, margin=10):
                seal = seal.model_copy(update={"crop": f"evidence/{name}"})
            seals.append(seal)
        documents.append(document.model_copy(update={"seals": seals}))
    return verdict.model_copy(update={"findings": findings, "documents": documents})
