"""Reviewer reports: the per-packet report.html and the batch index.html, rendered from OUT files only."""

from __future__ import annotations

import json
import re
import shutil

import pytest

import reports
from flows.outputs import attach_evidence_crops, write_rejection, write_verdict
from models.codes import FindingCode
from models.verdict import PacketRejection
from pipeline.run import RunContext, run_packet
from reports.labels import CODE_ZH
from tests.packets import APPLICANT_ID, manifest, write_packet
from tests.verdicts import expected_image_count, finding, make_verdict, write_evidence_packet

IMG_SRC = re.compile(r'<img src="([^"]+)"')


@pytest.fixture
def evidence_packet(tmp_path):
    verdict, packet_out = write_evidence_packet(tmp_path / "out")
    return verdict, packet_out


def test_report_shows_status_findings_evidence_documents_and_deadlines(evidence_packet):
    verdict, packet_out = evidence_packet
    path = reports.render_packet(verdict, packet_out, region_name="临汾市")
    html = path.read_text(encoding="utf-8")
    assert path == packet_out / "report.html"
    assert "建议退回补正" in html and 'data-status="return"' in html
    for f in verdict.findings:
        assert CODE_ZH[f.code] in html and f.code.value in html
    assert "应加盖公章的位置（未检出公章）" in html  # the crop where the seal should be
    assert "报告日期：2023年05月01日" in html  # the date line that was read
    assert "原发性高血压3级" in html  # the diagnosis text
    for document in verdict.documents:
        assert document.file in html
    assert "2025-06-04" in html and "2025-06-06" in html and "临汾市（linfen）" in html
    assert "141002********0017" in html


def test_report_is_self_contained_with_images_inline(evidence_packet):
    verdict, packet_out = evidence_packet
    html = reports.render_packet_html(verdict, packet_out)
    sources = IMG_SRC.findall(html)
    assert len(sources) >= expected_image_count(verdict)
    assert all(src.startswith(("data:image/jpeg;base64,", "data:image/png;base64,")) for src in sources)
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)
    assert "<style>" in html and "<script>" in html and "<link" not in html


def test_report_can_link_images_by_relative_path(evidence_packet):
    verdict, packet_out = evidence_packet
    html = reports.render_packet_html(verdict, packet_out, embed_images=False)
    sources = IMG_SRC.findall(html)
    assert sources and all((packet_out / src).is_file() for src in sources)


def test_text_is_escaped_and_id_numbers_masked(tmp_path):
    verdict = make_verdict(findings=[
        finding(FindingCode.IDENTITY_MISMATCH, slot="id_card", message=f"<script>alert(1)</script> 证号 {APPLICANT_ID}"),
    ])
    html = reports.render_packet_html(verdict, tmp_path)
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert APPLICANT_ID not in html and "141002********0017" in html


def test_missing_or_escaping_image_paths_are_never_read(tmp_path):
    """GIVEN crops that are missing or point outside the packet's OUT folder WHEN rendered
    THEN no image is embedded for them and the report says the file is missing."""
    secret = tmp_path / "secret.jpg"
    shutil.copy(write_evidence_packet(tmp_path / "other")[1] / "evidence" / "d03_seal1.jpg", secret)
    packet_out = tmp_path / "out" / "LF-T-0001"
    packet_out.mkdir(parents=True)
    verdict = make_verdict(findings=[
        finding(FindingCode.SEAL_MISSING, crop="evidence/gone.jpg"),
        finding(FindingCode.DATE_MISSING, slot="exam_report", crop="../../secret.jpg"),
        finding(FindingCode.SIGNATURE_MISSING, crop=str(secret)),
    ])
    html = reports.render_packet_html(verdict, packet_out)
    assert IMG_SRC.findall(html) == []
    assert html.count("截图文件缺失") == 3


