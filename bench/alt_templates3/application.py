"""Third-family application forms (申请表 / 续办申请表): a ruled form with a disease checklist and the ID
number in printed boxes, an online-service printout with the application time in its band, and an A4
landscape form split between the applicant's half and the hospital's half."""

from __future__ import annotations

import random

from bench.alt_templates3 import heads, ink, wording
from bench.alt_templates3.ruling import Cell, L, digit_boxes, table, underline
from bench.alt_templates3.sheet import GREY, Doc, new_doc, serial
from samples.generator.canvas import MM_PER_PT, Box
from samples.generator.documents import Built, DocContent

# Printed on checklist forms; the applied disease is added when the list lacks it.
CHECKLIST = ("高血压（Ⅲ级）", "糖尿病（合并并发症）", "恶性肿瘤门诊治疗", "器官移植抗排异治疗", "慢性肾衰竭", "冠心病",
             "脑卒中后遗症", "慢性阻塞性肺疾病", "类风湿关节炎", "帕金森病", "精神分裂症", "肝硬化")
OPINIONS = ("患者诊断明确，符合该病种认定标准。", "病情属实，需门诊长期治疗，建议认定。", "符合门诊慢特病申报条件。")
PROMISE = "本人承诺所填写信息及提交材料真实有效，如有虚假，愿承担相应责任。"
BLANK_DATE = "年    月    日"


def build_application_form(spec: DocContent, rng: random.Random) -> Built:
    """申请表 as a ruled checklist form, an online-service printout, or a landscape two-part form."""
    layout = rng.choice(["checklist", "online", "split"])
    return {"checklist": _checklist, "online": _online, "split": _split}[layout](spec, rng)


def _title(spec: DocContent, rng: random.Random) -> str:
    city = wording.CITY.get(spec.region, "")
    if spec.kind == "renewal":
        return rng.choice([f"{city}门诊慢特病待遇续办申请表", f"{city}门诊慢特病资格复审（续办）申请表"])
    return rng.choice([f"{city}基本医疗保险门诊慢特病待遇申请表", f"{city}门诊慢特病病种认定申请表"])


def _physician(doc: Doc, box: Box, *, hand: bool) -> None:
    """The hospital's part: diagnosis and opinion at the top of ``box``; the signature line near its foot
    with the date written under it ('年 月 日' when unsigned) and, when signed, the seal over the date."""
    spec, rng = doc.spec, doc.rng
    x, y = box.x + 3, box.y + 7 + doc.size * MM_PER_PT
    b = doc.text(x, y, doc.lab(rng.choice(["临床诊断", "诊断", "疾病诊断"])))
    doc.fill(b.x + b.w + 1.5, y, spec.diagnosis or spec.disease_name or "", hand=hand, max_w=box.x + box.w - b.x - b.w - 6)
    y += doc.line_h(2.4)
    doc.fill(x, y, rng.choice(OPINIONS), hand=hand, max_w=box.w - 6)
    sy = box.y + box.h - 13
    label = rng.choice(["经治医师（签字）", "主治医师签名", "医师签字", "接诊医师"])
    lx = box.x + box.w * rng.uniform(0.3, 0.45)
    lb = doc.text(lx, sy, doc.lab(label))
    line_end = min(box.x + box.w - 4, lb.x + lb.w + 40)
    doc.page.line(lb.x + lb.w, sy + 1.3, line_end, sy + 1.3, 0.25)
    if spec.signed:
        ink.sign(doc, lb.x + lb.w + 2, sy, "申请表医师", chop_ok=False, typed_ok=False, max_w=line_end - lb.x - lb.w - 3)
    d = spec.issue_date
    date_text = doc.day(d, rng.choice([doc.date_form, "ymd_cn_pad"])) if spec.signed and d else BLANK_DATE
    dy = sy + 9
    if spec.signed and d and hand:
        db = doc.pen_text(line_end - 42, dy, date_text, max_w=40)
    else:
        db = doc.text(line_end, dy, date_text, align="right")
    if rng.random() < 0.5:
        doc.text(box.x + box.w - 3, box.y + 6, "（医疗机构盖章）", size=doc.size * 0.85, colour=GREY, align="right")
    if spec.signed:
        cx, cy, turn = ink.seal_spot(doc, db, edge_ok=False)
        ink.hospital_seal(doc, min(cx, box.x + box.w - 8), cy - 4, rng.choice(["医务科", "医保办", None]), turn=turn)


