"""The synthetic packet generator: reproducible bytes, consistent truth, truth that follows the policy."""

from __future__ import annotations

import io
import json
import random
import re
from collections import Counter
from datetime import date

import numpy as np
import pytest
from PIL import Image

from bench.evaluate import hash_tree
from models.codes import FindingCode, derive_status, severity_of
from models.manifest import parse_manifest
from samples.generator import generate_corpus, render_document
from samples.generator.capture import capture
from samples.generator.dates import cn_upper, format_date, months_before
from samples.generator.documents import DocContent, build
from samples.generator.people import break_check_digit, check_digit, make_person
from samples.generator.scenario import Planner, plan_packet


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    out = tmp_path_factory.mktemp("corpus")
    truth = generate_corpus(out, seed=11, count=2, mix="uniform")
    return out, truth


def _valid_id(number: str) -> bool:
    return len(number) == 18 and check_digit(number[:17]) == number[17]


# -- reproducibility -------------------------------------------------------------------------
def test_same_seed_gives_identical_bytes(corpus, tmp_path):
    """GIVEN a corpus generated from seed 11, WHEN it is generated again elsewhere, THEN every byte matches."""
    out, _ = corpus
    again = tmp_path / "again"
    generate_corpus(again, seed=11, count=2, mix="uniform")
    assert hash_tree(out) == hash_tree(again)


def test_different_seed_gives_different_packets(corpus, tmp_path):
    other = generate_corpus(tmp_path / "other", seed=12, count=1, mix="uniform")
    _, truth = corpus
    assert other["packets"][0]["documents"][0]["sha256"] != truth["packets"][0]["documents"][0]["sha256"]


# -- truth consistency --------------------------------------------------------------------------
def test_every_manifest_file_exists_and_matches_truth(corpus):
    out, truth = corpus
    assert (out / "truth.json").is_file()
    for pkt in truth["packets"]:
        folder = out / pkt["application_id"]
        raw = json.loads((folder / "application.json").read_text(encoding="utf-8"))
        parsed = parse_manifest(raw)
        assert parsed.manifest is not None and not [p for p in parsed.problems if p.fatal]
        assert [f["path"] for f in raw["files"]] == [d["file"] for d in pkt["documents"]]
        for doc in pkt["documents"]:
            path = folder / doc["file"]
            if doc["corrupt"] == "absent":
                assert not path.exists()
                continue
            assert path.is_file()
            assert hash_tree(folder)[doc["file"]] == doc["sha256"]


def test_expected_findings_are_closed_codes_and_status_follows(corpus):
    _, truth = corpus
    for pkt in truth["packets"]:
        codes = [FindingCode(f["code"]) for f in pkt["expected_findings"]]
        assert pkt["expected_status"] == derive_status([severity_of(c) for c in codes]).value
        for d in pkt["defects"]:
            code = d.replace("_DIAG", "").replace("_EXAM", "")
            assert code in {c.value for c in codes}, (pkt["application_id"], d)


def test_documents_readable_by_pillow_or_pdf(corpus):
    import pypdfium2 as pdfium

    out, truth = corpus
    for pkt in truth["packets"]:
        for doc in pkt["documents"]:
            if not doc["readable"]:
                continue
            data = (out / pkt["application_id"] / doc["file"]).read_bytes()
            if doc["file"].endswith(".pdf"):
                assert len(pdfium.PdfDocument(data)) == doc["pages"]
            else:
                img = Image.open(io.BytesIO(data))
                img.load()
                assert getattr(img, "n_frames", 1) == doc["pages"]


# -- the plans follow the policy ----------------------------------------------------------------
@pytest.fixture(scope="module")
def plans(policy):
    planner = Planner(policy, "uniform")
    return [plan_packet(planner, random.Random(f"packet:5:{i}"), i, 5) for i in range(160)]


def test_uniform_mix_covers_every_finding_code(plans):
    seen = Counter(e.code for p in plans for e in p.expected)
    assert set(seen) == {c.value for c in FindingCode}


