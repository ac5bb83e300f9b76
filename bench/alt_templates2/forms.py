"""Second-family forms: the benefit application form, the power of attorney and the previous approval."""

from __future__ import annotations

import random
from datetime import date, timedelta

from bench.alt_templates2.base import (
    CITY,
    GREY,
    LIGHT,
    Cell,
    Sheet,
    blank_date,
    blank_line,
    centred_head,
    check_row,
    fit,
    grid,
    new_sheet,
)
from samples.generator.canvas import Box, text_width
from samples.generator.documents import Built, DocContent

AGENCIES = {"linfen": ("临汾市医疗保障事务中心", "临汾市医疗保险管理服务中心"),
            "fangchenggang": ("防城港市医疗保障服务中心", "防城港市社会医疗保险经办中心")}
INSURANCE = ("职工医保", "居民医保")
REASONS = ("年老体弱，行动不便", "因病卧床", "长期在外地", "腿脚不便", "身体状况不允许")
RELATIONS = ("父子", "母女", "夫妻", "父女", "母子", "亲属")
OPINIONS = ("该患者诊断明确，符合门诊慢特病认定条件。", "病情属实，需长期门诊治疗，同意申报。",
            "经诊断符合该病种标准，请医保部门审核。")


def _title(spec: DocContent, rng: random.Random) -> str:
    city = CITY.get(spec.region, "")
    if spec.kind == "renewal":
        return rng.choice([f"{city}门诊慢特病待遇续办申请表", f"{city}门诊慢性病特殊病续办登记表"])
    return rng.choice([f"{city}门诊慢特病待遇认定申请表", f"{city}基本医疗保险门诊慢特病申请登记表",
                       f"{city}门诊慢性特殊病种认定申请表"])


def _insurance(rng: random.Random) -> str:
    return rng.choice(INSURANCE)


def _form_date(s: Sheet, spec: DocContent) -> str:
    return s.d(spec.issue_date) if spec.issue_date else blank_date(False)


def _physician_block(s: Sheet, spec: DocContent, box: Box, *, label_inside: bool = True) -> None:
    """Diagnosis and opinion at the top of ``box``; the signature line at its far right with the date
    (年 月 日 when unsigned) after it, and the hospital's seal over them when signed."""
    rng = s.rng
    x, y = box.x + 3, box.y + 7
    hand = rng.random() < 0.4
    dx = spec.diagnosis or spec.disease_name or ""
    if label_inside:
        b = s.t(x, y, s.lab(rng.choice(["临床诊断", "诊断", "诊断结论"])))
        s.value(b.x + b.w + 1.5, y, dx, hand=hand, width=box.x + box.w - b.x - b.w - 5)
        y += 8
    s.value(x, y, rng.choice(OPINIONS), hand=hand, width=box.w - 6)
    sy = box.y + box.h - 6
    right = box.x + box.w - 3
    signed = spec.signed
    date_text = s.d(spec.issue_date) if signed and spec.issue_date else "年    月    日"
    date_w = max(text_width(date_text, s.body, s.size), 30)
    label = rng.choice(["医师签字", "经治医师（签名）", "主治医师签章", "医生签名"])
    sig_w = 30
    lab_w = text_width(s.lab(label), s.body, s.size)
    lx = right - date_w - 6 - sig_w - lab_w - 2
    ly = sy
    if lx < box.x + 3:  # a narrow box: the signature line goes above the date
        lx, ly = right - sig_w - lab_w - 1, sy - 12
    s.t(lx, ly, s.lab(label))
    sx = lx + lab_w + 1
    if rng.random() < 0.5:
        s.page.line(sx, ly + 1.3, sx + sig_w, ly + 1.3, 0.25)
    else:
        s.page.rect(Box(sx, ly - 7, sig_w, 9), 0.25)
    if signed:
        s.physician(sx + 1.5, ly - 0.5, "申请表医师", seal_ok=False, typed_ok=False, max_w=sig_w - 3)
    if signed and spec.issue_date and hand:
        s.hand(right - date_w, sy, date_text)
    else:
        s.t(right, sy, date_text, align="right")
    if rng.random() < 0.5 and ly == sy:
        s.t(right, sy - 9, "（医疗机构盖章）", size=s.size * 0.85, align="right")
    if signed:
        s.seal(right - date_w / 2 - 4, sy - 13, rng.choice(["医务科", "医保办", "门诊部", None]))


