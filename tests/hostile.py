"""Builds the hostile-input corpus: one packet per broken-upload or broken-manifest case (issue 10).

Each case names what the pipeline must answer: a verdict whose findings include the expected
(code, slot) pairs, or a rejection record for a folder without a usable manifest.
"""

from __future__ import annotations

import io
import json
import struct
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image
from pypdf import PdfWriter

from tests.packets import manifest, render_page, write_packet


@dataclass(frozen=True)
class Case:
    folder: str
    expect: set[tuple[str, str | None]] = field(default_factory=set)   # (code, slot) that must be present
    absent: set[tuple[str, str | None]] = field(default_factory=set)   # (code, slot) that must not be
    rejected: bool = False                                              # a rejection record, not a verdict


def _png_bytes(size: tuple[int, int] = (400, 300)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "white").save(buffer, format="PNG")
    return buffer.getvalue()


def _jpeg_bytes(size: tuple[int, int] = (800, 600)) -> bytes:
    buffer = io.BytesIO()
    Image.effect_noise(size, 60).convert("RGB").save(buffer, format="JPEG", quality=90)
    return buffer.getvalue()


def _pdf_bytes(pages: int = 1, password: str | None = None) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    if password:
        writer.encrypt(user_password=password, owner_password=password + "-owner")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _bomb_png(side: int = 100_000) -> bytes:
    """A valid PNG header announcing side x side pixels, with a tiny deflate stream of zeros."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    rows = zlib.compress(b"\x00" * (1 + side // 8) * 64, 9)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")


def _tiff_with_bad_page() -> bytes:
    buffer = io.BytesIO()
    first = Image.new("RGB", (300, 200), "white")
    second = Image.new("RGB", (300, 200), "black")
    first.save(buffer, format="TIFF", save_all=True, append_images=[second], compression="raw")
    data = bytearray(buffer.getvalue())
    # Overwrite the second frame's pixel data region with an impossible strip offset: find the last IFD's
    # StripOffsets entry (tag 273) and point it beyond the end of the file.
    tag = struct.pack("<HH", 273, 4)
    position = data.rfind(tag)
    struct.pack_into("<I", data, position + 8, len(data) + 10_000_000)
    return bytes(data)


def _docx_bytes() -> bytes:
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document>诊断证明书</document>")
    return buffer.getvalue()


def _with_file(root: Path, folder: str, slot: str, name: str, content: bytes | None) -> None:
    data = manifest(application_id=folder)
    data["files"] = [f for f in data["files"] if f["slot"] != slot] + [{"path": name, "slot": slot}]
    files = {name: content} if content is not None else {}
    packet = write_packet(root, data, folder=folder, files=files)
    if content is None:
        (packet / name).unlink(missing_ok=True)


def build_hostile_inbox(root: Path) -> list[Case]:
    """Write every hostile case as a packet folder under ``root``; return what each must get."""
    cases: list[Case] = []
    unreadable_exam = {("UNREADABLE_FILE", "exam_report")}

    def file_case(folder: str, name: str, content: bytes | None, readable: bool = False) -> None:
        _with_file(root, folder, "exam_report", name, content)
        cases.append(Case(folder, absent=unreadable_exam) if readable else Case(folder, expect=unreadable_exam))

    file_case("H-ZERO-BYTES", "exam.jpg", b"")
    file_case("H-TRUNCATED-JPEG", "exam.jpg", _jpeg_bytes()[:4000])
    file_case("H-TRUNCATED-PNG", "exam.png", _png_bytes((1200, 900))[:300])
    file_case("H-PNG-AS-PDF", "exam.pdf", _png_bytes(), readable=True)
    file_case("H-PDF-AS-JPG", "exam.jpg", _pdf_bytes(1), readable=True)
    file_case("H-TEXT-AS-JPG", "exam.jpg", "这不是图片，是一段文字。\n".encode() * 20)
    file_case("H-WORD-AS-JPG", "exam.jpg", _docx_bytes())
    file_case("H-ENCRYPTED-PDF", "exam.pdf", _pdf_bytes(1, password="secret"))
    file_case("H-CORRUPT-PDF", "exam.pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 9 0 R >>\n%%EOF garbage")
    file_case("H-MANY-BLANK-PAGES", "exam.pdf", _pdf_bytes(300))
    file_case("H-DECOMPRESSION-BOMB", "exam.png", _bomb_png())
    file_case("H-TIFF-BAD-PAGE", "exam.tif", _tiff_with_bad_page())
    file_case("H-ABSENT-FILE", "exam.jpg", None)

    # Manifest problems.
    (root / "H-NO-MANIFEST").mkdir()
    render_page(root / "H-NO-MANIFEST" / "scan.png", ["no manifest"])
    cases.append(Case("H-NO-MANIFEST", rejected=True))
    (root / "H-NOT-JSON").mkdir()
    (root / "H-NOT-JSON" / "application.json").write_text("{'application_id': LF-1,", encoding="utf-8")
    cases.append(Case("H-NOT-JSON", rejected=True))
    gbk = write_packet(root, manifest(application_id="H-GBK"), folder="H-GBK")
    (gbk / "application.json").write_bytes(json.dumps(manifest(application_id="H-GBK"), ensure_ascii=False).encode("gbk"))
    cases.append(Case("H-GBK", expect={("UNREADABLE_FILE", None)}))
    wrong_types = manifest(application_id="H-WRONG-TYPES", submitted_on=20250603, applicant="张建国", files="all")
    write_packet(root, wrong_types, folder="H-WRONG-TYPES")
    cases.append(Case("H-WRONG-TYPES", expect={("UNREADABLE_FILE", None)}))
    missing = manifest(application_id="H-MISSING-FIELDS")
    for key in ("region", "kind", "applicant", "disease"):
        del missing[key]
    write_packet(root, missing, folder="H-MISSING-FIELDS")
    cases.append(Case("H-MISSING-FIELDS", expect={("UNREADABLE_FILE", None)}))
    write_packet(root, manifest(application_id="H-UNKNOWN-REGION", region="atlantis"), folder="H-UNKNOWN-REGION")
    cases.append(Case("H-UNKNOWN-REGION", expect={("UNREADABLE_FILE", None)}))
    write_packet(root, manifest(application_id="H-EMPTY-FILES", files=[]), folder="H-EMPTY-FILES")
    cases.append(Case("H-EMPTY-FILES", expect={("UNREADABLE_FILE", None), ("MATERIAL_MISSING", "id_card")}))
    escape = manifest(application_id="H-PATH-ESCAPE")
    escape["files"][0]["path"] = "../H-GBK/id_card.png"
    escape["files"][1]["path"] = "/etc/hostname"
    escape["files"][2]["path"] = "link.png"
    packet = write_packet(root, escape, folder="H-PATH-ESCAPE")
    (packet / "link.png").unlink()
    (packet / "link.png").symlink_to(root / "H-GBK" / "exam.png")
    cases.append(Case("H-PATH-ESCAPE", expect={("UNREADABLE_FILE", "id_card"), ("UNREADABLE_FILE", "diagnosis_certificate"),
                                               ("UNREADABLE_FILE", "exam_report")}))
    write_packet(root, manifest(application_id="H-SAME-ID"), folder="H-SAME-ID-1")
    write_packet(root, manifest(application_id="H-SAME-ID"), folder="H-SAME-ID-2")
    cases.append(Case("H-SAME-ID-2", expect={("UNREADABLE_FILE", None)}))
    return cases
