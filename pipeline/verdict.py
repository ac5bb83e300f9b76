"""Assemble the verdict from findings and documents. A pure function: no I/O."""

from __future__ import annotations

from datetime import UTC, datetime

from models.codes import Severity
from models.document import DocumentRecord
from models.finding import Finding
from models.manifest import Manifest
from models.policy import DiseaseEntry
from models.reading import DocumentReading
from models.verdict import Deadlines, Verdict
from pipeline.idnumbers import mask_id_number
from pipeline.packet import LoadedPacket, PacketFile

PIPELINE_VERSION = "0.1.0"
_SEVERITY_ORDER = {Severity.RETURN: 0, Severity.MANUAL: 1, Severity.INFO: 2}


def build_document_record(item: PacketFile, reading: DocumentReading | None) -> DocumentRecord:
    """One ``documents[]`` entry: what the file system said plus what was read."""
    base = {
        "file": item.entry.path,
        "slot": item.entry.slot.value if item.entry.slot else item.entry.raw_slot,
        "media_type": item.media_type,
        "bytes": item.bytes,
        "sha256": item.sha256,
        "readable": item.problem is None and (reading is None or reading.error is None),
        "error": item.problem or (reading.error if reading else None),
    }
    if reading is None:
        return DocumentRecord(**base)
    fields = reading.fields
    record = {
        **base,
        "pages": len(reading.pages),
        "text_source": reading.text_source,
        "seals": list(reading.seals),
        "page_images": [p.thumbnail for p in reading.pages if p.thumbnail],
        "ocr_engine": reading.ocr[0].engine if reading.ocr else None,
        "elapsed_s": reading.elapsed_s,
    }
    if fields is not None:
        record.update(
            detected_type=fields.detected_type,
            issue_date=fields.issue_date.value if fields.issue_date else None,
            hospital=fields.hospital.value if fields.hospital else None,
            person_name=fields.person_name.value if fields.person_name else None,
            id_number=mask_id_number(fields.id_number.value) if fields.id_number else None,
            diagnosis=fields.diagnosis.value if fields.diagnosis else None,
            disease_code=fields.disease_code,
            stage=fields.stage.value if fields.stage else None,
            signature_present=fields.signature_present,
            ocr_confidence=round(fields.mean_confidence, 3),
            fields={k: v for k, v in (("hospital", fields.hospital), ("person_name", fields.person_name),
                                      ("diagnosis", fields.diagnosis), ("stage", fields.stage)) if v is not None},
        )
    return DocumentRecord(**record)


def order_findings(findings: list[Finding], manifest: Manifest | None) -> list[Finding]:
    """Severity first (return, manual, info), then manifest order of the file concerned."""
    position = {entry.path: i for i, entry in enumerate(manifest.files)} if manifest else {}
    return sorted(findings, key=lambda f: (_SEVERITY_ORDER[f.severity], position.get(f.file or "", -1)))


def decide_verdict(
    packet: LoadedPacket,
    findings: list[Finding],
    readings: dict[int, DocumentReading],
    deadlines: Deadlines,
    disease: DiseaseEntry | None,
    catalog_version: str,
) -> Verdict:
    """The verdict for a packet with a usable manifest. Status is derived from the findings."""
    manifest = packet.manifest
    assert manifest is not None
    documents = [build_document_record(item, readings.get(item.index)) for item in packet.files]
    return Verdict(
        application_id=manifest.application_id,
        findings=order_findings(findings, manifest),
        documents=documents,
        deadlines=deadlines,
        policy=manifest.region,
        region=manifest.region,
        kind=manifest.kind,
        disease=manifest.disease,
        disease_code=disease.code if disease else None,
        submitted_on=manifest.submitted_on,
        packet_folder=packet.folder.name,
        packet_fingerprint=packet.fingerprint,
        catalog_version=catalog_version,
        pipeline_version=PIPELINE_VERSION,
        generated_at=datetime.now(UTC),
    )
