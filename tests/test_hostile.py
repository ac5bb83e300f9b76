"""Bad and hostile input (issue 10): every broken packet gets a clear answer, the batch completes,
no upload is touched, nothing is written outside OUT, and no full ID number leaks."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest

from flows.cli import main
from tests.hostile import build_hostile_inbox
from tests.packets import AGENT_ID, APPLICANT_ID
from tests.test_run_cli import tree_hashes


@pytest.fixture(scope="module")
def hostile(tmp_path_factory, prefect_harness):
    """GIVEN an inbox of hostile cases WHEN `precheck run` runs once THEN every case is answered."""
    root = tmp_path_factory.mktemp("hostile")
    inbox, out = root / "inbox", root / "out"
    inbox.mkdir()
    cases = build_hostile_inbox(inbox)
    before = tree_hashes(inbox)
    links_before = sorted(str(p) for p in inbox.rglob("*") if p.is_symlink())
    outside_before = {p.name for p in root.iterdir()}
    code = main(["run", str(inbox), "--out", str(out)])
    return {"root": root, "inbox": inbox, "out": out, "cases": cases, "code": code, "before": before,
            "links_before": links_before, "outside_before": outside_before}


def _result(hostile, folder: str) -> tuple[dict | None, dict | None]:
    out = hostile["out"]
    rejection = out / "_rejected" / folder / "rejection.json"
    if rejection.exists():
        return None, json.loads(rejection.read_text(encoding="utf-8"))
    for path in out.glob("*/verdict.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("packet_folder") == folder:
            return data, None
    return None, None


def test_batch_completes_with_exit_zero(hostile):
    assert hostile["code"] == 0


def _case_names() -> list[str]:
    with tempfile.TemporaryDirectory() as scratch:
        return [case.folder for case in build_hostile_inbox(Path(scratch))]


@pytest.mark.parametrize("folder", _case_names())
def test_case_gets_its_answer(hostile, folder):
    case = next(c for c in hostile["cases"] if c.folder == folder)
    verdict, rejection = _result(hostile, case.folder)
    if case.rejected:
        assert rejection is not None and rejection["status"] != "pass"
        return
    assert verdict is not None, "no verdict"
    codes = {(f["code"], f["slot"]) for f in verdict["findings"]}
    assert case.expect <= codes, f"missing {case.expect - codes}, got {codes}"
    assert not case.absent & codes, f"unexpected {case.absent & codes}"
    if case.expect:
        assert verdict["status"] != "pass"


def test_unreadable_findings_say_why(hostile):
    expectations = {"H-ENCRYPTED-PDF": "加密", "H-MANY-BLANK-PAGES": "页", "H-DECOMPRESSION-BOMB": "像素",
                    "H-ZERO-BYTES": "空", "H-TEXT-AS-JPG": "不支持", "H-ABSENT-FILE": "不存在"}
    for folder, word in expectations.items():
        verdict, _ = _result(hostile, folder)
        messages = [f["message"] for f in verdict["findings"] if f["code"] == "UNREADABLE_FILE"]
        assert any(word in m for m in messages), (folder, messages)


def test_both_packets_with_the_same_id_are_kept(hostile):
    first, _ = _result(hostile, "H-SAME-ID-1")
    second, _ = _result(hostile, "H-SAME-ID-2")
    assert first is not None and second is not None
    assert (hostile["out"] / "H-SAME-ID" / "verdict.json").exists()
    assert (hostile["out"] / "H-SAME-ID~H-SAME-ID-2" / "verdict.json").exists()


def test_uploads_untouched_and_nothing_written_outside_out(hostile):
    assert tree_hashes(hostile["inbox"]) == hostile["before"]
    assert sorted(str(p) for p in hostile["inbox"].rglob("*") if p.is_symlink()) == hostile["links_before"]
    assert {p.name for p in hostile["root"].iterdir()} == hostile["outside_before"] | {"out"}


def test_no_full_id_number_in_out(hostile):
    for path in hostile["out"].rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert APPLICANT_ID.encode() not in data and AGENT_ID.encode() not in data, path
