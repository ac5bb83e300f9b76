"""Third-family medication records (用药记录 / 处方): a thermal till slip from the pharmacy window, a
prescription form with a corner tag and a ruled sign-off strip, and a landscape dispensing list printout."""

from __future__ import annotations

import random

from bench.alt_templates3 import heads, ink, paper, wording
from bench.alt_templates3.ruling import Cell, L, V, table
from bench.alt_templates3.sheet import GREY, age_of, new_doc, serial
from samples.generator.canvas import Box
from samples.generator.documents import Built, DocContent

TILL_INK = (45, 45, 50)  # thermal print is a soft dark grey, never quite black


def build_medication_record(spec: DocContent, rng: random.Random) -> Built:
    """用药记录 as a pharmacy till slip, a prescription form or a dispensing list."""
    layout = rng.choice(["till", "rx", "list"])
    return {"till": _till, "rx": _rx, "list": _list}[layout](spec, rng)


def _drugs(rng: random.Random, n: int) -> list[tuple[str, str, str, str, str, int, float]]:
    """(name, pack, dose, frequency, route, boxes, unit price)."""
    return [(*drug, rng.randrange(1, 5), round(rng.uniform(8, 160), 2)) for drug in rng.sample(wording.DRUGS, n)]


def _till(spec: DocContent, rng: random.Random) -> Built:
    """An 80 mm thermal slip, cut after its last line: header, facts, diagnosis, drugs, totals, a code."""
    doc = new_doc(spec, rng, "R80", sizes=(8.5, 9.0), tint=(250, 250, 247), upper_ok=False)
    doc.font = rng.choice(["sans", "wqy"])
    doc.margin = 5.0
    p, d = spec.person, spec.issue_date
    page = doc.page
    y = 9.0
    doc.text(page.w / 2, y, spec.hospital or "", font=doc.bold, size=10.5, align="center", fit_w=doc.w, colour=TILL_INK)
    y += 5.5
    doc.text(page.w / 2, y, rng.choice(["门诊处方（药房联）", "门诊取药凭条", "慢特病购药清单"]), size=9.5, align="center",
             colour=TILL_INK)
    y += 3
    paper.dashes(page, doc.x0, y, doc.x1, colour=TILL_INK)
    y += 5
    at = doc.moment(d, 8, 17)
    facts = [f"姓名{doc.colon}{p.name}    {p.sex}  {age_of(spec)}",
             f"{rng.choice(wording.CARD_LABELS)}{doc.colon}{serial(rng, 10)}",
             f"科室{doc.colon}{wording.dept(spec)}    医生{doc.colon}{ink.doctor(doc)}",
             f"{rng.choice(['开方时间', '处方日期', '收费时间'])}{doc.colon}{doc.stamp(at) if at else ''}"]
    for line in facts:
        doc.text(doc.x0, y, line, colour=TILL_INK, fit_w=doc.w)
        y += 4.4
    y = doc.wrap(doc.x0, y, doc.w, f"诊断{doc.colon}" + "，".join(wording.dx_items(spec, rng, extra_p=0.3, icd_p=0.0)),
                 lead=1.6) - 0.5
    paper.dashes(page, doc.x0, y, doc.x1, colour=TILL_INK)
    y += 4.5
    doc.text(doc.x0, y, "药品名称/规格", size=8, colour=TILL_INK)
    doc.text(doc.x1, y, "数量    金额", size=8, colour=TILL_INK, align="right")
    y += 4.5
    total = 0.0
    for name, pack, dose, freq, route, n, price in _drugs(rng, rng.randrange(2, 5)):
        doc.text(doc.x0, y, name, colour=TILL_INK, fit_w=doc.w)
        y += 4.2
        doc.text(doc.x0 + 2, y, pack, size=8, colour=TILL_INK)
        doc.text(doc.x1, y, f"{n}盒  {n * price:.2f}", size=8, colour=TILL_INK, align="right")
        y += 4.0
        doc.text(doc.x0 + 2, y, f"用法：{route} {dose} {freq}", size=7.5, colour=GREY)
        y += 4.6
        total += n * price
    paper.dashes(page, doc.x0, y - 1.5, doc.x1, colour=TILL_INK)
    y += 3
    fund = total * rng.uniform(0.55, 0.75)
    for label, amount in (("合计", total), ("统筹支付", fund), ("个人支付", total - fund)):
        doc.text(doc.x0, y, f"{label}{doc.colon}", colour=TILL_INK)
        doc.text(doc.x1, y, f"¥{amount:.2f}", colour=TILL_INK, align="right")
        y += 4.4
    printed = doc.printed(d)
    if printed:
        doc.text(doc.x0, y, f"打印时间{doc.colon}{doc.stamp(printed)}", size=7.5, colour=TILL_INK)
        y += 4
    y += 2
    paper.matrix_code(page, rng, page.w / 2 - 11, y, 22)
    y += 26
    doc.text(page.w / 2, y, "请核对药品，当面点清，离柜概不负责", size=7, colour=GREY, align="center")
    page.h = y + 8  # the roll is torn after the last line
    return doc.built()


