"""Build verdicts for store, report and analytics tests (the pipeline's output, as those modules receive it).

``make_verdict`` gives one verdict with documents, seals and findings; ``verdict_population`` gives a
seeded mix over regions, diseases, hospitals, weeks and finding codes, for statistics tests that
compare the database queries with a direct count over the same verdicts.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw

from models.codes import FindingCode, Severity
from models.document import DocumentRecord, Seal
from models.evidence import Evidence
from models.finding import Finding
from models.verdict import Deadlines, Verdict

HOSPITALS = {
    "linfen": ["临汾市尧都中心医院", "临汾市汾西人民医院", "临汾康宁医院"],
    "fangchenggang": ["防城港市北部湾中心医院", "防城港市港口区人民医院"],
}
DISEASES = [("HBP", "高血压(Ⅲ级)"), ("DM", "糖尿病(合并并发症)"), ("CA", "恶性肿瘤门诊治疗")]
SLOT_FILES = {
    "id_card": "id_card.jpg",
    "diagnosis_certificate": "diagnosis.jpg",
    "exam_report": "ct_report.pdf",
    "application_form": "form.jpg",
}
MESSAGES = {
    FindingCode.SEAL_MISSING: "诊断证明书未见医院公章",
    FindingCode.REPORT_EXPIRED: "检查报告日期超过12个月",
    FindingCode.MATERIAL_MISSING: "缺少申请表",
    FindingCode.STAGE_NOT_MET: "诊断未写明高血压3级",
    FindingCode.HOSPITAL_UNKNOWN: "无法识别出具医院",
    FindingCode.DUPLICATE_FILE: "同一文件重复上传",
    FindingCode.SIGNATURE_MISSING: "申请表医师签字栏为空",
}
CODE_SLOT = {
    FindingCode.SEAL_MISSING: "diagnosis_certificate",
    FindingCode.REPORT_EXPIRED: "exam_report",
    FindingCode.MATERIAL_MISSING: "application_form",
    FindingCode.STAGE_NOT_MET: "diagnosis_certificate",
    FindingCode.HOSPITAL_UNKNOWN: "exam_report",
    FindingCode.DUPLICATE_FILE: "exam_report",
    FindingCode.SIGNATURE_MISSING: "application_form",
}


def finding(code: FindingCode, slot: str | None = None, *, bbox: list[int] | None = None, text: str | None = None,
            crop: str | None = None, message: str | None = None) -> Finding:
    slot = slot if slot is not None else CODE_SLOT.get(code)
    evidence = Evidence(page=1, bbox=bbox, text=text, crop=crop, pages_searched=[1], stage="check")
    return Finding(code=code, slot=slot, file=SLOT_FILES.get(slot or ""), message=message or MESSAGES.get(code, code.value),
                   evidence=evidence)


def documents(hospital: str | None, *, seal: bool = True, issue: date | None = None,
              page_images: dict[str, list[str]] | None = None, seal_crop: str | None = None) -> list[DocumentRecord]:
    page_images = page_images or {}
    records = []
    for slot, file in SLOT_FILES.items():
        seals = []
        if seal and slot in ("diagnosis_certificate", "exam_report"):
            seals = [Seal(page=1, bbox=[400, 600, 180, 180], score=0.93, shape="round", text=hospital, hospital=hospital,
                          crop=seal_crop if slot == "exam_report" else None)]
        records.append(DocumentRecord(
            file=file, slot=slot, detected_type=slot, media_type="image/jpeg", pages=1, seals=seals,
            issue_date=issue if slot != "id_card" else None,
            hospital=hospital if slot in ("diagnosis_certificate", "exam_report") else None,
            person_name="张建国", id_number="141002********0017", ocr_confidence=0.9,
            diagnosis="原发性高血压3级" if slot == "diagnosis_certificate" else None,
            page_images=page_images.get(file, []),
        ))
    return records


def make_verdict(application_id: str = "LF-T-0001", *, findings: list[Finding] | None = None, region: str = "linfen",
                 disease: tuple[str, str] = DISEASES[0], hospital: str | None = "临汾市尧都中心医院",
                 submitted_on: date = date(2025, 6, 3), fingerprint: str = "f" * 64,
                 **document_options: Any) -> Verdict:
    """One verdict as the pipeline writes it (status derives from the findings)."""
    return Verdict(
        application_id=application_id, findings=findings or [],
        documents=documents(hospital, issue=submitted_on - timedelta(days=40), **document_options),
        deadlines=Deadlines(pre_review_due=submitted_on + timedelta(days=1), resubmit_by=submitted_on + timedelta(days=3)),
        policy=region, region=region, kind="new", disease=disease[1], disease_code=disease[0],
        submitted_on=submitted_on, packet_folder=application_id, packet_fingerprint=fingerprint,
        catalog_version="2025.1", pipeline_version="0.1.0", generated_at=datetime(2025, 6, 3, 8, tzinfo=UTC),
        elapsed_s=1.5,
    )


def verdict_population(seed: int, count: int) -> list[Verdict]:
    """A seeded mix of verdicts over two regions, three diseases, several hospitals and ten weeks."""
    rng = random.Random(seed)
    codes = list(CODE_SLOT)
    verdicts = []
    for number in range(count):
        region = rng.choice(sorted(HOSPITALS))
        hospital = rng.choice([*HOSPITALS[region], None])
        chosen = [code for code in codes if rng.random() < 0.18]
        if FindingCode.SEAL_MISSING not in chosen and rng.random() < 0.2:
            chosen.append(FindingCode.SEAL_MISSING)
        found = [finding(code) for code in chosen]
        if rng.random() < 0.1:  # two expired exam reports in one packet still count once per application
            found += [finding(FindingCode.REPORT_EXPIRED)] * 2
        verdicts.append(make_verdict(
            f"{region[:2].upper()}-{seed}-{number:04d}", findings=found, region=region, disease=rng.choice(DISEASES),
            hospital=hospital, submitted_on=date(2025, 3, 3) + timedelta(days=rng.randrange(70)),
            fingerprint=f"{seed:08d}{number:056d}",
        ))
    return verdicts


def is_returned(verdict: Verdict) -> bool:
    return any(f.severity == Severity.RETURN for f in verdict.findings)


def has(verdict: Verdict, code: FindingCode, slot: str | None = None) -> bool:
    return any(f.code == code and (slot is None or f.slot == slot) for f in verdict.findings)



# --- an OUT folder with evidence crops and page thumbnails, as the flow writes it ----------------------------------

def _seal_crop(path: Path, size: int = 200) -> None:
    image = Image.new("RGB", (size, size), "white")
    draw = ImageDraw.Draw(image)
    draw.ellipse((10, 10, size - 10, size - 10), outline=(210, 30, 30), width=8)
    draw.regular_polygon((size // 2, size // 2, size // 6), 5, fill=(210, 30, 30))
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, "JPEG", quality=85)


def _blank_crop(path: Path) -> None:
    image = Image.new("RGB", (360, 200), (250, 250, 250))
    ImageDraw.Draw(image).rectangle((20, 20, 340, 180), outline=(180, 180, 180), width=2)
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, "JPEG", quality=85)


def _thumbnail(path: Path, lines: int) -> None:
    image = Image.new("RGB", (170, 240), "white")
    draw = ImageDraw.Draw(image)
    for number in range(lines):
        draw.line((15, 30 + 18 * number, 150, 30 + 18 * number), fill=(60, 60, 60), width=3)
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, "PNG")


def write_evidence_packet(out_root: Path, application_id: str = "LF-R-0001") -> tuple[Verdict, Path]:
    """A returned packet's OUT folder: verdict with a seal-missing crop, a date crop, seal crops, thumbnails.

    Returns:
        The verdict and the packet's OUT folder (images written, verdict.json not written).
    """
    packet_out = out_root / application_id
    _blank_crop(packet_out / "evidence" / "f01_seal_missing.jpg")
    _blank_crop(packet_out / "evidence" / "f02_report_expired.jpg")
    _seal_crop(packet_out / "evidence" / "d03_seal1.jpg")
    page_images: dict[str, list[str]] = {}
    for number, file in enumerate(SLOT_FILES.values(), start=1):
        rel = f"pages/d{number:02d}_p001.png"
        _thumbnail(packet_out / rel, lines=4 + number)
        page_images[file] = [rel]
    findings = [
        finding(FindingCode.SEAL_MISSING, bbox=[380, 560, 240, 200], crop="evidence/f01_seal_missing.jpg"),
        finding(FindingCode.REPORT_EXPIRED, bbox=[60, 900, 400, 40], crop="evidence/f02_report_expired.jpg",
                text="报告日期：2023年05月01日", message="检查报告日期2023-05-01，已超过12个月"),
        finding(FindingCode.HOSPITAL_UNKNOWN, message="检查报告的出具医院<无法识别>，需人工确认"),
        finding(FindingCode.DUPLICATE_FILE),
    ]
    verdict = make_verdict(application_id, findings=findings, page_images=page_images,
                           seal_crop="evidence/d03_seal1.jpg")
    diagnosis = verdict.documents[1].model_copy(update={"seals": []})  # the unstamped certificate
    documents = [verdict.documents[0], diagnosis, *verdict.documents[2:]]
    return verdict.model_copy(update={"documents": documents}), packet_out


def expected_image_count(verdict: Verdict) -> int:
    crops = sum(1 for f in verdict.findings if f.evidence and f.evidence.crop)
    seal_crops = sum(1 for d in verdict.documents for s in d.seals if s.crop)
    thumbnails = sum(len(d.page_images) for d in verdict.documents)
    return crops + seal_crops + thumbnails
