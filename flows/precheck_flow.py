"""Prefect 3 flows: pre-check one packet, and a batch over an inbox.

The flows only sequence work; the rules live in ``pipeline/`` (``run_packet`` orders the stages).
- ``precheck_packet_flow``: one packet, its stages as tasks (files read in parallel threads).
- ``precheck_inbox_flow``: every packet of an inbox, one ``process_packet`` task per packet on a
  thread pool (``packet_runner``).
Writing results (verdict.json, report.html, the database row) touches shared storage, so it is
the part that is retried; the batch index OUT/index.html is written last.
"""

from __future__ import annotations

import json
import os
import socket
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from prefect import flow, get_run_logger, task, unmapped
from prefect.cache_policies import NO_CACHE
from prefect.task_runners import ThreadPoolTaskRunner
from pydantic import BaseModel, ConfigDict, Field

import reports
import store
from flows.discover import PacketJob, largest_first, list_packet_folders, plan_jobs
from flows.outputs import attach_evidence_crops, write_atomic, write_rejection, write_verdict
from flows.settings import RunSettings, policy_book
from models.policy import PolicyBook
from models.reading import DocumentReading, Expected
from pipeline.packet import PacketFile
from pipeline.reading import ReadSettings, read_file
from pipeline.run import PacketOutcome, RunContext, run_packet