def _applicant_sign(doc: Doc, x: float, y: float, right: float, *, hand: bool) -> None:
    """The applicant's own name, maybe a thumbprint, and the date at ``right`` ('年 月 日' when undated)."""
    spec, rng = doc.spec, doc.rng
    b = doc.text(x, y, doc.lab(rng.choice(["申请人（签字）", "申请人签名", "本人签字"])))
    nb = ink.own_name(doc, b.x + b.w + 2, y, spec.person.name)
    if rng.random() < 0.5:
        ink.thumb(doc, nb.x + nb.w - 3, y + 2)
    d = spec.issue_date
    lab = doc.lab(rng.choice(["日期", "申请日期", "填表日期"]))
    if d and hand:
        lb = doc.text(right - 45, y, lab, align="right")
        doc.pen_text(lb.x + lb.w + 1.5, y, doc.day(d), max_w=44)
    else:
        doc.text(right, y, lab + (doc.day(d) if d else BLANK_DATE), align="right")


def _checklist(spec: DocContent, rng: random.Random) -> Built:
    doc = new_doc(spec, rng, "A4", sizes=(9.5, 10.0))
    p = spec.person
    hand = rng.random() < 0.45
    y = doc.margin + 3
    doc.text(doc.x0, y, rng.choice(["附件1", "附表", "表一"]), size=doc.size * 0.9)
    doc.text(doc.x1, y, f"{doc.lab('受理编号')}", size=doc.size * 0.9, align="right")
    y = heads.letterhead(doc, _title(spec, rng), hospital=False, rule=False, y=y + 2)
    w = doc.w
    widths = [w * f for f in (0.07, 0.15, 0.2, 0.09, 0.11, 0.14, 0.24)]
    rh = rng.uniform(9.5, 10.5)
    vkind = "pen" if hand else "value"
    city = wording.CITY.get(spec.region, "")
    rows = [[Cell("申请人情况", "vlabel", down=5), L("姓名"), Cell(p.name, vkind), L("性别"), Cell(p.sex, vkind),
             L("出生日期"), Cell(doc.day(p.birth, "iso"), vkind)],
            [L("公民身份号码"), Cell(kind="empty", span=5, key="id")],
            [L("参保类别"), Cell(kind="empty", span=3, key="ins"), L("联系电话"), Cell(p.phone, vkind)],
            [L("现居住地址"), Cell(p.address, vkind, span=5)],
            [L("参保地"), Cell(city, vkind, span=2), L("人员状态"),
             Cell(rng.choice(["在职", "退休", "城乡居民"]), vkind, span=2)],
            [Cell("申请病种", "vlabel"), Cell(kind="empty", span=6, key="dz")],
            [Cell("医疗机构意见", "vlabel"), Cell(kind="empty", span=6, key="doc")],
            [Cell("申请人承诺", "vlabel"), Cell(kind="empty", span=6, key="own")],
            [Cell("经办机构意见", "vlabel"), Cell(kind="empty", span=6, key="office")]]
    heights = [rh] * 5 + [24.0, rng.uniform(46, 52), 26.0, 26.0]
    boxes = table(doc, doc.x0, y, widths, heights, rows, shade=rng.random() < 0.4)
    ib = boxes["id"]
    if rng.random() < 0.6:
        digit_boxes(doc, ib.x + 2, ib.y + ib.h * 0.72, p.id_number, cell=min(5.2, (ib.w - 4) / 18), hand=hand)
    else:
        doc.fill(ib.x + 2, ib.y + ib.h * 0.68, p.id_number, hand=hand, max_w=ib.w - 4)
    _boxes_row(doc, boxes["ins"], ["职工医保", "城乡居民医保"], rng.choice(["职工医保", "城乡居民医保"]))
    dz = boxes["dz"]
    names = list(CHECKLIST)
    chosen = next((n for n in names if spec.disease_name and n.startswith(spec.disease_name)), spec.disease_name or "")
    if chosen and chosen not in names:  # a disease the printed list lacks is written into one of its slots
        names[rng.randrange(len(names))] = chosen
    per_row = 4
    cw = (dz.w - 4) / per_row
    for i, name in enumerate(names):
        r, c = divmod(i, per_row)
        _boxes_row(doc, Box(dz.x + 2 + c * cw, dz.y + 1 + r * 7, cw, 7), [name], chosen if name == chosen else None,
                   size=doc.size * 0.82)
    _physician(doc, boxes["doc"], hand=hand)
    ob = boxes["own"]
    doc.wrap(ob.x + 3, ob.y + 7, ob.w - 6, PROMISE, size=doc.size * 0.92)
    _applicant_sign(doc, ob.x + 3, ob.y + ob.h - 6, ob.x + ob.w - 3, hand=hand)
    fb = boxes["office"]
    doc.text(fb.x + 3, fb.y + 8, f"{doc.lab('初审意见')}", size=doc.size * 0.92)
    doc.text(fb.x + 3, fb.y + fb.h - 5, f"{doc.lab('经办人')}              {doc.lab('复核人')}", size=doc.size * 0.92)
    doc.text(fb.x + fb.w - 3, fb.y + fb.h - 5, "（盖章）   " + BLANK_DATE, size=doc.size * 0.92, align="right")
    note = "填表说明：请在所申请病种前的□内打“√”；本表须附身份证复印件、诊断证明书及近一年检查报告。"
    doc.wrap(doc.x0, y + sum(heights) + 6, w, note, size=doc.size * 0.8)
    return doc.built()


