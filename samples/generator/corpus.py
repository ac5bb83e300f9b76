"""Write packets (``<out>/<application_id>/application.json`` + files) and their ground truth.

Each packet is generated from its own seed (corpus seed and packet index), so
packets can be rendered in parallel and a corpus is reproducible byte for byte.
"""

from __future__ import annotations

import hashlib
import json
import random
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from models.codes import FindingCode as C
from models.codes import severity_of
from pipeline.policy import load_policy
from samples.generator.capture import GREY_KINDS, capture
from samples.generator.documents import build
from samples.generator.people import mask_id
from samples.generator.scenario import FileSpec, PacketPlan, Planner, pick_capture, plan_packet

TRUTH_VERSION = 1
DATED_TYPES = ("diagnosis_certificate", "exam_report", "medical_record", "medication_record", "application_form",
               "previous_approval", "power_of_attorney")
HOSPITAL_TYPES = ("diagnosis_certificate", "exam_report", "medical_record", "medication_record")
DIAGNOSIS_TYPES = ("diagnosis_certificate", "medical_record", "medication_record")

_HTML_ERROR = (b"<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center>"
               b"<hr><center>nginx</center></body></html>\n")


def _write_file(path: Path, data: bytes) -> None:
    path.write_bytes(data)


def _doc_truth(f: FileSpec, data: bytes | None, meta: dict, names: dict[str, str]) -> dict:
    doc = f.doc
    readable = f.corrupt is None
    truth: dict = {
        "file": f.name, "slot": f.slot, "detected_type": f.detected_type if readable else "unknown",
        "readable": readable, "legible": readable and f.legible, "pages": meta.get("pages", 0) if readable else 0,
        "capture": meta.get("capture") if readable else None, "rotation": meta.get("rotation", 0),
        "exif_orientation": meta.get("exif_orientation"), "greyscale": meta.get("greyscale", False),
        "dpi": meta.get("dpi"), "corrupt": f.corrupt, "duplicate_of": meta.get("duplicate_of"),
        "has_seal": False, "seal_colour": None, "seal_kinds": [], "has_red_non_seal": False, "red_non_seal": [],
        "issue_date": None, "hospital": None, "person_name": None, "id_number": None, "diagnosis": None,
        "disease_code": None, "disease_name": None, "stage": None,
        "sha256": hashlib.sha256(data).hexdigest() if data is not None else None,
        "bytes": len(data) if data is not None else None,
    }
    if not readable or doc is None:
        return truth
    marks = meta.get("marks")
    grey = meta.get("greyscale", False)
    if marks is not None:
        truth["seal_kinds"] = list(marks.seals)
        truth["has_seal"] = bool(marks.seals)
        if marks.seals:
            truth["seal_colour"] = "grey" if grey else ("blue" if doc.blue_seal and "agency" not in marks.seals else "red")
        truth["red_non_seal"] = [] if grey else list(marks.red_non_seal)
        truth["has_red_non_seal"] = bool(truth["red_non_seal"])
    ctype = f.detected_type
    truth["person_name"] = doc.person.name
    if ctype in ("id_card", "residence_permit", "agent_id_card", "application_form", "power_of_attorney",
                 "diagnosis_certificate"):
        truth["id_number"] = mask_id(doc.person.id_number)
    if ctype in DATED_TYPES:
        truth["issue_date"] = doc.issue_date.isoformat() if doc.issue_date else None
    if ctype in HOSPITAL_TYPES:
        truth["hospital"] = doc.hospital
    if ctype in DIAGNOSIS_TYPES and doc.diagnosis:
        truth["diagnosis"] = doc.diagnosis
        truth["disease_code"] = doc.disease_code
        truth["disease_name"] = names.get(doc.disease_code or "", doc.disease_name)
        truth["stage"] = doc.stage
    return truth


def _render_file(f: FileSpec, rng: random.Random) -> tuple[bytes, str, dict]:
    """Draw and capture one file; returns bytes, extension and facts for the truth."""
    assert f.doc is not None
    built = build(f.doc, rng)
    kind = pick_capture(rng, f, built.card, len(built.pages))
    cap = capture(built.pages, kind, rng, card=built.card, title=f.doc.content)
    meta = {"pages": cap.pages, "capture": kind, "rotation": cap.rotation, "exif_orientation": cap.exif_orientation,
            "greyscale": cap.greyscale or kind in GREY_KINDS, "dpi": cap.dpi, "marks": built.marks}
    return cap.data, cap.ext, meta


