"""The evaluation scorer: perfect verdicts score 100 %, always-pass verdicts are unsafe, integrity checks fire."""

from __future__ import annotations

import json
import shutil

import pytest
from PIL import Image

from bench.eval_real import score_real
from bench.evaluate import hash_tree, score, to_markdown
from samples.generator import generate_corpus


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    inbox = tmp_path_factory.mktemp("inbox")
    truth = generate_corpus(inbox, seed=4, count=2, mix="uniform")
    return inbox, truth


def _verdict_from_truth(pkt: dict) -> dict:
    docs = []
    for d in pkt["documents"]:
        docs.append({"file": d["file"], "slot": d["slot"], "detected_type": d["detected_type"], "pages": d["pages"],
                     "seals": [{"page": 1, "bbox": [0, 0, 10, 10], "score": 1.0}] if d["has_seal"] else [],
                     "issue_date": d["issue_date"], "hospital": d["hospital"], "person_name": d["person_name"],
                     "id_number": d["id_number"], "diagnosis": d["diagnosis"], "disease_code": d["disease_code"],
                     "stage": d["stage"]})
    findings = [{"code": f["code"], "severity": f["severity"], "slot": f["slot"], "file": f["file"], "message": "x"}
                for f in pkt["expected_findings"]]
    return {"application_id": pkt["application_id"], "status": pkt["expected_status"], "findings": findings,
            "documents": docs}


def _write(out, verdicts):
    for v in verdicts:
        (out / v["application_id"]).mkdir(parents=True, exist_ok=True)
        (out / v["application_id"] / "verdict.json").write_text(json.dumps(v, ensure_ascii=False), encoding="utf-8")


def test_perfect_prediction_scores_100(corpus, tmp_path):
    inbox, truth = corpus
    _write(tmp_path, [_verdict_from_truth(p) for p in truth["packets"]])
    result = score(truth, tmp_path, inbox)
    assert result["status"]["accuracy"] == 1.0
    assert result["status"]["unsafe_pass_rate"] in (0.0, None)
    assert result["findings"]["micro"]["f1"] == 1.0
    docs = result["documents"]
    for name in ("detected_type", "issue_date", "hospital", "person_name", "disease"):
        assert docs[name]["accuracy"] in (1.0, None), name
    assert docs["has_seal"]["accuracy"] == 1.0
    assert result["integrity"] == {"inputs_modified": 0, "modified_files": [], "files_written_outside_out": 0,
                                   "outside_files": [], "full_id_numbers_in_out": 0, "id_number_files": []}
    assert "| status accuracy | 100.0% |" in to_markdown(result)


def test_an_uncovered_disease_read_whole_is_named(corpus, tmp_path):
    """Fresh seed 9612: a text-layer certificate read 慢性萎缩性胃炎 exactly, a disease the catalog does not cover
    (short name 慢性胃炎); it scored as a disease miss."""
    import copy

    inbox, truth = corpus
    truth = copy.deepcopy(truth)
    doc = next(d for p in truth["packets"] for d in p["documents"] if d.get("diagnosis"))
    doc.update({"disease_code": None, "disease_name": "慢性胃炎", "diagnosis": "慢性萎缩性胃炎"})
    _write(tmp_path, [_verdict_from_truth(p) for p in truth["packets"]])
    assert score(truth, tmp_path, inbox)["documents"]["disease"]["accuracy"] == 1.0


def test_always_pass_is_unsafe(corpus, tmp_path):
    inbox, truth = corpus
    _write(tmp_path, [{"application_id": p["application_id"], "status": "pass", "findings": [], "documents": []}
                      for p in truth["packets"]])
    result = score(truth, tmp_path, inbox)
    assert result["status"]["packets_with_return_findings"] > 0
    assert result["status"]["unsafe_pass_rate"] == 1.0
    assert result["findings"]["micro"]["recall"] == 0.0


def test_missing_verdicts_count_as_wrong(corpus, tmp_path):
    inbox, truth = corpus
    result = score(truth, tmp_path, inbox)
    assert result["verdicts_found"] == 0
    assert result["status"]["accuracy"] == 0.0
    assert sum(row["missing"] for row in result["status"]["confusion"].values()) == len(truth["packets"])


def test_integrity_detects_modified_inputs_stray_files_and_full_ids(corpus, tmp_path):
    inbox, truth = corpus
    copy = tmp_path / "inbox"
    shutil.copytree(inbox, copy)
    before = hash_tree(copy)
    pkt = truth["packets"][0]
    target = next(d for d in pkt["documents"] if d["readable"])
    (copy / pkt["application_id"] / target["file"]).write_bytes(b"changed")
    (copy / pkt["application_id"] / "thumbnail.png").write_bytes(b"stray")
    out = tmp_path / "out"
    verdict = _verdict_from_truth(pkt)
    manifest = json.loads((copy / pkt["application_id"] / "application.json").read_text(encoding="utf-8"))
    verdict["note"] = manifest["applicant"]["id_number"]  # a leak
    _write(out, [verdict])
    result = score(truth, out, copy, before)["integrity"]
    assert result["inputs_modified"] == 1
    assert result["files_written_outside_out"] == 1
    assert result["full_id_numbers_in_out"] == 1


def _fake_detect(path):
    """A stand-in detector for testing the scorer: 'seal' when the image is mostly red."""
    img = Image.open(path).convert("RGB").resize((8, 8))
    reds = sum(1 for r, g, b in img.getdata() if r > 150 and g < 100)
    return {"seals": [{"page": 1}] if reds > 8 else [], "issue_date": "2025-03-12" if "dated" in path.name else None}


def test_score_real_counts_and_skips(tmp_path):
    images = tmp_path / "images"
    images.mkdir()
    Image.new("RGB", (32, 32), (220, 30, 30)).save(images / "seal_dated.png")
    Image.new("RGB", (32, 32), (220, 30, 30)).save(images / "red_title.png")
    Image.new("RGB", (32, 32), (255, 255, 255)).save(images / "plain.png")
    labels = [
        {"file": "seal_dated.png", "seal_count": 1, "notes": "", "report_date": "2025-03-12"},
        {"file": "red_title.png", "seal_count": 0, "notes": "[FP-red-non-seal] red header", "report_date": None},
        {"file": "plain.png", "seal_count": 0, "notes": "", "report_date": "2024-01-01"},
        {"file": "not_there.png", "seal_count": 1, "notes": "", "report_date": None},
    ]
    (tmp_path / "labels.json").write_text(json.dumps(labels), encoding="utf-8")
    result = score_real(tmp_path / "labels.json", images, _fake_detect)
    assert result["images"] == 3
    assert result["has_seal"] == {"accuracy": 0.6667, "precision": 0.5, "recall": 1.0, "tp": 1, "fp": 1, "tn": 1, "fn": 0}
    assert result["false_seals_on_red_non_seal"] == {"images": 1, "with_false_seal": 1, "rate": 1.0}
    assert result["report_date"] == {"labelled": 2, "exact": 1, "accuracy": 0.5}
    assert score_real(tmp_path / "absent.json", images, _fake_detect)["skipped"] is True