def _boxes_row(doc: Doc, box: Box, options: list[str], chosen: str | None, *, size: float | None = None) -> None:
    """Printed ``□ option`` choices in ``box`` with a pen tick in the chosen one."""
    size = size or doc.size
    x, y = box.x + 2, box.y + box.h / 2 + size * MM_PER_PT * 0.35
    for opt in options:
        b = doc.text(x, y, "□", size=size)
        if opt == chosen:
            ink.tick(doc, b.x, y)
        ob = doc.text(b.x + b.w + 0.5, y, opt, size=size, fit_w=box.x + box.w - b.x - b.w - 2)
        x = ob.x + ob.w + 5


def _online(spec: DocContent, rng: random.Random) -> Built:
    """Printed from the online service hall: band with a code and the application time, fact cells under shaded
    section bars, then boxes for the hospital and the applicant to fill in by hand."""
    doc = new_doc(spec, rng, "A4", sizes=(9.0, 9.5, 10.0), upper_ok=False)
    p, d = spec.person, spec.issue_date
    city = wording.CITY.get(spec.region, "")
    side = [f"{doc.lab('业务流水号')}{serial(rng, 16)}"]
    if d:
        side.append(f"{doc.lab('申请时间')}{doc.stamp(doc.moment(d, 8, 18))}")
    platform = rng.choice([f"{city}医疗保障网上服务大厅", "医保服务平台", f"{city}医保经办服务系统"])
    y = heads.his_band(doc, _title(spec, rng), code="qr", side=side, name=platform) + 4

    def bar(title: str, y: float) -> float:
        doc.page.rect(Box(doc.x0, y - 4.6, doc.w, 6.5), 0, None, (226, 230, 238))
        doc.text(doc.x0 + 2, y, title, font=doc.bold)
        return y + 3

    y = bar("一、参保人信息", y)
    items = [("姓名", p.name), ("性别", p.sex), ("证件类型", "居民身份证"), ("证件号码", p.id_number),
             ("联系电话", p.phone), ("参保类型", rng.choice(["职工基本医疗保险", "城乡居民基本医疗保险"])),
             ("参保地", city), ("居住地址", p.address)]
    y = heads.info_cells(doc, y, items, 3, row_h=8.0, wide=("证件号码", "居住地址")) + 9
    y = bar("二、申请事项", y)
    items = [("申请类型", "续办" if spec.kind == "renewal" else "新申请"), ("申请病种", spec.disease_name or ""),
             ("选定医疗机构", spec.hospital or "")]
    y = heads.info_cells(doc, y, items, 3, row_h=8.0, wide=("选定医疗机构",)) + 9
    y = bar("三、医疗机构意见（由经治医师填写）", y)
    box = Box(doc.x0, y, doc.w, rng.uniform(48, 56))
    doc.page.rect(box, 0.3)
    hand = rng.random() < 0.6
    _physician(doc, box, hand=hand)
    y = box.y + box.h + 9
    y = bar("四、申请人确认", y)
    box = Box(doc.x0, y, doc.w, 26)
    doc.page.rect(box, 0.3)
    doc.wrap(box.x + 3, box.y + 7, box.w - 6, PROMISE, size=doc.size * 0.92)
    _applicant_sign(doc, box.x + 3, box.y + box.h - 6, box.x + box.w - 3, hand=hand)
    heads.footer_rule(doc, "本表由系统生成，打印后经医疗机构签章、申请人签字后有效。", "第1页/共1页")
    return doc.built()


