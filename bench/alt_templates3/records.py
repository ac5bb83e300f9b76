"""Third-family outpatient records (门诊病历): an electronic record printout with its sections labelled in a
left column, a hand-written page of a tinted record booklet, and an A5 landscape record in two columns."""

from __future__ import annotations

import random

from bench.alt_templates3 import heads, ink, paper, wording
from bench.alt_templates3.sheet import GREY, Doc, age_of, new_doc, serial
from samples.generator.canvas import text_width
from samples.generator.documents import Built, DocContent

TITLES = ("门诊病历", "门诊电子病历", "门(急)诊病历记录", "门诊病历记录单")
RULE_BLUE = (150, 175, 215)


def build_medical_record(spec: DocContent, rng: random.Random) -> Built:
    """门诊病历 printed from the record system, written by hand in a booklet, or on an A5 landscape sheet."""
    layout = rng.choice(["emr", "booklet", "halves"])
    return {"emr": _emr, "booklet": _booklet, "halves": _halves}[layout](spec, rng)


def _sections(doc: Doc) -> list[tuple[str, str]]:
    """(heading, text) of a visit, diagnosis excluded."""
    rng = doc.rng
    history = rng.choice(wording.HISTORIES).format(n=rng.randrange(2, 15), t=rng.choice(wording.TRENDS))
    exam = rng.choice(wording.EXAMS).format(s=rng.randrange(128, 186), d=rng.randrange(72, 108))
    return [("主诉", rng.choice(wording.COMPLAINTS)), ("现病史", history),
            ("既往史", rng.choice(["否认药物过敏史。", "否认肝炎、结核等传染病史。", "有吸烟史20年。"])), ("体格检查", exam)]


def _emr(spec: DocContent, rng: random.Random) -> Built:
    doc = new_doc(spec, rng, rng.choice(["A4", "16K"]), sizes=(9.5, 10.0, 10.5))
    p, d = spec.person, spec.issue_date
    seen_at = doc.moment(d, 8, 12)
    side = [f"就诊时间{doc.colon}{doc.stamp(seen_at, seconds=False)}", f"{doc.lab('病历号')}{serial(rng, 9)}"]
    y = heads.his_band(doc, rng.choice(TITLES), code=rng.choice(["bar", "qr", "none"]), side=side)
    items = [(rng.choice(wording.NAME_LABELS), p.name), ("性别", p.sex), ("年龄", age_of(spec)),
             ("科室", wording.dept(spec)), (rng.choice(wording.CARD_LABELS), serial(rng, 10)),
             ("费别", rng.choice(["职工医保", "居民医保"])), ("联系电话", p.phone), ("初/复诊", rng.choice(["复诊", "初诊"]))]
    y = heads.info_cells(doc, y + 1, items, 4) + 7
    label_w = text_width("体格检查：", doc.bold, doc.size) + 2
    body_x, body_w = doc.x0 + label_w + 2, doc.w - label_w - 2
    sections = _sections(doc)
    dx_lines = wording.numbered(wording.dx_items(spec, rng, extra_p=0.5), rng)
    sections.append((rng.choice(["诊断", "初步诊断", "门诊诊断"]), ""))
    sections.append(("处理", rng.choice(wording.PLANS)))
    for head, text in sections:
        doc.text(doc.x0, y, doc.lab(head), font=doc.bold)
        if text:
            y = doc.wrap(body_x, y, body_w, text, lead=1.8) + 1.5
        else:
            for line in dx_lines:
                y = doc.wrap(body_x, y, body_w, line, lead=1.8)
            y += 1.5
    y += 10
    b = doc.text(doc.x1 - 60, y, doc.lab(rng.choice(["医师签名", "接诊医师"])))
    ink.sign(doc, b.x + b.w + 1, y, "医师")
    if spec.sealed and rng.random() < 0.4:
        ink.hospital_seal(doc, doc.x1 - 30, y - 4, rng.choice(["门诊专用章", "病历专用章"]))
    printed = doc.printed(d)
    heads.footer_rule(doc, f"{doc.lab('打印时间')}{doc.stamp(printed)}" if printed else "本病历由电子病历系统生成",
                      "第1页 共1页")
    return doc.built()


