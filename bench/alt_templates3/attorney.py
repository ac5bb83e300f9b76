"""Third-family powers of attorney (授权委托书): two side-by-side party boxes with ticked matters, a register
table with the signatures in its cells, and a letter written entirely by hand on lined paper."""

from __future__ import annotations

import random

from bench.alt_templates3 import heads, ink, paper, wording
from bench.alt_templates3.ruling import Cell, L, V, digit_boxes, table
from bench.alt_templates3.sheet import GREY, Doc, new_doc
from samples.generator.canvas import Box
from samples.generator.documents import Built, DocContent
from samples.generator.people import Person

REASONS = ("年事已高，行动不便", "患病长期卧床", "常年在外地居住", "身体原因无法前往", "工作原因不能到场")
RELATIONS = ("子女", "配偶", "儿媳", "女婿", "孙子女", "兄弟姐妹")
COMMUNITIES = ("尧都区水塔街街道社区居民委员会", "港口区白沙街道社区居民委员会", "鼓楼街道东城社区居民委员会")


def build_power_of_attorney(spec: DocContent, rng: random.Random) -> Built:
    """委托书 as two party boxes, a register table, or a hand-written letter."""
    layout = rng.choice(["parties", "register", "handwritten"])
    return {"parties": _parties, "register": _register, "handwritten": _handwritten}[layout](spec, rng)


def _task(spec: DocContent) -> str:
    return "门诊慢特病待遇续办" if spec.kind == "renewal" else "门诊慢特病待遇认定申请"


def _agency(spec: DocContent, rng: random.Random) -> str:
    return rng.choice(wording.AGENCY.get(spec.region, ("医疗保障局",)))


def _date_line(doc: Doc, x: float, y: float, *, hand: bool) -> None:
    """The 落款 date flush right at ``x``: written, typed, or the printed blank when undated."""
    d = doc.spec.issue_date
    form = doc.rng.choice([doc.date_form, "ymd_cn", "cn_upper"])
    if d and hand:
        doc.pen_text(x - 48, y, doc.day(d, form), max_w=48)
    else:
        doc.text(x, y, doc.day(d, form) if d else "年      月      日", align="right")


def _witness(doc: Doc, x: float, y: float) -> None:
    """Now and then a community committee witnesses the authorisation and stamps it (sealed specs only)."""
    if doc.spec.sealed and doc.rng.random() < 0.25:
        name = doc.rng.choice(COMMUNITIES)
        b = doc.text(x, y, f"见证单位{doc.colon}{name}", size=doc.size * 0.9)
        ink.agency_seal(doc, name, None, b.x + b.w * 0.6, b.cy - 2, turn=doc.rng.uniform(-20, 20))


