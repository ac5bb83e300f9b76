"""Third-family previous approvals (原认定审批表 / 待遇认定通知书): a red-headed notice letter, a small entitlement
card on tinted stock, and a two-part slip (counterfoil and the applicant's part) separated by a cut line."""

from __future__ import annotations

import random
from datetime import date

from bench.alt_templates3 import heads, ink, paper, wording
from bench.alt_templates3.ruling import L, V, table
from bench.alt_templates3.sheet import GREY, Doc, new_doc, serial
from samples.generator.canvas import Box
from samples.generator.documents import Built, DocContent

PURPOSES = ("业务专用章", "门诊慢特病审核专用章", None)


def build_previous_approval(spec: DocContent, rng: random.Random) -> Built:
    """The earlier approval as a red-headed notice, an entitlement card, or a two-part slip."""
    layout = rng.choice(["redhead", "card", "counterfoil"])
    return {"redhead": _redhead, "card": _card, "counterfoil": _counterfoil}[layout](spec, rng)


def _agency(spec: DocContent, rng: random.Random) -> str:
    return rng.choice(wording.AGENCY.get(spec.region, ("医疗保障局",)))


def _period(doc: Doc, start: date | None, end: date | None) -> str:
    if start and end:
        return doc.rng.choice([f"{doc.day(start)}至{doc.day(end)}", f"{doc.day(start)}—{doc.day(end)}"])
    return f"至{doc.day(end)}" if end else ""


def _docno(spec: DocContent, rng: random.Random) -> str:
    short = wording.CITY.get(spec.region, "市")[:1]
    year = (spec.issue_date or spec.submitted_on).year
    return f"{short}医保慢认〔{year}〕{rng.randrange(10, 999)}号"


def _redhead(spec: DocContent, rng: random.Random) -> Built:
    """A notice on letterhead: the agency's name in red over a red double rule, a file number, the letter,
    the agency and date as 落款 with the seal over them."""
    doc = new_doc(spec, rng, "A4", sizes=(11.0, 12.0))
    p, d = spec.person, spec.issue_date
    page = doc.page
    agency = _agency(spec, rng)
    y = doc.margin + 16
    doc.text(page.w / 2, y, agency, font=doc.bold, size=22, colour=heads.TITLE_RED, align="center", fit_w=doc.w)
    doc.marks.add_red("red_title")
    y += 6
    doc.text(page.w / 2, y + 2, _docno(spec, rng), size=doc.size, align="center")
    y += 6
    page.line(doc.x0, y, doc.x1, y, 1.0, heads.TITLE_RED)
    page.line(doc.x0, y + 1.2, doc.x1, y + 1.2, 0.3, heads.TITLE_RED)
    doc.marks.add_red("red_rule")
    y += 14
    doc.text(page.w / 2, y, rng.choice(["门诊慢特病待遇认定结果通知书", "门诊慢特病待遇认定告知书"]), font=doc.bold, size=16,
             align="center")
    y += 14
    doc.text(doc.x0, y, f"{p.name}（公民身份号码：{p.id_number}）：", fit_w=doc.w)
    y += doc.line_h(2.3)
    applied = f"您申请的{spec.disease_name or ''}门诊慢特病待遇，经审核，符合认定条件，准予享受门诊慢特病待遇。"
    period = f"待遇享受期限为{_period(doc, d, spec.valid_until)}。" if spec.valid_until else ""
    body = [applied + period, "请于待遇期满前三个月内办理续办手续，逾期未办理的需重新申请认定。", "特此通知。"]
    for para in body:
        y = doc.wrap(doc.x0 + 8, y, doc.w - 8, para, lead=2.1, hang=-8) + 2
    y += 18
    ab = doc.text(doc.x1 - 8, y, agency, align="right")
    y += doc.line_h(2.3)
    db = doc.text(ab.cx, y, doc.day(d, rng.choice(["cn_upper", "ymd_cn", doc.date_form])) if d else "年    月    日",
                  align="center")
    ink.agency_seal(doc, agency, rng.choice(PURPOSES), ab.cx, (ab.cy + db.cy) / 2, turn=rng.uniform(-15, 15))
    y = page.h - doc.margin - 10
    page.line(doc.x0, y - 5, doc.x1, y - 5, 0.3)
    doc.text(doc.x0, y, f"抄送：{wording.CITY.get(spec.region, '')}各定点医疗机构", size=doc.size * 0.85)
    doc.text(doc.x1, y, "（共印1份）", size=doc.size * 0.85, align="right")
    return doc.built()