def _booklet(spec: DocContent, rng: random.Random) -> Built:
    """A page of the patient's own record booklet: printed ruling and name strip, the visit in a doctor's hand."""
    doc = new_doc(spec, rng, rng.choice(["A5", "B5"]), sizes=(10.0, 10.5),
                  tint=paper.tint(rng, "blue", "green", "ivory", "white"))
    p, d = spec.person, spec.issue_date
    page = doc.page
    y = doc.margin + 4
    doc.text(page.w / 2, y, spec.hospital or "", font=doc.bold, size=12, align="center", fit_w=doc.w)
    doc.text(page.w / 2, y + 6.5, rng.choice(["门诊病历续页", "门诊病历"]), size=10, align="center", colour=GREY)
    y += 14
    x = doc.x0
    for label, val, w in (("姓名", p.name, 0.3), ("性别", p.sex, 0.15), ("年龄", age_of(spec), 0.2),
                          ("科别", wording.dept(spec), 0.35)):
        b = doc.text(x, y, label, size=doc.size * 0.9)
        end = x + doc.w * w - 2
        page.line(b.x + b.w + 0.5, y + 1.2, end, y + 1.2, 0.2)
        doc.pen_text(b.x + b.w + 1.5, y, val, max_w=end - b.x - b.w - 2)
        x += doc.w * w
    y += 4
    page.line(doc.x0, y, doc.x1, y, 0.5, RULE_BLUE)
    step = rng.uniform(8.5, 9.5)
    lines = [y + step * (i + 1) for i in range(int((page.h - doc.margin - y) // step))]
    for ly in lines:
        page.line(doc.x0, ly + 1.2, doc.x1, ly + 1.2, 0.2, RULE_BLUE)
    writes: list[tuple[float, str]] = []  # (indent, text) one per ruled line
    kind = rng.choice(["复诊", "门诊"])
    writes.append((0, f"{doc.day(d, rng.choice(['dot', 'ymd_cn', 'slash', doc.date_form]))}  {kind}" if d else kind))
    dx = wording.numbered(wording.dx_items(spec, rng, extra_p=0.35, icd_p=0.0), rng, style=rng.choice(["dot", "paren"]))
    chunk = 17 if page.w < 160 else 20
    plan = rng.choice(["处理：", "Rp："]) + rng.choice(wording.PLANS)
    tail = [(0.0, "诊断："), *((8.0, line) for line in dx),
            *((0.0 if i == 0 else 6.0, plan[i:i + chunk]) for i in range(0, len(plan), chunk))]
    room = len(lines) - 1 - len(writes) - len(tail)  # the diagnosis always gets its lines; history takes what is left
    for head, text in _sections(doc)[:3 if rng.random() < 0.5 else 4]:
        body = f"{head}：{text}"
        pieces = [(0.0 if i == 0 else 6.0, body[i:i + chunk]) for i in range(0, len(body), chunk)]
        if len(pieces) > room:
            break
        writes.extend(pieces)
        room -= len(pieces)
    writes.extend(tail)
    for (indent, text), ly in zip(writes, lines, strict=False):
        doc.pen_text(doc.x0 + 2 + indent, ly, text, max_w=doc.w - 4 - indent)
    used = min(len(writes), len(lines) - 1)
    sy = lines[used] if used < len(lines) else lines[-1]
    b = doc.text(doc.x1 - 42, sy, "医师：", size=doc.size * 0.9)
    ink.sign(doc, b.x + b.w + 1, sy, "医师", typed_ok=False, max_w=30)
    if spec.sealed and rng.random() < 0.25:
        ink.hospital_seal(doc, doc.x1 - 25, sy - 8, "门诊专用章")
    return doc.built()


def _halves(spec: DocContent, rng: random.Random) -> Built:
    """An A5 landscape record: the facts and history at the left, examination, diagnosis and plan at the right."""
    doc = new_doc(spec, rng, "A5L", sizes=(8.5, 9.0, 9.5))
    p, d = spec.person, spec.issue_date
    page = doc.page
    doc.margin = rng.uniform(8, 11)
    y = doc.margin + 5
    doc.text(doc.x0, y, spec.hospital or "", font=doc.bold, size=12.5, fit_w=doc.w * 0.6)
    doc.text(doc.x1, y, rng.choice(TITLES), font=doc.bold, size=12.5, align="right")
    y += 3
    page.line(doc.x0, y, doc.x1, y, 0.7)
    page.line(doc.x0, y + 0.8, doc.x1, y + 0.8, 0.25)
    y += 6
    mid = doc.x0 + doc.w * 0.47
    page.line(mid, y - 3, mid, page.h - doc.margin - 3, 0.25)
    left_w, right_x = mid - doc.x0 - 4, mid + 4
    right_w = doc.x1 - right_x
    yl = y
    date_label = rng.choice(["就诊日期", "就诊时间", "日期"])
    date_val = (doc.stamp(doc.moment(d), seconds=False) if date_label == "就诊时间" else doc.day(d)) if d else ""
    for pair in (((rng.choice(wording.NAME_LABELS), p.name), ("性别", p.sex)),
                 (("年龄", age_of(spec)), ("科别", wording.dept(spec))),
                 ((rng.choice(wording.CARD_LABELS), serial(rng, 9)),), ((date_label, date_val),)):
        slot = left_w / len(pair)
        for i, (lab, val) in enumerate(pair):
            b = doc.text(doc.x0 + i * slot, yl, doc.lab(lab))
            doc.text(b.x + b.w + 0.8, yl, val, fit_w=slot - b.w - 2)
        yl += doc.line_h(2.1)
    yl += 1
    secs = _sections(doc)
    for head, text in secs[:3]:
        yl = doc.wrap(doc.x0, yl, left_w, f"{head}：{text}", lead=1.75) + 0.8
    yr = y
    yr = doc.wrap(right_x, yr, right_w, f"{secs[3][0]}：{secs[3][1]}", lead=1.75) + 1.5
    doc.text(right_x, yr, doc.lab(rng.choice(["诊断", "临床诊断"])), font=doc.bold)
    yr += doc.line_h(1.9)
    for line in wording.numbered(wording.dx_items(spec, rng, extra_p=0.4), rng):
        yr = doc.wrap(right_x + 3, yr, right_w - 3, line, lead=1.75)
    yr = doc.wrap(right_x, yr + 1.5, right_w, f"处理：{rng.choice(wording.PLANS)}", lead=1.75)
    sy = max(yr + 8, page.h - doc.margin - 8)
    b = doc.text(right_x + right_w * 0.35, sy, doc.lab("医师"))
    sig = ink.sign(doc, b.x + b.w + 1, sy, "医师", max_w=30)
    if spec.sealed and rng.random() < 0.4:
        ink.hospital_seal(doc, sig.cx, sig.cy, "门诊专用章")
    return doc.built()