def build_application_form(spec: DocContent, rng: random.Random) -> Built:
    """申请表: a ruled form with grouped rows and vertical group labels, a form of numbered sections with
    labels above boxed values and check boxes, or a landscape register-style form."""
    layout = rng.choice(["ruled", "sections", "landscape"])
    return {"ruled": _app_ruled, "sections": _app_sections, "landscape": _app_landscape}[layout](spec, rng)


def _app_ruled(spec: DocContent, rng: random.Random) -> Built:
    s = new_sheet(spec, rng, "A4", sizes=(9.5, 10.0, 10.5))
    p = spec.person
    hand = rng.random() < 0.4
    y = centred_head(s, _title(spec, rng), hospital=False, rule="none", y=s.margin + 4)
    s.t(s.x0, y - 1, f"{s.lab('编号')}", size=s.size * 0.9)
    s.t(s.x1, y - 1, f"{s.lab(rng.choice(['填表日期', '申请日期']))}{_form_date(s, spec)}", size=s.size * 0.9,
        align="right")
    y += 2
    w = s.width
    widths = [w * f for f in (0.07, 0.14, 0.22, 0.11, 0.14, 0.12, 0.2)]
    rh = rng.uniform(9, 10.5)
    vr = "hand" if hand else "value"
    cells = [Cell(0, 0, "申请人信息", "vlabel", rs=4),
             Cell(0, 1, "姓名", "label"), Cell(0, 2, p.name, vr), Cell(0, 3, "性别", "label"), Cell(0, 4, p.sex, vr),
             Cell(0, 5, "民族", "label"), Cell(0, 6, p.ethnicity, vr),
             Cell(1, 1, "身份证号", "label"), Cell(1, 2, p.id_number, vr, cs=3), Cell(1, 5, "联系电话", "label"),
             Cell(1, 6, p.phone, vr),
             Cell(2, 1, "参保类型", "label"), Cell(2, 2, "", "blank", cs=5, key="ins"),
             Cell(3, 1, "现住址", "label"), Cell(3, 2, p.address, vr, cs=5),
             Cell(4, 0, "病种", "vlabel", rs=1), Cell(4, 1, "申请病种", "label"), Cell(4, 2, spec.disease_name or "", vr, cs=2),
             Cell(4, 4, "诊断医院", "label"), Cell(4, 5, spec.hospital or "", vr, cs=2),
             Cell(5, 0, "医疗机构意见", "vlabel"), Cell(5, 1, "", "blank", cs=6, key="doc"),
             Cell(6, 0, "申请人承诺", "vlabel"), Cell(6, 1, "", "blank", cs=6, key="own"),
             Cell(7, 0, "经办机构意见", "vlabel"), Cell(7, 1, "", "blank", cs=6, key="office")]
    heights = [rh, rh, rh, rh, rh, rng.uniform(50, 58), rng.uniform(32, 36), rng.uniform(30, 36)]
    boxes = grid(s, s.x0, y, widths, heights, cells, shade=rng.random() < 0.4)
    ib = boxes["ins"]
    check_row(s, ib.x + 3, ib.y + ib.h * 0.65, ["职工医保", "城乡居民医保", "离休"],
              rng.choice(["职工医保", "城乡居民医保"]))
    _physician_block(s, spec, boxes["doc"])
    ob = boxes["own"]
    s.para(ob.x + 3, ob.y + 7, ob.w - 6, "本人承诺以上信息及所附材料真实、有效，如有虚假，自愿承担相应责任。", size=s.size * 0.92)
    sy = ob.y + ob.h - 6
    b = s.t(ob.x + 3, sy, s.lab(rng.choice(["申请人签字", "申请人（签名）"])))
    end = s.own_name(b.x + b.w + 2, sy, p.name)
    if rng.random() < 0.5:
        s.thumb(end - 2, sy + 1)
    if spec.issue_date and hand:
        s.hand(ob.x + ob.w - 45, sy, s.d(spec.issue_date))
    else:
        s.t(ob.x + ob.w - 3, sy, _form_date(s, spec), align="right")
    fb = boxes["office"]
    s.t(fb.x + 3, fb.y + fb.h - 6, f"{s.lab('经办人')}            {s.lab('复核人')}", size=s.size * 0.92)
    s.t(fb.x + fb.w - 3, fb.y + fb.h - 6, "年    月    日", align="right", size=s.size * 0.92)
    end_y = fb.y + fb.h + 7
    s.para(s.x0, end_y, w, "说明：本表一式二份，申请人须同时提交身份证复印件、诊断证明书及近一年内相关检查报告。",
           size=s.size * 0.82)
    return s.built()


