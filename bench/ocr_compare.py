"""Compare the OCR engines, with and without geometry correction, and the on-demand second looks.

For every page set it measures the share of expected field strings found in the OCR text
and the seconds per page, per capture kind:

* the real images (default ``/work/shared/realdata``): ``report_date``, ``diagnosis`` and
  ``seal_text`` from ``labels.json``; capture kind ``photo`` / ``scan`` from the notes' tags;
* the synthetic corpus (``samples/corpus/truth.json`` when present, else a small corpus is
  generated with ``samples.generator`` under ``out/bench/corpus``): ``issue_date``,
  ``hospital``, ``person_name`` and ``diagnosis``; capture kinds from the truth. Its
  rotation truth also gives orientation accuracy.

Variants: ``raw`` (the loaded working image as is) and ``upright`` (``geometry.upright_page``
first). ``--second-look`` re-reads the pages where an expected date was missed: around every
detected seal with red ink suppressed, then the full-resolution original in tiles, and
reports what each recovered and cost.

A date counts as found when any date in the text parses to it (``2017-7-2``, ``2017年07月02日``,
``17-07-02`` ...); a text field when some substring of the text is within 20 % edit distance of
it (both sides NFKC-normalised, spaces and punctuation removed). Nothing personal is printed:
the table shows counts only. Results go to ``out/bench/ocr_compare.json``.

    python -m bench.ocr_compare [--engines rapidocr,tesseract] [--variants raw,upright]
                                [--per-kind 4] [--second-look] [--skip-real] [--skip-corpus]
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import re
import resource
import statistics
import time
import unicodedata
from collections import defaultdict
from datetime import date
from pathlib import Path

from pipeline.errors import InputFileError
from pipeline.geometry import upright_page
from pipeline.ocr import OcrEngine, get_engine, ocr_page, read_full_resolution, reread_page_region
from pipeline.pages import FileLimits, Page, load_document

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_REAL = Path("/work/shared/realdata")
DEFAULT_CORPUS = ROOT / "samples" / "corpus"
GENERATED_CORPUS = ROOT / "out" / "bench" / "corpus"
OUT = ROOT / "out" / "bench" / "ocr_compare.json"


@dataclasses.dataclass
class Item:
    """One file to read and the strings expected in its text."""

    source: str  # real | corpus
    path: Path
    capture: str
    dates: dict[str, date]
    texts: dict[str, str]
    rotation: int | None = None  # clockwise turn that makes the stored (EXIF-applied) pixels upright


# ---------------------------------------------------------------- matching


_DATE = re.compile(r"(\d{4}|\d{2})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})")


def dates_in(text: str) -> set[date]:
    """Every date a lenient reading of ``text`` allows (a run-on day like ``212:44`` gives 2 and 21)."""
    found: set[date] = set()
    flat = unicodedata.normalize("NFKC", text).replace("\n", " ")
    for match in _DATE.finditer(flat):
        year = int(match.group(1))
        year = year + 2000 if year < 100 else year
        month = int(match.group(2))
        day_digits = match.group(3)
        for day in {int(day_digits), int(day_digits[0])}:
            try:
                found.add(date(year, month, day))
            except ValueError:
                continue
    return found


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in text if ch.isalnum())


def fuzzy_contains(needle: str, haystack: str) -> float:
    """1 - (edit distance of ``needle`` to its best-matching substring of ``haystack``) / len(needle)."""
    pattern, text = normalise(needle), normalise(haystack)
    if not pattern:
        return 0.0
    previous = [0] * (len(text) + 1)  # free start anywhere in text
    for i, ch in enumerate(pattern, start=1):
        current = [i] + [0] * len(text)
        for j, tc in enumerate(text, start=1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ch != tc))
        previous = current
    return 1.0 - min(previous) / len(pattern)


def score_item(item: Item, text: str) -> dict[str, bool]:
    found = {name: expected in dates_in(text) for name, expected in item.dates.items()}
    found.update({name: fuzzy_contains(expected, text) >= 0.8 for name, expected in item.texts.items()})
    return found


# ---------------------------------------------------------------- data sets


def real_items(data: Path) -> list[Item]:
    labels = json.loads((data / "labels.json").read_text(encoding="utf-8"))
    items = []
    for entry in labels:
        notes = entry.get("notes") or ""
        dates = {}
        if entry.get("report_date"):
            dates["date"] = date.fromisoformat(entry["report_date"])
        texts = {}
        if entry.get("diagnosis"):
            texts["diagnosis"] = entry["diagnosis"]
        seal = _clean_seal_text(entry.get("seal_text"))
        if seal and entry.get("kind") != "seal_only":
            texts["seal_text"] = seal
        if not dates and not texts:
            continue
        capture = "real_photo" if "[phone-photo]" in notes else "real_scan"
        items.append(Item("real", data / "images" / entry["file"], capture, dates, texts))
    return items


def _clean_seal_text(value: str | None) -> str | None:
    if not value:
        return None
    value = re.sub(r"\(.*?\)|（.*?）", "", value)
    parts = [p for p in re.split(r"…|\s+", value) if len(p) >= 4]
    return max(parts, key=len) if parts else None


def corpus_items(corpus: Path, per_kind: int) -> list[Item]:
    truth_path = corpus / "truth.json"
    if not truth_path.exists():
        from samples.generator import generate_corpus

        print(f"generating a small corpus under {corpus} ...", flush=True)
        generate_corpus(corpus, seed=4242, count=14, mix="public", workers=1)
    truth = json.loads(truth_path.read_text(encoding="utf-8"))
    per: dict[str, list[Item]] = defaultdict(list)
    for packet in truth["packets"]:
        for doc in packet["documents"]:
            if not doc.get("readable") or not doc.get("legible") or not doc.get("capture"):
                continue
            dates = {"date": date.fromisoformat(doc["issue_date"])} if doc.get("issue_date") else {}
            texts = {k: doc[k] for k in ("hospital", "person_name", "diagnosis") if doc.get(k)}
            if not dates and not texts:
                continue
            kind = doc["capture"]
            if len(per[kind]) >= per_kind:
                continue
            rotation = 0 if kind == "phone_photo_exif" else int(doc.get("rotation") or 0)
            per[kind].append(Item("corpus", corpus / packet["application_id"] / doc["file"], kind, dates, texts, rotation))
    return [item for items in per.values() for item in items]


# ---------------------------------------------------------------- running


def cpu_seconds() -> float:
    """CPU time of this process and its finished children (tesseract runs as a child)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def read_item(item: Item, engine: OcrEngine, variant: str) -> dict:
    started = time.monotonic()
    cpu_started = cpu_seconds()
    try:
        document = load_document(item.path, FileLimits())
    except InputFileError as exc:
        return {"error": type(exc).__name__}
    pages: list[Page] = list(document.pages)
    geometry_s = 0.0
    if variant == "upright":
        t0 = time.monotonic()
        pages = [upright_page(p) for p in pages]
        geometry_s = time.monotonic() - t0
    readings = [ocr_page(p, engine) for p in pages]
    text = "\n".join(r.text for r in readings)
    return {
        "pages": len(pages),
        "seconds": time.monotonic() - started,
        "cpu_s": cpu_seconds() - cpu_started,
        "geometry_s": geometry_s,
        "found": score_item(item, text),
        "rotation": pages[0].rotation_deg if pages else None,
        "engine_of_page1": readings[0].engine if readings else None,
        "_pages": pages,
        "_text": text,
    }


