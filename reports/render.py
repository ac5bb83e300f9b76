"""Render the reviewer reports: ``OUT/<application_id>/report.html`` per packet and ``OUT/index.html``.

Jinja2 with autoescape on; CSS, JavaScript and images are inline, so a report opens with no network
and can be mailed as one file. Rendering reads only files under OUT (verdicts, evidence crops, page
thumbnails), never the inbox. Any full ID number that slipped into free text is masked on the way out.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from models.verdict import Verdict
from pipeline.idnumbers import redact_id_numbers
from reports.labels import KIND_ZH, code_label, status_label
from reports.views import packet_view
from store.serialise import read_verdict_file

TEMPLATES = Path(__file__).resolve().parent / "templates"
REPORT_NAME = "report.html"
INDEX_NAME = "index.html"
VERDICT_NAME = "verdict.json"
REJECTION_NAME = "rejection.json"
REJECTED_DIR = "_rejected"
STATUS_RANK = {"return": 0, "rejected": 1, "manual_review": 2, "pass": 3}


@lru_cache(maxsize=1)
def environment() -> Environment:
    """The Jinja2 environment (autoescape on, undefined names are errors)."""
    return Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True, undefined=StrictUndefined,
                       trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)


def _write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def render_packet_html(verdict: Verdict, packet_out: Path, *, embed_images: bool = True,
                       region_name: str | None = None, index_href: str | None = "../index.html") -> str:
    """The packet report as an HTML string (see ``render_packet``)."""
    view = packet_view(verdict, packet_out, embed_images=embed_images, region_name=region_name)
    html = environment().get_template("packet.html.j2").render(v=view, index_href=index_href)
    return redact_id_numbers(html)


def render_packet(verdict: Verdict, packet_out: Path, *, embed_images: bool = True,
                  region_name: str | None = None, index_href: str | None = "../index.html") -> Path:
    """Write ``report.html`` for one packet beside its ``verdict.json``.

    Args:
        verdict: The verdict as written (with ``evidence.crop``, ``seals[].crop`` and
            ``documents[].page_images`` relative to ``packet_out``).
        packet_out: The packet's OUT folder.
        embed_images: Inline images as ``data:`` URIs (one self-contained file); False links them.
        region_name: Display name of the region (e.g. ``临汾市``); the region code otherwise.
        index_href: Link back to the batch index, or None for no link.

    Returns:
        The path of the written report.
    """
    path = packet_out / REPORT_NAME
    _write_atomic(path, render_packet_html(verdict, packet_out, embed_images=embed_images, region_name=region_name,
                                           index_href=index_href))
    return path


def render_packet_from_file(packet_out: Path, **options: object) -> Path:
    """Render ``report.html`` from the ``verdict.json`` already in ``packet_out`` (re-rendering old results)."""
    return render_packet(read_verdict_file(packet_out / VERDICT_NAME), packet_out, **options)  # type: ignore[arg-type]


# --- batch index ----------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class IndexEntry:
    """One row of the batch index."""

    output_dir: str
    folder: str | None
    application_id: str | None
    status: str
    region: str | None
    kind: str | None
    disease: str | None
    submitted_on: str | None
    codes: tuple[str, ...]
    finding_count: int
    generated_at: str | None
    report_href: str | None
    reason: str | None = None

    @property
    def status_label(self) -> str:
        return status_label(self.status)

    @property
    def status_rank(self) -> int:
        return STATUS_RANK.get(self.status, 9)

    @property
    def code_labels(self) -> list[tuple[str, str]]:
        return [(code, code_label(code)) for code in self.codes]

    @property
    def search_text(self) -> str:
        parts = [self.application_id, self.folder, self.region, self.kind, self.disease, self.status_label,
                 *self.codes, *(code_label(c) for c in self.codes)]
        return " ".join(p for p in parts if p).lower()


def _time(value: datetime | str | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return value
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M")


def _verdict_entry(out_root: Path, packet_out: Path) -> IndexEntry:
    rel = packet_out.relative_to(out_root).as_posix()
    try:
        verdict = read_verdict_file(packet_out / VERDICT_NAME)
    except (OSError, ValueError) as exc:
        return IndexEntry(output_dir=rel, folder=packet_out.name, application_id=None, status="manual_review",
                          region=None, kind=None, disease=None, submitted_on=None, codes=(), finding_count=0,
                          generated_at=None, report_href=None, reason=f"verdict.json 无法读取（{type(exc).__name__}）")
    report = packet_out / REPORT_NAME
    return IndexEntry(
        output_dir=rel, folder=verdict.packet_folder, application_id=verdict.application_id,
        status=verdict.status.value, region=verdict.region, kind=KIND_ZH.get(verdict.kind or "", verdict.kind),
        disease=verdict.disease, submitted_on=verdict.submitted_on.isoformat() if verdict.submitted_on else None,
        codes=tuple(sorted({f.code.value for f in verdict.findings})), finding_count=len(verdict.findings),
        generated_at=_time(verdict.generated_at),
        report_href=f"{rel}/{REPORT_NAME}" if report.is_file() else f"{rel}/{VERDICT_NAME}",
    )


def _rejection_entry(out_root: Path, packet_out: Path) -> IndexEntry:
    rel = packet_out.relative_to(out_root).as_posix()
    try:
        data = json.loads((packet_out / REJECTION_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        data = {}
    data = data if isinstance(data, dict) else {}
    return IndexEntry(
        output_dir=rel, folder=str(data.get("folder") or packet_out.name), application_id=None, status="rejected",
        region=None, kind=None, disease=None, submitted_on=None, codes=(), finding_count=0,
        generated_at=_time(data.get("generated_at")), report_href=f"{rel}/{REJECTION_NAME}",
        reason=str(data.get("reason") or "") or None,
    )


def collect_index_entries(out_root: Path) -> list[IndexEntry]:
    """Every packet result under OUT: ``<dir>/verdict.json`` and ``_rejected/<dir>/rejection.json``."""
    entries = [_verdict_entry(out_root, path.parent) for path in sorted(out_root.glob(f"*/{VERDICT_NAME}"))
               if not path.parent.name.startswith((".", REJECTED_DIR))]
    entries += [_rejection_entry(out_root, path.parent)
                for path in sorted((out_root / REJECTED_DIR).glob(f"*/{REJECTION_NAME}"))]
    return sorted(entries, key=lambda e: (e.status_rank, e.application_id or e.folder or ""))


def render_index_html(entries: list[IndexEntry], generated_at: datetime | None = None) -> str:
    """The batch index as an HTML string."""
    statuses: dict[str, int] = {}
    codes: dict[str, int] = {}
    for entry in entries:
        statuses[entry.status] = statuses.get(entry.status, 0) + 1
        for code in entry.codes:
            codes[code] = codes.get(code, 0) + 1
    status_counts = [(s, status_label(s), statuses[s]) for s in sorted(statuses, key=lambda s: STATUS_RANK.get(s, 9))]
    code_counts = [(c, code_label(c), n) for c, n in sorted(codes.items(), key=lambda item: (-item[1], item[0]))]
    html = environment().get_template("index.html.j2").render(
        entries=entries, status_counts=status_counts, code_counts=code_counts,
        generated_at=_time(generated_at or datetime.now(UTC)) + " UTC",
    )
    return redact_id_numbers(html)


def render_index(out_root: Path, generated_at: datetime | None = None) -> Path:
    """Write ``OUT/index.html`` listing every packet under OUT, sortable and filterable.

    Args:
        out_root: The run's OUT folder.
        generated_at: Time shown in the page (now by default).

    Returns:
        The path of the written index.
    """
    path = out_root / INDEX_NAME
    _write_atomic(path, render_index_html(collect_index_entries(out_root), generated_at))
    return path
