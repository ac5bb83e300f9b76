"""Score pipeline verdicts against generator ground truth (``truth.json``).

Measures what an operator and a reviewer care about: status accuracy and the
confusion between pass / manual_review / return, the unsafe pass rate (a packet
that must be returned was passed), the false-return rate, finding precision and
recall over (code, slot) pairs, per-document field accuracy (type, seal, date,
hospital, person, disease) and integrity (inputs untouched, nothing written
outside OUT, no full ID number in OUT). A missing verdict counts as wrong.

    python -m bench.evaluate --truth DIR/truth.json --out OUTDIR --inbox DIR [--json FILE] [--markdown FILE]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

STATUSES = ("pass", "manual_review", "return")
DATED_TYPES = frozenset({"diagnosis_certificate", "exam_report", "medical_record", "medication_record",
                         "application_form", "previous_approval", "power_of_attorney"})
_ID_RE = re.compile(rb"(?<![0-9])[1-9][0-9]{16}[0-9Xx](?![0-9])")
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_TEXT_SUFFIXES = {".json", ".html", ".htm", ".md", ".txt", ".csv", ".log", ".xml", ".yaml", ".yml", ".tsv", ".svg"}
_MAX_SCAN_BYTES = 20 * 1024 * 1024


# -- helpers ----------------------------------------------------------------------------
def hash_tree(root: Path) -> dict[str, str]:
    """sha256 of every file under ``root``, keyed by its POSIX path relative to ``root``.

    Take it before a run and pass it to :func:`score` to detect modified inputs and stray files.
    """
    root = Path(root)
    out: dict[str, str] = {}
    if not root.exists():
        return out
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            out[path.relative_to(root).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def _valid_id(raw: bytes) -> bool:
    s = raw.decode().upper()
    total = sum(int(d) * w for d, w in zip(s[:17], _WEIGHTS, strict=True))
    return "10X98765432"[total % 11] == s[17]


def _prf(tp: int, fp: int, fn: int) -> dict:
    p = tp / (tp + fp) if tp + fp else (1.0 if fn == 0 else 0.0)
    r = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {"tp": tp, "fp": fp, "fn": fn, "precision": round(p, 4), "recall": round(r, 4), "f1": round(f1, 4)}


def _rate(num: int, den: int) -> float | None:
    return round(num / den, 4) if den else None


def _packets(truth: dict | list) -> list[dict]:
    return truth["packets"] if isinstance(truth, dict) else list(truth)


def _load_verdict(out_dir: Path, app_id: str) -> dict | None:
    path = out_dir / app_id / "verdict.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _same_type(pred: object, truth: str) -> bool:
    """An agent's ID card is an ID card: either name counts for it."""
    alias = {"agent_id_card": "id_card"}
    return alias.get(str(pred), pred) == alias.get(truth, truth)


def _norm(text: object) -> str:
    return re.sub(r"[\s:：,，()（）]", "", str(text or ""))


# -- findings -------------------------------------------------------------------------------
def _match_findings(expected: list[dict], predicted: list[tuple[str, str | None]]) -> tuple[list, list, list]:
    """Greedy one-to-one matching of truth findings to predicted (code, slot) pairs."""
    remaining = list(predicted)
    tp, fn = [], []
    for e in expected:
        ok_slots = e.get("slots_ok") or [e.get("slot")]
        hit = next((p for p in remaining if p[0] == e["code"] and p[1] in ok_slots), None)
        if hit is None:
            fn.append((e["code"], e.get("slot")))
        else:
            remaining.remove(hit)
            tp.append(hit)
    return tp, fn, remaining


def _predicted_pairs(verdict: dict | None) -> list[tuple[str, str | None]]:
    if not verdict:
        return []
    pairs = []
    seen_files: set[tuple[str, str | None, str | None]] = set()
    for f in verdict.get("findings") or []:
        if not isinstance(f, dict) or "code" not in f:
            continue
        key = (f["code"], f.get("slot"), f.get("file"))
        if key in seen_files:
            continue  # the same finding twice for one file counts once
        seen_files.add(key)
        pairs.append((f["code"], f.get("slot")))
    return pairs


