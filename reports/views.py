"""Shape a verdict into what the report template shows (pure apart from reading OUT image files).

Every label is Chinese here so the templates stay plain markup; image paths become ``ImageRef``s via
``reports.images`` (files under the packet's OUT folder only).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from models.codes import Severity
from models.document import DocumentRecord
from models.finding import Finding
from models.verdict import Verdict
from reports.images import ImageRef, image_ref
from reports.labels import (
    DEADLINE_ZH,
    KIND_ZH,
    STATUS_BANNER_ZH,
    code_label,
    crop_caption,
    material_label,
    severity_label,
    status_label,
)

SEVERITY_ORDER = {Severity.RETURN: 0, Severity.MANUAL: 1, Severity.INFO: 2}
HOSPITAL_CODES = {"HOSPITAL_NOT_ELIGIBLE", "HOSPITAL_UNKNOWN", "SEAL_MISSING"}


@dataclass(frozen=True)
class Fact:
    label: str
    value: str


@dataclass(frozen=True)
class Picture:
    image: ImageRef | None
    caption: str
    missing_path: str | None = None  # the verdict names a file that is not under OUT


@dataclass(frozen=True)
class FindingView:
    code: str
    code_label: str
    severity: str
    severity_label: str
    message: str
    material: str | None
    file: str | None
    document_anchor: str | None
    pictures: list[Picture]
    evidence: list[Fact]
    read_facts: list[Fact]


@dataclass(frozen=True)
class DocumentView:
    number: int
    anchor: str
    file: str
    material: str
    detected: str
    type_differs: bool
    pages: int
    readable: bool
    error: str | None
    seals: list[Picture]
    facts: list[Fact]
    fields: list[Fact]
    thumbnails: list[Picture]


@dataclass(frozen=True)
class PacketView:
    application_id: str
    status: str
    status_label: str
    banner: str
    counts: dict[str, int]
    summary: list[Fact]
    findings: list[FindingView]
    documents: list[DocumentView]
    deadlines: list[Fact]
    calendar_note: str | None
    footer: list[Fact] = field(default_factory=list)


def _text(value: object) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "有" if value else "无"
    return str(value)


def _facts(pairs: list[tuple[str, object]]) -> list[Fact]:
    return [Fact(label, text) for label, value in pairs if (text := _text(value)) is not None]


def _picture(packet_out: Path, path: str | None, caption: str, embed: bool) -> Picture | None:
    if not path:
        return None
    image = image_ref(packet_out, path, embed)
    return Picture(image=image, caption=caption, missing_path=None if image else path)


def _document_facts(document: DocumentRecord) -> list[Fact]:
    confidence = f"{document.ocr_confidence:.2f}" if document.ocr_confidence is not None else None
    return _facts([
        ("出具日期", document.issue_date.isoformat() if document.issue_date else None),
        ("医院", document.hospital),
        ("姓名", document.person_name),
        ("证件号码", document.id_number),
        ("诊断", document.diagnosis),
        ("病种代码", document.disease_code),
        ("分期/分型", document.stage),
        ("医师签字", document.signature_present),
        ("识读置信度", confidence),
        ("文字来源", {"text_layer": "PDF 文字层", "ocr": "OCR 识别", "mixed": "文字层 + OCR",
                      "none": "无"}.get(document.text_source or "", document.text_source)),
    ])


def _finding_view(finding: Finding, documents: dict[str, tuple[int, DocumentRecord]], packet_out: Path,
                  embed: bool) -> FindingView:
    ev = finding.evidence
    pictures: list[Picture] = []
    if ev is not None:
        caption = crop_caption(finding.code.value, ev.value is not None)
        if ev.page is not None:
            caption = f"{caption} · 第{ev.page}页"
        picture = _picture(packet_out, ev.crop, caption, embed)
        if picture is not None:
            pictures.append(picture)
    located = documents.get(finding.file or "")
    if located is not None and finding.code.value in HOSPITAL_CODES:
        for seal in located[1].seals:
            picture = _picture(packet_out, seal.crop, f"检出的印章 · 第{seal.page}页 · 得分{seal.score:.2f}", embed)
            if picture is not None:
                pictures.append(picture)
    evidence: list[Fact] = []
    if ev is not None:
        searched = "、".join(str(p) for p in ev.pages_searched) if ev.pages_searched else None
        evidence = _facts([
            ("识读文字", ev.text),
            ("解析结果", ev.value),
            ("置信度", f"{ev.confidence:.2f}" if ev.confidence is not None else None),
            ("位置", f"第{ev.page}页" + (f"，区域 {ev.bbox}" if ev.bbox else "") if ev.page else None),
            ("已查找页", f"第{searched}页" if searched else None),
        ])
    if finding.rule is not None:
        version = f"（{finding.rule.version}）" if finding.rule.version else ""
        evidence.append(Fact("依据", f"{finding.rule.source} · {finding.rule.key}{version}"))
    read_facts = [f for f in _document_facts(located[1]) if f.label in ("出具日期", "医院", "诊断", "分期/分型")] \
        if located else []
    return FindingView(
        code=finding.code.value, code_label=code_label(finding.code.value), severity=finding.severity.value,
        severity_label=severity_label(finding.severity.value), message=finding.message,
        material=material_label(finding.slot) if finding.slot else None, file=finding.file,
        document_anchor=f"doc-{located[0]}" if located else None, pictures=pictures, evidence=evidence,
        read_facts=read_facts,
    )


def _document_view(number: int, document: DocumentRecord, packet_out: Path, embed: bool) -> DocumentView:
    seals = [
        _picture(packet_out, seal.crop, f"第{seal.page}页 · 得分{seal.score:.2f}" + (f" · {seal.text}" if seal.text else ""),
                 embed) or Picture(image=None, caption=f"第{seal.page}页 · 得分{seal.score:.2f}")
        for seal in document.seals
    ]
    thumbnails = [
        picture for page, path in enumerate(document.page_images, start=1)
        if (picture := _picture(packet_out, path, f"第{page}页", embed)) is not None
    ]
    fields = [Fact(name, value.value + (f"（原文：{value.evidence.text}）" if value.evidence.text
                                         and value.evidence.text != value.value else ""))
              for name, value in sorted(document.fields.items())]
    return DocumentView(
        number=number, anchor=f"doc-{number}", file=document.file, material=material_label(document.slot),
        detected=material_label(document.detected_type),
        type_differs=document.detected_type not in ("unknown", document.slot),
        pages=document.pages, readable=document.readable, error=document.error, seals=seals,
        facts=_document_facts(document), fields=fields, thumbnails=thumbnails,
    )


def packet_view(verdict: Verdict, packet_out: Path, *, embed_images: bool = True,
                region_name: str | None = None) -> PacketView:
    """Everything the packet report shows, in display order (return findings first)."""
    documents = {d.file: (n, d) for n, d in enumerate(verdict.documents, start=1)}
    findings = sorted(verdict.findings, key=lambda f: SEVERITY_ORDER[f.severity])
    counts = {s.value: sum(1 for f in verdict.findings if f.severity == s) for s in Severity}
    status = verdict.status.value
    region = region_name or verdict.region
    summary = _facts([
        ("申请编号", verdict.application_id),
        ("统筹区", f"{region}（{verdict.region}）" if region_name and verdict.region else region),
        ("申请类型", KIND_ZH.get(verdict.kind or "", verdict.kind)),
        ("申请病种", verdict.disease + (f"（{verdict.disease_code}）" if verdict.disease_code else "")
         if verdict.disease else verdict.disease_code),
        ("提交日期", verdict.submitted_on.isoformat() if verdict.submitted_on else None),
        ("材料数", len(verdict.documents)),
    ])
    deadlines = _facts([(label, getattr(verdict.deadlines, name)) for name, label in DEADLINE_ZH.items()])
    footer = _facts([
        ("预审时间", verdict.generated_at.strftime("%Y-%m-%d %H:%M UTC") if verdict.generated_at else None),
        ("程序版本", verdict.pipeline_version),
        ("病种目录版本", verdict.catalog_version),
        ("政策", verdict.policy),
        ("用时", f"{verdict.elapsed_s:.1f} 秒" if verdict.elapsed_s is not None else None),
        ("材料指纹", verdict.packet_fingerprint[:16] if verdict.packet_fingerprint else None),
    ])
    return PacketView(
        application_id=verdict.application_id, status=status, status_label=status_label(status),
        banner=STATUS_BANNER_ZH.get(status, ""), counts=counts, summary=summary,
        findings=[_finding_view(f, documents, packet_out, embed_images) for f in findings],
        documents=[_document_view(n, d, packet_out, embed_images) for n, d in enumerate(verdict.documents, start=1)],
        deadlines=deadlines, calendar_note=verdict.deadlines.calendar_note, footer=footer,
    )
