"""Third-family diagnosis certificates (诊断证明书): an information-system printout, a ruled certificate with
its labels in a left column, a letter-style certificate on tinted stock, and an A5 landscape two-column slip."""

from __future__ import annotations

import random

from bench.alt_templates3 import heads, ink, paper, wording
from bench.alt_templates3.ruling import Cell, L, V, table
from bench.alt_templates3.sheet import GREY, Doc, age_of, new_doc, serial
from samples.generator.canvas import MM_PER_PT, Box, text_width
from samples.generator.documents import Built, DocContent

TITLES = ("诊断证明书", "疾病诊断证明书", "门诊诊断证明", "医学诊断证明书", "诊断证明")
DATE_LABELS = ("开具日期", "出具日期", "证明日期", "日期")
PURPOSES = ("诊断证明专用章", "医疗证明专用章", "门诊部", None)


def build_diagnosis_certificate(spec: DocContent, rng: random.Random) -> Built:
    """诊断证明书 in one of four layouts, each with its own place for the date and the seal."""
    layout = rng.choice(["his", "column", "letter", "split"])
    return {"his": _his, "column": _column, "letter": _letter, "split": _split}[layout](spec, rng)


def _dx_block(doc: Doc, x: float, y: float, width: float, *, extra_p: float = 0.45) -> float:
    """The diagnosis lines, numbered or bare, each wrapped with a hanging indent; returns the next baseline."""
    lines = wording.numbered(wording.dx_items(doc.spec, doc.rng, extra_p=extra_p), doc.rng)
    size = doc.size + 0.5
    for line in lines:
        y = doc.wrap(x, y, width, line, size=size, hang=text_width("1. ", doc.font, size)) + 0.6
    return y


def _his(spec: DocContent, rng: random.Random) -> Built:
    """A system printout: code block and print time in the band, facts in small cells, the issue time in the
    sign-off line with the seal over it."""
    doc = new_doc(spec, rng, rng.choice(["A5L", "A4", "A5L"]), sizes=(9.0, 9.5))
    p, d = spec.person, spec.issue_date
    issued = doc.moment(d, 8, 17)
    side = [f"打印时间{doc.colon}{doc.stamp(doc.printed(d))}"] if d and rng.random() < 0.6 else []
    side.append(f"NO.{serial(rng, 10)}")
    y = heads.his_band(doc, rng.choice(TITLES), code=rng.choice(["qr", "bar"]), side=side)
    items = [(rng.choice(wording.NAME_LABELS), p.name), ("性别", p.sex), ("年龄", age_of(spec)),
             (rng.choice(wording.CARD_LABELS), serial(rng, 9)), ("身份证号", p.id_number), ("科室", wording.dept(spec)),
             ("费别", rng.choice(["职工医保", "居民医保", "自费"]))]
    cols = 4 if doc.page.w > 200 else 3
    y = heads.info_cells(doc, y + 1, items, cols, wide=("身份证号",)) + 6
    doc.text(doc.x0, y, f"诊断{rng.choice(['', ' Diagnosis'])}{doc.colon}", font=doc.bold)
    y = _dx_block(doc, doc.x0 + 6, y + doc.line_h(1.9), doc.w - 8)
    b = doc.text(doc.x0, y + 2, doc.lab(rng.choice(["处理意见", "医嘱", "建议"])), font=doc.bold)
    y = doc.wrap(b.x + b.w + 1, y + 2, doc.x1 - b.x - b.w - 1, rng.choice(wording.ADVICE)) + 3
    y = max(y + 6, doc.page.h - doc.margin - 22)
    doc.page.line(doc.x0, y - 5, doc.x1, y - 5, 0.3)
    b = doc.text(doc.x0, y, doc.lab(rng.choice(["医师", "开具医师", "接诊医师"])))
    ink.sign(doc, b.x + b.w + 1, y, "医师")
    label = rng.choice(["开具时间", "签发时间", "开具日期"])
    shown = (doc.stamp(issued, seconds=rng.random() < 0.5) if "时间" in label else doc.day(d)) if d else ""
    db = doc.text(doc.x1, y, f"{doc.lab(label)}{shown}", align="right")
    if spec.sealed:
        cx, cy, turn = ink.seal_spot(doc, db, edge_ok=False)
        ink.hospital_seal(doc, min(cx, doc.page.w - 16), cy - 3, rng.choice(PURPOSES), turn=turn)
    heads.footer_rule(doc, rng.choice(wording.CERT_NOTES), "第1页/共1页")
    return doc.built()


