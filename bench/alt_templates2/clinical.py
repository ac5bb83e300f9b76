"""Second-family clinical documents: diagnosis certificate, exam report, medical record, medication record."""

from __future__ import annotations

import random
from datetime import timedelta

from bench.alt_templates2 import words
from bench.alt_templates2.base import (
    GREY,
    LIGHT,
    Cell,
    Sheet,
    age,
    arabic_list,
    band,
    barcode,
    blank_date,
    blank_line,
    centred_head,
    cn_list,
    doctor,
    earlier_same_day,
    fit,
    grid,
    new_sheet,
    qr_block,
    weekday,
)
from bench.alt_templates2.pictures import picture
from samples.generator.canvas import BLACK, MM_PER_PT, Box, text_width
from samples.generator.documents import Built, DocContent


def _dept(spec: DocContent, rng: random.Random) -> str:
    return rng.choice(words.DEPT.get(spec.disease_code or "", words.OTHER_DEPTS))


def _dx_items(spec: DocContent, rng: random.Random, extra_p: float = 0.5) -> list[str]:
    main = spec.diagnosis or spec.disease_name or ""
    items = [main]
    if rng.random() < extra_p:
        extra = rng.sample(words.EXTRA_DX, rng.choice((1, 1, 2)))
        items = [main, *extra] if rng.random() < 0.6 else [*extra, main]
    return items


def _no(rng: random.Random, lo: int = 6, hi: int = 9) -> str:
    return str(rng.randrange(10 ** (lo - 1), 10 ** hi))


# == diagnosis certificate ===========================================================================
CERT_TITLES = ("诊断证明书", "疾病诊断证明", "门诊诊断证明书", "医疗诊断证明书")
CERT_DATE_LABELS = ("签发日期", "出具日期", "开具日期", "诊断日期")


def build_diagnosis_certificate(spec: DocContent, rng: random.Random) -> Built:
    """诊断证明书: a bilingual header band, a ruled form with grouped rows, a certificate with its
    counterfoil (存根), or an e-printed sheet with labels over values."""
    layout = rng.choice(["band", "ruled", "stub", "cards"])
    return {"band": _cert_band, "ruled": _cert_ruled, "stub": _cert_stub, "cards": _cert_cards}[layout](spec, rng)


def _cert_band(spec: DocContent, rng: random.Random) -> Built:
    s = new_sheet(spec, rng, rng.choice(["A4", "16K"]))
    p, d = spec.person, spec.issue_date
    y = band(s, rng.choice(CERT_TITLES), english="MEDICAL CERTIFICATE", code=rng.choice(["bar", "qr", "none"]))
    s.t(s.x1, y - 3, f"No. {_no(rng, 7, 8)}", size=s.size * 0.85, align="right")
    y += 4
    pairs = [[("姓名", "Name", p.name), ("性别", "Sex", p.sex)],
             [("年龄", "Age", f"{age(spec)}岁"), ("科室", "Dept.", _dept(spec, rng))],
             [("门诊号", "OP No.", _no(rng, 7, 9)), ("就诊卡号", "Card No.", _no(rng, 8, 10))]]
    if rng.random() < 0.7:
        pairs.append([("身份证号", "ID No.", p.id_number)])
    stacked_en = rng.random() < 0.4  # English under the Chinese label instead of beside it
    for row in pairs:
        slot = s.width / len(row) if len(row) > 1 else s.width
        for i, (cn, en, val) in enumerate(row):
            x = s.x0 + i * slot
            if stacked_en:
                b = s.t(x, y, s.lab(cn))
                s.t(x, y + 3.3, en, size=6.5, colour=GREY)
            else:
                b = s.t(x, y, f"{cn} {en}{s.colon}")
            s.t(b.x + b.w + 1.5, y, val, width=slot - b.w - 4)
        y += s.lh(2.6 if stacked_en else 2.3)
    s.page.line(s.x0, y - 2, s.x1, y - 2, 0.3)
    y += 6
    items = _dx_items(spec, rng, 0.4)
    head = rng.choice([("诊断", "Diagnosis"), ("临床诊断", "Clinical Diagnosis"), ("诊断意见", "Diagnosis")])
    b = s.t(s.x0, y, f"{head[0]} {head[1]}{s.colon}", font=s.bold)
    if len(items) == 1 and rng.random() < 0.6:
        y = s.para(b.x + b.w + 2, y, s.x1 - b.x - b.w - 2, items[0], size=s.size + 0.5) + 2
    else:
        y += s.lh(2.2)
        for line in arabic_list(items, rng):
            y = s.para(s.x0 + 8, y, s.width - 8, line, size=s.size + 0.5)
        y += 2
    b = s.t(s.x0, y + 3, f"医嘱 Advice{s.colon}", font=s.bold)
    y = s.para(b.x + b.w + 2, y + 3, s.x1 - b.x - b.w - 2, rng.choice(words.ADVICE)) + 4
    y = max(y + 14, s.page.h * rng.uniform(0.5, 0.62))
    b = s.t(s.x0, y, f"医师 Physician{s.colon}")
    s.physician(b.x + b.w + 2, y, "医师")
    label = rng.choice(CERT_DATE_LABELS)
    date_text = f"{label} Date{s.colon}{s.d(d)}" if d else f"{label} Date{s.colon}"
    db = s.t(s.x1, y + 12, date_text, align="right")
    if rng.random() < 0.5:
        s.t(s.x1, y + 3, spec.hospital or "", align="right", size=s.size)
    s.seal(db.cx, db.cy - 6, rng.choice(["诊断证明专用章", "医务处", None]))
    if rng.random() < 0.5:
        qr_block(s.page, rng, s.x0, s.page.h - s.margin - 30, 18)
        s.t(s.x0 + 21, s.page.h - s.margin - 18, "扫码验证真伪", size=7, colour=GREY)
    s.t(s.x0, s.page.h - s.margin, rng.choice(words.CERT_FOOT), size=s.size * 0.8, colour=GREY)
    return s.built()


def _cert_ruled(spec: DocContent, rng: random.Random) -> Built:
    s = new_sheet(spec, rng, rng.choice(["A5", "16K", "B5"]), sizes=(9.0, 9.5, 10.0))
    p, d = spec.person, spec.issue_date
    y = centred_head(s, rng.choice(CERT_TITLES), rule="none")
    s.t(s.x0, y - 2, f"科别{s.colon}{_dept(spec, rng)}", size=s.size * 0.9)
    s.t(s.x1, y - 2, f"编号{s.colon}{_no(rng, 6, 7)}", size=s.size * 0.9, align="right")
    y += 2
    w = s.width
    widths = [w * 0.08, w * 0.15, w * 0.3, w * 0.14, w * 0.33]
    items = _dx_items(spec, rng, 0.45)
    dx_lines = cn_list(items, rng) if len(items) > 1 or rng.random() < 0.3 else items
    dx_h = max(16.0, len(dx_lines) * s.lh(2.0) + 8)
    rh = rng.uniform(8, 9.5)
    heights = [rh, rh, rh, dx_h, 18.0, rh * 1.3]
    cells = [Cell(0, 0, "患者信息", "vlabel", rs=3),
             Cell(0, 1, "姓  名", "label"), Cell(0, 2, p.name), Cell(0, 3, "性别", "label"), Cell(0, 4, p.sex),
             Cell(1, 1, "年  龄", "label"), Cell(1, 2, f"{age(spec)}岁"), Cell(1, 3, "职业", "label"),
             Cell(1, 4, rng.choice(["退休", "农民", "职员", "个体", "无"])),
             Cell(2, 1, rng.choice(["身份证号", "证件号码"]), "label"), Cell(2, 2, p.id_number, cs=3),
             Cell(3, 0, "诊断", "vlabel", rs=1), Cell(3, 1, "", "blank", cs=4, key="dx"),
             Cell(4, 0, "意见", "vlabel"), Cell(4, 1, "", "blank", cs=4, key="advice"),
             Cell(5, 0, rng.choice(["医师签名", "经治医师"]), "label", cs=2), Cell(5, 2, "", "blank", key="sig"),
             Cell(5, 3, rng.choice(CERT_DATE_LABELS), "label"), Cell(5, 4, s.d(d), key="date")]
    boxes = grid(s, s.x0, y, widths, heights, cells, shade=rng.random() < 0.4)
    bx = boxes["dx"]
    yy = bx.y + 5.5 + s.size * MM_PER_PT * 0.5
    for line in dx_lines:
        yy = s.para(bx.x + 2.5, yy, bx.w - 5, line)
    ab = boxes["advice"]
    s.para(ab.x + 2.5, ab.y + 6, ab.w - 5, rng.choice(words.ADVICE) + rng.choice(["", "建议休息一周。", "特此证明。"]))
    sb = boxes["sig"]
    s.physician(sb.x + 3, sb.y + sb.h * 0.72, "医师", max_w=sb.w - 5)
    y = sb.y + sb.h + 9
    hb = s.t(s.x1, y + 4, f"{spec.hospital or ''}（盖章）" if rng.random() < 0.5 else (spec.hospital or ""),
             align="right")
    dbx = boxes["date"]
    if rng.random() < 0.5:
        s.seal(hb.cx, hb.cy - 6, rng.choice(["诊断证明专用章", "门诊部", None]))
    else:
        s.seal(dbx.cx, dbx.cy, rng.choice(["诊断证明专用章", "医务科", None]))
    s.para(s.x0, y + 14, s.width, "注：" + rng.choice(words.CERT_FOOT), size=s.size * 0.8)
    return s.built()