def _parties(spec: DocContent, rng: random.Random) -> Built:
    doc = new_doc(spec, rng, "A4", sizes=(10.0, 10.5))
    p, a = spec.person, spec.agent
    assert a is not None
    hand = rng.random() < 0.5
    y = heads.letterhead(doc, rng.choice(["授权委托书", "代办委托书"]), hospital=False, rule=False, y=doc.margin + 6) + 2
    gap = 6
    bw = (doc.w - gap) / 2
    bh = 62.0
    parties = ((p, rng.choice(["委托人（参保人）", "委托人"])), (a, rng.choice(["受托人（代办人）", "受托人"])))
    for i, (who, head) in enumerate(parties):
        x = doc.x0 + i * (bw + gap)
        doc.page.rect(Box(x, y, bw, bh), 0.4)
        doc.page.rect(Box(x, y, bw, 8), 0.4, fill=(230, 233, 238))
        doc.text(x + bw / 2, y + 5.7, head, font=doc.bold, align="center")
        _party(doc, who, Box(x, y + 8, bw, bh - 8), hand=hand, principal=who is p)
    y += bh + 10
    b = doc.text(doc.x0, y, doc.lab("委托事项"), font=doc.bold)
    matters = ["门诊慢特病认定申请", "门诊慢特病续办", "提交、补正申请材料", "领取审核结果"]
    chosen = {matters[1] if spec.kind == "renewal" else matters[0], matters[2]}
    x = b.x + b.w + 2
    for k, m in enumerate(matters):
        if k == 2:
            x, y = b.x + b.w + 2, y + doc.line_h(2.2)
        cb = doc.text(x, y, "□")
        if m in chosen or (m == matters[3] and rng.random() < 0.5):
            ink.tick(doc, cb.x, y)
        mb = doc.text(cb.x + cb.w + 0.6, y, m)
        x = mb.x + mb.w + 8
    y += doc.line_h(3.0)
    y = doc.wrap(doc.x0, y, doc.w, f"{doc.lab('委托期限')}自签字之日起至上述事项办结之日止。") + 2
    y = doc.wrap(doc.x0, y, doc.w, f"委托人因{rng.choice(REASONS)}，不能亲自办理{_task(spec)}，特委托上述受托人代为办理。"
                 "受托人在委托权限内签署的文件和办理的事项，委托人均予以承认。", lead=1.9) + 10
    for label, who in ((rng.choice(["委托人（签字并按手印）", "委托人签名"]), p), ("受托人签名", a)):
        lb = doc.text(doc.x0 + doc.w * 0.35, y, doc.lab(label))
        nb = ink.own_name(doc, lb.x + lb.w + 2, y, who.name)
        if who is p and rng.random() < 0.75:
            ink.thumb(doc, nb.x + nb.w - 4, y + 3)
        y += 13
    _date_line(doc, doc.x1, y + 2, hand=hand)
    _witness(doc, doc.x0, y + 2)
    doc.text(doc.x0, doc.page.h - doc.margin, "附：委托人、受托人有效身份证件复印件。", size=doc.size * 0.85, colour=GREY)
    return doc.built()


def _party(doc: Doc, who: Person, box: Box, *, hand: bool, principal: bool) -> None:
    """One party's facts in its box: name and sex, the ID number in boxes or on a line, phone, relation or address."""
    x, y = box.x + 3, box.y + 9
    lead = doc.line_h(2.7)
    b = doc.text(x, y, doc.lab("姓名"))
    doc.fill(b.x + b.w + 1.5, y, who.name, hand=hand, max_w=box.w * 0.4)
    b2 = doc.text(box.x + box.w * 0.62, y, doc.lab("性别"))
    doc.fill(b2.x + b2.w + 1.5, y, who.sex, hand=hand)
    y += lead
    b = doc.text(x, y, "公民身份号码")
    y += lead * 0.85
    cell = min(4.6, (box.w - 6) / 18)
    if doc.rng.random() < 0.6:
        digit_boxes(doc, x, y, who.id_number, cell=cell, hand=hand, size=doc.size * 0.9)
    else:
        doc.fill(x + 2, y, who.id_number, hand=hand, max_w=box.w - 8)
        doc.page.line(x, y + 1.3, box.x + box.w - 3, y + 1.3, 0.2)
    y += lead
    b = doc.text(x, y, doc.lab("联系电话"))
    doc.fill(b.x + b.w + 1.5, y, who.phone, hand=hand, max_w=box.w - b.w - 8)
    y += lead
    if principal:
        b = doc.text(x, y, doc.lab("住址"))
        doc.fill(b.x + b.w + 1.5, y, who.address, hand=hand, max_w=box.w - b.w - 8)
    else:
        b = doc.text(x, y, doc.lab("与委托人关系"))
        doc.fill(b.x + b.w + 1.5, y, doc.rng.choice(RELATIONS), hand=hand)


