"""Alternative forms: the benefit application form, the power of attorney and the previous approval."""

from __future__ import annotations

import random

from bench.alt_templates.kit import (
    CITY,
    PAPER,
    Look,
    blank_date,
    cells,
    doctor_name,
    doctor_sign,
    fill,
    fmt,
    masthead,
    new_look,
    office_seal,
    own_signature,
    pairs_line,
    put,
    stacked,
    thumb,
    wrap,
)
from samples.generator import stamps
from samples.generator.canvas import MM_PER_PT, Box, Page, text_width
from samples.generator.documents import Built, DocContent
from samples.generator.layout import Marks

AGENCIES = {"linfen": ("临汾市医疗保障局", "临汾市医疗保险服务中心"),
            "fangchenggang": ("防城港市医疗保障局", "防城港市医疗保险服务中心")}
COMMITTEES = ("城南街道办事处幸福社区居民委员会", "车站街道滨河社区居民委员会", "企沙镇新港社区居民委员会")


def _lh(look: Look, k: float = 2.2) -> float:
    return look.size * MM_PER_PT * k


def _date_or_blank(spec: DocContent, look: Look) -> str:
    return fmt(spec.issue_date, look.date_form) if spec.issue_date else blank_date()


# -- application form ----------------------------------------------------------------------------
def build_application_form(spec: DocContent, rng: random.Random) -> Built:
    """门诊慢性特殊疾病认定申请表 / 门诊慢特病待遇申请表: bordered grid, physician's opinion, applicant's signature."""
    marks = Marks([], [])
    look = new_look(rng, hand=rng.random() < 0.45)
    typed = Look(**{**look.__dict__, "hand": False})
    page = Page(*PAPER["A4"])
    p = spec.person
    city = CITY.get(spec.region, "")
    base = rng.choice(["门诊慢性特殊疾病认定申请表", "门诊慢特病待遇申请表"])
    if spec.kind == "renewal":
        title = rng.choice([f"{city}{base}（续办）", f"{city}门诊慢特病待遇续办申请表"])
    else:
        title = rng.choice([f"{city}{base}", f"{city}基本医疗保险{base}"])
    y = masthead(page, rng, typed, None, title, marks, "title", y=look.margin + 6)
    x0, x1 = look.margin, page.w - look.margin
    width = x1 - x0
    if rng.random() < 0.6:
        put(page, typed, x0, y, f"申请编号{typed.colon}", size=look.size * 0.9)
        put(page, typed, x1, y, f"填表日期{typed.colon}" + (fmt(spec.issue_date, look.date_form) if spec.issue_date else
                                                         "      年    月    日"), size=look.size * 0.9, align="right")
        y += 5
    h, lw = rng.uniform(9.5, 12), width * 0.15
    age = f"{p.age_on(spec.issue_date or spec.submitted_on)}"
    if rng.random() < 0.5:
        labels = [rng.choice(["申请人姓名", "姓名"]), "性别", "年龄", "民族", "联系电话"]
        widths = [width * f for f in (0.2, 0.12, 0.12, 0.12, 0.44)]
        y = stacked(page, rng, look, x0, y, widths, labels, [p.name, p.sex, age, p.ethnicity, p.phone], h)
    else:
        y = cells(page, rng, look, x0, y, h, [(rng.choice(["申请人姓名", "姓 名"]), lw, "label"), (p.name, width * 0.2, "value"),
                                               ("性别", lw * 0.7, "label"), (p.sex, width * 0.1, "value"),
                                               ("联系电话", lw, "label"), (p.phone, 0, "value")], total=width)
    y = cells(page, rng, look, x0, y, h, [(rng.choice(["身份证号码", "公民身份号码", "社会保障号码"]), lw * 1.2, "label"),
                                           (p.id_number, 0, "value")], total=width)
    y = cells(page, rng, look, x0, y, h, [(rng.choice(["家庭住址", "现居住地址"]), lw * 1.2, "label"),
                                           (p.address, 0, "value")], total=width)
    y = cells(page, rng, look, x0, y, h, [(rng.choice(["申请病种", "申报病种"]), lw * 1.2, "label"),
                                           (spec.disease_name or "", width * 0.32, "value"),
                                           (rng.choice(["定点医疗机构", "诊断医院"]), lw * 1.2, "label"),
                                           (spec.hospital or "", 0, "value")], total=width)
    # physician's opinion
    box_h = rng.uniform(48, 60)
    label = rng.choice(["医疗机构意见", "医院诊断意见", "医疗机构诊断意见"])
    cells(page, rng, typed, x0, y, box_h, [(label, lw * 1.2, "label"), ("", 0, "value")], total=width)
    vx = x0 + lw * 1.2 + 3
    yy = y + 8
    dx = spec.diagnosis or spec.disease_name or ""
    box = put(page, typed, vx, yy, typed.lab(rng.choice(["诊断", "临床诊断", "诊断意见"])))
    yy = fill(page, rng, look, box.x + box.w + 1, yy, dx, width=x1 - box.x - box.w - 4)
    fill(page, rng, look, vx, yy + 1, rng.choice(["符合门诊慢特病认定标准，同意申报。", "诊断明确，需长期门诊治疗。",
                                                  "病情属实，同意申请。"]), width=x1 - vx - 3)
    sy = y + box_h - 17
    sig_label = rng.choice(["经治医师签字", "医师签名", "主治医师（签章）", "诊断医师签字"])
    box = put(page, typed, vx, sy, typed.lab(sig_label))
    sx = box.x + box.w + 2
    page.line(sx, sy + 1.5, sx + 32, sy + 1.5, 0.2)
    if spec.signed:
        doctor_sign(page, rng, typed, sx + 1, sy, marks, doctor_name(rng), printed_ok=False)
    if rng.random() < 0.4:
        box = put(page, typed, vx + (x1 - vx) * 0.55, sy, typed.lab(rng.choice(["科室负责人", "科主任"])))
        if spec.signed:
            doctor_sign(page, rng, typed, box.x + box.w + 2, sy, marks, printed_ok=False, seal_ok=False)
    date_y = sy + 10
    doc_date = fmt(spec.issue_date, look.date_form) if spec.signed and spec.issue_date else blank_date()
    dbox = put(page, typed, x1 - 4, date_y, (typed.lab("日期") if rng.random() < 0.4 else "") + doc_date, align="right")
    if rng.random() < 0.5:
        put(page, typed, x1 - 4, date_y - 9, "（医疗机构盖章）", size=look.size * 0.9, align="right")
    if spec.sealed and spec.hospital and spec.signed:
        img, dmm = stamps.round_seal(rng, spec.hospital, rng.choice(["医务科", "医务部", "门诊部", None]),
                                     colour=rng.choice(stamps.SEAL_BLUES) if spec.blue_seal else None)
        page.image(Box(dbox.cx - dmm / 2 + rng.uniform(-6, 6), date_y - dmm / 2 - 5, dmm, dmm), img)
        marks.seals.append("hospital_round")
    y += box_h
    # applicant's declaration and signature
    ah = rng.uniform(30, 36)
    cells(page, rng, typed, x0, y, ah, [(rng.choice(["申请人承诺", "申请人声明"]), lw * 1.2, "label"),
                                        ("", 0, "value")], total=width)
    wrap(page, typed, vx, y + 7, x1 - vx - 3, "本人承诺所提供的材料真实有效，如有虚假，愿承担相应责任。",
         size=look.size * 0.92)
    sy = y + ah - 9
    box = put(page, typed, vx, sy, typed.lab(rng.choice(["申请人（签字）", "申请人签名", "本人签字"])))
    end = own_signature(page, rng, box.x + box.w + 2, sy, p.name, size=rng.uniform(5.5, 7))
    if rng.random() < 0.5:
        thumb(page, rng, end - 2, sy + 2, marks)
    apply_date = _date_or_blank(spec, look)
    if look.hand and spec.issue_date:
        fill(page, rng, look, x1 - 48, sy, apply_date)
    else:
        put(page, typed, x1 - 4, sy, apply_date, align="right")
    y += ah
    # office use
    oh = rng.uniform(30, 38)
    cells(page, rng, typed, x0, y, oh, [(rng.choice(["医保经办机构意见", "经办机构审核意见"]), lw * 1.2, "label"),
                                        ("", 0, "value")], total=width)
    put(page, typed, vx, y + oh - 7, f"经办人{typed.colon}          审核人{typed.colon}", size=look.size * 0.92)
    put(page, typed, x1 - 4, y + oh - 7, blank_date(), size=look.size * 0.92, align="right")
    y += oh + 7
    notes = rng.choice(["填表说明：1.本表由申请人如实填写，一式两份；2.随表附身份证复印件、诊断证明及相关检查资料。",
                        "注：申请人须提供二级及以上定点医疗机构出具的诊断证明及近一年内相关检查报告。"])
    wrap(page, typed, x0, y, width, notes, size=look.size * 0.82)
    return Built([page], marks)


