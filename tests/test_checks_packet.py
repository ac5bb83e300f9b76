"""Packet-level checks: each code fires on a packet built to trigger it and stays silent on a clean one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.packet import PacketLimits, load_packet
from pipeline.run import packet_findings
from tests.packets import AGENT_ID, APPLICANT_ID, manifest, valid_id, write_packet


def codes_for(tmp_path: Path, policy, data: dict, files: dict[str, bytes] | None = None) -> set[tuple[str, str | None]]:
    folder = write_packet(tmp_path, data, files=files)
    findings, _ = packet_findings(load_packet(folder), policy)
    return {(f.code.value, f.slot) for f in findings}


def fcg_renewal(**changes) -> dict:
    base = manifest(
        application_id="FCG-TEST-1", region="fangchenggang", kind="renewal", submitted_on="2025-05-10",
        disease="糖尿病", previous_approval={"valid_until": "2025-06-30"},
        files=[{"path": "form.png", "slot": "application_form"}, {"path": "card.png", "slot": "id_card"},
               {"path": "approval.png", "slot": "previous_approval"}, {"path": "record.png", "slot": "medical_record"}],
    )
    base.update(changes)
    return base


def test_clean_linfen_packet_has_no_packet_findings(tmp_path, policy):
    assert codes_for(tmp_path, policy, manifest()) == set()


def test_clean_fangchenggang_renewal_has_no_packet_findings(tmp_path, policy):
    assert codes_for(tmp_path, policy, fcg_renewal()) == set()


@pytest.mark.parametrize("slot", ["id_card", "diagnosis_certificate", "exam_report", "application_form"])
def test_material_missing(tmp_path, policy, slot):
    data = manifest()
    data["files"] = [f for f in data["files"] if f["slot"] != slot]
    assert codes_for(tmp_path, policy, data) == {("MATERIAL_MISSING", slot)}


@pytest.mark.parametrize(("wrong", "expected"), [
    ({"report.png"}, {("MATERIAL_MISSING", "exam_report")}),   # the only exam report is an ID card (seed 9542)
    (set(), set()),
    ({"card.png"}, {("MATERIAL_MISSING", "id_card")}),
])
def test_a_material_whose_only_file_is_another_document_is_missing(policy, wrong, expected):
    from models.manifest import Manifest
    from pipeline.checks_packet import check_materials_only_wrong

    data = manifest()
    data["files"] = [{"path": "card.png", "slot": "id_card"}, {"path": "zd.png", "slot": "diagnosis_certificate"},
                     {"path": "report.png", "slot": "exam_report"}, {"path": "form.png", "slot": "application_form"}]
    parsed = Manifest.model_validate(data)
    findings = check_materials_only_wrong(parsed, policy.regions[parsed.region], wrong)
    assert {(f.code.value, f.slot) for f in findings} == expected


def test_residence_permit_required_only_for_non_local(tmp_path, policy):
    data = manifest()
    data["applicant"]["local_household"] = False
    assert codes_for(tmp_path, policy, data) == {("MATERIAL_MISSING", "residence_permit")}
    data["files"].append({"path": "permit.png", "slot": "residence_permit"})
    assert codes_for(tmp_path / "b", policy, data) == set()


def test_fangchenggang_any_one_record_satisfies(tmp_path, policy):
    data = fcg_renewal()
    data["files"] = [f for f in data["files"] if f["slot"] != "medical_record"]
    assert codes_for(tmp_path, policy, data) == {("MATERIAL_MISSING", "medical_record")}
    data["files"].append({"path": "rx.png", "slot": "medication_record"})
    assert codes_for(tmp_path / "b", policy, data) == set()


def test_agent_materials_missing(tmp_path, policy):
    data = manifest(agent={"name": "张丽", "id_number": AGENT_ID, "relation": "子女"})
    assert codes_for(tmp_path, policy, data) == {("AGENT_MATERIALS_MISSING", "agent_id_card"),
                                                 ("AGENT_MATERIALS_MISSING", "power_of_attorney")}
    data["files"] += [{"path": "agent.png", "slot": "agent_id_card"}, {"path": "poa.png", "slot": "power_of_attorney"}]
    assert codes_for(tmp_path / "b", policy, data) == set()


def test_id_number_invalid_for_applicant_and_agent(tmp_path, policy):
    bad_applicant = APPLICANT_ID[:-1] + ("0" if APPLICANT_ID[-1] != "0" else "1")
    data = manifest(agent={"name": "张丽", "id_number": "141002199001010023", "relation": "子女"})
    data["applicant"]["id_number"] = bad_applicant
    data["files"] += [{"path": "agent.png", "slot": "agent_id_card"}, {"path": "poa.png", "slot": "power_of_attorney"}]
    folder = write_packet(tmp_path, data)
    findings, _ = packet_findings(load_packet(folder), policy)
    invalid = [f for f in findings if f.code.value == "ID_NUMBER_INVALID"]
    assert len(invalid) == 2
    assert all(bad_applicant not in f.model_dump_json() for f in invalid)


def test_birth_date_after_submission_is_invalid(tmp_path, policy):
    data = manifest()
    data["applicant"]["id_number"] = valid_id("14100220300101001")
    assert ("ID_NUMBER_INVALID", None) in codes_for(tmp_path, policy, data)


@pytest.mark.parametrize("disease, region, covered", [
    ("高血压(Ⅲ级)", "linfen", True), ("HBP", "linfen", True), ("恶性肿瘤门诊治疗", "linfen", True),
    ("感冒", "linfen", False), ("肝硬化", "linfen", False), ("器官移植抗排异治疗", "fangchenggang", False),
    ("肝硬化", "fangchenggang", True),
])
def test_disease_covered(tmp_path, policy, disease, region, covered):
    data = manifest(disease=disease) if region == "linfen" else fcg_renewal(disease=disease)
    codes = codes_for(tmp_path, policy, data)
    assert (("DISEASE_NOT_COVERED", None) in codes) is not covered


@pytest.mark.parametrize("submitted, valid_until, out", [
    ("2025-05-10", "2025-06-30", False),   # inside the 3-month window
    ("2025-03-30", "2025-06-30", False),   # the window opens 2025-03-30
    ("2025-03-29", "2025-06-30", True),    # too early
    ("2025-07-01", "2025-06-30", True),    # lapsed: a new application is needed
])
def test_renewal_window(tmp_path, policy, submitted, valid_until, out):
    data = fcg_renewal(submitted_on=submitted, previous_approval={"valid_until": valid_until})
    assert (("RENEWAL_OUT_OF_WINDOW", None) in codes_for(tmp_path, policy, data)) is out


def test_renewal_without_valid_until_is_flagged(tmp_path, policy):
    codes = codes_for(tmp_path, policy, fcg_renewal(previous_approval=None))
    assert ("RENEWAL_OUT_OF_WINDOW", None) in codes


def test_offsite_filing_reminder(tmp_path, policy):
    data = fcg_renewal()
    data["applicant"]["resides_offsite"] = True
    assert codes_for(tmp_path, policy, data) == {("OFFSITE_FILING_REMINDER", None)}
    linfen = manifest()
    linfen["applicant"]["resides_offsite"] = True
    assert codes_for(tmp_path / "b", policy, linfen) == set()


def test_duplicate_file(tmp_path, policy):
    data = manifest()
    data["files"].append({"path": "copy.png", "slot": "medical_record"})
    folder = write_packet(tmp_path, data)
    (folder / "copy.png").write_bytes((folder / "exam.png").read_bytes())
    findings, _ = packet_findings(load_packet(folder), policy)
    assert {(f.code.value, f.slot, f.file) for f in findings} == {("DUPLICATE_FILE", "medical_record", "copy.png")}


@pytest.mark.parametrize("content, reason", [
    (b"", "为空"),
    (b"just some text, not an image", "不支持"),
    (b"PK\x03\x04 a word document", "不支持"),
])
def test_unreadable_file(tmp_path, policy, content, reason):
    folder = write_packet(tmp_path, manifest(), files={"exam.png": content})
    findings, _ = packet_findings(load_packet(folder), policy)
    [finding] = findings
    assert (finding.code.value, finding.slot, finding.file) == ("UNREADABLE_FILE", "exam_report", "exam.png")
    assert reason in finding.message


def test_absent_and_escaping_files_are_unreadable(tmp_path, policy):
    data = manifest()
    data["files"][2]["path"] = "../outside.png"
    data["files"][3]["path"] = "missing.png"
    folder = write_packet(tmp_path, data)
    (folder / "missing.png").unlink()
    (tmp_path / "outside.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    findings, _ = packet_findings(load_packet(folder), policy)
    assert {(f.code.value, f.slot) for f in findings} == {("UNREADABLE_FILE", "exam_report"),
                                                          ("UNREADABLE_FILE", "application_form")}


def test_absolute_path_is_refused(tmp_path, policy):
    data = manifest()
    data["files"][2]["path"] = "/etc/passwd"
    folder = write_packet(tmp_path, data)
    assert load_packet(folder).files[2].problem is not None


def test_symlink_outside_packet_is_refused(tmp_path):
    secret = tmp_path / "secret.png"
    secret.write_bytes(b"\x89PNG\r\n\x1a\n....")
    folder = write_packet(tmp_path, manifest())
    (folder / "exam.png").unlink()
    (folder / "exam.png").symlink_to(secret)
    packet = load_packet(folder)
    assert packet.files[2].problem is not None and packet.files[2].sha256 is None


def test_oversized_file(tmp_path):
    folder = write_packet(tmp_path, manifest())
    packet = load_packet(folder, PacketLimits(max_file_bytes=100))
    assert all("超过上限" in f.problem for f in packet.files)


def test_png_with_jpg_extension_is_readable(tmp_path):
    data = manifest()
    data["files"][2]["path"] = "exam.jpg"
    folder = write_packet(tmp_path, data)
    (folder / "exam.jpg").write_bytes((folder / "form.png").read_bytes())
    packet = load_packet(folder)
    assert packet.files[2].usable and packet.files[2].media_type == "image/png"


def test_manifest_problems_become_findings(tmp_path, policy):
    assert codes_for(tmp_path, policy, manifest(kind="sometimes")) == {("UNREADABLE_FILE", None)}


def test_unknown_region_is_not_silently_passed(tmp_path, policy):
    assert ("UNREADABLE_FILE", None) in codes_for(tmp_path, policy, manifest(region="atlantis"))


def test_gbk_manifest_is_read_with_a_note(tmp_path):
    folder = write_packet(tmp_path, manifest())
    (folder / "application.json").write_bytes(json.dumps(manifest(), ensure_ascii=False).encode("gbk"))
    packet = load_packet(folder)
    assert packet.manifest is not None and packet.manifest.applicant.name == "张建国"
    assert any("GB18030" in p.message for p in packet.problems)


def test_fingerprint_changes_with_content(tmp_path):
    folder = write_packet(tmp_path, manifest())
    before = load_packet(folder).fingerprint
    assert load_packet(folder).fingerprint == before
    (folder / "exam.png").write_bytes((folder / "form.png").read_bytes())
    assert load_packet(folder).fingerprint != before