def test_report_from_a_real_run_uses_out_files_only(tmp_path, policy):
    """GIVEN a packet pre-checked by run_packet and written as the flow writes it
    WHEN the inbox is deleted and the report rendered from OUT THEN it shows the verdict."""
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    folder = write_packet(inbox, manifest(application_id="LF-REAL-1", files=manifest()["files"][:3]))
    packet_out = out / "LF-REAL-1"
    outcome = run_packet(folder, packet_out, RunContext(policy=policy, strict=True))
    assert outcome.verdict is not None
    write_verdict(attach_evidence_crops(outcome.verdict, outcome.readings, packet_out), packet_out)
    shutil.rmtree(inbox)
    html = reports.render_packet_from_file(packet_out).read_text(encoding="utf-8")
    assert "LF-REAL-1" in html and "MATERIAL_MISSING" in html
    for entry in manifest()["files"][:3]:
        assert entry["path"] in html
    assert all(src.startswith("data:image/") for src in IMG_SRC.findall(html))


# --- batch index ----------------------------------------------------------------------------------------------------

@pytest.fixture
def batch_out(tmp_path):
    out = tmp_path / "out"
    returned, packet_out = write_evidence_packet(out, "LF-B-0002")
    write_verdict(returned, packet_out)
    reports.render_packet(returned, packet_out)
    write_verdict(make_verdict("LF-B-0001"), out / "LF-B-0001")
    manual = make_verdict("LF-B-0001", findings=[finding(FindingCode.HOSPITAL_UNKNOWN)])
    write_verdict(manual.model_copy(update={"packet_folder": "LF-B-0001-again"}), out / "LF-B-0001~LF-B-0001-again")
    write_rejection(PacketRejection(folder="broken", reason="清单不是 JSON 对象"), out / "_rejected" / "broken")
    (out / "LF-BAD").mkdir()
    (out / "LF-BAD" / "verdict.json").write_text("{half", encoding="utf-8")
    return out


def test_index_lists_every_packet_with_status_and_codes(batch_out):
    entries = reports.collect_index_entries(batch_out)
    by_dir = {e.output_dir: e for e in entries}
    assert set(by_dir) == {"LF-B-0001", "LF-B-0002", "LF-B-0001~LF-B-0001-again", "_rejected/broken", "LF-BAD"}
    assert by_dir["LF-B-0002"].status == "return" and by_dir["LF-B-0002"].report_href == "LF-B-0002/report.html"
    assert by_dir["LF-B-0001"].report_href == "LF-B-0001/verdict.json"  # no report rendered there yet
    assert by_dir["LF-B-0002"].codes == ("DUPLICATE_FILE", "HOSPITAL_UNKNOWN", "REPORT_EXPIRED", "SEAL_MISSING")
    assert by_dir["_rejected/broken"].status == "rejected" and by_dir["_rejected/broken"].reason == "清单不是 JSON 对象"
    assert by_dir["LF-BAD"].reason.startswith("verdict.json 无法读取")
    assert [e.status for e in entries][:2] == ["return", "rejected"]


def test_index_html_has_filters_and_links(batch_out):
    html = reports.render_index(batch_out).read_text(encoding="utf-8")
    assert html.count("<tr data-status=") == 5
    assert 'href="LF-B-0002/report.html"' in html and 'id="f-status"' in html and 'id="f-code"' in html
    assert '<option value="SEAL_MISSING">' in html
    assert "文件夹：LF-B-0001-again" in html
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)


def test_report_links_back_to_index(evidence_packet):
    verdict, packet_out = evidence_packet
    assert 'href="../index.html"' in reports.render_packet_html(verdict, packet_out)
    assert "index.html" not in reports.render_packet_html(verdict, packet_out, index_href=None)


def test_rerender_from_file_round_trips(evidence_packet):
    verdict, packet_out = evidence_packet
    write_verdict(verdict, packet_out)
    first = reports.render_packet(verdict, packet_out).read_text(encoding="utf-8")
    again = reports.render_packet_from_file(packet_out).read_text(encoding="utf-8")
    assert first == again
    assert json.loads((packet_out / "verdict.json").read_text(encoding="utf-8"))["status"] == "return"


def test_a_date_read_but_doubted_is_captioned_as_read_not_as_missing():
    from reports.labels import crop_caption

    assert "未识读到日期" in crop_caption(FindingCode.DATE_MISSING.value, value_read=False)
    assert crop_caption(FindingCode.DATE_MISSING.value, value_read=True).startswith("识读到的日期")
    assert crop_caption(FindingCode.SEAL_MISSING.value, value_read=True) == crop_caption(
        FindingCode.SEAL_MISSING.value, value_read=False)