# -- power of attorney --------------------------------------------------------------------------
REASONS = ("年事已高，行动不便", "身体原因", "长期卧床", "在外地居住", "病情较重，不能亲自前往")


def build_power_of_attorney(spec: DocContent, rng: random.Random) -> Built:
    """授权委托书 / 委托书: 委托人 / 受托人 or 授权人 / 被授权人, as a sentence, fields, or a bordered table."""
    marks = Marks([], [])
    look = new_look(rng, hand=rng.random() < 0.35)
    typed = Look(**{**look.__dict__, "hand": False})
    page = Page(*PAPER[rng.choice(["A4", "A4", "16K", "B5"])])
    p, a = spec.person, spec.agent
    assert a is not None
    giver, taker = rng.choice([("委托人", "受托人"), ("授权人", "被授权人")])
    y = masthead(page, rng, typed, None, rng.choice(["授权委托书", "委托书"]), marks, "title", y=look.margin + 10)
    x0, x1 = look.margin + 4, page.w - look.margin - 4
    width = x1 - x0
    task = "门诊慢特病待遇续办" if spec.kind == "renewal" else "门诊慢性特殊疾病待遇认定申请"
    relation = rng.choice(["子女", "配偶", "亲属", "兄弟姐妹"])
    reason = rng.choice(REASONS)
    period = (f"自{fmt(spec.issue_date, look.date_form)}起至办结之日止" if spec.issue_date and rng.random() < 0.5
              else "自签字之日起至办理完毕之日止")
    layout = rng.choice(["sentence", "fields", "table"])
    size = look.size + 0.5
    if layout == "sentence":
        body = (f"本人{p.name}（身份证号码：{p.id_number}），因{reason}，不能亲自前往办理{task}手续，现委托{a.name}"
                f"（身份证号码：{a.id_number}，联系电话：{a.phone}，系本人{relation}）为我的{taker}，代为办理上述事宜。"
                f"{taker}在办理过程中所签署的有关文件，我均予以承认，并承担相应的法律责任。委托期限：{period}。")
        y = wrap(page, typed, x0, y + 10, width, body, size=size, leading=2.2, indent=text_width("本人", typed.body, size))
    else:
        if layout == "fields":
            y += 6
            y = pairs_line(page, rng, look, y, x0, x1, [(giver, p.name), ("性别", p.sex)], weights=[1.4, 1], underline=True)
            y = pairs_line(page, rng, look, y, x0, x1, [("身份证号码", p.id_number)], underline=True)
            y = pairs_line(page, rng, look, y, x0, x1, [(taker, a.name), (f"与{giver}关系", relation)], weights=[1.4, 1],
                           underline=True)
            y = pairs_line(page, rng, look, y, x0, x1, [("身份证号码", a.id_number), ("联系电话", a.phone)], weights=[1.6, 1],
                           underline=True)
        else:
            h, lw = rng.uniform(9, 11), width * 0.14
            for who, person in ((giver, p), (taker, a)):
                y = cells(page, rng, look, x0, y, h, [(who, lw, "label"), ("姓名", lw * 0.8, "label"),
                                                       (person.name, width * 0.18, "value"), ("身份证号", lw, "label"),
                                                       (person.id_number, 0, "value")], total=width)
            y = cells(page, rng, look, x0, y, h, [("双方关系", lw, "label"), (relation, width * 0.26, "value"),
                                                   ("联系电话", lw, "label"), (a.phone, 0, "value")], total=width)
            y = cells(page, rng, look, x0, y, h * 1.6, [("委托事项", lw, "label"), ("", 0, "value")], total=width)
            wrap(page, typed, x0 + lw + 2, y - h * 1.6 + 6, width - lw - 4, f"代为办理{giver}的{task}相关手续。")
            y += 4
        body = (f"因{reason}，本人不能亲自办理{task}手续，特委托{a.name}代为办理。{taker}在办理过程中签署的相关文件，"
                f"本人均予以认可。委托期限：{period}。")
        y = wrap(page, typed, x0, y + 8, width, body, size=size, leading=2.1, indent=text_width("因年", typed.body, size))
    y += 16
    labels = {giver: rng.choice([f"{giver}（签字并按手印）", f"{giver}签字", f"{giver}（签名）"]),
              taker: rng.choice([f"{taker}（签字）", f"{taker}签字"])}
    for who, person in ((giver, p), (taker, a)):
        box = put(page, typed, x0 + width * 0.35, y, typed.lab(labels[who]))
        end = own_signature(page, rng, box.x + box.w + 2, y, person.name, size=rng.uniform(5.5, 7))
        if person is p and rng.random() < 0.75:
            thumb(page, rng, end - 3, y + 1, marks)
        y += 15
    date_text = _date_or_blank(spec, look)
    if rng.random() < 0.35:
        date_text = typed.lab("委托日期") + date_text
    if look.hand and spec.issue_date:
        fill(page, rng, look, x1 - 50, y, fmt(spec.issue_date, look.date_form))
    else:
        put(page, typed, x1 - 6, y, date_text, align="right")
    if rng.random() < 0.2:
        committee = rng.choice(COMMITTEES)
        y += 16
        put(page, typed, x0, y, f"社区（村）意见{typed.colon}情况属实。", size=look.size)
        box = put(page, typed, x1 - 6, y + 10, committee, size=look.size * 0.9, align="right")
        office_seal(page, rng, committee, None, marks, box.cx, box.cy)
    return Built([page], marks)