def _app_sections(spec: DocContent, rng: random.Random) -> Built:
    s = new_sheet(spec, rng, rng.choice(["A4", "16K"]), sizes=(9.0, 9.5, 10.0))
    p = spec.person
    page = s.page
    y = centred_head(s, _title(spec, rng), hospital=False, rule="double", y=s.margin + 3)
    hand = rng.random() < 0.45

    def section(title: str, y: float) -> float:
        page.rect(Box(s.x0, y - 4.6, s.width, 6.4), 0, None, LIGHT)
        s.t(s.x0 + 2, y, title, font=s.bold)
        return y + 8

    def boxed(fields: list[tuple[str, str, float]], y: float) -> float:
        x = s.x0
        for label, val, frac in fields:
            fw = s.width * frac
            s.t(x, y, label, size=s.size * 0.8, colour=GREY)
            page.rect(Box(x, y + 1.5, fw - 2.5, 8), 0.25)
            s.value(x + 1.5, y + 7.3, val, hand=hand, width=fw - 5)
            x += fw
        return y + 15

    y = section("一、申请人基本信息", y)
    y = boxed([("姓名", p.name, 0.25), ("性别", p.sex, 0.12), ("出生日期", s.d(p.birth, "iso"), 0.25),
               ("联系电话", p.phone, 0.38)], y)
    y = boxed([("公民身份号码", p.id_number, 0.5), ("参保地", CITY.get(spec.region, ""), 0.22),
               ("参保类型", _insurance(rng), 0.28)], y)
    y = boxed([("常住地址", p.address, 1.0)], y)
    y = section("二、申请病种及就诊医院", y)
    b = s.t(s.x0, y, s.lab("申请类别"))
    check_row(s, b.x + b.w + 2, y, ["首次认定", "续办", "变更病种"], "续办" if spec.kind == "renewal" else "首次认定")
    y += 9
    y = boxed([("申请病种", spec.disease_name or "", 0.45), ("定点医疗机构", spec.hospital or "", 0.55)], y)
    y = section("三、医疗机构诊断意见", y)
    box = Box(s.x0, y - 3, s.width, rng.uniform(40, 48))
    page.rect(box, 0.3)
    _physician_block(s, spec, box)
    y = box.y + box.h + 8
    y = section("四、申请人声明", y)
    y = s.para(s.x0 + 2, y, s.width - 4, "本人已知悉门诊慢特病相关政策，承诺所填信息真实准确。", size=s.size * 0.92) + 6
    b = s.t(s.x0 + s.width * 0.35, y, s.lab(rng.choice(["申请人签名", "本人签字"])))
    end = s.own_name(b.x + b.w + 2, y, p.name)
    if rng.random() < 0.4:
        s.thumb(end - 2, y + 1)
    b2 = s.t(s.x1, y, f"{s.lab('日期')}{_form_date(s, spec)}", align="right")
    del b2
    y += 12
    y = section("五、经办机构审核（申请人不填）", y)
    page.rect(Box(s.x0, y - 3, s.width, 24), 0.3)
    s.t(s.x0 + 3, y + 15, f"{s.lab('审核意见')}□同意  □不同意        {s.lab('经办人')}", size=s.size * 0.92)
    s.t(s.x1 - 3, y + 15, "年    月    日", size=s.size * 0.92, align="right")
    return s.built()