def _cert_stub(spec: DocContent, rng: random.Random) -> Built:
    """A book certificate torn along a perforation: the counterfoil at the left repeats the facts."""
    s = new_sheet(spec, rng, "B5L", sizes=(9.5, 10.0, 10.5))
    p, d = spec.person, spec.issue_date
    hand = rng.random() < 0.3
    page = s.page
    stub_w = rng.uniform(55, 62)
    sx0, sx1 = s.margin - 3, s.margin - 3 + stub_w
    cut = sx1 + 4
    yy = s.margin
    while yy < page.h - s.margin:
        page.line(cut, yy, cut, yy + 2.2, 0.3)
        yy += 4
    no = _no(rng, 6, 7)
    size = s.size * 0.88
    y = s.margin + 8
    s.t((sx0 + sx1) / 2, y, "存    根", font=s.bold, size=13, align="center")
    y += 8
    s.t(sx0, y, f"No.{no}", size=size)
    y += 8
    short = spec.diagnosis or spec.disease_name or ""
    for label, val in (("姓名", p.name), ("性别", p.sex), ("年龄", f"{age(spec)}岁"), ("科别", _dept(spec, rng))):
        b = s.t(sx0, y, s.lab(label), size=size)
        blank_line(s, b.x + b.w + 1, y, sx1 - b.x - b.w - 2, val, hand=hand, size=size)
        y += 8
    b = s.t(sx0, y, s.lab("诊断"), size=size)
    y = s.para(b.x + b.w + 1, y, sx1 - b.x - b.w - 1, short, size=size) + 3
    b = s.t(sx0, y, s.lab("医师"), size=size)
    signer = doctor(rng)
    s.physician(b.x + b.w + 1, y, "存根医师", name=signer, typed_ok=False, seal_ok=False, max_w=sx1 - b.x - b.w - 2)
    y += 9
    b = s.t(sx0, y, s.lab("日期"), size=size)
    blank_line(s, b.x + b.w + 1, y, sx1 - b.x - b.w - 2, s.d(d, "dot" if s.date_form == "cn_upper" else None),
               hand=hand, size=size * 0.95)
    # the certificate
    mx0, mx1 = cut + 7, s.x1
    mw = mx1 - mx0
    cx = (mx0 + mx1) / 2
    y = s.margin + 7
    if spec.hospital:
        hs = fit(spec.hospital, s.bold, 15, mw)
        s.t(cx, y, spec.hospital, font=s.bold, size=hs, align="center")
        y += 9
    s.t(cx, y, rng.choice(CERT_TITLES), font=s.bold, size=16, align="center")
    s.t(mx1, y, f"No.{no}", size=size, align="right")
    y += 11
    x = mx0
    for label, val, w in (("姓名", p.name, 0.3), ("性别", p.sex, 0.14), ("年龄", f"{age(spec)}岁", 0.17),
                          ("科别", _dept(spec, rng), 0.39)):
        b = s.t(x, y, label)
        blank_line(s, b.x + b.w + 1, y, mw * w - b.w - 3, val, hand=hand)
        x += mw * w
    y += 10
    b = s.t(mx0, y, s.lab(rng.choice(["诊断", "临床诊断"])))
    items = _dx_items(spec, rng, 0.3)
    lines = cn_list(items, rng) if len(items) > 1 else items
    for i in range(max(2, len(lines))):
        lx = b.x + b.w + 1 if i == 0 else mx0
        blank_line(s, lx, y, mx1 - lx, "", size=s.size)
        if i < len(lines):
            s.value(lx + 2, y, lines[i], hand=hand, width=mx1 - lx - 3)
        y += 8.5
    b = s.t(mx0, y, s.lab(rng.choice(["建议", "处理意见"])))
    blank_line(s, b.x + b.w + 1, y, mx1 - b.x - b.w - 1, "")
    s.value(b.x + b.w + 3, y, rng.choice(words.ADVICE), hand=hand, width=mx1 - b.x - b.w - 4)
    y += 8.5
    blank_line(s, mx0, y, mw, "")
    y = max(y + 14, page.h - s.margin - 26)
    b = s.t(mx0, y, s.lab(rng.choice(["医师签名", "医师"])))
    s.physician(b.x + b.w + 2, y, "医师", name=signer)
    hb = s.t(mx1 - 4, y, spec.hospital or "", align="right") if rng.random() < 0.4 else None
    date_text = s.d(d) if d else blank_date(False)
    db = s.hand(mx1 - 50, y + 11, date_text) if hand and d else s.t(mx1 - 4, y + 11, date_text, align="right")
    anchor = hb or db
    s.seal(anchor.cx, anchor.cy - 3, rng.choice(["诊断证明专用章", None]))
    return s.built()


def _cert_cards(spec: DocContent, rng: random.Random) -> Built:
    """An e-printed certificate: small grey labels above their values, numbered Chinese-numeral list."""
    s = new_sheet(spec, rng, rng.choice(["A4", "A5", "16K"]), upper_ok=True)
    p, d = spec.person, spec.issue_date
    y = centred_head(s, rng.choice(CERT_TITLES), rule=rng.choice(["single", "double"]))
    fields = [("患者姓名", p.name), ("性别", p.sex), ("年龄", f"{age(spec)}岁"), ("就诊科室", _dept(spec, rng)),
              ("门诊号", _no(rng, 8, 10)), ("联系电话", p.phone)]
    if rng.random() < 0.6:
        fields.append(("身份证号", p.id_number))
    per = 3 if s.page.w > 160 else 2
    col = s.width / per
    for i, (label, val) in enumerate(fields):
        r, c = divmod(i, per)
        if label == "身份证号" and c != 0:
            r, c = r + 1, 0
        x, yy = s.x0 + c * col, y + r * 12
        s.t(x, yy, label, size=s.size * 0.75, colour=GREY)
        s.t(x, yy + 5.2, val, size=s.size + 0.5, width=col * (per if label == "身份证号" else 1) - 3)
    rows = (len(fields) + per - 1) // per + (1 if fields[-1][0] == "身份证号" and (len(fields) - 1) % per else 0)
    y += rows * 12 + 4
    s.page.rect(Box(s.x0, y - 4.2, 1.6, 5), 0, None, BLACK)
    s.t(s.x0 + 3.5, y, rng.choice(["初步诊断", "临床诊断", "门诊诊断"]), font=s.bold)
    y += s.lh(2.4)
    for line in cn_list(_dx_items(spec, rng, 0.55), rng):
        y = s.para(s.x0 + 6, y, s.width - 6, line, size=s.size + 0.5)
    y += 3
    s.page.rect(Box(s.x0, y - 4.2, 1.6, 5), 0, None, BLACK)
    s.t(s.x0 + 3.5, y, rng.choice(["医生建议", "处理意见"]), font=s.bold)
    y = s.para(s.x0 + 6, y + s.lh(2.4), s.width - 6, rng.choice(words.ADVICE)) + 8
    y = max(y, s.page.h * rng.uniform(0.5, 0.65))
    b = s.t(s.x1 - 62, y, s.lab(rng.choice(["医师签名", "接诊医生"])))
    s.physician(b.x + b.w + 2, y, "医师")
    y += 10
    label = rng.choice(CERT_DATE_LABELS)
    at = s.at(d)
    shown = s.dt(at) if at and rng.random() < 0.5 else s.d(d)
    db = s.t(s.x1, y, f"{s.lab(label)}{shown}", align="right")
    if spec.hospital and rng.random() < 0.6:
        hb = s.t(s.x1, y + 7, spec.hospital, align="right")
        s.seal(hb.cx, hb.cy - 5, rng.choice(["诊断证明专用章", "门诊专用章", None]))
    else:
        s.seal(db.cx, db.cy - 4, rng.choice(["诊断证明专用章", "门诊专用章", None]))
    s.page.line(s.x0, s.page.h - s.margin - 5, s.x1, s.page.h - s.margin - 5, 0.25)
    s.t(s.x0, s.page.h - s.margin, rng.choice(words.CERT_FOOT), size=s.size * 0.78, colour=GREY)
    return s.built()