# -- previous approval ---------------------------------------------------------------------------
def build_previous_approval(spec: DocContent, rng: random.Random) -> Built:
    """门诊慢特病待遇认定审批表 (bordered) or 认定通知书 (a letter), with the agency's seal."""
    marks = Marks([], [])
    look = new_look(rng)
    page = Page(*PAPER[rng.choice(["A4", "A4", "A5"])])
    p = spec.person
    city = CITY.get(spec.region, "")
    agency = rng.choice(AGENCIES.get(spec.region, ("医疗保障局",)))
    approved, until = spec.issue_date, spec.valid_until
    x0, x1 = look.margin, page.w - look.margin
    width = x1 - x0
    both = bool(until and approved and rng.random() < 0.6)
    if both:
        period = f"{fmt(approved, look.date_form)}至{fmt(until, look.date_form)}"
    else:
        period = f"至{fmt(until, look.date_form)}" if until else ""
    if rng.random() < 0.55:
        title = rng.choice([f"{city}门诊慢特病待遇认定审批表", "门诊慢性特殊疾病待遇审批表", f"{city}门诊慢特病资格认定表"])
        y = masthead(page, rng, look, None, title, marks, "title", y=look.margin + 6)
        h, lw = rng.uniform(9, 11), width * 0.18
        y = cells(page, rng, look, x0, y, h, [("姓名", lw, "label"), (p.name, width * 0.22, "value"), ("性别", lw * 0.7, "label"),
                                               (p.sex, width * 0.12, "value"), ("认定编号", lw, "label"),
                                               (f"MT{rng.randrange(10**6, 10**8)}", 0, "value")], total=width)
        y = cells(page, rng, look, x0, y, h, [("身份证号码", lw, "label"), (p.id_number, 0, "value")], total=width)
        y = cells(page, rng, look, x0, y, h, [("认定病种", lw, "label"), (spec.disease_name or "", 0, "value")], total=width)
        y = cells(page, rng, look, x0, y, h * 1.5, [("专家评审意见", lw, "label"), ("符合认定标准。", 0, "value")], total=width)
        label = rng.choice(["待遇享受期限", "有效期限"])
        y = cells(page, rng, look, x0, y, h, [(label, lw, "label"), (period, 0, "value")], total=width)
        oh = rng.uniform(38, 46)
        cells(page, rng, look, x0, y, oh, [("经办机构意见", lw, "label"), ("", 0, "value")], total=width)
        put(page, look, x0 + lw + 3, y + 9, "同意认定。")
        box = put(page, look, x1 - 6, y + oh - 6, (look.lab("审批日期") if rng.random() < 0.4 else "") +
                  (fmt(approved, look.date_form) if approved else blank_date()), align="right")
        put(page, look, x1 - 6, y + oh - 15, agency + "（盖章）", size=look.size * 0.92, align="right")
        seal_at = (box.cx - 4, box.cy - 8)
        y += oh + 8
        put(page, look, x0, y, "注：请于待遇有效期满前三个月内办理续办手续。", size=look.size * 0.85)
    else:
        title = rng.choice(["门诊慢特病待遇认定通知书", "门诊慢特病资格认定结果通知单"])
        y = masthead(page, rng, look, None, title, marks, "title", y=look.margin + 8)
        y += 6
        put(page, look, x0, y, f"{p.name}{rng.choice(['同志', '先生' if p.male else '女士'])}：", size=look.size + 0.5)
        y += _lh(look, 2.6)
        tail = f"待遇享受期限为{period}。" if both else (f"待遇有效期{period}。" if until else "")
        body = (f"您（身份证号：{p.id_number}）申请的门诊慢特病待遇认定，经审核，符合认定条件，"
                f"认定病种为：{spec.disease_name or ''}。"
                f"{tail}请于期满前三个月内按规定办理续办手续，逾期需重新申请认定。特此通知。")
        y = wrap(page, look, x0, y, width, body, size=look.size + 0.5, leading=2.1,
                 indent=text_width("您（", look.body, look.size + 0.5))
        y += 18
        put(page, look, x1 - 10, y, agency, align="right")
        box = put(page, look, x1 - 10, y + 9, fmt(approved, look.date_form) if approved else blank_date(), align="right")
        seal_at = (box.cx, box.cy - 6)
    if spec.sealed:
        office_seal(page, rng, agency, rng.choice(["业务专用章", "待遇审核专用章", None]), marks, *seal_at)
    return Built([page], marks)
