"""Read a packet folder: its manifest and the listed files' bytes facts (size, hash, type).

Reads only; never writes, moves or changes anything in the inbox. Every problem
becomes data (``ManifestProblem`` or ``PacketFile.problem``) for the checks.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from models.manifest import FileEntry, Manifest, ManifestParse, ManifestProblem, parse_manifest
from pipeline.filetypes import SUPPORTED_MEDIA_TYPES, sniff_media_type

MANIFEST_NAME = "application.json"
_CHUNK = 1 << 20


class PacketLimits(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    max_manifest_bytes: int = 1 << 20
    max_file_bytes: int = 30 * (1 << 20)
    max_files: int = 60


class PacketFile(BaseModel):
    """One manifest entry with what the file system says about it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    entry: FileEntry
    index: int = Field(description="0-based position in the manifest")
    path: Path | None = Field(default=None, description="resolved path inside the packet, when safe and present")
    bytes: int | None = None
    sha256: str | None = None
    media_type: str | None = None
    problem: str | None = Field(default=None, description="why the file cannot be used, in Chinese")

    @property
    def usable(self) -> bool:
        return self.problem is None and self.path is not None


class LoadedPacket(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    folder: Path
    manifest: Manifest | None
    problems: tuple[ManifestProblem, ...] = ()
    files: tuple[PacketFile, ...] = ()
    manifest_sha256: str | None = None

    @property
    def fingerprint(self) -> str:
        """Content fingerprint of the manifest and every listed file (for change detection)."""
        digest = hashlib.sha256((self.manifest_sha256 or "").encode())
        for item in self.files:
            digest.update(f"{item.entry.path}\0{item.sha256}\0".encode())
        return digest.hexdigest()


def _hash_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _decode_manifest(raw: bytes) -> tuple[object | None, list[ManifestProblem]]:
    problems: list[ManifestProblem] = []
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = raw.decode("gb18030")
            problems.append(ManifestProblem(field="$", message="清单不是 UTF-8 编码，已按 GB18030 读取"))
        except UnicodeDecodeError:
            problems.append(ManifestProblem(field="$", message="清单编码无法识别", fatal=True))
            return None, problems
    try:
        return json.loads(text), problems
    except (json.JSONDecodeError, RecursionError) as exc:
        message = f"清单不是有效的 JSON（第{exc.lineno}行）" if isinstance(exc, json.JSONDecodeError) else "清单嵌套过深"
        problems.append(ManifestProblem(field="$", message=message, fatal=True))
        return None, problems


def read_manifest(folder: Path, limits: PacketLimits) -> tuple[ManifestParse, str | None]:
    """Decode and parse ``application.json``; never raises for bad content."""
    path = folder / MANIFEST_NAME
    problem: ManifestProblem | None = None
    raw = b""
    if path.is_symlink() or not path.is_file():
        problem = ManifestProblem(field="$", message=f"缺少 {MANIFEST_NAME}", fatal=True)
    elif path.stat().st_size > limits.max_manifest_bytes:
        problem = ManifestProblem(field="$", message=f"{MANIFEST_NAME} 超过 {limits.max_manifest_bytes} 字节", fatal=True)
    else:
        raw = path.read_bytes()
    if problem is not None:
        return ManifestParse(manifest=None, problems=[problem]), None
    data, problems = _decode_manifest(raw)
    sha = hashlib.sha256(raw).hexdigest()
    if any(p.fatal for p in problems):  # undecodable; a JSON ``null`` decodes to None and is parsed (not an object)
        return ManifestParse(manifest=None, problems=problems), sha
    parsed = parse_manifest(data)
    return ManifestParse(manifest=parsed.manifest, problems=problems + list(parsed.problems)), sha


def resolve_inside(folder: Path, relative: str) -> Path | None:
    """The file's real path when it stays inside ``folder`` (after links), else None."""
    if not relative or "\x00" in relative or os.path.isabs(relative) or relative.startswith(("/", "\\")):
        return None
    root = folder.resolve()
    candidate = (root / relative).resolve()
    if candidate == root or not candidate.is_relative_to(root):
        return None
    return candidate


def inspect_file(folder: Path, entry: FileEntry, index: int, limits: PacketLimits) -> PacketFile:
    """Locate one listed file and read its size, hash and real type."""
    path = resolve_inside(folder, entry.path)
    if path is None:
        return PacketFile(entry=entry, index=index, problem="文件路径指向申请材料文件夹之外，已拒绝读取")
    if not path.exists():
        return PacketFile(entry=entry, index=index, problem="清单列出的文件不存在")
    if not path.is_file():
        return PacketFile(entry=entry, index=index, problem="清单列出的路径不是普通文件")
    size = path.stat().st_size
    if size == 0:
        return PacketFile(entry=entry, index=index, bytes=0, problem="文件为空（0 字节）")
    if size > limits.max_file_bytes:
        return PacketFile(
            entry=entry, index=index, bytes=size,
            problem=f"文件大小 {size / (1 << 20):.1f} MB 超过上限 {limits.max_file_bytes / (1 << 20):.0f} MB",
        )
    with path.open("rb") as handle:
        head = handle.read(2048)
    media_type = sniff_media_type(head)
    sha = _hash_file(path)
    problem = None
    if media_type not in SUPPORTED_MEDIA_TYPES:
        shown = media_type or "未知格式"
        problem = f"不支持的文件类型（{shown}），请上传 JPEG、PNG、TIFF 图片或 PDF"
    return PacketFile(entry=entry, index=index, path=path, bytes=size, sha256=sha, media_type=media_type,
                      problem=problem)


def load_packet(folder: Path, limits: PacketLimits | None = None) -> LoadedPacket:
    """Read a packet folder's manifest and inspect every listed file.

    Args:
        folder: ``INBOX/<application_id>/``.
        limits: Byte and count limits (defaults when None).

    Returns:
        What could be read. ``manifest`` is None when there is no usable manifest;
        the reasons are in ``problems``.
    """
    limits = limits or PacketLimits()
    parsed, manifest_sha = read_manifest(folder, limits)
    problems = list(parsed.problems)
    files: list[PacketFile] = []
    if parsed.manifest is not None:
        entries = parsed.manifest.files
        if len(entries) > limits.max_files:
            problems.append(ManifestProblem(field="files", message=f"文件数 {len(entries)} 超过上限 {limits.max_files}"))
            entries = entries[: limits.max_files]
        files = [inspect_file(folder, entry, index, limits) for index, entry in enumerate(entries)]
    return LoadedPacket(folder=folder, manifest=parsed.manifest, problems=tuple(problems), files=tuple(files),
                        manifest_sha256=manifest_sha)