def _column(spec: DocContent, rng: random.Random) -> Built:
    """A ruled certificate: a narrow vertical group label, labels in the left column (some with an English
    gloss), merged value cells; the date as 落款 under the signature line, the seal over it or off the edge."""
    doc = new_doc(spec, rng, rng.choice(["A4", "16K", "B5"]), sizes=(10.0, 10.5))
    p, d = spec.person, spec.issue_date
    y = heads.letterhead(doc, rng.choice(TITLES), rule=False, logo=rng.random() < 0.4)
    doc.text(doc.x1, y - 2, f"编号{doc.colon}{serial(rng, 8)}", size=doc.size * 0.85, align="right")
    y += 1
    gloss = rng.random() < 0.6  # bilingual labels, only on some rows, as such forms are

    def en(word: str) -> str | None:
        return word if gloss and rng.random() < 0.7 else None

    w = doc.w
    widths = [w * f for f in (0.07, 0.17, 0.3, 0.14, 0.32)]
    rh = rng.uniform(9, 10.5)
    dx_lines = wording.numbered(wording.dx_items(spec, rng, extra_p=0.4), rng)
    dx_h = max(22.0, len(dx_lines) * doc.line_h(2.0, doc.size + 0.5) + 10)
    rows = [[Cell("患者信息", "vlabel", down=4), L("姓名", en("Name")), V(p.name), L("性别", en("Sex")), V(p.sex)],
            [L("年龄", en("Age")), V(age_of(spec)), L("科别", en("Dept.")), V(wording.dept(spec))],
            [L("身份证号", en("ID No.")), V(p.id_number, span=3)],
            [L("住址", en("Address")), V(p.address, span=3)],
            [L("诊断", "Diagnosis" if gloss else None, span=2), Cell(kind="empty", span=3, key="dx")],
            [L(rng.choice(["医嘱", "处理意见"]), en("Advice"), span=2), Cell(rng.choice(wording.ADVICE), "wrap", span=3)]]
    heights = [rh, rh, rh, rh, dx_h, rh * 2.2]
    boxes = table(doc, doc.x0, y, widths, heights, rows, shade=rng.random() < 0.5, en_stacked=rng.random() < 0.5)
    dx = boxes["dx"]
    yy = dx.y + 4 + doc.size * MM_PER_PT
    for line in dx_lines:
        yy = doc.wrap(dx.x + 2.5, yy, dx.w - 5, line, size=doc.size + 0.5) + 0.5
    y = y + sum(heights) + 14
    b = doc.text(doc.x0 + doc.w * 0.45, y, doc.lab(rng.choice(["医师签名", "诊治医师", "主诊医师"])))
    doc.page.line(b.x + b.w, y + 1.3, doc.x1, y + 1.3, 0.25)
    ink.sign(doc, b.x + b.w + 3, y, "医师", max_w=doc.x1 - b.x - b.w - 6)
    y += 11
    hb = doc.text(doc.x1 - 2, y, spec.hospital or "", align="right")
    y += 8
    form = rng.choice([doc.date_form, "ymd_cn_pad", "cn_upper"])
    db = doc.text(doc.x1 - 2, y, doc.day(d, form) if d else "年    月    日", align="right")
    if spec.sealed:
        cx, cy, turn = ink.seal_spot(doc, Box(db.x, hb.y, max(db.w, hb.w), db.y + db.h - hb.y))
        ink.hospital_seal(doc, cx, cy, rng.choice(PURPOSES), turn=turn)
    doc.wrap(doc.x0, doc.page.h - doc.margin - 4, doc.w, "注：" + rng.choice(wording.CERT_NOTES), size=doc.size * 0.8)
    return doc.built()