def _card(spec: DocContent, rng: random.Random) -> Built:
    """A landscape card on tinted stock with a double border: facts in a ruled table, the validity in bold,
    the issuer and date at the corner, the seal pressed half off the card's right edge at times."""
    doc = new_doc(spec, rng, "A5L", sizes=(10.0, 10.5), tint=paper.tint(rng, "blue", "green", "yellow"))
    p, d = spec.person, spec.issue_date
    page = doc.page
    if rng.random() < 0.5:
        paper.background(page, rng, waves=True, colour=(200, 214, 230))
    page.rect(Box(5, 5, page.w - 10, page.h - 10), 1.2, (40, 70, 130))
    page.rect(Box(7, 7, page.w - 14, page.h - 14), 0.3, (40, 70, 130))
    city = wording.CITY.get(spec.region, "")
    y = doc.margin + 6
    doc.text(page.w / 2, y, rng.choice([f"{city}门诊慢特病待遇证", f"{city}门诊慢性特殊疾病待遇资格证"]), font=doc.bold,
             size=16, align="center", colour=heads.TITLE_BLUE, fit_w=doc.w)
    y += 5
    doc.text(doc.x1, y + 1, f"证号：MT{serial(rng, 8)}", size=8, align="right")
    y += 4
    w = doc.w
    widths = [w * f for f in (0.18, 0.3, 0.16, 0.36)]
    rows = [[L("姓  名"), V(p.name), L("性  别"), V(p.sex)],
            [L("身份证号"), V(p.id_number, span=3)],
            [L("认定病种"), V(spec.disease_name or "", span=3)],
            [L("认定日期"), V(doc.day(d)), L("有效期至"), V(doc.day(spec.valid_until) if spec.valid_until else "")]]
    table(doc, doc.x0, y, widths, [9.0] * 4, rows, size=doc.size)
    y += 36 + 10
    doc.wrap(doc.x0, y, w * 0.55, "持证人凭本证及社会保障卡在定点医疗机构就医，有效期满前三个月内申请续办。", size=8.5)
    agency = _agency(spec, rng)
    ab = doc.text(doc.x1 - 4, y + 4, agency, align="right", size=doc.size * 0.95)
    db = doc.text(doc.x1 - 4, y + 11, f"{doc.lab('发证日期')}{doc.day(d)}" if d else doc.lab("发证日期"), align="right",
                  size=doc.size * 0.95)
    cx = ab.cx if rng.random() < 0.6 else page.w - rng.uniform(12, 16)
    ink.agency_seal(doc, agency, rng.choice(PURPOSES), cx, (ab.cy + db.cy) / 2, turn=rng.uniform(-25, 25))
    return doc.built()


def _counterfoil(spec: DocContent, rng: random.Random) -> Built:
    """Two parts on one A4 sheet: the counterfoil kept by the agency and the applicant's part, cut apart on a
    dashed line; each part carries the facts, the validity and the approval date."""
    doc = new_doc(spec, rng, "A4", sizes=(10.0, 10.5))
    p, d = spec.person, spec.issue_date
    page = doc.page
    agency = _agency(spec, rng)
    number = serial(rng, 8)
    half = page.h / 2
    title = rng.choice(["门诊慢特病待遇审批单", "门诊慢特病认定审批结果单"])  # both parts of a slip print the same title
    for part, (top, name) in enumerate(((doc.margin, "存根联"), (half + 8, "通知联（交参保人）"))):
        y = top + 8
        doc.text(page.w / 2, y, title, font=doc.bold, size=15, align="center")
        doc.text(doc.x1, y, name, size=doc.size * 0.9, align="right", colour=GREY)
        y += 5
        doc.text(doc.x0, y + 2, f"编号：{number}", size=doc.size * 0.9)
        y += 5
        w = doc.w
        rows = [[L("姓名"), V(p.name), L("性别"), V(p.sex), L("审批日期"), V(doc.day(d))],
                [L("身份证号"), V(p.id_number, span=3), L("病种"), V(spec.disease_name or "")],
                [L("享受期限"), V(_period(doc, d, spec.valid_until), span=5)]]
        widths = [w * f for f in (0.12, 0.18, 0.1, 0.2, 0.13, 0.27)]
        table(doc, doc.x0, y, widths, [9.0, 9.0, 9.0], rows, size=doc.size * 0.95)
        y += 27 + 10
        if part == 0:
            doc.text(doc.x0, y, f"{doc.lab('经办人')}", size=doc.size * 0.95)
            ink.sign(doc, doc.x0 + 18, y, "审批经办", chop_ok=False, max_w=28)
            doc.text(doc.x0 + w * 0.45, y, f"{doc.lab('复核人')}", size=doc.size * 0.95)
            ink.sign(doc, doc.x0 + w * 0.45 + 18, y, "审批复核", chop_ok=False, max_w=28)
            paper.dashes(page, 4, half, page.w - 4, dash=2.2, gap=1.6)
            doc.text(page.w / 2, half - 1.5, "（沿虚线剪开）", size=7.5, colour=GREY, align="center")
        else:
            y = doc.wrap(doc.x0, y, w, f"    经审核，您符合{spec.disease_name or ''}门诊慢特病待遇认定条件，请在享受期限内"
                         "持社会保障卡到定点医疗机构就医结算。", lead=1.9) + 10
            ab = doc.text(doc.x1 - 6, y, f"{agency}（盖章）", align="right")
            db = doc.text(ab.cx, y + doc.line_h(2.3), doc.day(d) if d else "年    月    日", align="center")
            ink.agency_seal(doc, agency, rng.choice(PURPOSES), ab.cx, (ab.cy + db.cy) / 2, turn=rng.uniform(-20, 20))
    return doc.built()
