"""Scheduled ingestion: find new or changed packets, claim each, pre-check it exactly once.

One run of ``ingest_inbox_flow``:
1. lists the inbox and fingerprints each folder from its listing (no hashing), one database query
   for the fingerprints already processed, so discovering 1,000 unchanged packets stays cheap;
2. defers a packet still being uploaded (a file changed within ``settle_s``, or a listed file
   not there yet, for up to ``missing_grace_s``); a deleted packet is simply not seen;
3. runs each ready packet as a task on a pool of ``settings.max_workers`` threads: the task takes a
   claim in the database (two serve processes never work on one packet at once), looks at the folder
   a second time, pre-checks it and stores the verdict, then releases the claim.
A killed run leaves no current verdict for the new content, so the next run redoes that packet;
the store keeps one current verdict per application, so statistics never count it twice.
"""

from __future__ import annotations

import os
import socket
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.engine import Engine

import reports
from flows.discover import FolderScan, PacketJob, largest_first, list_packet_folders, plan_jobs, scan_folder
from flows.precheck_flow import PacketResult, packet_runner, process_packet, summarise, write_results
from flows.settings import RunSettings, policy_book
from pipeline.packet import load_packet
from pipeline.run import PacketOutcome, internal_error_verdict
from store.claims import acquire_claim, claim_owner, release_claim
from store.engine import database_for, open_database
from store.repository import seen_scans


class IngestSettings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    settle_s: float = Field(default=3.0, ge=0, description="a packet whose files changed this recently is deferred")
    missing_grace_s: float = Field(default=900.0, ge=0, description="how long listed-but-absent files are waited for")
    lease_s: float = Field(default=900.0, gt=0, description="claim lease; a crashed worker's claim expires after it")