# == exam report ======================================================================================
def build_exam_report(spec: DocContent, rng: random.Random) -> Built:
    """Lab results as a dense ruled table or three side-by-side panels; imaging, pathology and ECG reports
    with a header band, a sidebar of patient facts, or bilingual headings."""
    kind = spec.exam_kind or "lab"
    if kind == "lab":
        layout = rng.choice(["lab_ruled", "lab_panels"])
        return (_lab_ruled if layout == "lab_ruled" else _lab_panels)(spec, rng)
    layout = rng.choice(["img_band", "img_sidebar", "img_bilingual"])
    return {"img_band": _img_band, "img_sidebar": _img_sidebar, "img_bilingual": _img_bilingual}[layout](spec, rng, kind)


def _results(rng: random.Random, n: int) -> list[tuple[str, str, str, str, str, str]]:
    """(code, name, result, flag, unit, reference) for ``n`` analytes."""
    start = rng.randrange(0, len(words.ANALYTES) - n + 1) if n < len(words.ANALYTES) else 0
    out = []
    arrows = rng.random() < 0.5
    for code, name, unit, lo, hi in words.ANALYTES[start:start + n]:
        span = (hi - lo) or 1
        r = rng.random()
        if r < 0.2:
            val, flag = hi + max(span, hi * 0.3) * rng.uniform(0.05, 0.6), "↑" if arrows else "H"
        elif r < 0.27 and lo > 0:
            val, flag = max(lo * 0.6, lo - span * rng.uniform(0.05, 0.2)), "↓" if arrows else "L"
        else:
            val, flag = rng.uniform(lo, hi), ""
        shown = f"{val:.2f}" if hi < 10 else f"{val:.1f}" if hi < 100 else f"{val:.0f}"
        out.append((code, name, shown, flag, unit, f"{lo}-{hi}" if rng.random() < 0.6 else f"{lo}～{hi}"))
    return out


def _lab_times(s: Sheet, spec: DocContent):
    report = s.at(spec.issue_date, 11, 18)
    sampled = earlier_same_day(s, report)
    received = None
    if sampled and report:
        received = sampled + timedelta(minutes=s.rng.randrange(10, 50))
        if received >= report:
            received = sampled
    return sampled, received, report


def _lab_ruled(spec: DocContent, rng: random.Random) -> Built:
    s = new_sheet(spec, rng, "A4", upper_ok=False, sizes=(8.5, 9.0, 9.5))
    p = spec.person
    y = band(s, rng.choice(words.LAB_TITLES), english=rng.choice([None, "CLINICAL LABORATORY REPORT"]),
             code=rng.choice(["bar", "qr"]))
    w = s.width
    widths = [w * f for f in (0.09, 0.16, 0.08, 0.08, 0.08, 0.1, 0.11, 0.3)]
    rh = 7.0
    info = [Cell(0, 0, "姓名", "label"), Cell(0, 1, p.name), Cell(0, 2, "性别", "label"), Cell(0, 3, p.sex),
            Cell(0, 4, "年龄", "label"), Cell(0, 5, f"{age(spec)}岁"), Cell(0, 6, "病历号", "label"),
            Cell(0, 7, _no(rng, 7, 9)),
            Cell(1, 0, "科室", "label"), Cell(1, 1, _dept(spec, rng)), Cell(1, 2, "床号", "label"), Cell(1, 3, "--"),
            Cell(1, 4, "标本", "label"), Cell(1, 5, rng.choice(["血清", "全血", "血浆"])), Cell(1, 6, "临床诊断", "label"),
            Cell(1, 7, spec.disease_name or "")]
    grid(s, s.x0, y, widths, [rh, rh], info, shade=rng.random() < 0.5, size=s.size * 0.95)
    y += 2 * rh + 4
    sampled, received, report = _lab_times(s, spec)
    rows = _results(rng, rng.randrange(14, 22))
    cw = [w * f for f in (0.06, 0.11, 0.33, 0.13, 0.06, 0.13, 0.18)]
    heads = ["序号", "代号", "检验项目", "结果", "提示", "单位", "参考区间"]
    rh2 = rng.uniform(5.4, 6.2)
    cells = [Cell(0, i, h, "label") for i, h in enumerate(heads)]
    for r, (code, name, val, flag, unit, ref) in enumerate(rows, start=1):
        for c, v in enumerate([str(r), code, name, val, flag, unit, ref]):
            cells.append(Cell(r, c, v, align="center" if c in (0, 3, 4) else None))
    grid(s, s.x0, y, cw, [rh2] * (len(rows) + 1), cells, shade=True, size=s.size * 0.88)
    y += rh2 * (len(rows) + 1) + 5
    y = max(y, s.page.h - s.margin - 42)
    fw = [w * f for f in (0.23, 0.23, 0.24, 0.15, 0.15)]
    rep_label = rng.choice(["报告时间", "审核时间", "报告日期"])
    shown_report = (s.dt(report) if "时间" in rep_label else s.d(spec.issue_date)) if report else ""
    foot = [Cell(0, 0, "采集时间", "label"), Cell(0, 1, "接收时间", "label"), Cell(0, 2, rep_label, "label"),
            Cell(0, 3, "检验者", "label"), Cell(0, 4, "审核者", "label"),
            Cell(1, 0, s.dt(sampled, seconds=False), align="center"), Cell(1, 1, s.dt(received, seconds=False), align="center"),
            Cell(1, 2, shown_report, align="center", key="rep"), Cell(1, 3, "", key="s1"), Cell(1, 4, "", key="s2")]
    boxes = grid(s, s.x0, y, fw, [6.5, 10.0], foot, shade=True, size=s.size * 0.9)
    for k in ("s1", "s2"):
        b = boxes[k]
        s.physician(b.x + 2, b.y + b.h * 0.75, "检验" if k == "s1" else "审核", max_w=b.w - 4)
    rb = boxes["rep"]
    s.seal(rb.cx, rb.cy - 8, rng.choice(words.SEALS["lab"]), oval=rng.random() < 0.6)
    s.t(s.x0, rb.y + rb.h + 6, rng.choice(words.REPORT_NOTES), size=s.size * 0.8, colour=GREY)
    if spec.pages > 1:
        _lab_more(s, spec)
    return s.built()