def _app_landscape(spec: DocContent, rng: random.Random) -> Built:
    """A landscape register form: facts in one wide header/value table, opinions in three boxes side by side."""
    s = new_sheet(spec, rng, "A4L", sizes=(9.5, 10.0))
    p = spec.person
    page = s.page
    y = centred_head(s, _title(spec, rng), hospital=False, rule="none", y=s.margin + 2)
    s.t(s.x1, y - 2, f"{s.lab('填表日期')}{_form_date(s, spec)}", align="right", size=s.size * 0.92)
    s.t(s.x0, y - 2, f"{s.lab('受理编号')}", size=s.size * 0.92)
    y += 2
    w = s.width
    fr = (0.09, 0.05, 0.2, 0.1, 0.14, 0.24, 0.18)
    heads = ["姓名", "性别", "身份证号码", "参保类型", "申请病种", "定点医疗机构", "联系电话"]
    vals = [p.name, p.sex, p.id_number, _insurance(rng), spec.disease_name or "", spec.hospital or "", p.phone]
    hand = rng.random() < 0.35
    widths = [w * f for f in fr]
    cells = [Cell(0, i, h, "label") for i, h in enumerate(heads)]
    cells += [Cell(1, i, v, "hand" if hand else "value", align="center") for i, v in enumerate(vals)]
    cells += [Cell(2, 0, "现住址", "label"), Cell(2, 1, p.address, "hand" if hand else "value", cs=6)]
    grid(s, s.x0, y, widths, [8.0, 11.0, 10.0], cells, shade=True)
    y += 29 + 4
    bw = (w - 8) / 3
    bh = page.h - s.margin - 14 - y
    titles = [rng.choice(["医疗机构诊断意见", "定点医院意见"]), "申请人签字", "医保经办机构意见"]
    for i, t in enumerate(titles):
        bx = Box(s.x0 + i * (bw + 4), y, bw, bh)
        page.rect(bx, 0.35)
        page.rect(Box(bx.x, bx.y, bx.w, 7.5), 0.35, fill=LIGHT)
        s.t(bx.x + bx.w / 2, bx.y + 5.3, t, font=s.bold, align="center")
        inner = Box(bx.x, bx.y + 7.5, bx.w, bx.h - 7.5)
        if i == 0:
            _physician_block(s, spec, inner)
        elif i == 1:
            s.para(inner.x + 3, inner.y + 7, inner.w - 6, "本人承诺所提供材料真实有效。", size=s.size * 0.92)
            sy = inner.y + inner.h - 16
            b = s.t(inner.x + 3, sy, s.lab("申请人"))
            end = s.own_name(b.x + b.w + 2, sy, p.name)
            if rng.random() < 0.5:
                s.thumb(end - 2, sy + 1)
            s.t(inner.x + inner.w - 3, sy + 10, _form_date(s, spec), align="right")
        else:
            s.t(inner.x + 3, inner.y + inner.h - 16, f"{s.lab('经办人')}", size=s.size * 0.92)
            s.t(inner.x + inner.w - 3, inner.y + inner.h - 6, "（盖章）   年   月   日", size=s.size * 0.92, align="right")
    s.t(s.x0, page.h - s.margin, "注：请附身份证复印件、诊断证明及检查报告原件。", size=s.size * 0.8, colour=GREY)
    return s.built()


# == power of attorney ==============================================================================
def _task(spec: DocContent) -> str:
    return "门诊慢特病待遇续办" if spec.kind == "renewal" else "门诊慢特病待遇认定申请"


def build_power_of_attorney(spec: DocContent, rng: random.Random) -> Built:
    """委托书: a letter naming principal and agent in sentences, a ruled table with grouped rows, or a
    printed sentence with blanks filled in."""
    layout = rng.choice(["letter", "ruled", "blanks"])
    return {"letter": _poa_letter, "ruled": _poa_ruled, "blanks": _poa_blanks}[layout](spec, rng)


def _poa_sign(s: Sheet, spec: DocContent, y: float, x: float, labels: tuple[str, str]) -> float:
    p, a = spec.person, spec.agent
    assert a is not None
    for label, who in zip(labels, (p, a), strict=True):
        b = s.t(x, y, s.lab(label))
        end = s.own_name(b.x + b.w + 2, y, who.name, size=s.rng.uniform(5.5, 7))
        if who is p and s.rng.random() < 0.7:
            s.thumb(end - 2, y + 1)
        y += 13
    return y