def second_look(item: Item, result: dict, engine: OcrEngine) -> dict:
    """Try the on-demand re-reads on a page whose date was missed; report what each recovered."""
    from pipeline.seals import detect_seals

    out: dict[str, dict] = {}
    pages: list[Page] = result["_pages"]
    want = item.dates["date"]
    t0 = time.monotonic()
    lines = []
    for page in pages:
        for seal in detect_seals(page.image, page.index):
            x, y, w, h = seal.bbox
            region = [x - w // 2, y - h // 2, 2 * w, 2 * h]
            lines += reread_page_region(page, region, engine, suppress_red_ink=True, full_resolution=False)
    text = "\n".join(line.text for line in lines)
    out["seal_region_red_suppressed"] = {"found": want in dates_in(text), "seconds": time.monotonic() - t0}
    t0 = time.monotonic()
    reduced = [p for p in pages if p.full_image is not None]
    if reduced:
        text = "\n".join(read_full_resolution(p, engine).text for p in reduced)
        out["full_resolution_tiles"] = {"found": want in dates_in(text), "seconds": time.monotonic() - t0}
    return out


def run(items: list[Item], engines: list[str], variants: list[str], with_second_look: bool) -> dict:
    rows: list[dict] = []
    for engine_name in engines:
        engine = get_engine(engine_name)
        for variant in variants:
            for number, item in enumerate(items, start=1):
                result = read_item(item, engine, variant)
                row = {
                    "engine": engine_name,
                    "variant": variant,
                    "source": item.source,
                    "capture": item.capture,
                    "file": item.path.name if item.source == "corpus" else _anonymous(item.path),
                    **{k: v for k, v in result.items() if not k.startswith("_")},
                }
                if item.rotation is not None and variant == "upright" and "rotation" in result:
                    row["rotation_expected"] = item.rotation
                if (
                    with_second_look
                    and variant == "upright"
                    and "found" in result
                    and "date" in item.dates
                    and not result["found"]["date"]
                ):
                    row["second_look"] = second_look(item, result, engine)
                rows.append(row)
                print(f"\r{engine_name:9s} {variant:8s} {number}/{len(items)}", end="", flush=True)
            print()
    return {"rows": rows}


def _anonymous(path: Path) -> str:
    """Real files are named by a stable short hash only (their names stay out of the output)."""
    return "real_" + hashlib.sha1(path.name.encode("utf-8")).hexdigest()[:8]


# ---------------------------------------------------------------- reporting


def summarise(rows: list[dict]) -> list[dict]:
    groups: dict[tuple[str, str, str], list[dict]] = defaultdict(list)
    for row in rows:
        if "found" not in row:
            continue
        groups[(row["engine"], row["variant"], row["capture"])].append(row)
        # real and synthetic pages apart: their fields differ (seal text vs hospital / name)
        groups[(row["engine"], row["variant"], f"ALL_{row['source']}")].append(row)
    table = []
    for (engine, variant, capture), members in sorted(groups.items()):
        fields = [v for m in members for v in m["found"].values()]
        dates = [m["found"]["date"] for m in members if "date" in m["found"]]
        pages = sum(m["pages"] for m in members)
        seconds = sum(m["seconds"] for m in members)
        cpu = sum(m.get("cpu_s", 0.0) for m in members)
        rotations = [m for m in members if "rotation_expected" in m]
        table.append(
            {
                "engine": engine,
                "variant": variant,
                "capture": capture,
                "files": len(members),
                "pages": pages,
                "fields": len(fields),
                "field_recall": round(sum(fields) / len(fields), 3) if fields else None,
                "date_recall": round(sum(dates) / len(dates), 3) if dates else None,
                "s_per_page": round(seconds / pages, 2) if pages else None,
                "cpu_s_per_page": round(cpu / pages, 2) if pages else None,
                "orientation_ok": (
                    f"{sum(m['rotation'] == m['rotation_expected'] for m in rotations)}/{len(rotations)}" if rotations else ""
                ),
            }
        )
    return table


def second_look_summary(rows: list[dict]) -> dict:
    summary: dict[str, dict] = {}
    for row in rows:
        for name, outcome in (row.get("second_look") or {}).items():
            entry = summary.setdefault(f"{row['engine']}:{name}", {"tried": 0, "recovered": 0, "seconds": []})
            entry["tried"] += 1
            entry["recovered"] += int(outcome["found"])
            entry["seconds"].append(outcome["seconds"])
    for entry in summary.values():
        entry["mean_s"] = round(statistics.mean(entry.pop("seconds")), 2)
    return summary


def print_table(table: list[dict]) -> None:
    header = (
        f"{'engine':9s} {'variant':8s} {'capture':18s} {'files':>5s} {'fields':>6s} {'recall':>6s} {'date':>6s}"
        f" {'s/page':>7s} {'cpu/page':>8s} {'orient':>7s}"
    )
    print(header)
    print("-" * len(header))
    for r in table:
        recall = "" if r["field_recall"] is None else f"{r['field_recall']:.2f}"
        dates = "" if r["date_recall"] is None else f"{r['date_recall']:.2f}"
        print(
            f"{r['engine']:9s} {r['variant']:8s} {r['capture']:18s} {r['files']:5d} {r['fields']:6d} "
            f"{recall:>6s} {dates:>6s} {r['s_per_page']:7.2f} {r['cpu_s_per_page']:8.2f} {r['orientation_ok']:>7s}"
        )


def field_recall(rows: list[dict]) -> dict[tuple[str, str, str], dict[str, tuple[int, int]]]:
    """(found, expected) per field, per (engine, variant, source)."""
    out: dict[tuple[str, str, str], dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for row in rows:
        for field, found in (row.get("found") or {}).items():
            cell = out[(row["engine"], row["variant"], row["source"])][field]
            cell[0] += int(found)
            cell[1] += 1
    return {key: {f: (v[0], v[1]) for f, v in fields.items()} for key, fields in out.items()}


def print_field_table(rows: list[dict]) -> None:
    """Recall of each field on its own, per engine, variant and source."""
    recall = field_recall(rows)
    fields = sorted({f for per in recall.values() for f in per})
    print(f"{'engine':9s} {'variant':8s} {'source':7s} " + " ".join(f"{f:>13s}" for f in fields))
    for (engine, variant, source), per in sorted(recall.items()):
        cells = [f"{per[f][0]:>3d}/{per[f][1]:<3d} {per[f][0] / per[f][1]:4.2f}" if f in per else " " * 13 for f in fields]
        print(f"{engine:9s} {variant:8s} {source:7s} " + " ".join(cells))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.ocr_compare", description=__doc__.split("\n")[0])
    parser.add_argument("--real", type=Path, default=DEFAULT_REAL)
    parser.add_argument("--corpus", type=Path, default=None, help="corpus folder with truth.json")
    parser.add_argument("--engines", default="rapidocr,tesseract")
    parser.add_argument("--variants", default="raw,upright")
    parser.add_argument("--per-kind", type=int, default=4, help="corpus files per capture kind")
    parser.add_argument("--second-look", action="store_true")
    parser.add_argument("--skip-real", action="store_true")
    parser.add_argument("--skip-corpus", action="store_true")
    parser.add_argument("--limit", type=int, default=0, help="read only the first N files (smoke test)")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--summarise", type=Path, default=None, metavar="JSON",
                        help="print the tables of an earlier run's JSON instead of reading anything")
    args = parser.parse_args(argv)
    if args.summarise is not None:
        rows = json.loads(args.summarise.read_text(encoding="utf-8"))["rows"]
        print_table(summarise(rows))
        print_field_table(rows)
        return 0

    items: list[Item] = []
    if not args.skip_real and (args.real / "labels.json").exists():
        items += real_items(args.real)
    if not args.skip_corpus:
        corpus = args.corpus or (DEFAULT_CORPUS if (DEFAULT_CORPUS / "truth.json").exists() else GENERATED_CORPUS)
        items += corpus_items(corpus, args.per_kind)
    if args.limit:
        items = items[: args.limit]
    print(f"{len(items)} files")
    result = run(items, args.engines.split(","), args.variants.split(","), args.second_look)
    table = summarise(result["rows"])
    print_table(table)
    print_field_table(result["rows"])
    looks = second_look_summary(result["rows"])
    for name, entry in looks.items():
        print(f"second look {name}: recovered {entry['recovered']}/{entry['tried']} missed dates, {entry['mean_s']} s each")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(
        json.dumps({"table": table, "second_look": looks, **result}, ensure_ascii=False, indent=1, default=str),
        encoding="utf-8",
    )
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
