"""Fuzz the file loader and the manifest reader: any bytes in, a clear error or a result out.

Bounded in time (hypothesis deadline and example counts) so CI stays fast; any crash found
becomes an explicit regression example here.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from PIL import Image

from pipeline.errors import InputFileError
from pipeline.packet import load_packet
from pipeline.pages import FileLimits, load_document

MAGICS = [b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"II*\x00", b"MM\x00*", b"%PDF-1.4\n", b"GIF89a", b"BM", b""]
LIMITS = FileLimits(max_bytes=2_000_000, max_pixels=4_000_000, max_pages=5, timeout_s=10)


def _small_png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "white").save(buffer, format="PNG")
    return buffer.getvalue()


SMALL_PNG = _small_png()


def _mutations() -> st.SearchStrategy[bytes]:
    random_tail = st.tuples(st.sampled_from(MAGICS), st.binary(max_size=2048)).map(lambda t: t[0] + t[1])
    flipped = st.tuples(st.integers(0, len(SMALL_PNG) - 1), st.integers(1, 255)).map(
        lambda t: SMALL_PNG[: t[0]] + bytes([SMALL_PNG[t[0]] ^ t[1]]) + SMALL_PNG[t[0] + 1:])
    truncated = st.integers(0, len(SMALL_PNG)).map(lambda n: SMALL_PNG[:n])
    return st.one_of(random_tail, flipped, truncated)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=_mutations())
@example(data=b"%PDF-1.4\n%%EOF")
@example(data=b"\xff\xd8\xff")  # found by this test: PIL raised KeyError('MPO')
@example(data=b"II*\x00\x08\x00\x00\x00\xff\xff")
def test_loader_raises_only_input_file_errors(tmp_path: Path, data: bytes):
    path = tmp_path / "upload.bin"
    path.write_bytes(data)
    try:
        document = load_document(path, LIMITS)
    except InputFileError as exc:
        assert str(exc)  # a message a reviewer can read
    else:
        assert document.pages


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@example(raw=b"null")  # found by this test: a JSON null manifest was accepted with no problem reported
@given(raw=st.one_of(st.binary(max_size=600),
                     st.text(max_size=300).map(lambda t: t.encode("utf-8")),
                     st.dictionaries(st.text(max_size=10), st.text(max_size=10), max_size=5)
                     .map(lambda d: json.dumps(d).encode())))
def test_packet_reader_never_raises(tmp_path: Path, raw: bytes):
    folder = tmp_path / "packet"
    folder.mkdir(exist_ok=True)
    (folder / "application.json").write_bytes(raw)
    packet = load_packet(folder)
    assert packet.manifest is not None or packet.problems