def _poa_letter(spec: DocContent, rng: random.Random) -> Built:
    s = new_sheet(spec, rng, rng.choice(["A4", "16K"]), sizes=(10.5, 11.0, 12.0))
    p, a = spec.person, spec.agent
    assert a is not None
    y = centred_head(s, rng.choice(["授权委托书", "委 托 书", "代办委托书"]), hospital=False, rule="none", y=s.margin + 12)
    y += 6
    agency = rng.choice(AGENCIES.get(spec.region, ("医疗保障局",)))
    s.t(s.x0, y, f"{agency}：")
    y += s.lh(2.6)
    rel = rng.choice(["子女", "配偶", "亲属", "儿子" if rng.random() < 0.5 else "女儿"])
    paras = [
        f"本人{p.name}，{p.sex}，身份证号码{p.id_number}，现住{p.address}。因{rng.choice(REASONS)}，无法亲自到现场办理"
        f"{_task(spec)}手续。",
        f"现委托{a.name}（身份证号码{a.id_number}，联系电话{a.phone}，系本人{rel}）作为我的合法代理人，代为办理上述事项，"
        f"包括提交申请材料、签署相关文书、领取办理结果等。",
        "代理人在其权限范围内所办理的一切事项，本人均予以承认，并承担由此产生的法律后果。代理人无转委托权。",
        "特此委托。"]
    indent = text_width("本人", s.body, s.size)
    for para in paras:
        y = s.para(s.x0, y, s.width, para, leading=2.15, indent=indent) + 1.5
    y += 12
    sx = s.x0 + s.width * 0.45
    y = _poa_sign(s, spec, y, sx, (rng.choice(["委托人（签字、手印）", "委托人"]), rng.choice(["受托人（签字）", "代理人"])))
    form = rng.choice(["cn_upper", s.date_form])
    s.t(s.x1, y + 2, s.d(spec.issue_date, form) if spec.issue_date else blank_date(), align="right")
    s.t(s.x0, s.page.h - s.margin - 4, "附：委托人、受托人身份证复印件各一份。", size=s.size * 0.85)
    return s.built()


def _poa_ruled(spec: DocContent, rng: random.Random) -> Built:
    s = new_sheet(spec, rng, "A4", sizes=(10.0, 10.5))
    p, a = spec.person, spec.agent
    assert a is not None
    y = centred_head(s, rng.choice(["门诊慢特病代办委托书", "授权委托书"]), hospital=False, rule="none", y=s.margin + 8)
    hand = rng.random() < 0.45
    vr = "hand" if hand else "value"
    giver, taker = rng.choice([("委托人", "受托人"), ("授权人", "被授权人")])
    w = s.width
    widths = [w * f for f in (0.08, 0.15, 0.27, 0.13, 0.37)]
    rh = rng.uniform(10, 11.5)
    cells = [Cell(0, 0, giver, "vlabel", rs=3), Cell(0, 1, "姓名", "label"), Cell(0, 2, p.name, vr),
             Cell(0, 3, "性别", "label"), Cell(0, 4, p.sex, vr),
             Cell(1, 1, "身份证号", "label"), Cell(1, 2, p.id_number, vr, cs=3),
             Cell(2, 1, "联系电话", "label"), Cell(2, 2, p.phone, vr), Cell(2, 3, "住址", "label"), Cell(2, 4, p.address, vr),
             Cell(3, 0, taker, "vlabel", rs=3), Cell(3, 1, "姓名", "label"), Cell(3, 2, a.name, vr),
             Cell(3, 3, f"与{giver}关系", "label"), Cell(3, 4, rng.choice(RELATIONS), vr),
             Cell(4, 1, "身份证号", "label"), Cell(4, 2, a.id_number, vr, cs=3),
             Cell(5, 1, "联系电话", "label"), Cell(5, 2, a.phone, vr, cs=3),
             Cell(6, 0, "委托事项", "vlabel"), Cell(6, 1, "", "blank", cs=4, key="task"),
             Cell(7, 0, "委托期限", "vlabel"), Cell(7, 1, "", "blank", cs=4, key="period"),
             Cell(8, 0, "签字", "vlabel"), Cell(8, 1, "", "blank", cs=4, key="sign")]
    heights = [rh] * 6 + [24.0, 16.0, 44.0]
    boxes = grid(s, s.x0, y, widths, heights, cells, shade=rng.random() < 0.5)
    tb = boxes["task"]
    s.para(tb.x + 3, tb.y + 7, tb.w - 6, f"因{rng.choice(REASONS)}，{giver}{p.name}不能亲自办理，特委托{taker}{a.name}代为办理"
           f"{_task(spec)}的全部手续，{taker}所签署的有关文件{giver}均予认可。")
    pb = s.t(boxes["period"].x + 3, boxes["period"].y + 10, "自签字之日起至该事项办结之日止。")
    del pb
    sb = boxes["sign"]
    yy = _poa_sign(s, spec, sb.y + 11, sb.x + 5, (f"{giver}签字", f"{taker}签字"))
    del yy
    date_text = s.d(spec.issue_date) if spec.issue_date else blank_date(False)
    if hand and spec.issue_date:
        s.hand(sb.x + sb.w - 50, sb.y + sb.h - 6, date_text)
    else:
        s.t(sb.x + sb.w - 4, sb.y + sb.h - 6, f"{s.lab('委托日期') if rng.random() < 0.5 else ''}{date_text}", align="right")
    return s.built()