# -- documents --------------------------------------------------------------------------------
def _disease_names(code: str | None) -> tuple[str, ...]:
    if not code:
        return ()
    try:
        from pipeline.policy import load_policy

        book = _disease_names.book  # type: ignore[attr-defined]
    except AttributeError:
        book = load_policy()
        _disease_names.book = book  # type: ignore[attr-defined]
    for d in book.catalog.diseases:
        if d.code == code:
            return d.all_names
    return ()


class _Tally:
    def __init__(self) -> None:
        self.c: Counter = Counter()

    def add(self, name: str, ok: bool) -> None:
        self.c[name + "_total"] += 1
        self.c[name + "_ok"] += int(ok)

    def acc(self, name: str) -> dict:
        total = self.c[name + "_total"]
        return {"correct": self.c[name + "_ok"], "total": total, "accuracy": _rate(self.c[name + "_ok"], total)}


def _score_documents(packets: list[dict], verdicts: dict[str, dict | None]) -> dict:
    t = _Tally()
    seal = Counter()
    for pkt in packets:
        verdict = verdicts.get(pkt["application_id"]) or {}
        pred_docs = {d.get("file"): d for d in verdict.get("documents") or [] if isinstance(d, dict)}
        for doc in pkt["documents"]:
            pred = pred_docs.get(doc["file"]) or {}
            if not doc.get("readable", True):
                t.add("detected_type_unreadable", pred.get("detected_type") in ("unknown", None) or not pred)
                continue
            if not doc.get("legible", True):
                continue
            t.add("detected_type", _same_type(pred.get("detected_type"), doc["detected_type"]))
            pred_seal = bool(pred.get("seals"))
            seal["total"] += 1
            seal["correct"] += int(pred_seal == doc["has_seal"])
            if doc["has_seal"]:
                seal["pos"] += 1
                seal["tp"] += int(pred_seal)
                if doc.get("seal_colour") == "grey":
                    seal["grey_pos"] += 1
                    seal["grey_tp"] += int(pred_seal)
            else:
                seal["neg"] += 1
                seal["tn"] += int(not pred_seal)
                if doc.get("has_red_non_seal"):
                    seal["red_neg"] += 1
                    seal["red_tn"] += int(not pred_seal)
            if seal_pred_fp := (pred_seal and not doc["has_seal"]):
                seal["fp"] += int(seal_pred_fp)
            if doc["detected_type"] in DATED_TYPES:
                t.add("issue_date", (pred.get("issue_date") or None) == doc.get("issue_date"))
            if doc.get("hospital"):
                t.add("hospital", _norm(pred.get("hospital")) == _norm(doc["hospital"]))
            if doc.get("person_name"):
                t.add("person_name", _norm(pred.get("person_name")) == _norm(doc["person_name"]))
            if doc.get("diagnosis"):
                names = [*_disease_names(doc.get("disease_code"))]
                if doc.get("disease_name"):
                    names.append(doc["disease_name"])
                if doc.get("disease_code") is None:
                    # a disease the catalog does not cover: its short name (慢性胃炎) need not stand in the diagnosis
                    # as written (慢性萎缩性胃炎), which, read whole, names it
                    names.append(doc["diagnosis"])
                text = _norm(pred.get("diagnosis"))
                ok = (doc.get("disease_code") is not None and pred.get("disease_code") == doc["disease_code"]) or any(
                    n and _norm(n) in text for n in names)
                t.add("disease", ok)
    return {
        "detected_type": t.acc("detected_type"),
        "unreadable_marked_unknown": t.acc("detected_type_unreadable"),
        "has_seal": {
            "accuracy": _rate(seal["correct"], seal["total"]), "total": seal["total"],
            "recall": _rate(seal["tp"], seal["pos"]), "positives": seal["pos"],
            "precision": _rate(seal["tp"], seal["tp"] + seal["fp"]),
            "grey_recall": _rate(seal["grey_tp"], seal["grey_pos"]), "grey_positives": seal["grey_pos"],
            "specificity": _rate(seal["tn"], seal["neg"]),
            "red_non_seal_specificity": _rate(seal["red_tn"], seal["red_neg"]), "red_non_seal_docs": seal["red_neg"],
        },
        "issue_date": t.acc("issue_date"),
        "hospital": t.acc("hospital"),
        "person_name": t.acc("person_name"),
        "disease": t.acc("disease"),
    }