def test_public_mix_matches_published_shares(policy):
    planner = Planner(policy, "public")
    plans = [plan_packet(planner, random.Random(f"packet:9:{i}"), i, 9) for i in range(400)]
    returns = [p for p in plans if p.status == "return"]
    clean = sum(p.status == "pass" for p in plans) / len(plans)
    unstamped = sum(any(e.code == "SEAL_MISSING" and e.slot == "diagnosis_certificate" for e in p.expected)
                    for p in returns) / len(returns)
    expired = sum(any(e.code == "REPORT_EXPIRED" for e in p.expected) for p in returns) / len(returns)
    assert 0.24 < clean < 0.42
    assert 0.27 < unstamped < 0.45
    assert 0.2 < expired < 0.38


def test_a_certificate_expects_one_hospital_defect_at_most(policy):
    """Both hospital defects drawn for one certificate: the second issuer replaced the first, so only
    its finding can be expected (seed 9513 expected HOSPITAL_UNKNOWN for a registered private hospital)."""
    planner = Planner(policy, "public")
    plans = [plan_packet(planner, random.Random(f"packet:9513:{i}"), i, 9513) for i in range(20)]
    plans += [plan_packet(Planner(policy, "uniform"), random.Random(f"packet:5:{i}"), i, 5) for i in range(160)]
    for p in plans:
        per_file = Counter(e.file_key for e in p.expected if e.code in ("HOSPITAL_UNKNOWN", "HOSPITAL_NOT_ELIGIBLE"))
        assert all(n == 1 for n in per_file.values()), p.expected


def test_id_numbers_valid_unless_defect(plans):
    for p in plans:
        invalid = any(e.code == "ID_NUMBER_INVALID" for e in p.expected)
        assert _valid_id(p.manifest_id_number) != invalid
        if p.agent:
            assert _valid_id(p.agent.id_number)


def test_stage_criterion_follows_catalog(plans, policy):
    hbp_dm = {d.code: d.regions["linfen"].criterion for d in policy.catalog.diseases if d.code in ("HBP", "DM")}
    checked = 0
    for p in plans:
        if p.region != "linfen" or p.kind != "new" or p.disease_code not in hbp_dm:
            continue
        diag = [f for f in p.files if f.slot == "diagnosis_certificate" and f.doc and not f.corrupt]
        if not diag or any(e.code == "DIAGNOSIS_MISMATCH" for e in p.expected):
            continue
        meets = any(re.search(pat, diag[0].doc.diagnosis) for pat in hbp_dm[p.disease_code].patterns)
        assert meets != any(e.code == "STAGE_NOT_MET" for e in p.expected), diag[0].doc.diagnosis
        checked += 1
    assert checked > 3


def test_dates_respect_max_age(plans, policy):
    for p in plans:
        kind = policy.regions[p.region].kinds[p.kind]
        flagged = {(e.code, e.file_key) for e in p.expected}
        for f in p.files:
            if f.doc is None or f.corrupt or f.slot != f.detected_type or f.doc.issue_date is None:
                continue
            rule = kind.materials.get(f.slot)
            if ("WRONG_DOCUMENT", f.key) in flagged:
                continue
            future = f.doc.issue_date > p.submitted_on
            assert future == (("DATE_IN_FUTURE", f.key) in flagged)
            if rule and rule.max_age_months:
                expired = f.doc.issue_date < months_before(p.submitted_on, rule.max_age_months)
                assert expired == (("REPORT_EXPIRED", f.key) in flagged)


def test_hospitals_follow_registry(plans, policy):
    eligible = {h.name for h in policy.all_hospitals if h.level >= 2 and h.ownership == "public"}
    known = {h.name for h in policy.all_hospitals}
    for p in plans:
        if (p.region, p.kind) != ("linfen", "new"):
            continue
        for f in p.files:
            if f.slot == "diagnosis_certificate" and f.doc and f.detected_type == "diagnosis_certificate":
                codes = {e.code for e in p.expected if e.file_key == f.key}
                assert (f.doc.hospital not in known) == ("HOSPITAL_UNKNOWN" in codes)
                assert (f.doc.hospital in known - eligible) == ("HOSPITAL_NOT_ELIGIBLE" in codes)