def _poa_blanks(spec: DocContent, rng: random.Random) -> Built:
    """A window's printed template: a sentence with underlined blanks the applicant filled in."""
    s = new_sheet(spec, rng, rng.choice(["A4", "A5", "B5"]), sizes=(10.0, 10.5, 11.0))
    p, a = spec.person, spec.agent
    assert a is not None
    hand = rng.random() < 0.6
    y = centred_head(s, rng.choice(["委托书", "授权委托书"]), hospital=False, rule="none", y=s.margin + 10) + 6
    lead = s.lh(3.0)
    # each line: a list of printed pieces and (blank text, width fraction) pieces
    pieces: list[list] = [
        ["委托人", (p.name, 0.22), "，身份证号", (p.id_number, 0.45)],
        ["因", (rng.choice(REASONS), 0.4), "，不能亲自前往办理"],
        [(_task(spec), 0.55), "手续，"],
        ["特委托", (a.name, 0.22), "（身份证号", (a.id_number, 0.45), "）"],
        ["代为办理。受托人与委托人关系：", (rng.choice(RELATIONS), 0.18), "。"],
        ["受托人在办理过程中签署的材料，委托人均予以认可。"]]
    for line in pieces:
        x = s.x0
        for piece in line:
            if isinstance(piece, str):
                b = s.t(x, y, piece)
                x = b.x + b.w + 0.8
            else:
                text, frac = piece
                bw = min(s.width * frac, s.x1 - x)
                if bw < text_width(text, s.body, s.size) * 0.6:  # no room left on this line
                    y += lead
                    x = s.x0
                    bw = s.width * frac
                x = blank_line(s, x, y, bw, text, hand=hand) + 0.8
        y += lead
    y += 12
    y = _poa_sign(s, spec, y, s.x0 + s.width * 0.4, ("委托人（签名）", "受托人（签名）"))
    b = s.t(s.x0 + s.width * 0.4, y, s.lab("日期"))
    if spec.issue_date and hand:
        s.hand(b.x + b.w + 2, y, s.d(spec.issue_date))
    else:
        s.t(b.x + b.w + 2, y, s.d(spec.issue_date) if spec.issue_date else blank_date(False))
    return s.built()


# == previous approval ================================================================================
def _period(s: Sheet, start: date | None, end: date | None) -> str:
    if start and end:
        return f"{s.d(start)}至{s.d(end)}" if s.rng.random() < 0.5 else f"自{s.d(start)}起至{s.d(end)}止"
    return f"至{s.d(end)}" if end else ""


def build_previous_approval(spec: DocContent, rng: random.Random) -> Built:
    """The earlier approval: a landscape entitlement certificate, a ruled approval sheet with staged
    opinions, or an insurance-system printout of the record."""
    layout = rng.choice(["certificate", "staged", "printout"])
    return {"certificate": _prev_certificate, "staged": _prev_staged, "printout": _prev_printout}[layout](spec, rng)


def _agency(spec: DocContent, rng: random.Random) -> str:
    return rng.choice(AGENCIES.get(spec.region, ("医疗保障局",)))


def _agency_seal(s: Sheet, spec: DocContent, name: str, cx: float, cy: float) -> None:
    if spec.sealed:
        s.office_seal(name, s.rng.choice(["业务专用章", "慢特病审批专用章", None]), cx, cy)