def _lab_more(s: Sheet, spec: DocContent) -> None:
    s.t(s.page.w / 2, s.page.h - s.margin + 4, "第 1 页 共 2 页", size=7.5, align="center")
    s.new_page()
    rng = s.rng
    y = s.margin + 6
    s.t(s.page.w / 2, y, f"{spec.hospital or ''}  检验报告（续）", font=s.bold, size=12, align="center")
    y += 9
    s.t(s.x0, y, f"姓名{s.colon}{spec.person.name}    性别{s.colon}{spec.person.sex}    年龄{s.colon}{age(spec)}岁")
    y += 5
    rows = _results(rng, rng.randrange(8, 14))
    cw = [s.width * f for f in (0.08, 0.14, 0.38, 0.14, 0.08, 0.18)]
    cells = [Cell(0, i, h, "label") for i, h in enumerate(["序号", "代号", "检验项目", "结果", "提示", "参考区间"])]
    for r, (code, name, val, flag, _unit, ref) in enumerate(rows, start=1):
        for c, v in enumerate([str(r), code, name, val, flag, ref]):
            cells.append(Cell(r, c, v))
    grid(s, s.x0, y, cw, [6.0] * (len(rows) + 1), cells, size=s.size * 0.88)
    s.t(s.page.w / 2, s.page.h - s.margin + 4, "第 2 页 共 2 页", size=7.5, align="center")


def _lab_panels(spec: DocContent, rng: random.Random) -> Built:
    """Landscape, results in three side-by-side panels ruled only above and below, dates in a footer line."""
    s = new_sheet(spec, rng, "A4L", upper_ok=False, sizes=(8.5, 9.0))
    p = spec.person
    y = s.margin + 3
    title = rng.choice(words.LAB_TITLES)
    s.t(s.page.w / 2, y + 5, f"{spec.hospital or ''}{title}", font=s.bold, size=16, align="center",
        width=s.width - 60)
    barcode(s.page, rng, s.x1 - 40, y - 1, 40, 7)
    y += 14
    pairs = [("姓名", p.name), ("性别", p.sex), ("年龄", f"{age(spec)}岁"), ("门诊号", _no(rng, 7, 9)),
             ("科别", _dept(spec, rng)), ("标本类型", rng.choice(["血清", "静脉血"])), ("样本号", _no(rng, 4, 5))]
    slot = s.width / len(pairs)
    for i, (lab, val) in enumerate(pairs):
        b = s.t(s.x0 + i * slot, y, s.lab(lab))
        s.t(b.x + b.w + 0.8, y, val, width=slot - b.w - 2)
    y += 3
    s.page.line(s.x0, y, s.x1, y, 0.8)
    y += 5
    rows = _results(rng, rng.randrange(24, 34))
    n_panels = 3
    per = (len(rows) + n_panels - 1) // n_panels
    pw = (s.width - 2 * 4) / n_panels
    cols = [0.5, 0.18, 0.07, 0.25]
    size = s.size * 0.86
    rh = 5.3
    for k in range(n_panels):
        px = s.x0 + k * (pw + 4)
        xs = [px]
        for c in cols[:-1]:
            xs.append(xs[-1] + pw * c)
        for x, h in zip(xs, ["项目", "结果", "", "参考值"], strict=True):
            s.t(x + 0.5, y, h, size=size, font=s.bold)
        s.page.line(px, y + 1.6, px + pw, y + 1.6, 0.3)
        for j, (code, name, val, flag, unit, ref) in enumerate(rows[k * per:(k + 1) * per], start=1):
            ry = y + j * rh + 0.8
            label = f"{name}({code})" if rng.random() < 0.5 else name
            s.t(xs[0] + 0.5, ry, label, size=fit(label, s.body, size, pw * cols[0] - 1))
            s.t(xs[1] + 0.5, ry, val, size=size)
            s.t(xs[2] + 0.2, ry, flag, size=size)
            s.t(xs[3] + 0.5, ry, f"{ref} {unit}", size=fit(f"{ref} {unit}", s.body, size, pw * cols[3] - 0.5))
    y += (per + 1) * rh + 1
    s.page.line(s.x0, y, s.x1, y, 0.8)
    y += 6
    sampled, received, report = _lab_times(s, spec)
    rep_label = rng.choice(["报告时间", "审核时间", "报告日期"])
    shown = (s.dt(report) if "时间" in rep_label else s.d(spec.issue_date)) if report else ""
    pairs = [("送检医生", doctor(rng)), ("采样时间", s.dt(sampled)), ("接收时间", s.dt(received)), (rep_label, shown)]
    slot = s.width / len(pairs)
    rep_box = None
    for i, (lab, val) in enumerate(pairs):
        b = s.t(s.x0 + i * slot, y, s.lab(lab) + val, width=slot - 3)
        if lab == rep_label:
            rep_box = b
    y += 8
    b = s.t(s.x0 + slot * 2, y, s.lab("检验者"))
    s.physician(b.x + b.w + 1, y, "检验")
    b = s.t(s.x0 + slot * 3, y, s.lab("审核者"))
    s.physician(b.x + b.w + 1, y, "审核")
    s.t(s.x0, y, rng.choice(words.REPORT_NOTES), size=s.size * 0.78, colour=GREY)
    if rep_box is not None:
        s.seal(rep_box.cx, rep_box.cy - 2, rng.choice(words.SEALS["lab"]), oval=rng.random() < 0.6)
    if spec.pages > 1:
        _lab_more(s, spec)
    return s.built()


def _exam_text(rng: random.Random, kind: str) -> tuple[str, str, list[str]]:
    """(part, findings paragraph, conclusion lines)."""
    if kind == "ecg":
        concl = list(rng.choice(words.ECG))
        hr = rng.randrange(56, 96)
        seen = (f"节律规整，心率{hr}次/分，P波形态正常，PR间期{rng.randrange(140, 200)}ms，QRS时限{rng.randrange(80, 110)}ms，"
                f"QT/QTc {rng.randrange(360, 420)}/{rng.randrange(400, 450)}ms，V5导联R波振幅{rng.uniform(2.4, 3.3):.1f}mV，"
                f"Rv5+Sv1={rng.uniform(3.6, 4.6):.1f}mV，II、III、aVF及V4～V6导联ST段压低约0.05mV，T波低平。")
        return "常规十二导联心电图", seen, concl
    part, sentences, concl = rng.choice(words.IMAGING[kind])
    return part, "".join(sentences), list(concl)


def _exam_pictures(s: Sheet, kind: str, x: float, y: float, w: float) -> float:
    rng = s.rng
    if kind == "pathology" or rng.random() < 0.35:
        return y
    if kind == "ecg":
        h = w * 0.28
        s.page.image(Box(x, y, w, h), picture(rng, "ecg", 600, 170), multiply=False)
        return y + h + 8
    n = rng.choice([2, 3]) if w > 120 else 2
    gap = 3
    iw = (w - gap * (n - 1)) / n
    ih = iw * 0.78
    for i in range(n):
        s.page.image(Box(x + i * (iw + gap), y, iw, ih), picture(rng, kind, 260, 200), multiply=False)
    return y + ih + 8


def _exam_times(s: Sheet, spec: DocContent, kind: str):
    report = s.at(spec.issue_date, 9, 18)
    exam = earlier_same_day(s, report, days=s.rng.choice((1, 2, 3)) if kind == "pathology" else 0)
    return exam, report


