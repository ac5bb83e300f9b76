"""run_packet(): the only place the order of stages is written down.

load the packet -> read every usable file -> packet checks + document checks -> verdict.
Works without Prefect; the flows call the same step functions as tasks.
"""

from __future__ import annotations

import logging
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from models.codes import FindingCode
from models.finding import Finding
from models.policy import DiseaseEntry, PolicyBook
from models.reading import DocumentReading, Expected
from models.verdict import PacketRejection, Verdict
from pipeline import checks_packet as pc
from pipeline.checks_document import DocumentContext, check_document
from pipeline.deadlines import compute_deadlines
from pipeline.form_dates import reconcile_application_date
from pipeline.names import expected_name, reconcile_person_name
from pipeline.packet import MANIFEST_NAME, LoadedPacket, PacketFile, PacketLimits, load_packet
from pipeline.reading import ReadSettings, read_file
from pipeline.verdict import decide_verdict

log = logging.getLogger("precheck.run")

# files, work dir, what the manifest says each should show -> their readings
ReadMapper = Callable[[Sequence[PacketFile], Path, Sequence[Expected]], list[DocumentReading]]


@dataclass(frozen=True)
class RunContext:
    """Everything a packet run needs, passed in; no globals, no environment lookups."""

    policy: PolicyBook
    packet_limits: PacketLimits = field(default_factory=PacketLimits)
    read: ReadSettings = field(default_factory=ReadSettings)
    strict: bool = False  # tests: let our own bugs propagate instead of becoming a manual-review verdict


def reject_packet(packet: LoadedPacket) -> PacketRejection:
    """The record for a folder without a usable manifest (no application id to file a verdict under)."""
    reasons = [p.message for p in packet.problems if p.fatal] or ["清单无法使用"]
    return PacketRejection(folder=packet.folder.name, reason=reasons[0], problems=[p.message for p in packet.problems],
                           generated_at=datetime.now(UTC))


def read_files_sequentially(files: Sequence[PacketFile], work_dir: Path, settings: ReadSettings,
                            policy: PolicyBook, expected: Sequence[Expected]) -> list[DocumentReading]:
    return [read_file(item, work_dir, settings, policy, shown) for item, shown in zip(files, expected, strict=True)]


def packet_findings(packet: LoadedPacket, book: PolicyBook) -> tuple[list[Finding], DiseaseEntry | None]:
    """The checks that need no reading of images (pure)."""
    manifest = packet.manifest
    assert manifest is not None
    findings: list[Finding] = []
    findings += pc.check_manifest(packet.problems)
    findings += pc.check_missing_person_fields(manifest)
    findings += pc.check_files(packet.files)
    findings += pc.check_duplicates(packet.files)
    findings += pc.check_id_numbers(manifest, manifest.submitted_on)
    findings += pc.check_policy_applies(manifest, book)
    disease_findings, disease = pc.check_disease_covered(manifest, book)
    findings += disease_findings
    region = book.regions.get(manifest.region) if manifest.region else None
    if region is not None:
        findings += pc.check_required_materials(manifest, region)
        findings += pc.check_agent_materials(manifest, region)
        findings += pc.check_renewal_window(manifest, region)
        findings += pc.check_offsite_filing(manifest, region)
    return findings, disease


def assess_packet(packet: LoadedPacket, readings: Sequence[DocumentReading], ctx: RunContext) -> Verdict:
    """All checks over the packet and its readings, then the verdict (pure: no I/O)."""
    book = ctx.policy
    manifest = packet.manifest
    assert manifest is not None
    findings, disease = packet_findings(packet, book)
    by_index = {index: reconcile_application_date(reconcile_person_name(reading, manifest), manifest)
                for index, reading in _index_readings(packet, readings).items()}
    region = book.regions.get(manifest.region) if manifest.region else None
    for reading in by_index.values():
        if reading.error is not None:
            findings.append(Finding(code=FindingCode.UNREADABLE_FILE, file=reading.file, slot=reading.slot,
                                    message=f"文件无法读取：{reading.error}"))
    if region is not None:
        doc_ctx = DocumentContext(manifest=manifest, region=region, book=book, disease=disease)
        for reading in by_index.values():
            findings += check_document(reading, doc_ctx)
        wrong = {f.file for f in findings if f.code == FindingCode.WRONG_DOCUMENT and f.file}
        findings += pc.check_materials_only_wrong(manifest, region, wrong)
    deadlines = compute_deadlines(manifest.submitted_on, region.deadlines if region else None)
    return decide_verdict(packet, findings, by_index, deadlines, disease, book.catalog.catalog_version)