def _prev_certificate(spec: DocContent, rng: random.Random) -> Built:
    s = new_sheet(spec, rng, rng.choice(["A5L", "B5L"]), sizes=(10.0, 10.5))
    p = spec.person
    page = s.page
    page.rect(Box(s.margin - 5, s.margin - 5, page.w - 2 * s.margin + 10, page.h - 2 * s.margin + 10), 1.0)
    page.rect(Box(s.margin - 3.5, s.margin - 3.5, page.w - 2 * s.margin + 7, page.h - 2 * s.margin + 7), 0.3)
    city = CITY.get(spec.region, "")
    y = s.margin + 7
    title = rng.choice([f"{city}门诊慢特病待遇资格证", f"{city}门诊特殊疾病治疗证", "门诊慢特病待遇认定凭证"])
    s.t(page.w / 2, y, title, font=s.bold, size=fit(title, s.bold, 17, s.width), align="center")
    y += 11
    photo = Box(s.x0 + 2, y, 25, 32)
    page.rect(photo, 0.3)
    s.t(photo.x + photo.w / 2, photo.y + photo.h / 2 + 1, "照片", size=8, colour=GREY, align="center")
    fx = photo.x + photo.w + 8
    rows = [("姓    名", p.name), ("性    别", p.sex), ("身份证号", p.id_number), ("认定病种", spec.disease_name or ""),
            ("证    号", f"MT{rng.randrange(10**7, 10**8)}"), ("有效期限", _period(s, spec.issue_date, spec.valid_until))]
    for label, val in rows:
        b = s.t(fx, y + 4, s.lab(label))
        s.t(b.x + b.w + 1, y + 4, val, width=s.x1 - b.x - b.w - 3)
        page.line(b.x + b.w, y + 5.5, s.x1 - 2, y + 5.5, 0.15)
        y += 8.5
    agency = _agency(spec, rng)
    y = max(y + 6, page.h - s.margin - 16)
    ab = s.t(s.x1 - 4, y, agency, align="right")
    label = rng.choice(["发证日期", "认定日期", "审批日期"])
    db = s.t(s.x1 - 4, y + 8, f"{s.lab(label)}{s.d(spec.issue_date)}", align="right")
    _agency_seal(s, spec, agency, ab.cx, (ab.cy + db.cy) / 2)
    s.t(s.x0, page.h - s.margin, "本证限本人使用，有效期满前三个月内办理续办。", size=8, colour=GREY)
    return s.built()


def _prev_staged(spec: DocContent, rng: random.Random) -> Built:
    s = new_sheet(spec, rng, "A4", sizes=(10.0, 10.5))
    p = spec.person
    city = CITY.get(spec.region, "")
    y = centred_head(s, rng.choice([f"{city}门诊慢特病待遇审批表", f"{city}门诊慢性特殊疾病认定审批表"]), hospital=False,
                     rule="none", y=s.margin + 6)
    s.t(s.x1, y - 2, f"审批编号{s.colon}{city[:2]}MT{rng.randrange(10**5, 10**6)}", size=s.size * 0.9, align="right")
    y += 2
    w = s.width
    widths = [w * f for f in (0.08, 0.16, 0.26, 0.14, 0.36)]
    rh = rng.uniform(9.5, 11)
    approved = spec.issue_date
    cells = [Cell(0, 0, "基本情况", "vlabel", rs=3), Cell(0, 1, "姓名", "label"), Cell(0, 2, p.name),
             Cell(0, 3, "性别", "label"), Cell(0, 4, p.sex),
             Cell(1, 1, "身份证号", "label"), Cell(1, 2, p.id_number, cs=3),
             Cell(2, 1, "参保类型", "label"), Cell(2, 2, _insurance(rng)), Cell(2, 3, "认定病种", "label"),
             Cell(2, 4, spec.disease_name or ""),
             Cell(3, 0, "审核", "vlabel", rs=3), Cell(3, 1, "初审意见", "label"), Cell(3, 2, "", "blank", cs=3, key="a1"),
             Cell(4, 1, "复核意见", "label"), Cell(4, 2, "", "blank", cs=3, key="a2"),
             Cell(5, 1, "审批意见", "label"), Cell(5, 2, "", "blank", cs=3, key="a3"),
             Cell(6, 0, "待遇", "vlabel"), Cell(6, 1, "享受期限", "label"),
             Cell(6, 2, _period(s, approved, spec.valid_until), cs=3)]
    heights = [rh, rh, rh, 22.0, 22.0, 40.0, rh * 1.2]
    boxes = grid(s, s.x0, y, widths, heights, cells, shade=rng.random() < 0.5)
    for key, text, who in (("a1", "材料齐全，符合认定条件。", "经办人"), ("a2", "同意。", "复核人"),
                           ("a3", "同意认定，按规定享受门诊慢特病待遇。", "负责人")):
        bx = boxes[key]
        s.t(bx.x + 3, bx.y + 7, text)
        sy = bx.y + bx.h - 5
        b = s.t(bx.x + bx.w * 0.35, sy, s.lab(who))
        s.physician(b.x + b.w + 1, sy, f"审批{who}", seal_ok=False, max_w=24)
        s.t(bx.x + bx.w - 3, sy, s.d(approved) if approved else blank_date(False), align="right")
    a3 = boxes["a3"]
    agency = _agency(spec, rng)
    ab = s.t(a3.x + a3.w - 3, a3.y + a3.h - 14, f"{agency}（章）", align="right", size=s.size * 0.92)
    _agency_seal(s, spec, agency, ab.cx, ab.cy)
    end = a3.y + a3.h + rh * 1.2 + 8
    s.para(s.x0, end, w, "注：待遇期满前三个月内可申请续办；逾期未办理的，须重新申请认定。", size=s.size * 0.85)
    return s.built()