class PacketResult(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    folder: str
    output_dir: str
    application_id: str | None = None
    region: str | None = None
    status: str
    codes: list[str] = Field(default_factory=list)
    elapsed_s: float = 0.0


@task(name="read-file", cache_policy=NO_CACHE)
def read_file_task(item: PacketFile, work_dir: Path, settings: ReadSettings, policy: PolicyBook,
                   expected: Expected | None = None) -> DocumentReading:
    """Read one uploaded file: pages, OCR, seals, fields."""
    return read_file(item, work_dir, settings, policy, expected)


def run_info(job: PacketJob, started_at: datetime) -> store.RunInfo:
    """Where and when this run happened, for the runs table."""
    finished_at = datetime.now(UTC)
    return store.RunInfo(packet_folder=str(job.folder.resolve()), output_dir=job.output_name, started_at=started_at,
                         finished_at=finished_at, elapsed_s=round((finished_at - started_at).total_seconds(), 3),
                         worker=f"{socket.gethostname()}:{os.getpid()}", scan_fingerprint=job.scan_fingerprint)


TIMINGS_NAME = "timings.json"  # per packet: seconds per stage of this run, for operators and `make bench`


def write_results(outcome: PacketOutcome, packet_out: Path, job: PacketJob, out_root: Path, settings: RunSettings,
                  started_at: datetime) -> Path:
    """Write verdict.json (with evidence crops) and report.html and store the run; or the rejection record.

    Also writes ``timings.json``: the packet-level stages (checks, evidence, verdict, report,
    database) and the reading stages summed over the packet's documents.
    """
    if outcome.rejection is not None:
        return write_rejection(outcome.rejection, packet_out)
    assert outcome.verdict is not None
    stages = StageClock()
    verdict = attach_evidence_crops(outcome.verdict, outcome.readings, packet_out)
    stages.lap("evidence")
    path = write_verdict(verdict, packet_out)
    stages.lap("verdict")
    region = policy_book(settings.policy_dir).regions.get(verdict.region or "")
    reports.render_packet(verdict, packet_out, region_name=region.name if region else None)
    stages.lap("report")
    store.save_verdict(store.database_for(settings.db_url, out_root), verdict, run_info(job, started_at))
    stages.lap("database")
    reading: dict[str, float] = {}
    for document in outcome.readings:
        for stage, seconds in document.elapsed_s.items():
            reading[stage] = reading.get(stage, 0.0) + seconds
    timings = {"reading": {k: round(v, 3) for k, v in sorted(reading.items())},
               "packet": {**outcome.elapsed_s, **stages.laps}}
    write_atomic(packet_out / TIMINGS_NAME, json.dumps(timings, indent=1).encode("utf-8"))
    return path


class StageClock:
    """Seconds spent in each named stage, lap after lap."""

    def __init__(self) -> None:
        self.laps: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.laps[stage] = round(self.laps.get(stage, 0.0) + now - self._last, 4)
        self._last = now


write_results_task = task(name="write-results", cache_policy=NO_CACHE, retries=2,
                          retry_delay_seconds=[1, 5])(write_results)


def summarise(outcome: PacketOutcome, job: PacketJob, elapsed_s: float) -> PacketResult:
    if outcome.verdict is not None:
        verdict = outcome.verdict
        return PacketResult(folder=job.folder.name, output_dir=job.output_name, application_id=verdict.application_id,
                            region=verdict.region, status=verdict.status.value,
                            codes=sorted({f.code.value for f in verdict.findings}), elapsed_s=round(elapsed_s, 2))
    assert outcome.rejection is not None
    return PacketResult(folder=job.folder.name, output_dir=job.output_name, status="rejected",
                        codes=["UNREADABLE_FILE"], elapsed_s=round(elapsed_s, 2))


@flow(name="precheck-packet", task_runner=ThreadPoolTaskRunner(max_workers=2))
def precheck_packet_flow(job: PacketJob, out_root: Path, settings: RunSettings) -> PacketResult:
    """Pre-check one packet folder and write its results under ``out_root``."""
    started = time.perf_counter()
    started_at = datetime.now(UTC)
    ctx = RunContext(policy=policy_book(settings.policy_dir), read=settings.read, packet_limits=settings.packet_limits)
    packet_out = out_root / job.output_name

    def map_reads(files: Sequence[PacketFile], work_dir: Path, expected: Sequence[Expected]) -> list[DocumentReading]:
        futures = read_file_task.map(list(files), unmapped(work_dir), unmapped(ctx.read), unmapped(ctx.policy),
                                     list(expected))
        return [future.result() for future in futures]

    outcome = run_packet(job.folder, packet_out, ctx, map_reads=map_reads, duplicate_of=job.duplicate_of)
    write_results_task(outcome, packet_out, job, out_root, settings, started_at)
    return summarise(outcome, job, time.perf_counter() - started)


def process_packet(job: PacketJob, out_root: Path, settings: RunSettings) -> PacketResult:
    """Pre-check one packet end to end in this process (files read one after another)."""
    started = time.perf_counter()
    started_at = datetime.now(UTC)
    ctx = RunContext(policy=policy_book(settings.policy_dir), read=settings.read, packet_limits=settings.packet_limits)
    packet_out = out_root / job.output_name
    outcome = run_packet(job.folder, packet_out, ctx, duplicate_of=job.duplicate_of)
    write_results(outcome, packet_out, job, out_root, settings, started_at)
    return summarise(outcome, job, time.perf_counter() - started)


process_packet_task = task(name="process-packet", cache_policy=NO_CACHE)(process_packet)


def packet_runner(max_workers: int = 2) -> ThreadPoolTaskRunner:
    """Packets in parallel threads of one process, sharing one copy of the OCR models.

    The flows start it in their body from the run's settings rather than naming it in their
    decorator: a deployment (``precheck serve``, the cluster's workers) loads the flow from its
    entrypoint, so a runner chosen with ``with_options`` would be lost there.

    Threads, not processes: the work is in onnxruntime, OpenCV, NumPy and Tesseract, which
    release the GIL (Python holds it for under a tenth of a page's time, measured with
    py-spy), so two threads keep two cores busy. Worker processes each loaded their own
    models, spaCy pipeline and Prefect client and measured 1.1 GB apiece; one process with
    two threads stays under 1.5 GB (``make bench``). A text detection holds ~0.7 GB of
    activations at 2000 px (less at the 1600 px used), so ``pipeline.ppocr`` lets one run at a
    time while the other thread recognises, finds seals or extracts fields.
    """
    return ThreadPoolTaskRunner(max_workers=max_workers)


@flow(name="precheck-inbox")
def precheck_inbox_flow(inbox: Path, out_root: Path, settings: RunSettings) -> list[PacketResult]:
    """Pre-check every packet folder in ``inbox`` once, ``settings.max_workers`` packets at a time."""
    logger = get_run_logger()
    policy_book(settings.policy_dir)  # fail fast on invalid policy data, before the first packet
    store.open_database(settings.db_url, out_root).dispose()  # fail fast on the database; migrate it once
    jobs = plan_jobs(list_packet_folders(inbox))
    results = []
    with packet_runner(settings.max_workers) as runner:
        futures = {job.folder: runner.submit(process_packet_task, {"job": job, "out_root": out_root, "settings": settings})
                   for job in largest_first(jobs)}
        for number, job in enumerate(jobs, start=1):
            result = futures[job.folder].result()
            logger.info("[%d/%d] %s -> %s %s", number, len(jobs), result.application_id or job.folder.name,
                        result.status, ",".join(result.codes))
            results.append(result)
    reports.render_index(out_root)
    return results


def run_inbox(inbox: Path, out_root: Path, settings: RunSettings) -> list[PacketResult]:
    """The batch flow (its worker-thread count comes from ``settings.max_workers``)."""
    return precheck_inbox_flow(inbox, out_root, settings)