def _rx(spec: DocContent, rng: random.Random) -> Built:
    """处方笺: a tag box in the top corner, a code at the other, the facts in a ruled block, R and its lines,
    and a ruled strip for the prescriber (signature or name seal), pharmacist and dispenser."""
    doc = new_doc(spec, rng, "A5", sizes=(9.0, 9.5, 10.0), tint=paper.tint(rng, "white", "white", "ivory"))
    p, d = spec.person, spec.issue_date
    page = doc.page
    tag = rng.choice(["普通", "慢病", "长处方"])
    page.rect(Box(doc.x0, doc.margin - 4, 17, 8), 0.4)
    doc.text(doc.x0 + 8.5, doc.margin + 1.6, tag, font=doc.bold, size=10, align="center")
    paper.matrix_code(page, rng, doc.x1 - 15, doc.margin - 5, 15)
    y = doc.margin + 8
    doc.text(page.w / 2, y, spec.hospital or "", font=doc.bold, size=13, align="center", fit_w=doc.w - 36)
    y += 7
    doc.text(page.w / 2, y, "处 方 笺", font=doc.bold, size=15, align="center")
    y += 4
    w = doc.w
    widths = [w * f for f in (0.13, 0.22, 0.1, 0.14, 0.1, 0.31)]
    rows = [[L("费别"), V(rng.choice(["医保", "门慢", "自费"])), L("科别"), V(wording.dept(spec), span=3)],
            [L("姓名"), V(p.name), L("性别"), V(p.sex), L("年龄"), V(age_of(spec))],
            [L(rng.choice(wording.CARD_LABELS)), V(serial(rng, 9), span=3), L("日期"), V(doc.day(d))]]
    size = doc.size * 0.92
    table(doc, doc.x0, y, widths, [7.5, 7.5, 7.5], rows, size=size, rule=0.25)
    y += 22.5 + 6
    b = doc.text(doc.x0, y, doc.lab("临床诊断"))
    dx = wording.numbered(wording.dx_items(spec, rng, extra_p=0.4), rng, style=rng.choice(["dot", "circled"]))
    for line in dx:
        y = doc.wrap(b.x + b.w + 1, y, doc.x1 - b.x - b.w - 1, line, lead=1.7)
    page.line(doc.x0, y - 2, doc.x1, y - 2, 0.3)
    y += 7
    doc.text(doc.x0, y, "R", font="serif_bold", size=20)
    y += 3
    for name, pack, dose, freq, route, n, _price in _drugs(rng, rng.randrange(2, 5)):
        doc.text(doc.x0 + 8, y, f"{name}  {pack}", fit_w=doc.w - 24)
        doc.text(doc.x1, y, f"×{n}", align="right")
        y += 4.8
        doc.text(doc.x0 + 12, y, f"Sig：{dose} {wording.FREQ_CODE.get(freq, freq)} {route}", size=doc.size * 0.88, colour=GREY)
        y += 6.5
    doc.text(page.w / 2, y + 2, "（以下空白）", size=doc.size * 0.85, colour=GREY, align="center")
    y = max(y + 10, page.h - doc.margin - 22)
    widths = [w * f for f in (0.12, 0.28, 0.14, 0.18, 0.1, 0.18)]
    rows = [[L("医师"), Cell(kind="empty", key="doc"), L("审核药师"), V(""), L("金额"), V(f"{rng.uniform(40, 600):.2f}")],
            [L("调配"), V(""), L("核对发药"), V("", span=3)]]
    boxes = table(doc, doc.x0, y, widths, [10.0, 8.0], rows, size=size, rule=0.25)
    sb = boxes["doc"]
    ink.sign(doc, sb.x + 1.5, sb.y + sb.h * 0.75, "处方医师", max_w=sb.w - 3)
    doc.text(doc.x0, page.h - doc.margin + 3, "注：处方当日有效；慢性病长期处方最长不超过12周。", size=7, colour=GREY)
    return doc.built()