def _prev_printout(spec: DocContent, rng: random.Random) -> Built:
    """A printout of the insurance system's record: a header of the person's facts and a one-row table."""
    s = new_sheet(spec, rng, rng.choice(["A4", "A4L"]), upper_ok=False, sizes=(9.0, 9.5))
    p = spec.person
    page = s.page
    y = s.margin + 6
    title = rng.choice(["门诊慢特病待遇认定信息单", "门诊慢特病备案信息查询结果", "门诊慢特病待遇资格认定结果"])
    s.t(page.w / 2, y, title, font=s.bold, size=15, align="center")
    y += 10
    agency = _agency(spec, rng)
    pairs = [("人员编号", f"{rng.randrange(10**15, 10**16)}"), ("姓名", p.name), ("性别", p.sex),
             ("证件号码", p.id_number), ("险种类型", rng.choice(["职工基本医疗保险", "城乡居民基本医疗保险"])),
             ("参保地", CITY.get(spec.region, ""))]
    col = s.width / 3
    for i, (lab, val) in enumerate(pairs):
        r, c = divmod(i, 3)
        b = s.t(s.x0 + c * col, y + r * 7, s.lab(lab))
        s.t(b.x + b.w + 1, y + r * 7, val, width=col - b.w - 3)
    y += 2 * 7 + 3
    w = s.width
    fr = (0.05, 0.19, 0.13, 0.13, 0.13, 0.25, 0.12)
    heads = ["序号", "病种名称", "认定日期", "开始日期", "终止日期", "认定机构", "状态"]
    vals = ["1", spec.disease_name or "", s.d(spec.issue_date), s.d(spec.issue_date), s.d(spec.valid_until), agency,
            "有效" if spec.valid_until and spec.valid_until >= spec.submitted_on else "到期"]
    cells = [Cell(0, i, h, "label") for i, h in enumerate(heads)]
    cells += [Cell(1, i, v, align="center") for i, v in enumerate(vals)]
    grid(s, s.x0, y, [w * f for f in fr], [7.0, 9.0], cells, shade=True, size=s.size * 0.92)
    y += 16 + 8
    s.t(s.x0, y, "共1条记录", size=s.size * 0.85, colour=GREY)
    y += 16
    ab = s.t(s.x1 - 6, y, f"{s.lab('经办机构')}{agency}", align="right")
    if rng.random() < 0.4 and spec.issue_date:
        printed = max(spec.issue_date, spec.submitted_on - timedelta(days=rng.randrange(0, 10)))
        s.t(s.x1 - 6, y + 8, f"{s.lab('打印时间')}{s.dt(s.at(printed))}", align="right", size=s.size * 0.9)
    _agency_seal(s, spec, agency, ab.cx, ab.cy - 2)
    s.t(s.x0, page.h - s.margin, "本单由医疗保障信息平台生成，加盖经办机构业务章有效。", size=s.size * 0.8, colour=GREY)
    return s.built()