def _register(spec: DocContent, rng: random.Random) -> Built:
    """A5 landscape or A4: both parties as rows of a register table, the signature in each row's last cell,
    the authorisation sentence under it and the date at the foot."""
    doc = new_doc(spec, rng, rng.choice(["A5L", "A4"]), sizes=(9.0, 9.5, 10.0))
    p, a = spec.person, spec.agent
    assert a is not None
    y = heads.letterhead(doc, rng.choice(["门诊慢特病代办委托书", "代办授权登记表"]), hospital=False, rule=False,
                         y=doc.margin - 2)
    doc.text(doc.x0, y - 1, f"{doc.lab('致')}{_agency(spec, rng)}", size=doc.size * 0.95)
    y += 3
    fr = (0.1, 0.13, 0.3, 0.17, 0.1, 0.2)
    widths = [doc.w * f for f in fr]
    rows = [[L("身份"), L("姓名"), L("公民身份号码"), L("联系电话"), L("关系"), L("签字（按印）")],
            [L("委托人"), V(p.name, centre=True), V(p.id_number, centre=True), V(p.phone, centre=True), V("本人", centre=True),
             Cell(kind="empty", key="s0")],
            [L("受托人"), V(a.name, centre=True), V(a.id_number, centre=True), V(a.phone, centre=True),
             V(rng.choice(RELATIONS), centre=True), Cell(kind="empty", key="s1")]]
    boxes = table(doc, doc.x0, y, widths, [8.0, 13.0, 13.0], rows, shade=True, size=doc.size * 0.92)
    for key, who in (("s0", p), ("s1", a)):
        sb = boxes[key]
        nb = ink.own_name(doc, sb.x + 2, sb.y + sb.h * 0.72, who.name, size_mm=rng.uniform(5, 6))
        if who is p and rng.random() < 0.7:
            ink.thumb(doc, min(nb.x + nb.w, sb.x + sb.w - 12), sb.y + sb.h * 0.8)
    y += 34 + 8
    text = (f"委托人{p.name}因{rng.choice(REASONS)}，无法亲自办理{_task(spec)}相关手续，现委托{a.name}全权代为办理，"
            "包括递交材料、签署文书及领取结果。受托人所办事项，委托人均予认可，由此产生的法律责任由委托人承担。")
    y = doc.wrap(doc.x0, y, doc.w, "    " + text, lead=2.0) + 6
    b = doc.text(doc.x1 - 70, y, doc.lab("委托日期"))
    d = spec.issue_date
    doc.text(b.x + b.w + 1, y, doc.day(d) if d else "年    月    日")
    _witness(doc, doc.x0, y)
    return doc.built()


def _handwritten(spec: DocContent, rng: random.Random) -> Built:
    """Written by the family on a sheet of lined paper: every word by hand, ID numbers on lines of their own."""
    doc = new_doc(spec, rng, rng.choice(["A4", "B5", "16K"]), sizes=(11.0, 12.0), tint=paper.tint(rng, "ivory", "white"))
    p, a = spec.person, spec.agent
    assert a is not None
    page = doc.page
    step = rng.uniform(10, 11.5)
    top = doc.margin + 14
    rules = [top + step * i for i in range(int((page.h - doc.margin - top) // step))]
    for ry in rules:
        page.line(6, ry + 1.5, page.w - 6, ry + 1.5, 0.2, (170, 190, 215))
    page.line(doc.x0 - 3, top - step, doc.x0 - 3, page.h - 6, 0.3, (220, 150, 150))  # the pad's red margin rule
    doc.marks.add_red("red_rule")
    doc.pen_text(page.w / 2 - 14, rules[0], rng.choice(["委托书", "授权委托书"]), size=16)
    form = rng.choice(["ymd_cn", "dot", "ymd_cn_pad", "slash"])
    lines = [(0, f"{_agency(spec, rng)}："),
             (8, f"本人{p.name}，{p.sex}，身份证号："), (0, p.id_number),
             (0, f"因{rng.choice(REASONS)}，不能亲自办理"), (0, f"{_task(spec)}手续，"),
             (0, f"现委托{a.name}，身份证号："), (0, a.id_number),
             (0, f"（系本人{rng.choice(RELATIONS)}）代为办理，"), (0, "所签字的材料本人均认可。"), (8, "特此委托。")]
    i = 1
    for indent, text in lines:
        doc.pen_text(doc.x0 + indent, rules[i], text, max_w=doc.w - indent)
        i += 1
    i += 1
    x = doc.x0 + doc.w * 0.4
    b = doc.pen_text(x, rules[i], "委托人：")
    nb = ink.own_name(doc, b.x + b.w + 1, rules[i], p.name, size_mm=6.5)
    if rng.random() < 0.7:
        ink.thumb(doc, nb.x + nb.w - 3, rules[i] + 3)
    i += 1
    b = doc.pen_text(x, rules[i], "受托人：")
    ink.own_name(doc, b.x + b.w + 1, rules[i], a.name, size_mm=6.5)
    i += 1
    d = spec.issue_date
    if d:
        doc.pen_text(x, rules[i], doc.day(d, form))
    return doc.built()