def _img_band(spec: DocContent, rng: random.Random, kind: str) -> Built:
    """Header band, patient facts in a ruled strip, a long findings paragraph, the conclusion after it,
    and a ruled sign-off row with the report time."""
    s = new_sheet(spec, rng, rng.choice(["A4", "16K"]), upper_ok=False)
    p = spec.person
    y = band(s, rng.choice(words.IMAGING_TITLES[kind]), english=rng.choice([None, words.IMAGING_EN[kind]]),
             code=rng.choice(["bar", "qr"]))
    exam, report = _exam_times(s, spec, kind)
    no_label = {"pathology": "病理号", "ecg": "心电号"}.get(kind, rng.choice(["影像号", "检查号"]))
    w = s.width
    widths = [w * f for f in (0.1, 0.17, 0.08, 0.08, 0.08, 0.1, 0.12, 0.27)]
    exam_label = {"pathology": "送检日期"}.get(kind, "检查日期")
    info = [Cell(0, 0, "姓名", "label"), Cell(0, 1, p.name), Cell(0, 2, "性别", "label"), Cell(0, 3, p.sex),
            Cell(0, 4, "年龄", "label"), Cell(0, 5, f"{age(spec)}岁"), Cell(0, 6, no_label, "label"),
            Cell(0, 7, _no(rng, 6, 8)),
            Cell(1, 0, "科室", "label"), Cell(1, 1, _dept(spec, rng)), Cell(1, 2, "来源", "label"),
            Cell(1, 3, rng.choice(["门诊", "住院"]), cs=3), Cell(1, 6, exam_label, "label"),
            Cell(1, 7, s.d(exam.date()) if exam else "")]
    grid(s, s.x0, y, widths, [7.0, 7.0], info, shade=rng.random() < 0.5, size=s.size * 0.92)
    y += 14 + 7
    part, seen, concl = _exam_text(rng, kind)
    b = s.t(s.x0, y, s.lab({"pathology": "送检标本"}.get(kind, "检查项目")), font=s.bold)
    s.t(b.x + b.w + 1, y, part)
    y += 6
    y = _exam_pictures(s, kind, s.x0, y, s.width)
    marker = rng.choice(["", "■ ", "◆ "])
    s.t(s.x0, y, marker + s.lab(rng.choice(words.SEEN[kind])), font=s.bold)
    y = s.para(s.x0 + 2, y + s.lh(2.3), s.width - 4, seen, indent=text_width("双肺", s.body, s.size), leading=1.9)
    if kind == "pathology":
        s.t(s.x0, y + 2, marker + s.lab("免疫组化及特殊染色"), font=s.bold)
        y = s.para(s.x0 + 2, y + 2 + s.lh(2.3), s.width - 4, "见上述。") if rng.random() < 0.3 else y + 4
    y += 4
    s.t(s.x0, y, marker + s.lab(rng.choice(words.CONCL[kind])), font=s.bold)
    y += s.lh(2.3)
    lines = arabic_list(concl, rng) if len(concl) > 1 else concl
    for line in lines:
        y = s.para(s.x0 + 6, y, s.width - 6, line, size=s.size + 0.5, font=s.bold if rng.random() < 0.3 else None)
    y = max(y + 8, s.page.h - s.margin - 34)
    rep_label = rng.choice(["报告时间", "报告日期"])
    shown = (s.dt(report) if rep_label == "报告时间" else s.d(spec.issue_date)) if report else ""
    fw = [w * f for f in (0.13, 0.2, 0.13, 0.2, 0.12, 0.22)]
    foot = [Cell(0, 0, rng.choice(["报告医生", "诊断医师"]), "label"), Cell(0, 1, "", key="s1"),
            Cell(0, 2, rng.choice(["审核医生", "复核医师"]), "label"), Cell(0, 3, "", key="s2"),
            Cell(0, 4, rep_label, "label"), Cell(0, 5, shown, key="rep")]
    boxes = grid(s, s.x0, y, fw, [10.0], foot, size=s.size * 0.92)
    for k in ("s1", "s2"):
        bx = boxes[k]
        s.physician(bx.x + 2, bx.y + 7.5, "报告" if k == "s1" else "审核", max_w=bx.w - 4)
    rb = boxes["rep"]
    s.seal(rb.cx, rb.cy - 8, rng.choice(words.SEALS[kind]), oval=rng.random() < 0.5)
    s.t(s.x0, rb.y + rb.h + 5.5, rng.choice(words.REPORT_NOTES), size=s.size * 0.8, colour=GREY)
    if spec.pages > 1:
        _exam_more(s, spec, kind)
    return s.built()


def _exam_more(s: Sheet, spec: DocContent, kind: str) -> None:
    s.t(s.x1, s.page.h - s.margin + 4, "第1页/共2页", size=7.5, align="right")
    s.new_page()
    y = s.margin + 6
    s.t(s.page.w / 2, y, f"{spec.hospital or ''}  报告附页", font=s.bold, size=12, align="center")
    y += 9
    s.t(s.x0, y, f"姓名{s.colon}{spec.person.name}    性别{s.colon}{spec.person.sex}    年龄{s.colon}{age(spec)}岁")
    y += 8
    y = _exam_pictures(s, kind if kind != "pathology" else "ct", s.x0, y, s.width)
    part, seen, _ = _exam_text(s.rng, kind)
    s.t(s.x0, y, f"补充描述（{part}）{s.colon}", font=s.bold)
    s.para(s.x0, y + s.lh(2.3), s.width, seen)
    s.t(s.x1, s.page.h - s.margin + 4, "第2页/共2页", size=7.5, align="right")


def _img_sidebar(spec: DocContent, rng: random.Random, kind: str) -> Built:
    """A shaded sidebar at the left lists the patient's facts label over value; the report runs at the right."""
    s = new_sheet(spec, rng, rng.choice(["A4", "16K"]), upper_ok=False)
    p = spec.person
    page = s.page
    y = centred_head(s, rng.choice(words.IMAGING_TITLES[kind]), rule="single")
    side_w = rng.uniform(44, 52)
    top = y - 2
    bottom = page.h - s.margin - 12
    page.rect(Box(s.x0, top, side_w, bottom - top), 0, None, LIGHT)
    exam, report = _exam_times(s, spec, kind)
    rep_label = rng.choice(["报告日期", "报告时间"])
    facts = [("姓名 Name", p.name), ("性别 Sex", p.sex), ("年龄 Age", f"{age(spec)}岁"),
             ("检查号", _no(rng, 7, 9)), ("门诊/住院号", _no(rng, 6, 8)), ("申请科室", _dept(spec, rng)),
             ("检查日期" if kind != "pathology" else "送检日期", s.d(exam.date()) if exam else ""),
             (rep_label, (s.dt(report) if rep_label == "报告时间" else s.d(spec.issue_date)) if report else "")]
    sy = top + 7
    rep_box = None
    for label, val in facts:
        s.t(s.x0 + 3, sy, label, size=s.size * 0.75, colour=GREY)
        b = s.t(s.x0 + 3, sy + 5, val or "—", size=s.size, width=side_w - 5)
        if label == rep_label:
            rep_box = b
        sy += 12.5
    if rng.random() < 0.6:
        qr_block(page, rng, s.x0 + 3, sy, 16)
    mx0 = s.x0 + side_w + 5
    mw = s.x1 - mx0
    part, seen, concl = _exam_text(rng, kind)
    y = top + 6
    b = s.t(mx0, y, s.lab({"pathology": "送检标本"}.get(kind, "检查部位")), font=s.bold)
    s.t(b.x + b.w + 1, y, part, width=mw - b.w - 2)
    y += 7
    y = _exam_pictures(s, kind, mx0, y, mw)
    s.t(mx0, y, rng.choice(words.SEEN[kind]), font=s.bold, size=s.size + 1)
    page.line(mx0, y + 1.5, s.x1, y + 1.5, 0.25)
    y = s.para(mx0, y + s.lh(2.6), mw, seen, indent=text_width("双肺", s.body, s.size), leading=1.95) + 3
    s.t(mx0, y, rng.choice(words.CONCL[kind]), font=s.bold, size=s.size + 1)
    page.line(mx0, y + 1.5, s.x1, y + 1.5, 0.25)
    y += s.lh(2.6)
    for line in (arabic_list(concl, rng) if len(concl) > 1 else concl):
        y = s.para(mx0 + 2, y, mw - 2, line, size=s.size + 0.5)
    y = max(y + 10, bottom - 22)
    b = s.t(mx0, y, s.lab(rng.choice(["报告医师", "诊断医生"])))
    s.physician(b.x + b.w + 1, y, "报告")
    b = s.t(mx0 + mw * 0.52, y, s.lab(rng.choice(["审核医师", "复核医生"])))
    s.physician(b.x + b.w + 1, y, "审核")
    if rep_box is not None:
        s.seal(rep_box.cx + 8, rep_box.cy - 4, rng.choice(words.SEALS[kind]), oval=rng.random() < 0.5)
    s.t(s.x0, page.h - s.margin - 4, rng.choice(words.REPORT_NOTES), size=s.size * 0.8, colour=GREY)
    if spec.pages > 1:
        _exam_more(s, spec, kind)
    return s.built()