def _index_readings(packet: LoadedPacket, readings: Sequence[DocumentReading]) -> dict[int, DocumentReading]:
    usable = [item for item in packet.files if item.usable]
    return {item.index: reading for item, reading in zip(usable, readings, strict=True)}


def internal_error_verdict(packet: LoadedPacket, exc: BaseException) -> Verdict:
    """A packet our own code failed on still gets a verdict: manual review, saying so."""
    manifest = packet.manifest
    assert manifest is not None
    finding = Finding(code=FindingCode.ILLEGIBLE, file=MANIFEST_NAME,
                      message=f"预审程序处理本申请时出错（{type(exc).__name__}），需人工审核")
    return Verdict(application_id=manifest.application_id, findings=[finding], policy=manifest.region,
                   region=manifest.region, kind=manifest.kind, disease=manifest.disease,
                   submitted_on=manifest.submitted_on, packet_folder=packet.folder.name,
                   packet_fingerprint=packet.fingerprint, generated_at=datetime.now(UTC))


@dataclass(frozen=True)
class PacketOutcome:
    """What one packet run produced: a verdict (with the readings behind it) or a rejection record."""

    folder: Path
    verdict: Verdict | None = None
    readings: tuple[DocumentReading, ...] = ()
    rejection: PacketRejection | None = None
    elapsed_s: dict[str, float] = field(default_factory=dict)  # packet-level stages (checks); reading is per document


def duplicate_id_finding(other_folder: str) -> Finding:
    return Finding(code=FindingCode.UNREADABLE_FILE, file=MANIFEST_NAME,
                   message=f"申请编号与另一文件夹“{other_folder}”中的申请重复，结果单独存放，请核实")


def run_packet(folder: Path, work_dir: Path, ctx: RunContext, map_reads: ReadMapper | None = None,
               duplicate_of: str | None = None) -> PacketOutcome:
    """Pre-check one packet folder.

    Args:
        folder: The packet, ``INBOX/<application_id>/``; only read.
        work_dir: Where page images for this packet may be written (its OUT folder).
        ctx: Policy and settings.
        map_reads: How to read the usable files (the flow passes one that runs Prefect tasks).
        duplicate_of: Another folder that claims the same application id, if any.

    Returns:
        A verdict, or a rejection record when the folder has no usable manifest. A bug in our
        code on one packet yields a manual-review verdict (traceback logged), never an exception.
    """
    packet = load_packet(folder, ctx.packet_limits)
    if packet.manifest is None:
        return PacketOutcome(folder=folder, rejection=reject_packet(packet))
    try:
        usable = [item for item in packet.files if item.usable]
        expected = [Expected(name=expected_name(item.entry.slot.value if item.entry.slot else None, packet.manifest),
                             disease=packet.manifest.disease, region=packet.manifest.region) for item in usable]
        if map_reads is None:
            readings = read_files_sequentially(usable, work_dir, ctx.read, ctx.policy, expected)
        else:
            readings = map_reads(usable, work_dir, expected)
        started = time.perf_counter()
        verdict = assess_packet(packet, readings, ctx)
        if duplicate_of is not None:
            verdict = verdict.model_copy(update={"findings": [*verdict.findings, duplicate_id_finding(duplicate_of)]})
        checks_s = round(time.perf_counter() - started, 4)
        return PacketOutcome(folder=folder, verdict=verdict, readings=tuple(readings), elapsed_s={"checks": checks_s})
    except Exception as exc:  # the per-packet boundary: one broken packet never stops the batch
        if ctx.strict:
            raise
        log.error("packet %s failed: %s\n%s", packet.manifest.application_id, exc, traceback.format_exc())
        return PacketOutcome(folder=folder, verdict=internal_error_verdict(packet, exc))