class IngestReport(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    seen: int
    unchanged: int
    deferred: dict[str, str] = Field(default_factory=dict)
    processed: list[PacketResult] = Field(default_factory=list)
    skipped_claimed: list[str] = Field(default_factory=list)
    failed: list[str] = Field(default_factory=list)


def packet_key(folder: Path) -> str:
    return str(folder.resolve())


def ready_or_reason(scan: FolderScan, now: float, settings: IngestSettings) -> str | None:
    """None when the packet looks complete; else why it is deferred."""
    if now - scan.newest_mtime < settings.settle_s:
        return "文件仍在变化（上传中）"
    if scan.missing_listed and now - scan.newest_mtime < settings.missing_grace_s:
        return f"清单列出的文件尚未到达：{', '.join(scan.missing_listed[:3])}"
    return None


def _owner_is_dead_here(owner: str) -> bool:
    """A claim left by a process of this host that no longer exists (e.g. after kill -9)."""
    host, _, rest = owner.partition(":")
    pid_text = rest.split(":", 1)[0]
    if host != socket.gethostname() or not pid_text.isdigit():
        return False
    try:
        os.kill(int(pid_text), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def claim_packet(engine, key: str, owner: str, lease_s: float) -> bool:
    """Take the packet's claim, first clearing one left by a dead process of this host."""
    holder = claim_owner(engine, key)
    if holder is not None and holder != owner and _owner_is_dead_here(holder):
        release_claim(engine, key, holder)
    return acquire_claim(engine, key, owner, lease_s)


def ingest_packet(job: PacketJob, out_root: Path, settings: RunSettings, ingest: IngestSettings,
                  run_id: str) -> PacketResult | str:
    """Claim, re-check and pre-check one packet. Returns its result, or why it was left alone."""
    engine = database_for(settings.db_url, out_root)
    owner = f"{socket.gethostname()}:{os.getpid()}:{run_id}"
    key = packet_key(job.folder)
    if not claim_packet(engine, key, owner, ingest.lease_s):
        return "claimed"
    try:
        if not job.folder.is_dir():
            return "deleted"
        if seen_scans(engine, [key]).get(key) == job.scan_fingerprint:
            return "done"  # another process finished it between our discovery and our claim
        second_look = scan_folder(job.folder)
        if second_look.fingerprint != job.scan_fingerprint:
            return "changed"
        return process_packet(job, out_root, settings)
    finally:
        release_claim(engine, key, owner)


ingest_packet_task = task(name="ingest-packet", cache_policy=NO_CACHE, retries=2,
                          retry_delay_seconds=[2, 10])(ingest_packet)


def failure_result(job: PacketJob, out_root: Path, settings: RunSettings, exc: BaseException) -> PacketResult | None:
    """A packet that kept failing still gets a verdict saying so (manual review)."""
    packet = load_packet(job.folder)
    if packet.manifest is None:
        return None
    outcome = PacketOutcome(folder=job.folder, verdict=internal_error_verdict(packet, exc))
    write_results(outcome, out_root / job.output_name, job, out_root, settings, datetime.now(UTC))
    return summarise(outcome, job, 0.0)


@dataclass(frozen=True)
class IngestPlan:
    folders: list[Path]
    ready: list[PacketJob]  # new or changed packets that look complete
    deferred: dict[str, str]  # folder name -> why it waits


def plan_ingest(inbox: Path, engine: Engine, ingest: IngestSettings, now: float) -> IngestPlan:
    """Which packets of ``inbox`` to pre-check now: listing and one database query, no file is read.

    A folder whose listing fingerprint equals the one of its latest run is skipped; one still being
    uploaded is deferred with the reason.
    """
    folders = list_packet_folders(inbox) if inbox.is_dir() else []
    scans = {folder: scan_folder(folder) for folder in folders}
    seen = seen_scans(engine, [packet_key(f) for f in folders])
    deferred: dict[str, str] = {}
    ready: list[PacketJob] = []
    for job in plan_jobs(folders):
        scan = scans[job.folder]
        if seen.get(packet_key(job.folder)) == scan.fingerprint:
            continue
        reason = ready_or_reason(scan, now, ingest)
        if reason is not None:
            deferred[job.folder.name] = reason
            continue
        ready.append(PacketJob(folder=job.folder, output_name=job.output_name, duplicate_of=job.duplicate_of,
                               scan_fingerprint=scan.fingerprint))
    return IngestPlan(folders=folders, ready=ready, deferred=deferred)


@flow(name="precheck-ingest")
def ingest_inbox_flow(inbox: str, out_root: str, settings: RunSettings,
                      ingest: IngestSettings | None = None) -> IngestReport:
    """Pre-check every new or changed packet in ``inbox`` exactly once."""
    logger = get_run_logger()
    ingest = ingest or IngestSettings()
    inbox_path, out_path = Path(inbox), Path(out_root)
    out_path.mkdir(parents=True, exist_ok=True)
    policy_book(settings.policy_dir)
    open_database(settings.db_url, out_path).dispose()
    engine = database_for(settings.db_url, out_path)
    plan = plan_ingest(inbox_path, engine, ingest, time.time())
    folders, changed, deferred = plan.folders, plan.ready, dict(plan.deferred)
    run_id = uuid.uuid4().hex[:8]
    processed: list[PacketResult] = []
    claimed: list[str] = []
    failed: list[str] = []
    with packet_runner(settings.max_workers) as runner:
        futures = [(job, runner.submit(ingest_packet_task, {"job": job, "out_root": out_path, "settings": settings,
                                                            "ingest": ingest, "run_id": run_id}))
                   for job in largest_first(changed)]
        for job, future in futures:
            state = future.wait() or future.state
            if state.is_completed():
                outcome = future.result()
                if isinstance(outcome, PacketResult):
                    processed.append(outcome)
                    logger.info("%s -> %s %s", outcome.application_id or job.folder.name, outcome.status,
                                ",".join(outcome.codes))
                elif outcome in ("claimed", "done"):
                    claimed.append(job.folder.name)
                else:
                    deferred[job.folder.name] = "两次查看之间文件有变化" if outcome == "changed" else "文件夹已删除"
                continue
            exc = future.result(raise_on_failure=False)
            logger.error("packet %s failed after retries: %s", job.folder.name, exc)
            failed.append(job.folder.name)
            error = exc if isinstance(exc, BaseException) else RuntimeError(exc)
            result = failure_result(job, out_path, settings, error)
            if result is not None:
                processed.append(result)
    if processed:
        reports.render_index(out_path)
    report = IngestReport(seen=len(folders), unchanged=len(folders) - len(changed) - len(deferred),
                          deferred=deferred, processed=processed, skipped_claimed=claimed, failed=failed)
    logger.info("ingest: %d packets, %d unchanged, %d processed, %d deferred, %d claimed elsewhere, %d failed",
                report.seen, report.unchanged, len(processed), len(deferred), len(claimed), len(failed))
    return report