def _img_bilingual(spec: DocContent, rng: random.Random, kind: str) -> Built:
    s = new_sheet(spec, rng, rng.choice(["A4", "B5"]), upper_ok=False)
    p = spec.person
    y = band(s, rng.choice(words.IMAGING_TITLES[kind]), english=words.IMAGING_EN[kind], code=rng.choice(["qr", "none"]))
    exam, report = _exam_times(s, spec, kind)
    rows = [[("姓名", "Name", p.name), ("性别", "Sex", p.sex), ("年龄", "Age", f"{age(spec)}岁")],
            [("科室", "Dept", _dept(spec, rng)), ("检查号", "Exam No.", _no(rng, 7, 9)),
             ("检查时间" if kind != "pathology" else "送检时间", "Exam Time", s.dt(exam, seconds=False) if exam else "")]]
    for row in rows:
        slot = s.width / 3
        for i, (cn, en, val) in enumerate(row):
            x = s.x0 + i * slot
            b = s.t(x, y, f"{cn}/{en}{s.colon}", size=s.size * 0.9)
            s.t(b.x + b.w + 1, y, val, width=slot - b.w - 3)
        y += s.lh(2.4)
    s.page.line(s.x0, y - 2.5, s.x1, y - 2.5, 0.4)
    y += 4
    part, seen, concl = _exam_text(rng, kind)
    b = s.t(s.x0, y, f"检查部位 Part{s.colon}")
    s.t(b.x + b.w + 1, y, part)
    y += 7
    y = _exam_pictures(s, kind, s.x0, y, s.width)
    s.t(s.x0, y, f"{rng.choice(words.SEEN[kind])} Findings{s.colon}", font=s.bold)
    y = s.para(s.x0 + 4, y + s.lh(2.3), s.width - 4, seen, leading=1.9) + 3
    s.t(s.x0, y, f"{rng.choice(words.CONCL[kind])} Impression{s.colon}", font=s.bold)
    y += s.lh(2.3)
    for line in (arabic_list(concl, rng) if len(concl) > 1 else concl):
        y = s.para(s.x0 + 4, y, s.width - 4, line, size=s.size + 0.5)
    y = max(y + 10, s.page.h - s.margin - 30)
    s.page.line(s.x0, y - 5, s.x1, y - 5, 0.3)
    b = s.t(s.x0, y, f"报告医师 Reported by{s.colon}", size=s.size * 0.92)
    s.physician(b.x + b.w + 1, y, "报告")
    b = s.t(s.x0 + s.width * 0.5, y, f"审核医师 Verified by{s.colon}", size=s.size * 0.92)
    s.physician(b.x + b.w + 1, y, "审核")
    y += 10
    rep = s.dt(report) if report and rng.random() < 0.6 else s.d(spec.issue_date)
    rb = s.t(s.x1, y, f"报告日期 Report Date{s.colon}{rep}", align="right", size=s.size * 0.92)
    s.seal(rb.cx + 10, rb.cy - 5, rng.choice(words.SEALS[kind]), oval=rng.random() < 0.5)
    s.t(s.x0, s.page.h - s.margin, rng.choice(words.REPORT_NOTES), size=s.size * 0.78, colour=GREY)
    if spec.pages > 1:
        _exam_more(s, spec, kind)
    return s.built()


# == medical record ===================================================================================
def build_medical_record(spec: DocContent, rng: random.Random) -> Built:
    """门诊病历: an opened booklet (cover page and visit page side by side), an e-record with section
    markers, or a paper record with the initial diagnoses listed at the lower right."""
    layout = rng.choice(["booklet", "markers", "paper"])
    return {"booklet": _rec_booklet, "markers": _rec_markers, "paper": _rec_paper}[layout](spec, rng)


def _sections(spec: DocContent, rng: random.Random) -> list[tuple[str, str]]:
    return [("主诉", rng.choice(words.COMPLAINTS)),
            ("现病史", rng.choice(words.HISTORY).format(t=rng.choice(words.TREND))),
            ("既往史", rng.choice(words.PAST)),
            ("查体", f"T{rng.randrange(362, 372) / 10}℃ P{rng.randrange(60, 98)}次/分 R{rng.randrange(16, 21)}次/分 "
                     f"BP{rng.randrange(118, 182)}/{rng.randrange(70, 106)}mmHg，神清，双肺呼吸音清，心律齐。")]


def _rec_booklet(spec: DocContent, rng: random.Random) -> Built:
    s = new_sheet(spec, rng, rng.choice(["A4L", "B5L"]), sizes=(9.5, 10.0, 10.5))
    p, d = spec.person, spec.issue_date
    page = s.page
    mid = page.w / 2
    page.line(mid, s.margin - 6, mid, page.h - s.margin + 6, 0.2, (160, 160, 160))
    # cover (left page)
    lx0, lx1 = s.x0, mid - 10
    y = s.margin + 10
    if spec.hospital:
        s.t((lx0 + lx1) / 2, y, spec.hospital, font=s.bold, size=fit(spec.hospital, s.bold, 14, lx1 - lx0),
            align="center")
        y += 12
    s.t((lx0 + lx1) / 2, y, "门 诊 病 历", font=s.bold, size=22, align="center")
    y += 16
    hand = rng.random() < 0.5
    for label, val in (("姓    名", p.name), ("性    别", p.sex), ("年    龄", f"{age(spec)}岁"),
                       ("联系电话", p.phone), ("住    址", p.address), ("药物过敏史", rng.choice(["无", "青霉素", "否认"]))):
        b = s.t(lx0 + 6, y, s.lab(label))
        blank_line(s, b.x + b.w + 1, y, lx1 - b.x - b.w - 8, val, hand=hand)
        y += 11
    s.t((lx0 + lx1) / 2, page.h - s.margin, "请妥善保管，就诊时携带", size=8, colour=GREY, align="center")
    # visit (right page)
    rx0, rx1 = mid + 10, s.x1
    rw = rx1 - rx0
    y = s.margin + 6
    dept = _dept(spec, rng)
    if d:
        date_text = s.d(d, rng.choice(["dot", "ymd_cn", "slash", "iso", s.date_form]))
        if hand:
            s.hand(rx0, y, f"{date_text}  {dept}")
        else:
            s.t(rx0, y, f"{rng.choice(['就诊日期', '日期'])}{s.colon}{date_text}    {s.lab('科别')}{dept}")
    else:
        s.t(rx0, y, f"{s.lab('科别')}{dept}")
    y += 10
    lines = [f"{k}{s.colon}{v}" for k, v in _sections(spec, rng)]
    items = _dx_items(spec, rng, 0.4)
    dx_label = rng.choice(["诊断", "初步诊断", "印象"])
    if len(items) == 1:
        lines.append(f"{dx_label}{s.colon}{items[0]}")
    else:
        lines.append(f"{dx_label}{s.colon}")
        lines += cn_list(items, rng)
    lines.append(f"处理{s.colon}{rng.choice(words.PLAN)}")
    for line in lines:
        if hand:
            per = max(6, int(rw / (s.size * MM_PER_PT * 1.5)))
            for i in range(0, len(line), per):
                s.hand(rx0, y, line[i:i + per])
                y += s.lh(2.5)
        else:
            y = s.para(rx0, y, rw, line, leading=2.0)
        y += 1
    y = max(y + 8, page.h - s.margin - 20)
    b = s.t(rx1 - 48, y, s.lab(rng.choice(["医师", "医师签名"])))
    s.physician(b.x + b.w + 1, y, "医师", typed_ok=False)
    if rng.random() < 0.5:
        s.seal(rx1 - 25, y - 8, rng.choice(["门诊专用章", None]))
    return s.built()


