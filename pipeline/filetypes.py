"""Tell a file's real type from its first bytes, never from its extension."""

from __future__ import annotations

SUPPORTED_MEDIA_TYPES = frozenset(
    {"image/jpeg", "image/png", "image/tiff", "image/bmp", "image/webp", "image/gif", "application/pdf"}
)

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
    (b"II+\x00", "image/tiff"),  # BigTIFF
    (b"MM\x00+", "image/tiff"),
    (b"BM", "image/bmp"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"%PDF-", "application/pdf"),
    (b"PK\x03\x04", "application/zip"),  # also .docx / .xlsx
    (b"\xd0\xcf\x11\xe0", "application/x-ole"),  # legacy .doc / .xls
)


def sniff_media_type(head: bytes) -> str | None:
    """The media type the leading bytes announce, or None when unknown.

    PDFs may carry junk before ``%PDF-`` (readers accept it within 1 KiB), so
    that marker is searched rather than anchored.
    """
    for magic, media_type in _MAGIC:
        if head.startswith(magic):
            return media_type
    if head[:12].startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "image/webp"
    if b"%PDF-" in head[:1024]:
        return "application/pdf"
    if head[4:12] in (b"ftypheic", b"ftypheix", b"ftypmif1", b"ftypmsf1"):
        return "image/heic"
    return None