# -- rendering and capture -------------------------------------------------------------------------
def test_rendered_certificate_has_seal_marks():
    pages, marks, _ = render_document("diagnosis_certificate", seed=3, dpi=100)
    assert marks.seals and pages[0].size[0] > 400
    _, marks_none, _ = render_document("diagnosis_certificate", seed=3, dpi=100, sealed=False)
    assert not marks_none.seals


def test_exif_rotated_photo_and_text_pdf():
    rng = random.Random(4)
    person = make_person(rng, "linfen")
    spec = DocContent("diagnosis_certificate", person, "linfen", date(2025, 6, 3), date(2025, 3, 12),
                      "临汾市尧都中心医院", "HBP", "高血压", "原发性高血压3级（极高危）")
    built = build(spec, random.Random(1))
    photo = capture(built.pages, "phone_photo_exif", random.Random(2))
    img = Image.open(io.BytesIO(photo.data))
    assert img.getexif().get(0x0112) == photo.exif_orientation
    assert (img.width > img.height) == (photo.rotation in (90, 270))
    assert 1100 <= max(img.size) <= 1700
    pdf = capture(built.pages, "pdf_text", random.Random(2))
    import pdfplumber

    with pdfplumber.open(io.BytesIO(pdf.data)) as doc:
        text = doc.pages[0].extract_text()
    assert "临汾市尧都中心医院" in text and person.name in text


def test_dates_and_ids_helpers():
    assert cn_upper(date(2025, 3, 12)) == "二〇二五年三月十二日"
    assert format_date(date(2025, 3, 2), "dot") == "2025.03.02"
    assert _valid_id("11010519491231002X")
    assert not _valid_id(break_check_digit("11010519491231002X"))


def test_a_lab_table_ends_above_the_report_sign_off():
    """Long tables on small paper printed their last rows under the 报告时间 line (2024 read as 2924)."""
    person = make_person(random.Random(5), "linfen")
    for seed in range(40):
        spec = DocContent("exam_report", person, "linfen", date(2025, 6, 3), date(2025, 3, 12),
                          "临汾市尧都中心医院", "HBP", "高血压", "原发性高血压3级", exam_kind="lab")
        page = build(spec, random.Random(seed)).pages[0]
        texts = [op for op in page.ops if hasattr(op, "text")]
        sign_off = min(op.y for op in texts if re.match(r"(报告医师|检验者|报告者|诊断医师)", op.text))
        units = [op.y for op in texts if op.text in {"mmol/L", "g/L", "U/L", "%", "10^9/L", "10^12/L", "μmol/L",
                                                      "mg/L", "IU/mL", "U/mL", "mm/h", "pmol/L", "mIU/L"}]
        assert units and max(units) < sign_off - 3, seed


@pytest.mark.parametrize("text_px", [8, 12, 20])
def test_a_legible_photo_is_never_blurred_past_its_text_size(text_px):
    """An 8 px smear over 13 px characters made photos the truth called legible unreadable to anyone."""
    from samples.generator.capture import GAUSSIAN_BLUR_SHARE, MOTION_BLUR_SHARE, legible_blur

    dot = np.zeros((41, 41), np.float32)
    dot[20, 20] = 1000.0
    for seed in range(60):
        spread = legible_blur(dot, random.Random(seed), text_px) > 1.0
        ys, xs = np.nonzero(spread)
        extent = max(ys.max() - ys.min(), xs.max() - xs.min()) + 1
        assert extent <= max(2, MOTION_BLUR_SHARE * text_px, 6 * GAUSSIAN_BLUR_SHARE * text_px) + 1, seed