# -- integrity ------------------------------------------------------------------------------
def _known_ids(inbox: Path, packets: list[dict]) -> set[bytes]:
    ids: set[bytes] = set()
    for pkt in packets:
        try:
            manifest = json.loads((inbox / pkt["application_id"] / "application.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        for who in (manifest.get("applicant"), manifest.get("agent")):
            if isinstance(who, dict) and isinstance(who.get("id_number"), str) and len(who["id_number"]) == 18:
                ids.add(who["id_number"].encode())
    return ids


def _ids_in_out(out_dir: Path, known: set[bytes]) -> list[dict]:
    hits = []
    if not out_dir.exists():
        return hits
    for path in sorted(out_dir.rglob("*")):
        if not path.is_file() or path.is_symlink():
            continue
        try:
            data = path.read_bytes()[:_MAX_SCAN_BYTES]
        except OSError:
            continue
        found = {k for k in known if k in data}
        if path.suffix.lower() in _TEXT_SUFFIXES:
            found |= {m.group(0) for m in _ID_RE.finditer(data) if _valid_id(m.group(0))}
        if found:
            hits.append({"file": path.relative_to(out_dir).as_posix(), "count": len(found)})
    return hits


def _integrity(inbox: Path, out_dir: Path, before: dict[str, str] | None, packets: list[dict],
               watch: dict[str, dict[str, str]] | None) -> dict:
    if before is None:  # fall back on the hashes the truth records for every generated file
        before = {}
        for pkt in packets:
            for doc in pkt["documents"]:
                if doc.get("sha256"):
                    before[f"{pkt['application_id']}/{doc['file']}"] = doc["sha256"]
            if pkt.get("manifest_sha256"):
                before[f"{pkt['application_id']}/application.json"] = pkt["manifest_sha256"]
        after = {k: v for k, v in hash_tree(inbox).items() if k.split("/", 1)[0] in {p["application_id"] for p in packets}}
    else:
        after = hash_tree(inbox)
    modified = sorted(k for k, v in before.items() if after.get(k) != v)
    added = sorted(f"INBOX/{k}" for k in after if k not in before)
    for root, manifest in (watch or {}).items():
        now = hash_tree(Path(root))
        added += sorted(f"{root}/{k}" for k, v in now.items() if manifest.get(k) != v)
    ids = _ids_in_out(out_dir, _known_ids(inbox, packets))
    return {"inputs_modified": len(modified), "modified_files": modified[:50],
            "files_written_outside_out": len(added), "outside_files": added[:50],
            "full_id_numbers_in_out": sum(h["count"] for h in ids), "id_number_files": ids[:50]}


# -- entry point ----------------------------------------------------------------------------
def score(truth: dict | list, out_dir: Path, inbox: Path, before: dict[str, str] | None = None,
          watch: dict[str, dict[str, str]] | None = None) -> dict:
    """Score the verdicts in ``out_dir`` against ``truth``.

    Args:
        truth: The decoded ``truth.json`` (a dict with ``packets``, or the list of packets).
        out_dir: The pipeline's OUT folder (``OUT/<application_id>/verdict.json``).
        inbox: The packets the pipeline read.
        before: ``hash_tree(inbox)`` taken before the run; when None, the sha256 recorded in the truth is used.
        watch: Other folders to check for stray writes: ``{folder: hash_tree(folder) before the run}``.

    Returns:
        A JSON-serialisable dict: status, findings, documents, integrity and per-packet details.
    """
    out_dir, inbox = Path(out_dir), Path(inbox)
    packets = _packets(truth)
    verdicts = {p["application_id"]: _load_verdict(out_dir, p["application_id"]) for p in packets}
    confusion = {t: dict.fromkeys((*STATUSES, "missing"), 0) for t in STATUSES}
    correct = unsafe = must_return = false_return = not_return = 0
    counts: dict[str, Counter] = defaultdict(Counter)
    loose: dict[str, Counter] = defaultdict(Counter)
    per_packet = []
    for pkt in packets:
        verdict = verdicts[pkt["application_id"]]
        pred_status = verdict.get("status") if verdict else None
        if pred_status not in STATUSES:
            pred_status = "missing"
        truth_status = pkt["expected_status"]
        confusion[truth_status][pred_status] += 1
        correct += int(pred_status == truth_status)
        has_return = any(f["severity"] == "return" for f in pkt["expected_findings"])
        if has_return:
            must_return += 1
            unsafe += int(pred_status == "pass")
        if truth_status != "return":
            not_return += 1
            false_return += int(pred_status == "return")
        predicted = _predicted_pairs(verdict)
        tp, fn, fp = _match_findings(pkt["expected_findings"], predicted)
        for code, _ in tp:
            counts[code]["tp"] += 1
        for code, _ in fn:
            counts[code]["fn"] += 1
        for code, _ in fp:
            counts[code]["fp"] += 1
        truth_codes = Counter(f["code"] for f in pkt["expected_findings"])
        pred_codes = Counter(c for c, _ in predicted)
        for code in set(truth_codes) | set(pred_codes):
            both = min(truth_codes[code], pred_codes[code])
            loose[code]["tp"] += both
            loose[code]["fn"] += truth_codes[code] - both
            loose[code]["fp"] += pred_codes[code] - both
        per_packet.append({"application_id": pkt["application_id"], "truth_status": truth_status,
                           "pred_status": pred_status, "missed": [list(x) for x in fn], "extra": [list(x) for x in fp]})
    per_code = {code: _prf(c["tp"], c["fp"], c["fn"]) for code, c in sorted(counts.items())}
    total = Counter()
    for c in counts.values():
        total.update(c)
    loose_total = Counter()
    for c in loose.values():
        loose_total.update(c)
    n = len(packets)
    return {
        "packets": n,
        "verdicts_found": sum(v is not None for v in verdicts.values()),
        "status": {"accuracy": _rate(correct, n), "confusion": confusion,
                   "unsafe_pass_rate": _rate(unsafe, must_return), "unsafe_passes": unsafe,
                   "packets_with_return_findings": must_return,
                   "false_return_rate": _rate(false_return, not_return), "false_returns": false_return},
        "findings": {"micro": _prf(total["tp"], total["fp"], total["fn"]), "per_code": per_code,
                     "code_only_micro": _prf(loose_total["tp"], loose_total["fp"], loose_total["fn"])},
        "documents": _score_documents(packets, verdicts),
        "integrity": _integrity(inbox, out_dir, before, packets, watch),
        "per_packet": per_packet,
    }


# -- reports ----------------------------------------------------------------------------------
def _pct(v: float | None) -> str:
    return "n/a" if v is None else f"{100 * v:.1f}%"


def to_markdown(result: dict) -> str:
    """A readable Markdown report of a :func:`score` result."""
    s, f, d, i = result["status"], result["findings"], result["documents"], result["integrity"]
    lines = [
        "# Pre-check evaluation", "",
        f"Packets: {result['packets']}, verdicts found: {result['verdicts_found']}", "",
        "## Status", "",
        "| metric | value |", "|---|---|",
        f"| status accuracy | {_pct(s['accuracy'])} |",
        f"| unsafe pass rate (must return, passed) | {_pct(s['unsafe_pass_rate'])} "
        f"({s['unsafe_passes']}/{s['packets_with_return_findings']}) |",
        f"| false-return rate | {_pct(s['false_return_rate'])} ({s['false_returns']}) |", "",
        "| truth \\ verdict | " + " | ".join((*STATUSES, "missing")) + " |", "|---" * 5 + "|",
    ]
    for t in STATUSES:
        lines.append(f"| {t} | " + " | ".join(str(s["confusion"][t][p]) for p in (*STATUSES, "missing")) + " |")
    m = f["micro"]
    lines += ["", "## Findings ((code, slot) pairs)", "",
              f"Micro: precision {_pct(m['precision'])}, recall {_pct(m['recall'])}, F1 {_pct(m['f1'])}; "
              f"code only F1 {_pct(f['code_only_micro']['f1'])}", "",
              "| code | tp | fp | fn | precision | recall | F1 |", "|---|---|---|---|---|---|---|"]
    for code, c in f["per_code"].items():
        rates = " | ".join(_pct(c[k]) for k in ("precision", "recall", "f1"))
        lines.append(f"| {code} | {c['tp']} | {c['fp']} | {c['fn']} | {rates} |")
    hs = d["has_seal"]
    lines += ["", "## Documents", "", "| field | accuracy | n |", "|---|---|---|"]
    for name in ("detected_type", "issue_date", "hospital", "person_name", "disease", "unreadable_marked_unknown"):
        lines.append(f"| {name} | {_pct(d[name]['accuracy'])} | {d[name]['total']} |")
    lines += [f"| has_seal | {_pct(hs['accuracy'])} | {hs['total']} |",
              f"| seal recall | {_pct(hs['recall'])} | {hs['positives']} |",
              f"| seal precision | {_pct(hs['precision'])} | |",
              f"| grey-seal recall | {_pct(hs['grey_recall'])} | {hs['grey_positives']} |",
              f"| seal specificity | {_pct(hs['specificity'])} | |",
              f"| specificity on red non-seal print | {_pct(hs['red_non_seal_specificity'])} | {hs['red_non_seal_docs']} |",
              "", "## Integrity", "", "| check | count |", "|---|---|",
              f"| inputs modified | {i['inputs_modified']} |",
              f"| files written outside OUT | {i['files_written_outside_out']} |",
              f"| full ID numbers in OUT | {i['full_id_numbers_in_out']} |", ""]
    return "\n".join(lines)


def print_table(result: dict, stream=sys.stdout) -> None:
    s, f, d, i = result["status"], result["findings"], result["documents"], result["integrity"]
    rows = [
        ("packets / verdicts", f"{result['packets']} / {result['verdicts_found']}"),
        ("status accuracy", _pct(s["accuracy"])),
        ("unsafe pass rate", _pct(s["unsafe_pass_rate"])),
        ("false-return rate", _pct(s["false_return_rate"])),
        ("findings micro P / R / F1", " / ".join(_pct(f["micro"][k]) for k in ("precision", "recall", "f1"))),
        ("detected type", _pct(d["detected_type"]["accuracy"])),
        ("has seal acc / recall / grey recall",
         " / ".join(_pct(d["has_seal"][k]) for k in ("accuracy", "recall", "grey_recall"))),
        ("seal specificity (red non-seal)", _pct(d["has_seal"]["red_non_seal_specificity"])),
        ("issue date exact", _pct(d["issue_date"]["accuracy"])),
        ("hospital / person / disease", " / ".join(_pct(d[k]["accuracy"]) for k in ("hospital", "person_name", "disease"))),
        ("inputs modified / outside writes / full IDs", f"{i['inputs_modified']} / {i['files_written_outside_out']} / "
                                                        f"{i['full_id_numbers_in_out']}"),
    ]
    width = max(len(r[0]) for r in rows)
    for name, val in rows:
        print(f"{name.ljust(width)}  {val}", file=stream)
    print("\nper code: " + ", ".join(f"{c} F1={_pct(v['f1'])}" for c, v in f["per_code"].items()), file=stream)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.evaluate", description=__doc__.splitlines()[0])
    parser.add_argument("--truth", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--inbox", type=Path, required=True)
    parser.add_argument("--before", type=Path, help="JSON of hash_tree(INBOX) taken before the run")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--markdown", type=Path)
    args = parser.parse_args(argv)
    truth = json.loads(args.truth.read_text(encoding="utf-8"))
    before = json.loads(args.before.read_text(encoding="utf-8")) if args.before else None
    result = score(truth, args.out, args.inbox, before)
    print_table(result)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    if args.markdown:
        args.markdown.parent.mkdir(parents=True, exist_ok=True)
        args.markdown.write_text(to_markdown(result), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