def _rec_markers(spec: DocContent, rng: random.Random) -> Built:
    s = new_sheet(spec, rng, rng.choice(["A4", "16K", "A5"]))
    p, d = spec.person, spec.issue_date
    title = rng.choice(["门诊病历", "门诊电子病历", "门诊就诊记录"])
    y = band(s, title, code=rng.choice(["bar", "qr", "none"]))
    visit = s.at(d)
    label = rng.choice(["就诊时间", "就诊日期", "接诊时间"])
    shown = (s.dt(visit) if "时间" in label else s.d(d)) if d else ""
    rows = [(("姓名", p.name), ("性别", p.sex), ("年龄", f"{age(spec)}岁")),
            (("科室", _dept(spec, rng)), ("门诊号", _no(rng, 8, 10)), ("费别", rng.choice(["职工医保", "居民医保", "门慢"]))),
            ((label, shown), ("", ""), ("", ""))]
    page = s.page
    top = y - 4
    for row in rows:
        slot = s.width / 3
        for i, (lab, val) in enumerate(row):
            if not lab:
                continue
            b = s.t(s.x0 + 2 + i * slot, y, s.lab(lab))
            s.t(b.x + b.w + 1, y, val, width=(slot * (3 - i) if row[1][0] == "" else slot) - b.w - 4)
        y += s.lh(2.3)
    page.rect(Box(s.x0, top, s.width, y - top - 2), 0.3)
    y += 5
    marker = rng.choice(["■", "◆", "●", "※", ""])
    head_font = s.bold if rng.random() < 0.6 else s.body
    aux = ("辅助检查", rng.choice(["暂缺。", "见检验报告。", "血常规、生化已查，结果见报告。"]))
    for lab, text in [*_sections(spec, rng), aux]:
        b = s.t(s.x0, y, f"{marker}{lab}{s.colon}", font=head_font)
        y = s.para(b.x + b.w + 1, y, s.x1 - b.x - b.w - 1, text) + 1.5
    items = _dx_items(spec, rng, 0.45)
    dx_label = rng.choice(["诊断", "门诊诊断", "初步诊断"])
    if len(items) == 1 or rng.random() < 0.4:
        b = s.t(s.x0, y, f"{marker}{dx_label}{s.colon}", font=head_font)
        y = s.para(b.x + b.w + 1, y, s.x1 - b.x - b.w - 1, "；".join(items) if len(items) > 1 else items[0]) + 1.5
    else:
        s.t(s.x0, y, f"{marker}{dx_label}{s.colon}", font=head_font)
        y += s.lh(2.1)
        for line in cn_list(items, rng):
            y = s.para(s.x0 + 8, y, s.width - 8, line)
        y += 1.5
    b = s.t(s.x0, y, f"{marker}处理{s.colon}", font=head_font)
    y = s.para(b.x + b.w + 1, y, s.x1 - b.x - b.w - 1, rng.choice(words.PLAN)) + 8
    b = s.t(s.x1 - 55, y, s.lab(rng.choice(["医生签名", "接诊医生", "医师"])))
    s.physician(b.x + b.w + 1, y, "医师")
    if rng.random() < 0.5:
        s.seal(s.x1 - 80, y - 6, rng.choice(["门诊专用章", "门诊部", None]))
    if d and rng.random() < 0.3:
        s.t(s.x0, page.h - s.margin, f"打印时间{s.colon}{s.dt(s.at(d, 17, 20))}", size=s.size * 0.78, colour=GREY)
    return s.built()


def _rec_paper(spec: DocContent, rng: random.Random) -> Built:
    """A paper record: a dated visit line with the weekday, sections, and the initial diagnoses at the right."""
    s = new_sheet(spec, rng, rng.choice(["A5", "B5"]), sizes=(9.0, 9.5, 10.0))
    p, d = spec.person, spec.issue_date
    y = centred_head(s, rng.choice(["门诊病历记录", "门（急）诊病历"]), rule="double")
    b = s.t(s.x0, y, f"{s.lab('姓名')}{p.name}   {s.lab('性别')}{p.sex}   {s.lab('年龄')}{age(spec)}岁")
    s.t(s.x1, y, f"{s.lab('科别')}{_dept(spec, rng)}", align="right")
    y += s.lh(2.4)
    if d:
        s.t(s.x0, y, f"{s.d(d)}  {weekday(d) if rng.random() < 0.6 else ''}".rstrip(), font=s.bold)
        y += s.lh(2.4)
    for lab, text in _sections(spec, rng):
        b = s.t(s.x0, y, s.lab(lab))
        y = s.para(b.x + b.w + 1, y, s.x1 - b.x - b.w - 1, text, leading=1.9) + 1
    y += 4
    items = _dx_items(spec, rng, 0.55)
    bx = s.x0 + s.width * rng.uniform(0.4, 0.5)
    s.t(bx, y, s.lab(rng.choice(["初步诊断", "初步印象"])))
    y += s.lh(2.3)
    for line in cn_list(items, rng):
        y = s.para(bx + 4, y, s.x1 - bx - 4, line)
    y += 5
    b = s.t(bx + 4, y, s.lab(rng.choice(["医师", "医生"])))
    s.physician(b.x + b.w + 1, y, "医师")
    y += 10
    b = s.t(s.x0, y, f"处理{s.colon}")
    y = s.para(b.x + b.w + 1, y, s.x1 - b.x - b.w - 1, rng.choice(words.PLAN))
    if rng.random() < 0.5:
        s.seal(s.x1 - 22, y + 6, rng.choice(["门诊专用章", None]))
    return s.built()


# == medication record ================================================================================
def build_medication_record(spec: DocContent, rng: random.Random) -> Built:
    """A landscape e-prescription, a ruled medication list, or a long-term prescription slip."""
    layout = rng.choice(["eprx", "ledger", "long"])
    return {"eprx": _med_eprx, "ledger": _med_ledger, "long": _med_long}[layout](spec, rng)


def _drugs(rng: random.Random) -> list[tuple[str, str, str, str, str]]:
    return rng.sample(words.DRUGS, rng.randrange(2, 5))