def _split(spec: DocContent, rng: random.Random) -> Built:
    """A4 landscape: the applicant fills the left half on underlines, the hospital the right half; the
    agency's part runs along the foot."""
    doc = new_doc(spec, rng, "A4L", sizes=(9.5, 10.0))
    p = spec.person
    page = doc.page
    hand = rng.random() < 0.5
    y = heads.letterhead(doc, _title(spec, rng), hospital=False, rule=False, y=doc.margin - 2)
    mid = doc.x0 + doc.w * 0.5
    top = y
    bottom = page.h - doc.margin - 30
    for x0, x1, head in ((doc.x0, mid - 3, "申请人填写"), (mid + 3, doc.x1, "定点医疗机构填写")):
        doc.page.rect(Box(x0, top, x1 - x0, bottom - top), 0.4)
        doc.page.rect(Box(x0, top, x1 - x0, 7.5), 0.4, fill=(232, 234, 238))
        doc.text((x0 + x1) / 2, top + 5.4, head, font=doc.bold, align="center")
    x0, x1 = doc.x0 + 3, mid - 6
    yy = top + 16
    lead = doc.line_h(2.9)
    rows: list[list[tuple[str, str, float]]] = [[("姓名", p.name, 0.5), ("性别", p.sex, 0.5)],
                                                [("出生日期", doc.day(p.birth), 1.0)], [("联系电话", p.phone, 1.0)],
                                                [("申请病种", spec.disease_name or "", 1.0)], [("现住址", p.address, 1.0)]]
    for row in rows:
        x = x0
        for label, val, frac in row:
            b = doc.text(x, yy, doc.lab(label))
            underline(doc, b.x + b.w + 0.5, yy, (x1 - x0) * frac - b.w - 3, val, hand=hand)
            x += (x1 - x0) * frac
        yy += lead
        if row[0][0] == "姓名":
            b = doc.text(x0, yy, doc.lab("身份证号"))
            cell = min(5.0, (x1 - b.x - b.w - 2) / 18)
            if rng.random() < 0.6:
                digit_boxes(doc, b.x + b.w + 1, yy + 0.5, p.id_number, cell=cell, hand=hand)
            else:
                underline(doc, b.x + b.w + 0.5, yy, x1 - b.x - b.w - 1, p.id_number, hand=hand)
            yy += lead
    doc.wrap(x0, yy + 2, x1 - x0, PROMISE, size=doc.size * 0.9)
    _applicant_sign(doc, x0, bottom - 8, x1, hand=hand)
    _physician(doc, Box(mid + 3, top + 7.5, doc.x1 - mid - 3, bottom - top - 7.5), hand=hand)
    fy = bottom + 3
    doc.page.rect(Box(doc.x0, fy, doc.w, page.h - doc.margin - fy), 0.4)
    doc.text(doc.x0 + 3, fy + 8, f"{doc.lab('医保经办机构审核意见')}", size=doc.size * 0.95)
    doc.text(doc.x1 - 3, page.h - doc.margin - 5, f"{doc.lab('经办人')}          （盖章）   {BLANK_DATE}",
             size=doc.size * 0.92, align="right")
    return doc.built()
