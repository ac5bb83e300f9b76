"""Find packet folders in an inbox and give each its own output folder name.

Two folders that claim the same application id never overwrite each other: the
first (by folder name) gets ``OUT/<id>/``, later ones ``OUT/<id>~<folder>/``.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from models.manifest import APPLICATION_ID_PATTERN
from pipeline.packet import MANIFEST_NAME

_ID_RE = re.compile(APPLICATION_ID_PATTERN)
REJECTED_DIR = "_rejected"
_SAFE_NAME = re.compile(r"[^A-Za-z0-9_.\-]")


@dataclass(frozen=True)
class PacketJob:
    folder: Path
    output_name: str
    duplicate_of: str | None = None
    scan_fingerprint: str | None = None


@dataclass(frozen=True)
class FolderScan:
    """What a cheap look at a packet folder saw: names, sizes and modification times, no file contents."""

    fingerprint: str
    newest_mtime: float
    missing_listed: tuple[str, ...]


def scan_folder(folder: Path) -> FolderScan:
    """Fingerprint a packet folder from its listing (no hashing) and name listed files not there yet.

    Used by scheduled ingestion to skip unchanged packets fast and to notice uploads in progress.
    """
    digest = hashlib.sha256()
    newest = 0.0
    entries = []
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
        dirnames.sort()
        for name in sorted(filenames):
            path = Path(dirpath, name)
            try:
                info = path.lstat()
            except FileNotFoundError:
                continue
            entries.append(f"{path.relative_to(folder)}\0{info.st_size}\0{info.st_mtime_ns}")
            newest = max(newest, info.st_mtime)
    for entry in entries:
        digest.update(entry.encode("utf-8", "surrogateescape") + b"\n")
    return FolderScan(fingerprint=digest.hexdigest(), newest_mtime=newest, missing_listed=_missing_listed(folder))


def _missing_listed(folder: Path) -> tuple[str, ...]:
    path = folder / MANIFEST_NAME
    try:
        data = json.loads(path.read_bytes().decode("utf-8-sig", errors="replace"))
    except (OSError, ValueError, RecursionError):
        return ()
    files = data.get("files") if isinstance(data, dict) else None
    missing = []
    for entry in files if isinstance(files, list) else []:
        relative = entry.get("path") if isinstance(entry, dict) else None
        safe = isinstance(relative, str) and relative and not os.path.isabs(relative) and ".." not in Path(relative).parts
        if safe and not (folder / relative).exists():
            missing.append(relative)
    return tuple(missing)


def safe_name(text: str) -> str:
    """A file-system-safe rendering of a folder name (for rejection records)."""
    cleaned = _SAFE_NAME.sub("_", text)[:80].strip(".")
    return cleaned or "_"


def peek_application_id(folder: Path) -> str | None:
    """The manifest's application id if it is readable and valid; None otherwise (cheap: no hashing)."""
    path = folder / MANIFEST_NAME
    try:
        if path.is_symlink() or path.stat().st_size > (1 << 20):
            return None
        data = json.loads(path.read_bytes().decode("utf-8-sig", errors="replace"))
    except (OSError, ValueError, RecursionError):
        return None
    app_id = data.get("application_id") if isinstance(data, dict) else None
    return app_id if isinstance(app_id, str) and _ID_RE.match(app_id) else None


def list_packet_folders(inbox: Path) -> list[Path]:
    """Immediate sub-folders of the inbox, sorted; hidden and linked folders are skipped."""
    return sorted(p for p in inbox.iterdir() if p.is_dir() and not p.is_symlink() and not p.name.startswith("."))


def plan_jobs(folders: list[Path]) -> list[PacketJob]:
    """Assign each packet folder its output folder name."""
    first_folder_by_id: dict[str, str] = {}
    jobs = []
    for folder in folders:
        app_id = peek_application_id(folder)
        if app_id is None:
            jobs.append(PacketJob(folder=folder, output_name=f"{REJECTED_DIR}/{safe_name(folder.name)}"))
            continue
        first = first_folder_by_id.setdefault(app_id, folder.name)
        if first == folder.name:
            jobs.append(PacketJob(folder=folder, output_name=app_id))
        else:
            jobs.append(PacketJob(folder=folder, output_name=f"{app_id}~{safe_name(folder.name)}", duplicate_of=first))
    return jobs


def folder_bytes(folder: Path) -> int:
    """Total size of the files under ``folder`` (from the listing; links are not followed)."""
    total = 0
    for dirpath, _, filenames in os.walk(folder, followlinks=False):
        for name in filenames:
            try:
                total += os.lstat(os.path.join(dirpath, name)).st_size
            except OSError:  # removed while listing: the packet's own check reports it
                continue
    return total


def largest_first(jobs: list[PacketJob]) -> list[PacketJob]:
    """``jobs`` in the order to start them: largest packet first, ties by the given order.

    With a few worker threads, a big packet started last runs alone at the end of the batch;
    starting the longest work first (the classic longest-processing-time rule, with bytes on
    disk standing in for reading time) keeps every thread busy until near the end.
    """
    sizes = {job.folder: folder_bytes(job.folder) for job in jobs}
    return sorted(jobs, key=lambda job: -sizes[job.folder])

