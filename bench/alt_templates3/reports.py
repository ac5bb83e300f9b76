"""Third-family exam reports (检查/检验/病理/影像报告): a system lab printout with zebra rows and a footer of
times, an A5 landscape lab slip with results in two halves, an imaging report with its pictures in a right
column, and a ruled report whose sections are labelled down narrow cells. A second page continues the first."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from bench.alt_templates3 import heads, ink, paper, wording
from bench.alt_templates3.film import film
from bench.alt_templates3.ruling import Cell, L, V, table
from bench.alt_templates3.sheet import FAINT, GREY, Doc, age_of, new_doc, serial
from samples.generator.canvas import BLACK, Box, Colour, text_width
from samples.generator.documents import Built, DocContent

FLAG_RED: Colour = (210, 30, 36)
ZEBRA: Colour = (240, 242, 246)
# (findings headings, conclusion headings) by exam kind
SECTION_HEADS = {"ct": (("检查所见", "影像表现", "描述"), ("诊断意见", "检查结论", "印象")),
                 "ultrasound": (("超声所见", "检查所见"), ("超声提示", "诊断意见")),
                 "pathology": (("大体及镜下所见", "病理所见"), ("病理诊断",)),
                 "ecg": (("心电图所见", "分析"), ("心电图诊断", "结论"))}


def build_exam_report(spec: DocContent, rng: random.Random) -> Built:
    """Lab results as a system printout or an A5 landscape slip; imaging, pathology and ECG reports with a
    picture column or as a ruled form."""
    kind = spec.exam_kind or "lab"
    if kind == "lab":
        return (_lab_his if rng.random() < 0.55 else _lab_half)(spec, rng)
    return (_img_side if rng.random() < 0.5 else _img_ruled)(spec, rng, kind)


# -- lab values ------------------------------------------------------------------------------------------
def _results(rng: random.Random, n: int) -> list[tuple[str, str, str, str, str, str]]:
    """(abbreviation, name, result, flag, unit, reference) for ``n`` analytes in panel order."""
    picked = sorted(rng.sample(range(len(wording.ANALYTES)), min(n, len(wording.ANALYTES))))
    arrows = rng.random() < 0.5
    out = []
    for i in picked:
        abbr, name, unit, lo, hi = wording.ANALYTES[i]
        if lo == hi == 0:  # a qualitative urine test
            pos = rng.random() < 0.3
            out.append((abbr, name, rng.choice(["+", "2+"]) if pos else "阴性", "H" if pos and not arrows else
                        ("↑" if pos else ""), unit, "阴性"))
            continue
        r, span = rng.random(), (hi - lo) or hi or 1
        if r < 0.22:
            val, flag = hi + span * rng.uniform(0.05, 0.7), "↑" if arrows else "H"
        elif r < 0.3 and lo > 0:
            val, flag = lo - span * rng.uniform(0.05, 0.3), "↓" if arrows else "L"
        else:
            val, flag = rng.uniform(lo, hi), ""
        shown = f"{val:.2f}" if hi < 10 else f"{val:.1f}" if hi < 100 else f"{val:.0f}"
        ref = f"<{hi}" if lo == 0 else f"{lo}-{hi}" if rng.random() < 0.7 else f"{lo}~{hi}"
        out.append((abbr, name, shown, flag, unit, ref))
    return out


def _lab_times(doc: Doc) -> tuple[datetime | None, datetime | None, datetime | None]:
    """(collected, received, reported): collected that morning or the day before, reported in the afternoon."""
    report = doc.moment(doc.spec.issue_date, 12, 18)
    if report is None:
        return None, None, None
    collected = doc.before(report, days=doc.rng.choice([0, 0, 0, 1]), minutes=(180, 300))
    assert collected is not None
    received = collected + timedelta(minutes=doc.rng.randrange(15, 70))
    return collected, min(received, report), report


def _flag_colour(doc: Doc, flag: str, red: bool) -> Colour:
    if flag and red:
        doc.marks.add_red("lab_flags")
        return FLAG_RED
    return BLACK


def _lab_his(spec: DocContent, rng: random.Random) -> Built:
    doc = new_doc(spec, rng, "A4", sizes=(8.5, 9.0, 9.5), upper_ok=False,
                  tint=paper.tint(rng, "white", "white", "blue", "yellow"))
    p, d = spec.person, spec.issue_date
    collected, received, report = _lab_times(doc)
    pages = spec.pages
    side = [f"条码号{doc.colon}{serial(rng, 12)}", f"第1页/共{pages}页"]
    if d and rng.random() < 0.6:
        side.insert(0, f"打印时间{doc.colon}{doc.stamp(doc.printed(d))}")
    y = heads.his_band(doc, rng.choice(wording.LAB_TITLES), code=rng.choice(["bar", "qr"]), side=side)
    items = [(rng.choice(wording.NAME_LABELS), p.name), ("性别", p.sex), ("年龄", age_of(spec)),
             (rng.choice(wording.CARD_LABELS), serial(rng, 10)), ("科室", wording.dept(spec)), ("床号", ""),
             ("标本类型", rng.choice(wording.SPECIMENS)), ("样本号", serial(rng, 4)),
             ("临床诊断", spec.disease_name or ""), ("送检医生", ink.doctor(doc)),
             (rng.choice(["采集时间", "采样时间"]), doc.stamp(collected, seconds=False)), ("备注", "")]
    y = heads.info_cells(doc, y + 1, items, 4) + 4
    y = _zebra(doc, y, _results(rng, rng.randrange(12, 20)), red=rng.random() < 0.5)
    y = max(y + 8, doc.page.h - doc.margin - 30)
    rep_label = rng.choice(["报告时间", "审核时间", "报告日期"])
    rep_text = (doc.day(d) if rep_label == "报告日期" else doc.stamp(report)) if d else ""
    parts = [f"接收时间{doc.colon}{doc.stamp(received, seconds=False)}", f"{rep_label}{doc.colon}{rep_text}"]
    doc.page.line(doc.x0, y - 5, doc.x1, y - 5, 0.4)
    doc.text(doc.x0, y, parts[0])
    rb = doc.text(doc.x1, y, parts[1], align="right")
    y += 10
    b = doc.text(doc.x0, y, doc.lab(rng.choice(["检验者", "检验人"])))
    sb = ink.sign(doc, b.x + b.w + 1, y, "检验")
    b = doc.text(doc.x0 + doc.w * 0.5, y, doc.lab(rng.choice(["审核者", "审核人"])))
    ink.sign(doc, b.x + b.w + 1, y, "审核")
    anchor = rb if rng.random() < 0.6 else sb
    cx, cy, turn = ink.seal_spot(doc, anchor, edge_ok=anchor is rb)
    ink.hospital_seal(doc, min(cx, doc.page.w - 12), cy, rng.choice(wording.SEAL_PURPOSE["lab"]),
                      oval=rng.random() < 0.5, turn=turn)
    heads.footer_rule(doc, rng.choice(wording.REPORT_NOTES))
    if pages > 1:
        _more(doc, "lab")
    return doc.built()


COLUMNS = {"no": "No", "name": "项目名称", "abbr": "缩写", "result": "结果", "flag": "标志", "ref": "参考区间", "unit": "单位"}


def _zebra(doc: Doc, y: float, rows: list[tuple[str, str, str, str, str, str]], *, red: bool,
           x0: float | None = None, x1: float | None = None,
           cols: tuple[tuple[str, float], ...] = (("no", 0.06), ("name", 0.3), ("abbr", 0.12), ("result", 0.13),
                                                  ("flag", 0.06), ("ref", 0.19), ("unit", 0.14))) -> float:
    """Results with a ruled head and shaded alternate rows (no vertical rules); ``cols`` names the columns
    and their shares of the width. Returns the y below."""
    x0 = doc.x0 if x0 is None else x0
    x1 = doc.x1 if x1 is None else x1
    xs = [x0]
    for _key, f in cols:
        xs.append(xs[-1] + (x1 - x0) * f)
    rh = doc.rng.uniform(5.6, 6.4)
    size = doc.size * 0.95
    doc.page.line(x0, y, x1, y, 0.6)
    for x, (key, _f) in zip(xs, cols, strict=False):
        doc.text(x + 1, y + rh * 0.72, COLUMNS[key], size=size, font=doc.bold)
    y += rh
    doc.page.line(x0, y, x1, y, 0.3)
    for i, (abbr, name, val, flag, unit, ref) in enumerate(rows, start=1):
        if i % 2 == 0:
            doc.page.rect(Box(x0, y, x1 - x0, rh), 0, None, ZEBRA)
        colour = _flag_colour(doc, flag, red)
        cell = {"no": str(i), "name": name, "abbr": abbr, "result": val, "flag": flag, "ref": ref, "unit": unit}
        for c, (key, _f) in enumerate(cols):
            doc.text(xs[c] + 1, y + rh * 0.72, cell[key], size=size,
                     colour=colour if key in ("result", "flag") else BLACK, fit_w=xs[c + 1] - xs[c] - 1.5)
        y += rh
    doc.page.line(x0, y, x1, y, 0.6)
    return y


def _lab_half(spec: DocContent, rng: random.Random) -> Built:
    """An A5 landscape slip from a self-service printer: results in two halves, times at the top right."""
    doc = new_doc(spec, rng, "A5L", sizes=(8.0, 8.5), upper_ok=False)
    p, d = spec.person, spec.issue_date
    page = doc.page
    collected, _received, report = _lab_times(doc)
    doc.margin = rng.uniform(8, 11)
    y = doc.margin + 5
    title = rng.choice(wording.LAB_TITLES)
    doc.text(page.w / 2, y, spec.hospital or "", font=doc.bold, size=13.5, align="center", fit_w=doc.w - 70)
    doc.text(page.w / 2, y + 6.5, title, font=doc.bold, size=11.5, align="center")
    rep_label = rng.choice(["报告时间", "审核时间"])
    doc.text(doc.x1, y - 1.5, f"{rep_label}{doc.colon}{doc.stamp(report)}" if d else f"{rep_label}{doc.colon}",
             size=7.5, align="right")
    doc.text(doc.x1, y + 3, f"{doc.lab('采样时间')}{doc.stamp(collected, seconds=False)}", size=7.5, align="right")
    paper.barcode(page, rng, doc.x0, y - 4, 30, 6, number=serial(rng, 10))
    y += 13
    rows1 = [(rng.choice(wording.NAME_LABELS), p.name), ("性别", p.sex), ("年龄", age_of(spec)),
             (rng.choice(wording.CARD_LABELS), serial(rng, 9)), ("科别", wording.dept(spec))]
    rows2 = [("标本", rng.choice(wording.SPECIMENS)), ("临床诊断", spec.disease_name or ""), ("申请医生", ink.doctor(doc)),
             ("标本号", serial(rng, 5))]
    for pairs in (rows1, rows2):
        slot = doc.w / len(pairs)
        for i, (lab, val) in enumerate(pairs):
            b = doc.text(doc.x0 + i * slot, y, doc.lab(lab))
            doc.text(b.x + b.w + 0.8, y, val, fit_w=slot - b.w - 2)
        y += 5.2
    y -= 2
    half = (doc.w - 6) / 2
    bottom = page.h - doc.margin - 13
    fit = max(4, int((bottom - y - 8) // 5.6) - 1)
    rows = _results(rng, min(2 * fit, rng.randrange(14, 24)))
    per = (len(rows) + 1) // 2
    red = rng.random() < 0.5
    cols = (("no", 0.07), ("name", 0.4), ("result", 0.17), ("flag", 0.08), ("ref", 0.28))
    ends = []
    for k in range(2):
        x0 = doc.x0 + k * (half + 6)
        part = rows[k * per:(k + 1) * per]
        ends.append(_zebra(doc, y, part, red=red, x0=x0, x1=x0 + half, cols=cols) if part else y)
    y = max(ends) + 6
    b = doc.text(doc.x0, y, doc.lab("检验者"))
    ink.sign(doc, b.x + b.w + 1, y, "检验", max_w=28)
    b = doc.text(doc.x0 + doc.w * 0.33, y, doc.lab("审核者"))
    sig = ink.sign(doc, b.x + b.w + 1, y, "审核", max_w=28)
    nb = doc.text(doc.x1, y, rng.choice(wording.REPORT_NOTES), size=7, colour=GREY, align="right")
    anchor = nb if rng.random() < 0.5 else sig  # pressed at the slip's foot, over the note or the signature
    ink.hospital_seal(doc, anchor.cx + rng.uniform(-5, 5), anchor.cy - rng.uniform(0, 6),
                      rng.choice(wording.SEAL_PURPOSE["lab"]), oval=rng.random() < 0.6)
    if spec.pages > 1:
        doc.text(page.w / 2, page.h - 4, f"第1页 共{spec.pages}页", size=7, align="center")
        _more(doc, "lab")
    return doc.built()


# -- imaging, pathology, ECG ------------------------------------------------------------------------------
def _findings(kind: str, rng: random.Random) -> tuple[str, str, list[str]]:
    """(examined part, findings text, conclusion lines)."""
    _short, parts, seen, concl = wording.IMAGING[kind]
    return rng.choice(parts), "".join(seen), list(concl)


def _img_times(doc: Doc, kind: str) -> tuple[datetime | None, datetime | None]:
    report = doc.moment(doc.spec.issue_date, 10, 18)
    days = doc.rng.choice([1, 2, 3]) if kind == "pathology" else 0
    return doc.before(report, days=days, minutes=(30, 150)), report


def _img_side(spec: DocContent, rng: random.Random, kind: str) -> Built:
    """Facts in small cells, findings and impression at the left, pictures stacked in a right column, and a
    ruled sign-off strip with the report time; the seal over the strip."""
    doc = new_doc(spec, rng, rng.choice(["A4", "16K"]), sizes=(9.5, 10.0), upper_ok=False)
    p, d = spec.person, spec.issue_date
    exam, report = _img_times(doc, kind)
    y = heads.letterhead(doc, rng.choice(wording.IMAGING_TITLES[kind]), logo=rng.random() < 0.5,
                         colour=rng.choice([BLACK, heads.TITLE_BLUE]), rule=False)
    no = {"pathology": "病理号", "ecg": "心电号"}.get(kind, rng.choice(["影像号", "检查号"]))
    part, seen, concl = _findings(kind, rng)
    items = [(rng.choice(wording.NAME_LABELS), p.name), ("性别", p.sex), ("年龄", age_of(spec)), (no, serial(rng, 7)),
             ("科室", wording.dept(spec)), (rng.choice(wording.CARD_LABELS), serial(rng, 9)),
             ({"pathology": "送检标本"}.get(kind, "检查部位"), part),
             ({"pathology": "送检时间"}.get(kind, "检查时间"), doc.stamp(exam, seconds=False))]
    y = heads.info_cells(doc, y, items, 4, wide=()) + 6
    pics = kind in ("ct", "mri", "ultrasound") and rng.random() < 0.85
    text_w = doc.w * (0.6 if pics else 1.0)
    if kind == "ecg":
        h = doc.w * 0.3
        doc.page.image(Box(doc.x0, y, doc.w, h), film(rng, "ecg", 720, 216), multiply=False)
        y += h + 6
    top = y
    en = rng.random() < 0.5
    seen_heads, concl_heads = SECTION_HEADS.get(kind, SECTION_HEADS["ct"])
    doc.text(doc.x0, y, f"{rng.choice(seen_heads)}{' Findings' if en else ''}{doc.colon}",
             font=doc.bold)
    y = doc.wrap(doc.x0 + 4, y + doc.line_h(2.0), text_w - 6, seen, lead=1.8) + 3
    doc.text(doc.x0, y, f"{rng.choice(concl_heads)}{' Impression' if en else ''}{doc.colon}",
             font=doc.bold)
    y += doc.line_h(2.0)
    for line in wording.numbered(concl, rng):
        y = doc.wrap(doc.x0 + 4, y, text_w - 6, line, lead=1.8)
    if pics:
        px, pw = doc.x0 + doc.w * 0.63, doc.w * 0.37
        ph = pw * 0.78
        for i in range(2):
            doc.page.image(Box(px, top + i * (ph + 3), pw, ph), film(rng, kind, 300, 234), multiply=False)
        y = max(y, top + 2 * (ph + 3))
    y = max(y + 10, doc.page.h - doc.margin - 34)
    rep_label = rng.choice(["报告时间", "审核时间", "报告日期"])
    rep = (doc.day(d) if rep_label == "报告日期" else doc.stamp(report)) if d else ""
    rows = [[L(rng.choice(["报告医师", "诊断医师"])), Cell(kind="empty", key="s1"), L(rng.choice(["审核医师", "复核医师"])),
             Cell(kind="empty", key="s2"), L(rep_label), V(rep, key="rep", centre=True)]]
    widths = [doc.w * f for f in (0.13, 0.18, 0.13, 0.18, 0.13, 0.25)]
    boxes = table(doc, doc.x0, y, widths, [11.0], rows, shade=rng.random() < 0.5)
    for key, role in (("s1", "报告"), ("s2", "审核")):
        b = boxes[key]
        ink.sign(doc, b.x + 2, b.y + b.h * 0.75, role, max_w=b.w - 4)
    cx, cy, turn = ink.seal_spot(doc, boxes["rep"] if rng.random() < 0.6 else boxes["s2"], edge_ok=False)
    ink.hospital_seal(doc, min(cx, doc.page.w - 20), cy, rng.choice(wording.SEAL_PURPOSE[kind]),
                      oval=rng.random() < 0.5, turn=turn)
    note = rng.choice(wording.IMAGING_NOTES)
    heads.footer_rule(doc, note, f"第1页/共{spec.pages}页" if spec.pages > 1 else "")
    if spec.pages > 1:
        _more(doc, kind)
    return doc.built()


def _img_ruled(spec: DocContent, rng: random.Random, kind: str) -> Built:
    """A ruled report: a vertical group label over the facts, sections labelled down narrow cells, pictures
    in a row of their own, the report date in the last row and the seal pressed over it."""
    doc = new_doc(spec, rng, rng.choice(["A4", "B5"]), sizes=(9.5, 10.0), tint=paper.tint(rng, "white", "white", "blue"))
    p, d = spec.person, spec.issue_date
    exam, report = _img_times(doc, kind)
    y = heads.letterhead(doc, rng.choice(wording.IMAGING_TITLES[kind]), rule=False)
    doc.text(doc.x1, y - 2, f"{wording.IMAGING[kind][0]}号{doc.colon}{serial(rng, 7)}", size=doc.size * 0.85, align="right")
    part, seen, concl = _findings(kind, rng)
    patho = kind == "pathology"
    w = doc.w
    widths = [w * f for f in (0.07, 0.13, 0.2, 0.1, 0.14, 0.12, 0.24)]
    rh = rng.uniform(8, 9)
    rows = [[Cell("一般资料", "vlabel", down=3), L("姓名"), V(p.name), L("性别"), V(p.sex), L("年龄"), V(age_of(spec))],
            [L("科室"), V(wording.dept(spec)), L("床号"), V("--", centre=True), L(rng.choice(wording.CARD_LABELS)),
             V(serial(rng, 8))],
            [L("送检标本" if patho else "检查部位"), V(part, span=3), L("送检日期" if patho else "检查时间"),
             V(doc.day(exam.date()) if patho and exam else doc.stamp(exam, seconds=False))]]
    heights = [rh, rh, rh]
    pics = kind in ("ct", "mri", "ultrasound", "ecg") and rng.random() < 0.7
    if pics:
        rows.append([Cell("图像", "vlabel"), Cell(kind="empty", span=6, key="pics")])
        heights.append(40.0 if kind != "ecg" else 34.0)
    seen_lines = max(2, int(text_width(seen, doc.font, doc.size) / (w * 0.9)) + 1)
    rows.append([Cell("镜下所见" if patho else "检查所见", "vlabel"), Cell(seen, "wrap", span=6)])
    heights.append(seen_lines * doc.line_h(1.6) + 8)
    concl_text = "；".join(concl) + "。" if not concl[-1].endswith("。") else "".join(concl)
    rows.append([Cell("病理诊断" if patho else "诊断意见", "vlabel"), Cell(concl_text, "wrap", span=6)])
    heights.append(max(18.0, 2 * doc.line_h(1.6) + 8))
    rep_label = rng.choice(["报告日期", "报告时间"])
    rep = (doc.day(d) if rep_label == "报告日期" else doc.stamp(report, seconds=False)) if d else ""
    rows.append([L(rng.choice(["报告医师", "诊断医生"]), span=2), Cell(kind="empty", key="s1"), L("审核"),
                 Cell(kind="empty", key="s2"), L(rep_label), V(rep, key="rep", centre=True)])
    heights.append(12.0)
    boxes = table(doc, doc.x0, y, widths, heights, rows, shade=rng.random() < 0.6)
    if pics:
        b = boxes["pics"]
        if kind == "ecg":
            doc.page.image(Box(b.x + 2, b.y + 2, b.w - 4, b.h - 4), film(rng, "ecg", 760, 180), multiply=False)
        else:
            n = 3
            pw = (b.w - 4 - 2 * (n - 1)) / n
            for i in range(n):
                doc.page.image(Box(b.x + 2 + i * (pw + 2), b.y + 2, pw, b.h - 4), film(rng, kind, 260, 210), multiply=False)
    for key, role in (("s1", "报告"), ("s2", "审核")):
        b = boxes[key]
        ink.sign(doc, b.x + 2, b.y + b.h * 0.75, role, max_w=b.w - 4)
    rb = boxes["rep"]
    ink.hospital_seal(doc, min(rb.cx, doc.page.w - 22), rb.cy - rng.uniform(2, 8), rng.choice(wording.SEAL_PURPOSE[kind]),
                      turn=rng.choice([0.0, rng.uniform(-30, 30)]))
    y = y + sum(heights) + 6
    doc.wrap(doc.x0, y, doc.w, "说明：" + rng.choice(wording.IMAGING_NOTES), size=doc.size * 0.8)
    if spec.pages > 1:
        doc.text(doc.page.w / 2, doc.page.h - doc.margin + 4, f"- 1 / {spec.pages} -", size=8, align="center")
        _more(doc, kind)
    return doc.built()


# -- continuation page --------------------------------------------------------------------------------------
def _more(doc: Doc, kind: str) -> None:
    """The second page: the name line repeated, then more results (lab) or more pictures and an addendum."""
    spec, rng = doc.spec, doc.rng
    page = doc.add_page()
    y = doc.margin + 6
    doc.text(page.w / 2, y, f"{spec.hospital or ''}{'检验报告' if kind == 'lab' else '检查报告'}（续页）",
             font=doc.bold, size=12, align="center", fit_w=doc.w)
    y += 8
    doc.text(doc.x0, y, f"{doc.lab('姓名')}{spec.person.name}    {doc.lab('性别')}{spec.person.sex}    "
                        f"{doc.lab('年龄')}{age_of(spec)}", size=doc.size)
    y += 4
    if kind == "lab":
        _zebra(doc, y + 2, _results(rng, rng.randrange(6, 12)), red=False)
    else:
        if kind in ("ct", "mri", "ultrasound", "ecg"):
            pw = (doc.w - 4) / 2
            for i in range(4 if kind != "ecg" else 1):
                r, c = divmod(i, 2)
                box = (Box(doc.x0 + c * (pw + 4), y + 2 + r * (pw * 0.8 + 4), pw, pw * 0.8) if kind != "ecg"
                       else Box(doc.x0, y + 2, doc.w, doc.w * 0.35))
                doc.page.image(box, film(rng, kind, 300, 240 if kind != "ecg" else 260), multiply=False)
            y += (2 * (pw * 0.8 + 4) if kind != "ecg" else doc.w * 0.35) + 8
        else:
            y += 6
        doc.text(doc.x0, y, doc.lab("补充说明"), font=doc.bold)
        doc.wrap(doc.x0 + 4, y + doc.line_h(2.0), doc.w - 4, "".join(wording.IMAGING[kind][2]), lead=1.8)
    doc.text(page.w / 2, page.h - doc.margin + 4, f"第2页/共{spec.pages}页", size=7.5, colour=FAINT, align="center")