def _list(spec: DocContent, rng: random.Random) -> Built:
    """A4 landscape printout of one dispensing: facts, the diagnosis, a ruled drug table dated that day."""
    doc = new_doc(spec, rng, "A4L", sizes=(9.0, 9.5), upper_ok=False)
    p, d = spec.person, spec.issue_date
    printed = doc.printed(d)
    side = [f"打印时间{doc.colon}{doc.stamp(printed)}" if printed else "", f"单据号{doc.colon}{serial(rng, 12)}"]
    y = heads.his_band(doc, rng.choice(["门诊慢特病用药记录", "门诊处方明细单", "门诊发药明细"]), code="bar",
                       side=[s for s in side if s])
    items = [(rng.choice(wording.NAME_LABELS), p.name), ("性别", p.sex), ("年龄", age_of(spec)),
             (rng.choice(wording.CARD_LABELS), serial(rng, 10)), ("科室", wording.dept(spec)),
             ("开方日期", doc.day(d)), ("险种", rng.choice(["职工医保", "居民医保"])), ("病种", spec.disease_name or "")]
    y = heads.info_cells(doc, y + 1, items, 4) + 6
    b = doc.text(doc.x0, y, doc.lab(rng.choice(["诊断", "门诊诊断", "临床诊断"])), font=doc.bold)
    x = b.x + b.w + 2
    for line in wording.numbered(wording.dx_items(spec, rng, extra_p=0.4), rng, style=rng.choice(["circled", "dun"])):
        tb = doc.text(x, y, line, fit_w=doc.x1 - x)
        x = tb.x + tb.w + 6
        if x > doc.x1 - 40:
            x, y = b.x + b.w + 2, y + doc.line_h(1.9)
    y += 5
    heads_ = ["序号", "药品名称", "规格", "单次用量", "频次", "途径", "数量", "单价", "金额", "开方医生"]
    fr = (0.05, 0.22, 0.12, 0.08, 0.08, 0.08, 0.06, 0.08, 0.09, 0.14)
    widths = [doc.w * f for f in fr]
    prescriber = ink.doctor(doc)
    rows = [[L(h) for h in heads_]]
    for i, (name, pack, dose, freq, route, n, price) in enumerate(_drugs(rng, rng.randrange(3, 6)), start=1):
        rows.append([V(str(i), centre=True), V(name), V(pack), V(dose), V(freq), V(route), V(f"{n}盒", centre=True),
                     V(f"{price:.2f}"), V(f"{n * price:.2f}"), V(prescriber)])
    table(doc, doc.x0, y, widths, [7.0] * len(rows), rows, shade=True, size=doc.size * 0.9, rule=0.25)
    y += 7.0 * len(rows) + 10
    b = doc.text(doc.x0 + doc.w * 0.55, y, doc.lab("医师"))
    ink.sign(doc, b.x + b.w + 1, y, "处方医师", name=prescriber)
    b2 = doc.text(doc.x0 + doc.w * 0.78, y, doc.lab("药师"))
    ink.sign(doc, b2.x + b2.w + 1, y, "药师", max_w=30)
    if spec.sealed and rng.random() < 0.35:
        ink.hospital_seal(doc, doc.x0 + doc.w * 0.3, y - 6, rng.choice(["药剂科", "门诊专用章"]))
    heads.footer_rule(doc, "本单据仅作用药记录，不作报销凭证。", "第1页/共1页")
    return doc.built()