def _corrupt_bytes(f: FileSpec, rng: random.Random) -> tuple[bytes | None, str]:
    if f.corrupt == "empty":
        return b"", rng.choice(("jpg", "pdf"))
    if f.corrupt == "html":
        return _HTML_ERROR, "jpg"
    if f.corrupt == "garbage":
        return bytes(rng.randrange(256) for _ in range(rng.randrange(2000, 20000))), rng.choice(("jpg", "png"))
    if f.corrupt == "truncated" and f.doc is not None:
        data, ext, _ = _render_file(f, rng)
        return data[: max(64, int(len(data) * rng.uniform(0.15, 0.4)))], ext
    if f.corrupt == "truncated":
        return b"\xff\xd8\xff\xe0" + bytes(rng.randrange(256) for _ in range(500)), "jpg"
    return None, "jpg"  # absent: listed in the manifest, never written


def write_packet(plan: PacketPlan, out_dir: Path, seed: int, index: int, names: dict[str, str] | None = None) -> dict:
    """Render every file of ``plan`` into ``out_dir/<application_id>/``; returns the packet's truth entry."""
    folder = out_dir / plan.application_id
    folder.mkdir(parents=True, exist_ok=True)
    written: dict[str, tuple[bytes | None, str, dict]] = {}
    docs_truth = []
    manifest_files = []
    for f in plan.files:
        rng = random.Random(f"file:{seed}:{index}:{f.key}")
        if f.corrupt:
            data, ext = _corrupt_bytes(f, rng)
            meta: dict = {}
        elif f.duplicate_of:
            data, ext, meta = written[f.duplicate_of]
            meta = {**meta, "duplicate_of": None}
        else:
            data, ext, meta = _render_file(f, rng)
        f.name = f"{f.name}.{ext}"
        written[f.key] = (data, ext, meta)
        if data is not None:
            _write_file(folder / f.name, data)
        manifest_files.append({"path": f.name, "slot": f.slot})
        t = _doc_truth(f, data, meta, names or {})
        if f.duplicate_of:
            t["duplicate_of"] = next(x.name for x in plan.files if x.key == f.duplicate_of)
        docs_truth.append(t)
    manifest = {
        "application_id": plan.application_id,
        "region": plan.region,
        "kind": plan.kind,
        "submitted_on": plan.submitted_on.isoformat(),
        "applicant": {"name": plan.applicant.name, "id_number": plan.manifest_id_number, "insurance": plan.insurance,
                      "retired": plan.retired, "local_household": plan.local_household,
                      "resides_offsite": plan.resides_offsite},
        "disease": plan.disease,
        "agent": ({"name": plan.agent.name, "id_number": plan.agent.id_number, "relation": plan.agent_relation}
                  if plan.agent else None),
        "previous_approval": {"valid_until": plan.valid_until.isoformat()} if plan.valid_until else None,
        "files": manifest_files,
    }
    manifest_bytes = (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    _write_file(folder / "application.json", manifest_bytes)
    key_to_name = {f.key: f.name for f in plan.files}
    expected = [{"code": e.code, "slot": e.slot, "severity": severity_of(C(e.code)).value,
                 "file": key_to_name.get(e.file_key) if e.file_key else None, "slots_ok": e.slots_ok}
                for e in plan.expected]
    return {
        "application_id": plan.application_id, "region": plan.region, "kind": plan.kind,
        "submitted_on": plan.submitted_on.isoformat(), "disease": plan.disease, "disease_code": plan.disease_code,
        "agent": plan.agent is not None, "local_household": plan.local_household,
        "resides_offsite": plan.resides_offsite,
        "valid_until": plan.valid_until.isoformat() if plan.valid_until else None,
        "manifest_sha256": hashlib.sha256(manifest_bytes).hexdigest(),
        "defects": plan.defects, "expected_status": plan.status, "expected_findings": expected,
        "documents": docs_truth,
    }


def _one(args: tuple[int, int, str, str]) -> dict:
    seed, index, mix, out = args
    planner = Planner(load_policy(), mix)
    rng = random.Random(f"packet:{seed}:{index}")
    plan = plan_packet(planner, rng, index, seed)
    names = {code: entry.name for code, entry in planner.by_code.items()}
    return write_packet(plan, Path(out), seed, index, names)


def generate_corpus(out_dir: Path, *, seed: int, count: int, mix: str = "public", workers: int = 1) -> dict:
    """Generate ``count`` packets under ``out_dir`` and write ``out_dir/truth.json``.

    Args:
        out_dir: Corpus folder (created). Existing packets with the same ids are overwritten.
        seed: Corpus seed; the same seed, count and mix give identical bytes.
        count: Number of packets.
        mix: ``public`` (the cities' published rejection mix) or ``uniform`` (every finding code equally).
        workers: Processes to render with (packets are independent).

    Returns:
        The truth document that was written.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    jobs = [(seed, i, mix, str(out_dir)) for i in range(count)]
    if workers > 1 and count > 1:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            packets = list(pool.map(_one, jobs))
    else:
        packets = [_one(j) for j in jobs]
    truth = {"generator": "samples.generator", "truth_version": TRUTH_VERSION, "seed": seed, "count": count,
             "mix": mix, "packets": packets}
    (out_dir / "truth.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return truth
