"""Turn image paths from a verdict (relative to the packet's OUT folder) into ``<img src>`` values.

Only files under the packet's OUT folder are used; the inbox is never read. Images are embedded as
``data:`` URIs by default, so a report is one self-contained file; ``embed=False`` links them by
relative path instead (the files then travel with the report).
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

MEDIA_TYPES = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png", ".webp": "image/webp",
               ".gif": "image/gif"}
MAGIC = {b"\xff\xd8\xff": "image/jpeg", b"\x89PNG\r\n\x1a\n": "image/png", b"RIFF": "image/webp", b"GIF8": "image/gif"}
MAX_EMBED_BYTES = 4 * 1024 * 1024


@dataclass(frozen=True)
class ImageRef:
    """An image ready for a template: ``src`` for the tag, ``path`` as written in the verdict."""

    src: str
    path: str


def safe_child(root: Path, relative: str | None) -> Path | None:
    """``root / relative`` when that names an existing file inside ``root``; None otherwise."""
    if not relative:
        return None
    rel = PurePosixPath(relative.replace("\\", "/"))
    if rel.is_absolute() or ".." in rel.parts:
        return None
    candidate = root.joinpath(*rel.parts)
    try:
        resolved = candidate.resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    if not resolved.is_file() or not resolved.is_relative_to(root.resolve()):
        return None
    return candidate


def _media_type(head: bytes) -> str | None:
    for magic, media_type in MAGIC.items():
        if head.startswith(magic):
            return media_type
    return None


def image_ref(packet_out: Path, relative: str | None, embed: bool = True) -> ImageRef | None:
    """The ``src`` for an image the verdict names, or None when the file is missing or not an image.

    Args:
        packet_out: The packet's OUT folder (where ``report.html`` goes).
        relative: Path from the verdict (``evidence/f01_seal_missing.jpg``, a page thumbnail, ...).
        embed: Inline the bytes as a ``data:`` URI (default) instead of linking the relative path.
    """
    path = safe_child(packet_out, relative)
    if path is None or path.suffix.lower() not in MEDIA_TYPES:
        return None
    size = path.stat().st_size
    with path.open("rb") as handle:
        head = handle.read(16)
    media_type = _media_type(head)
    if media_type is None:
        return None
    rel = path.relative_to(packet_out).as_posix()
    if not embed or size > MAX_EMBED_BYTES:
        return ImageRef(src=rel, path=rel)
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    return ImageRef(src=f"data:{media_type};base64,{data}", path=rel)
