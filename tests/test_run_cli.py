"""End to end: `precheck run` on an inbox gives every packet a schema-valid verdict, touches no upload,
writes nothing outside OUT and never shows a full ID number."""

from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path

import jsonschema
import pytest

from flows.cli import main
from models.schema import DOCS, SCHEMAS, schema_text
from tests.packets import AGENT_ID, APPLICANT_ID, manifest, write_packet


def tree_hashes(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file() and not p.is_symlink()}


@pytest.fixture(scope="module")
def batch(tmp_path_factory, prefect_harness):
    """GIVEN an inbox with a clean, a defective, an agent, a duplicate-id and a broken packet
    WHEN `precheck run` runs once THEN results are written under OUT."""
    root = tmp_path_factory.mktemp("batch")
    inbox, out = root / "inbox", root / "out"
    write_packet(inbox, manifest(application_id="LF-A"))
    defective = manifest(application_id="LF-B", disease="感冒")
    defective["files"] = defective["files"][:2]
    write_packet(inbox, defective)
    agent = manifest(application_id="LF-C", agent={"name": "张丽", "id_number": AGENT_ID, "relation": "子女"})
    write_packet(inbox, agent)
    write_packet(inbox, manifest(application_id="LF-A"), folder="LF-A-again")
    (inbox / "not-json").mkdir()
    (inbox / "not-json" / "application.json").write_text("{oops", encoding="utf-8")
    (inbox / "no-manifest").mkdir()
    before = tree_hashes(inbox)
    outside_before = {p.name for p in root.iterdir()}
    logger = logging.getLogger()
    records: list[str] = []
    handler = logging.Handler()
    handler.emit = lambda record: records.append(record.getMessage())  # type: ignore[method-assign]
    logger.addHandler(handler)
    try:
        code = main(["run", str(inbox), "--out", str(out)])
    finally:
        logger.removeHandler(handler)
    return {"inbox": inbox, "out": out, "code": code, "before": before, "root": root,
            "outside_before": outside_before, "logs": records}


def verdict(batch, name: str) -> dict:
    return json.loads((batch["out"] / name / "verdict.json").read_text(encoding="utf-8"))


def test_exit_zero_and_every_packet_answered(batch):
    assert batch["code"] == 0
    out = batch["out"]
    for name in ("LF-A", "LF-B", "LF-C", "LF-A~LF-A-again"):
        assert (out / name / "verdict.json").is_file(), name
    for name in ("not-json", "no-manifest"):
        record = json.loads((out / "_rejected" / name / "rejection.json").read_text(encoding="utf-8"))
        assert record["folder"] == name and record["status"] == "return"


def test_verdicts_validate_against_the_published_schema(batch):
    schema = json.loads((DOCS / "verdict.schema.json").read_text(encoding="utf-8"))
    for path in batch["out"].rglob("verdict.json"):
        jsonschema.validate(json.loads(path.read_text(encoding="utf-8")), schema)


def test_published_schemas_are_current():
    for name, model in SCHEMAS.items():
        assert (DOCS / name).read_text(encoding="utf-8") == schema_text(model), f"run python -m models.schema ({name})"


def test_documents_in_manifest_order_with_file_facts(batch):
    data = verdict(batch, "LF-A")
    assert [d["file"] for d in data["documents"]] == [f["path"] for f in manifest()["files"]]
    for document in data["documents"]:
        assert document["pages"] == 1 and document["media_type"] == "image/png" and len(document["sha256"]) == 64
    assert data["deadlines"] == {"pre_review_due": "2025-06-04", "resubmit_by": "2025-06-06", "review_due": None,
                                 "result_notice_due": None, "calendar_note": None}


def test_defective_packet_returned_with_reasons(batch):
    data = verdict(batch, "LF-B")
    codes = {(f["code"], f["slot"]) for f in data["findings"]}
    assert data["status"] == "return"
    assert {("DISEASE_NOT_COVERED", None), ("MATERIAL_MISSING", "exam_report"),
            ("MATERIAL_MISSING", "application_form")} <= codes
    assert all(f["message"] for f in data["findings"])


def test_agent_packet_flags_agent_materials(batch):
    codes = {(f["code"], f["slot"]) for f in verdict(batch, "LF-C")["findings"]}
    assert {("AGENT_MATERIALS_MISSING", "agent_id_card"), ("AGENT_MATERIALS_MISSING", "power_of_attorney")} <= codes


def test_duplicate_application_id_is_kept_apart_and_flagged(batch):
    data = verdict(batch, "LF-A~LF-A-again")
    assert data["application_id"] == "LF-A" and data["status"] != "pass"
    assert any("重复" in f["message"] for f in data["findings"])


def test_status_is_derived_from_severities(batch):
    for path in batch["out"].rglob("verdict.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        severities = {f["severity"] for f in data["findings"]}
        expected = "return" if "return" in severities else "manual_review" if "manual" in severities else "pass"
        assert data["status"] == expected


def test_inbox_untouched_and_nothing_written_outside_out(batch):
    assert tree_hashes(batch["inbox"]) == batch["before"]
    assert {p.name for p in batch["root"].iterdir()} == batch["outside_before"] | {"out"}


def test_no_full_id_number_in_outputs_or_logs(batch):
    for number in (APPLICANT_ID, AGENT_ID):
        for path in batch["out"].rglob("*"):
            if path.is_file():
                assert number.encode() not in path.read_bytes(), path
        assert not any(number in line for line in batch["logs"])


def test_reports_and_index_written_for_every_packet(batch):
    out = batch["out"]
    for name in ("LF-A", "LF-B", "LF-C", "LF-A~LF-A-again"):
        html = (out / name / "report.html").read_text(encoding="utf-8")
        assert verdict(batch, name)["application_id"] in html
    index = (out / "index.html").read_text(encoding="utf-8")
    assert index.count("<tr data-status=") == 6 and 'href="LF-B/report.html"' in index


def test_stage_timings_written_for_every_packet(batch):
    for name in ("LF-A", "LF-B", "LF-C"):
        timings = json.loads((batch["out"] / name / "timings.json").read_text(encoding="utf-8"))
        assert {"checks", "evidence", "verdict", "report", "database"} <= set(timings["packet"]), name
        assert {"load", "geometry", "ocr", "seals", "extract"} <= set(timings["reading"]), name
        assert all(seconds >= 0 for group in timings.values() for seconds in group.values())


def test_runs_stored_once_per_application_and_stats_read_them(batch, capsys):
    import store

    engine = store.open_database(None, batch["out"])
    try:
        assert sum(store.count_current(engine).values()) == 3  # LF-A (twice in the inbox), LF-B, LF-C
        assert len(store.runs_for(engine, "LF-A")) == 2
    finally:
        engine.dispose()
    assert main(["stats", "--out", str(batch["out"]), "--format", "csv"]) == 0
    assert capsys.readouterr().out.splitlines()[1].startswith("all,all,全部,3,")