def _med_eprx(spec: DocContent, rng: random.Random) -> Built:
    s = new_sheet(spec, rng, rng.choice(["RXL", "A5L"]), upper_ok=False, sizes=(8.5, 9.0))
    p, d = spec.person, spec.issue_date
    page = s.page
    y = s.margin
    qr_block(page, rng, s.x0, y - 3, 14)
    s.t(page.w / 2, y + 1, spec.hospital or "", font=s.bold, size=13, align="center", width=s.width - 60)
    s.t(page.w / 2, y + 8, rng.choice(["门诊电子处方", "处方笺（电子）"]), font=s.bold, size=12, align="center")
    tag = rng.choice(["慢病", "长期", "医保"])
    page.rect(Box(s.x1 - 16, y - 3, 15, 7), 0.4)
    s.t(s.x1 - 8.5, y + 2, tag, size=9, align="center")
    y += 14
    at = s.at(d)
    label = rng.choice(["开方时间", "处方日期", "开具时间"])
    shown = (s.dt(at) if "时间" in label else s.d(d)) if d else ""
    w = s.width
    widths = [w * f for f in (0.08, 0.14, 0.06, 0.06, 0.06, 0.08, 0.1, 0.12, 0.1, 0.2)]
    cells = [Cell(0, 0, "姓名", "label"), Cell(0, 1, p.name), Cell(0, 2, "性别", "label"), Cell(0, 3, p.sex),
             Cell(0, 4, "年龄", "label"), Cell(0, 5, f"{age(spec)}岁"), Cell(0, 6, "门诊号", "label"),
             Cell(0, 7, _no(rng, 7, 9)), Cell(0, 8, label, "label"), Cell(0, 9, shown, key="date"),
             Cell(1, 0, "科别", "label"), Cell(1, 1, _dept(spec, rng)), Cell(1, 2, "费别", "label"),
             Cell(1, 3, rng.choice(["职工医保", "居民医保"]), cs=3), Cell(1, 6, "处方号", "label"),
             Cell(1, 7, _no(rng, 8, 10), cs=3)]
    boxes = grid(s, s.x0, y, widths, [6.5, 6.5], cells, size=s.size * 0.92)
    y += 13 + 6
    left_w = w * 0.6
    s.t(s.x0, y + 2, "Rp:", font="serif_bold", size=14)
    yy = y + 9
    for name, strength, dose, freq, route in _drugs(rng):
        yy = s.para(s.x0 + 4, yy, left_w - 6, f"{name}  {strength}  ×{rng.randrange(1, 6)}")
        yy = s.para(s.x0 + 10, yy, left_w - 12, f"用法：{dose} {freq} {route}", size=s.size * 0.9) + 0.8
    rx = s.x0 + left_w + 3
    page.rect(Box(rx, y - 3, s.x1 - rx, yy - y + 1), 0.3)
    s.t(rx + 2, y + 2, s.lab(rng.choice(["临床诊断", "诊断"])), font=s.bold)
    dy = y + 8
    for line in _dx_items(spec, rng, 0.35):
        dy = s.para(rx + 3, dy, s.x1 - rx - 5, line)
    y = max(yy, dy) + 6
    fw = [w * f for f in (0.1, 0.18, 0.1, 0.12, 0.1, 0.12, 0.1, 0.18)]
    foot = [Cell(0, 0, "医师", "label"), Cell(0, 1, "", key="doc"), Cell(0, 2, "审核药师", "label"), Cell(0, 3, ""),
            Cell(0, 4, "调配/核对", "label"), Cell(0, 5, ""), Cell(0, 6, "金额", "label"),
            Cell(0, 7, f"{rng.uniform(60, 900):.2f}元")]
    fb = grid(s, s.x0, y, fw, [9.0], foot, size=s.size * 0.9)
    db = fb["doc"]
    s.physician(db.x + 2, db.y + 6.8, "医师", max_w=db.w - 4)
    if rng.random() < 0.5:
        dbox = boxes["date"]
        s.seal(dbox.cx, dbox.cy + 8, rng.choice(["处方专用章", "门诊专用章"]))
    return s.built()


def _med_ledger(spec: DocContent, rng: random.Random) -> Built:
    s = new_sheet(spec, rng, rng.choice(["A4", "16K"]))
    p, d = spec.person, spec.issue_date
    y = centred_head(s, rng.choice(["门诊慢特病用药记录单", "门诊用药明细", "慢性病长期用药清单"]), rule="double")
    fields = [("姓名", p.name), ("性别", p.sex), ("年龄", f"{age(spec)}岁"), ("医保类别", rng.choice(["职工", "居民"])),
              ("就诊科室", _dept(spec, rng)), ("病种", spec.disease_name or "")]
    col = s.width / 3
    for i, (lab, val) in enumerate(fields):
        r, c = divmod(i, 3)
        x, yy = s.x0 + c * col, y + r * 12
        s.t(x, yy, lab, size=s.size * 0.75, colour=GREY)
        s.t(x, yy + 5, val, width=col - 3)
        s.page.line(x, yy + 6.5, x + col - 4, yy + 6.5, 0.2)
    y += 26
    b = s.t(s.x0, y, s.lab(rng.choice(["诊断", "临床诊断"])))
    y = s.para(b.x + b.w + 1, y, s.x1 - b.x - b.w - 1, "；".join(_dx_items(spec, rng, 0.4))) + 4
    w = s.width
    cw = [w * f for f in (0.06, 0.3, 0.2, 0.11, 0.1, 0.1, 0.13)]
    heads = ["序号", "药品名称", "规格", "单次剂量", "频次", "天数", "数量"]
    drugs = _drugs(rng)
    cells = [Cell(0, i, h, "label") for i, h in enumerate(heads)]
    for r, (name, strength, dose, freq, _route) in enumerate(drugs, start=1):
        days = rng.choice([28, 30, 60, 84])
        for c, v in enumerate([str(r), name, strength, dose, words.FREQ_CN[freq] if rng.random() < 0.5 else freq,
                               f"{days}天", f"{rng.randrange(2, 9)}盒"]):
            cells.append(Cell(r, c, v, align="center" if c in (0, 4, 5, 6) else None))
    grid(s, s.x0, y, cw, [7.5] * (len(drugs) + 1), cells, shade=True, size=s.size * 0.9)
    y += 7.5 * (len(drugs) + 1) + 12
    b = s.t(s.x0, y, s.lab(rng.choice(["开具医师", "医师签名"])))
    s.physician(b.x + b.w + 1, y, "医师")
    label = rng.choice(["开具日期", "处方日期", "记录日期"])
    db = s.t(s.x1, y, f"{s.lab(label)}{s.d(d)}", align="right")
    if rng.random() < 0.6:
        s.seal(db.cx, db.cy - 5, rng.choice(["门诊专用章", "药剂科", None]))
    s.t(s.x0, s.page.h - s.margin, "注：长期处方用量一般不超过12周，请遵医嘱用药。", size=s.size * 0.8, colour=GREY)
    return s.built()


def _med_long(spec: DocContent, rng: random.Random) -> Built:
    """长期处方笺: a fill-in slip, the date at the top right, drugs in Rp form, pharmacists' boxes at the foot."""
    s = new_sheet(spec, rng, "A5", sizes=(9.0, 9.5, 10.0))
    p, d = spec.person, spec.issue_date
    hand = rng.random() < 0.3
    y = centred_head(s, "长期处方笺", rule="single")
    s.t(s.x1, s.margin + 1, rng.choice(["慢病长处方", "门慢"]), size=8.5, align="right")
    b = s.t(s.x1 - 52, y, s.lab(rng.choice(["日期", "开具日期"])))
    blank_line(s, b.x + b.w + 1, y, s.x1 - b.x - b.w - 1, s.d(d), hand=hand)
    y += 9
    x = s.x0
    for lab, val, frac in (("姓名", p.name, 0.36), ("性别", p.sex, 0.2), ("年龄", f"{age(spec)}岁", 0.22),
                           ("科别", _dept(spec, rng), 0.22)):
        b = s.t(x, y, lab)
        blank_line(s, b.x + b.w + 1, y, s.width * frac - b.w - 2.5, val, hand=hand, size=s.size * 0.95)
        x += s.width * frac
    y += 9
    b = s.t(s.x0, y, s.lab("临床诊断"))
    blank_line(s, b.x + b.w + 1, y, s.x1 - b.x - b.w - 1, "")
    s.value(b.x + b.w + 2, y, "；".join(_dx_items(spec, rng, 0.3)), hand=hand, width=s.x1 - b.x - b.w - 3)
    y += 6
    s.page.line(s.x0, y, s.x1, y, 0.5)
    y += 9
    s.t(s.x0, y, "R", font="serif_bold", size=18)
    y += 6
    for name, strength, dose, freq, route in _drugs(rng):
        s.value(s.x0 + 8, y, f"{name} {strength} ×{rng.randrange(2, 9)}", hand=hand, width=s.width - 10)
        y += 6
        s.value(s.x0 + 14, y, f"Sig. {dose} {freq} {route}", hand=hand, size=s.size * 0.9, width=s.width - 16)
        y += 8
    y = max(y + 6, s.page.h - s.margin - 24)
    s.page.line(s.x0, y - 5, s.x1, y - 5, 0.4)
    b = s.t(s.x0, y, s.lab("医师"))
    s.physician(b.x + b.w + 1, y, "医师", max_w=30)
    s.t(s.x0 + s.width * 0.5, y, f"{s.lab('药品金额')}{rng.uniform(80, 700):.2f}")
    y += 9
    s.t(s.x0, y, f"{s.lab('审核')}        {s.lab('调配')}        {s.lab('核对')}        {s.lab('发药')}", size=s.size * 0.9)
    return s.built()