def _letter(spec: DocContent, rng: random.Random) -> Built:
    """A letter certificate on tinted stock with a faint watermark and a red or blue title: a 兹证明 sentence,
    the diagnosis listed under it, the hospital and date as 落款 with the seal over them."""
    tint = paper.tint(rng, "pink", "yellow", "blue", "white")
    doc = new_doc(spec, rng, rng.choice(["A5", "16K", "A4"]), sizes=(10.5, 11.0, 12.0), tint=tint)
    p, d = spec.person, spec.issue_date
    if rng.random() < 0.7:
        paper.background(doc.page, rng, words=rng.choice(["诊断证明专用", "医疗证明 复印无效", "仅供医保申报使用"]),
                         waves=rng.random() < 0.4)
    colour = rng.choice([heads.TITLE_RED, heads.TITLE_BLUE, (20, 20, 22)])
    y = heads.letterhead(doc, rng.choice(TITLES), colour=colour, rule=rng.random() < 0.5)
    doc.text(doc.x1, y - 1, f"（{rng.choice(['门诊', '住院'])}）第{serial(rng, 6)}号", size=doc.size * 0.85, align="right")
    y += doc.line_h(2.2)
    visit = f"于{doc.day(d)}" if d and rng.random() < 0.5 else "近期"
    sentence = (f"兹证明患者{p.name}，{p.sex}，{age_of(spec)}，身份证号{p.id_number}，{visit}在我院{wording.dept(spec)}就诊，"
                "经检查诊断为：")
    indent = text_width("兹证", doc.font, doc.size)
    y = doc.wrap(doc.x0 + indent, y, doc.w - indent, sentence, lead=2.1)
    y = _dx_block(doc, doc.x0 + indent * 2, y + 1, doc.w - indent * 2) + 2
    y = doc.wrap(doc.x0 + indent, y, doc.w - indent, rng.choice(wording.ADVICE) + "特此证明。", lead=2.1)
    y = max(y + 12, doc.page.h * 0.55)
    b = doc.text(doc.x0, y, doc.lab(rng.choice(["医师", "经治医师"])))
    ink.sign(doc, b.x + b.w + 2, y, "医师")
    y += doc.line_h(2.6)
    hb = doc.text(doc.x1 - 4, y, spec.hospital or "", align="right")
    y += doc.line_h(2.2)
    form = rng.choice(["cn_upper", "ymd_cn", doc.date_form])
    date_text = doc.day(d, form) if d else "    年    月    日"
    db = doc.text(hb.x + hb.w / 2, y, date_text, align="center")
    if spec.sealed:
        ink.hospital_seal(doc, (hb.cx + db.cx) / 2, (hb.cy + db.cy) / 2, rng.choice(PURPOSES),
                          turn=rng.choice([0.0, rng.uniform(-30, 30)]))
    doc.text(doc.x0, doc.page.h - doc.margin, rng.choice(wording.CERT_NOTES), size=doc.size * 0.75, colour=GREY)
    return doc.built()


def _split(spec: DocContent, rng: random.Random) -> Built:
    """A5 landscape in two columns: the patient's facts on underlines at the left, diagnosis and advice in a
    box at the right; the date sits inside the seal's area under the hospital name."""
    doc = new_doc(spec, rng, "A5L", sizes=(9.0, 9.5, 10.0))
    p, d = spec.person, spec.issue_date
    page = doc.page
    y = heads.letterhead(doc, rng.choice(TITLES), rule=True, y=doc.margin - 3)
    mid = doc.x0 + doc.w * 0.42
    page.line(mid, y - 2, mid, page.h - doc.margin - 12, 0.3)
    yl = y + 4
    for label, val in ((rng.choice(wording.NAME_LABELS), p.name), ("性  别", p.sex), ("年  龄", age_of(spec)),
                       ("科  室", wording.dept(spec)), (rng.choice(wording.CARD_LABELS), serial(rng, 9)),
                       ("身份证号", p.id_number)):
        b = doc.text(doc.x0, yl, doc.lab(label))
        page.line(b.x + b.w, yl + 1.3, mid - 3, yl + 1.3, 0.2)
        doc.text(b.x + b.w + 1.5, yl, val, fit_w=mid - 5 - b.x - b.w)
        yl += doc.line_h(2.5)
    b = doc.text(doc.x0, yl + 2, doc.lab("医师"))
    ink.sign(doc, b.x + b.w + 2, yl + 2, "医师", max_w=mid - b.x - b.w - 6)
    xr = mid + 5
    doc.text(xr, y + 4, f"诊断 Diagnosis{doc.colon}" if rng.random() < 0.5 else doc.lab("诊断"), font=doc.bold)
    yr = _dx_block(doc, xr + 3, y + 4 + doc.line_h(2.0), doc.x1 - xr - 3)
    doc.text(xr, yr + 2, doc.lab("建议"), font=doc.bold)
    yr = doc.wrap(xr + 3, yr + 2 + doc.line_h(1.9), doc.x1 - xr - 3, rng.choice(wording.ADVICE))
    yr = max(yr + 6, page.h - doc.margin - 24)
    hb = doc.text(doc.x1 - 6, yr, spec.hospital or "", align="right", fit_w=doc.x1 - xr - 6)
    db = doc.text(hb.cx, yr + doc.line_h(2.2), doc.day(d) if d else "年   月   日", align="center")
    ink.hospital_seal(doc, hb.cx, (hb.cy + db.cy) / 2, rng.choice(PURPOSES), turn=rng.uniform(-20, 20))
    doc.text(doc.x0, page.h - doc.margin + 2, rng.choice(wording.CERT_NOTES), size=7.5, colour=GREY)
    return doc.built()
