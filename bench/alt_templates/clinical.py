"""Alternative clinical documents: diagnosis certificate, exam report, medical record, medication record."""

from __future__ import annotations

import random
from datetime import date, timedelta

from bench.alt_templates.kit import (
    PAPER,
    Look,
    address_line,
    barcode,
    blank_date,
    cells,
    clock,
    diagnosis_items,
    doctor_name,
    doctor_sign,
    fill,
    fit,
    fmt,
    fmt_dt,
    hospital_seal,
    ink_text,
    masthead,
    new_look,
    numbered,
    pairs_line,
    put,
    scan_picture,
    stacked,
    wrap,
)
from samples.generator import content
from samples.generator.canvas import MM_PER_PT, Box, Page, text_width
from samples.generator.documents import Built, DocContent
from samples.generator.layout import Marks

DEPT = {"HBP": "心血管内科", "DM": "内分泌代谢科", "CA": "肿瘤内科", "CKD": "肾病内科", "CHD": "心血管内科",
        "CHF": "心血管内科", "STK": "神经内科", "COPD": "呼吸与危重症医学科", "LC": "消化内科", "RA": "风湿免疫科",
        "SLE": "风湿免疫科", "PD": "神经内科", "EP": "神经内科", "HTH": "内分泌代谢科", "TX": "器官移植中心",
        "CVH": "感染性疾病科", "TB": "结核病科", "SCZ": "精神心理科", "BPD": "精神心理科", "AD": "神经内科",
        "MG": "神经内科", "AS": "风湿免疫科", "AA": "血液内科", "HEMO": "血液内科"}
NAME_LABELS = ("姓名", "患者姓名", "病人姓名", "姓 名")
SIGN_LABELS = ("医师签名", "医生签字", "经治医师", "主治医师（签章）", "接诊医师")
ADVICE = ("建议长期门诊药物治疗，定期随访。", "需长期规律服药，定期复查相关指标。", "病情需长期门诊治疗及随访观察。",
          "低盐低脂饮食，规律用药，监测病情变化。", "目前病情稳定，需继续药物维持治疗。")


def _dept(spec: DocContent, rng: random.Random) -> str:
    return DEPT.get(spec.disease_code or "", rng.choice(("内科", "老年医学科", "全科医学科")))


def _age(spec: DocContent) -> str:
    return f"{spec.person.age_on(spec.issue_date or spec.submitted_on)}岁"


def _serial(rng: random.Random, look: Look) -> str:
    r = rng.random()
    if r < 0.35:
        return f"No.{rng.randrange(10**6, 10**8)}"
    return f"{rng.choice(['编号', '门诊号', '病案号'])}{look.colon}{rng.randrange(10**6, 10**9)}"


def _lh(look: Look, k: float = 2.2) -> float:
    return look.size * MM_PER_PT * k


# -- diagnosis certificate ---------------------------------------------------------------------
CERT_TITLES = ("疾病诊断证明书", "诊断证明", "医学诊断证明书", "病情证明书")
DX_LABELS = ("诊断", "临床诊断", "诊断意见", "初步诊断", "疾病诊断", "诊断结论")
CERT_DATE_LABELS = ("出具日期", "签发日期", "开具日期", "日期", "", "")
CERT_NOTES = ("此证明仅证明病情，不作其他用途。", "本证明无医院印章无效，涂改无效。", "本证明书限本人使用，复印件无效。")


def _foot(page: Page, rng: random.Random, look: Look, spec: DocContent, marks: Marks, y: float, x0: float, x1: float,
          *, hospital_shown: bool, sign: bool = True, purposes: tuple = (None,), date_labels: tuple = ("",)) -> float:
    """Signature on the left; on the right the institution (落款), the date, and the seal over them."""
    if sign:
        box = put(page, look, x0, y, look.lab(rng.choice(SIGN_LABELS)))
        doctor_sign(page, rng, look, box.x + box.w + 2, y, marks)
    label = rng.choice(date_labels)
    d = spec.issue_date
    date_text = look.lab(label) + fmt(d, look.date_form) if d else (look.lab(label) if label else blank_date())
    lines = []
    if spec.hospital and (not hospital_shown or rng.random() < 0.5):
        lines.append(spec.hospital + ("（盖章）" if rng.random() < 0.2 else ""))
    lines.append(date_text)
    right = x1 - rng.uniform(0, 8)
    widest = max(text_width(t, look.body, look.size) for t in lines)
    yy = y + rng.uniform(12, 20)
    first_y = yy
    for t in lines:
        put(page, look, right - widest / 2, yy, t, align="center")
        yy += _lh(look, 2.6)
    if spec.sealed:
        hospital_seal(page, rng, spec, marks, right - widest / 2, (first_y + yy) / 2 - 6, rng.choice(purposes))
    return yy


def build_diagnosis_certificate(spec: DocContent, rng: random.Random) -> Built:
    """疾病诊断证明书 etc.: a sentence, a bordered grid, labels over values, or two fields a row."""
    marks = Marks([], [])
    look = new_look(rng)
    layout = rng.choice(["sentence", "cells", "stacked", "pairs"])
    page = Page(*PAPER[rng.choice(["A5", "B5", "16K", "A4"])])
    p, d = spec.person, spec.issue_date
    mode = rng.choice(["stack", "stack", "joined", "left", "title"])
    shown = mode != "title" and bool(spec.hospital)
    y = masthead(page, rng, look, spec.hospital if shown else None, rng.choice(CERT_TITLES), marks, mode)
    if shown and rng.random() < 0.25:
        y = address_line(page, rng, look, spec.region, y - 2) + 2
    x0, x1 = look.margin, page.w - look.margin
    width = x1 - x0
    if rng.random() < 0.5:
        put(page, look, x1, y, _serial(rng, look), size=look.size * 0.85, align="right")
        y += 6
    items = diagnosis_items(rng, spec, extra_p=0.3 if layout == "sentence" else 0.55)
    dept, age, advice = _dept(spec, rng), _age(spec), rng.choice(ADVICE)
    dx_label = rng.choice(DX_LABELS)
    purposes = ("诊断证明专用章", "医务部", "医务科", "疾病证明专用章", None)
    if layout == "sentence":
        dx = items[0] if len(items) == 1 else "；".join(numbered(items, rng))
        when = f"于{fmt(d, look.date_form)}" if d and rng.random() < 0.4 else ""
        idp = f"，身份证号{p.id_number}" if rng.random() < 0.5 else ""
        body = rng.choice([
            f"兹证明患者{p.name}，{p.sex}，{age}{idp}，{when}经我院{dept}诊断为：{dx}。{advice}特此证明。",
            f"患者{p.name}，{p.sex}，{age}{idp}，{when}在我院{dept}就诊，经检查确诊为{dx}。{advice}",
            f"{p.name}，{p.sex}，{age}{idp}。该患者在我院{dept}门诊长期随诊治疗，诊断：{dx}。{advice}特此证明。"])
        size = look.size + 0.5
        y = wrap(page, look, x0, y + 8, width, body, size=size, leading=2.1, indent=text_width("兹证", look.body, size))
        y = _foot(page, rng, look, spec, marks, max(y + 14, page.h * rng.uniform(0.55, 0.68)), x0, x1,
                  hospital_shown=shown, purposes=purposes, date_labels=("", "", "", "日期", "出具日期"))
    elif layout == "cells":
        h = rng.uniform(8.5, 11)
        lw = width * 0.15
        y = cells(page, rng, look, x0, y, h, [(rng.choice(NAME_LABELS), lw, "label"), (p.name, width * 0.22, "value"),
                                               ("性别", lw, "label"), (p.sex, width * 0.12, "value"),
                                               ("年龄", lw, "label"), (age, 0, "value")], total=width)
        y = cells(page, rng, look, x0, y, h, [("科别", lw, "label"), (dept, width * 0.35, "value"),
                                               (rng.choice(["门诊号", "就诊卡号"]), lw, "label"),
                                               (str(rng.randrange(10**7, 10**9)), width * 0.5 - 2 * lw + width * 0.15,
                                                "value")], total=width)
        if rng.random() < 0.6:
            y = cells(page, rng, look, x0, y, h, [(rng.choice(["身份证号", "证件号码"]), lw, "label"),
                                                   (p.id_number, 0, "value")], total=width)
        lines = numbered(items, rng) if len(items) > 1 or rng.random() < 0.3 else items
        box_h = max(h * 2, len(lines) * _lh(look, 2.1) + 6)
        cells(page, rng, look, x0, y, box_h, [(dx_label, lw, "label"), ("", 0, "value")], total=width)
        yy = y + 6 + look.size * MM_PER_PT
        for line in lines:
            yy = fill(page, rng, look, x0 + lw + 2, yy, line, width=width - lw - 4)
        y += box_h
        adv_label = rng.choice(["医嘱", "建议", "处理意见"])
        cells(page, rng, look, x0, y, h * 1.8, [(adv_label, lw, "label"), ("", 0, "value")], total=width)
        wrap(page, look, x0 + lw + 2, y + 5 + look.size * MM_PER_PT, width - lw - 4, advice)
        y += h * 1.8
        if rng.random() < 0.5:
            label = rng.choice(["出具日期", "签发日期", "开具日期", "日期"])
            cells(page, rng, look, x0, y, h * 1.3, [(rng.choice(SIGN_LABELS), lw * 1.3, "label"), ("", width * 0.3, "value"),
                                                     (label, lw, "label"), (fmt(d, look.date_form) if d else "",
                                                                            width * 0.7 - lw * 2.3, "value")], total=width)
            doctor_sign(page, rng, look, x0 + lw * 1.3 + 2, y + h * 0.9, marks)
            dcx = x0 + lw * 2.3 + width * 0.3 + (width * 0.7 - lw * 2.3) / 2
            y += h * 1.3
            if not shown and spec.hospital:
                put(page, look, x1, y + 9, spec.hospital, align="right")
            if spec.sealed:
                hospital_seal(page, rng, spec, marks, dcx, y - h * 0.6, rng.choice(purposes))
            y += 12
        else:
            y = _foot(page, rng, look, spec, marks, y + 12, x0, x1, hospital_shown=shown, purposes=purposes,
                      date_labels=CERT_DATE_LABELS)
    else:
        if layout == "stacked":
            labels = [rng.choice(NAME_LABELS), "性别", "年龄", rng.choice(["科室", "科别"]), "门诊号"]
            values = [p.name, p.sex, age, dept, str(rng.randrange(10**6, 10**8))]
            widths = [width * f for f in (0.2, 0.12, 0.14, 0.3, 0.24)]
            y = stacked(page, rng, look, x0, y, widths, labels, values, rng.uniform(8, 10)) + 7
            if rng.random() < 0.5:
                y = pairs_line(page, rng, look, y, x0, x1, [(rng.choice(["身份证号", "身份证号码"]), p.id_number)])
        else:
            und = rng.random() < 0.5
            y += 4
            y = pairs_line(page, rng, look, y, x0, x1, [(rng.choice(NAME_LABELS), p.name), ("性别", p.sex)], underline=und)
            y = pairs_line(page, rng, look, y, x0, x1, [("年龄", age), (rng.choice(["科别", "就诊科室"]), dept)],
                           underline=und)
            if rng.random() < 0.6:
                no = str(rng.randrange(10**6, 10**8))
                y = pairs_line(page, rng, look, y, x0, x1, [("身份证号", p.id_number), ("门诊号", no)], underline=und,
                               weights=[1.6, 1])
        y += 3
        if len(items) == 1 and rng.random() < 0.6:
            box = put(page, look, x0, y, look.lab(dx_label), font=look.bold if rng.random() < 0.4 else look.body)
            y = fill(page, rng, look, box.x + box.w + 1.5, y, items[0], width=x1 - box.x - box.w - 2) + 2
        else:
            put(page, look, x0, y, look.lab(dx_label), font=look.bold if rng.random() < 0.4 else look.body)
            y += _lh(look, 2.2)
            for line in numbered(items, rng):
                y = fill(page, rng, look, x0 + 8, y, line, width=width - 10)
            y += 2
        adv_label = rng.choice(["医嘱", "建议", "处理意见", "医生建议"])
        y = wrap(page, look, x0, y + 3, width, f"{look.lab(adv_label)}{advice}")
        y = _foot(page, rng, look, spec, marks, max(y + 12, page.h * rng.uniform(0.5, 0.66)), x0, x1,
                  hospital_shown=shown, purposes=purposes, date_labels=CERT_DATE_LABELS)
    if rng.random() < 0.6:
        put(page, look, x0, min(page.h - look.margin + 4, max(y + 10, page.h - look.margin)), rng.choice(CERT_NOTES),
            size=look.size * 0.8)
    return Built([page], marks)


# -- exam report --------------------------------------------------------------------------------
EXAM_TITLES = {"lab": ("检验报告单", "化验单", "临床检验报告单"),
               "ultrasound": ("超声诊断报告单", "超声检查报告", "医学影像诊断报告"),
               "ct": ("医学影像诊断报告", "CT检查诊断报告", "放射科诊断报告书"),
               "mri": ("医学影像诊断报告", "磁共振检查诊断报告"),
               "pathology": ("病理诊断报告", "病理检查报告书"), "ecg": ("心电图诊断报告", "心电图检查报告")}
EXAM_WORK = {  # kind: (part, what is seen, conclusion)
    "ct": (("胸部CT平扫",
            "双肺纹理增粗，右肺下叶见结节状高密度影，大小约1.8cm×1.5cm，边缘毛糙，可见分叶，纵隔淋巴结未见明显肿大。",
            "右肺下叶结节，建议进一步检查。"),
           ("上腹部CT平扫+增强", "肝脏形态失常，各叶比例失调，肝裂增宽，脾脏体积增大，腹腔少量积液。",
            "肝硬化，脾大，少量腹水。"),
           ("头颅CT平扫", "双侧侧脑室旁见斑片状低密度影，边界欠清，中线结构居中，脑沟增宽。",
            "双侧侧脑室旁缺血性改变，脑萎缩。")),
    "mri": (("头颅MRI平扫", "双侧半卵圆中心及侧脑室旁见多发点片状长T1长T2信号，FLAIR呈高信号，DWI未见弥散受限。",
             "脑白质多发缺血灶。"),
            ("头颅MRI平扫+DWI", "左侧基底节区见片状长T1长T2信号，FLAIR呈低信号，周围见胶质增生。", "左侧基底节区陈旧性梗死灶。")),
    "ultrasound": (("心脏彩色多普勒超声", "左心室壁增厚，舒张末期室间隔厚度约13mm，左室后壁厚度约12mm，各瓣膜形态未见明显异常。",
                    "左室壁肥厚，左室舒张功能减退。"),
                   ("肝胆胰脾彩超", "肝脏大小正常，包膜光整，实质回声增粗增强，血管纹理欠清晰。胆囊壁毛糙。",
                    "脂肪肝声像，胆囊壁毛糙。"),
                   ("双肾输尿管膀胱彩超", "双肾体积缩小，皮质回声增强，皮髓质分界欠清，集合系统未见分离。", "双肾弥漫性病变。")),
    "pathology": (("胃镜活检组织", "灰白色组织4块，直径0.2～0.3cm。镜下见异型腺体浸润性生长，细胞核大深染，核分裂象易见。",
                   "（胃窦）腺癌，中分化。"),
                  ("穿刺组织", "灰白色条索状组织2条，长0.8～1.2cm。镜下见癌细胞呈腺管状排列，核异型明显。",
                   "（穿刺组织）浸润性腺癌。")),
    "ecg": (("常规十二导联心电图", "窦性心律，心率72次/分，PR间期0.16s，QRS时限0.09s，V5导联R波振幅增高，ST-T未见明显改变。",
             "窦性心律，左心室高电压。"),),
}
SEEN_LABELS = {"pathology": ("肉眼所见及镜下所见", "病理所见"), "ecg": ("心电图所见", "测量结果")}
CONCL_LABELS = {"lab": (), "pathology": ("病理诊断", "诊断意见"), "ecg": ("心电图诊断", "诊断意见"),
                "ultrasound": ("超声提示", "诊断意见", "检查结论", "印象")}
EXAM_SEALS = {"lab": ("检验科专用章", "检验报告专用章"), "pathology": ("病理科专用章",), "ecg": ("心电图室专用章", "报告专用章"),
              "ultrasound": ("超声医学科专用章", "报告专用章"), "ct": ("医学影像科专用章", "放射科专用章"),
              "mri": ("医学影像科专用章", "放射科专用章")}
SIGNERS = {"lab": (("检验者", "检验医师"), ("审核者", "审核医师")), "pathology": (("诊断医师",), ("复核医师", "审核医师")),
           "ecg": (("报告医师", "诊断医师"), ("审核医师",))}
EXAM_NOTES = ("本报告仅对本次送检标本负责。", "此报告仅供临床参考，不作为诊断依据。",
              "如对结果有疑问，请于报告发出后七日内与本科室联系。", "电子报告与纸质报告具有同等效力。")


def _lab_rows(rng: random.Random, n: int) -> list[tuple[str, str, str, str, str]]:
    """(name, result, flag, unit, reference range) for ``n`` analytes of one panel."""
    _panel, items = rng.choice(content.LAB_PANELS)
    out = []
    arrows = rng.random() < 0.6
    for name, _abbr, unit, lo, hi in items[:n]:
        span = (hi - lo) or 1
        r = rng.random()
        if r < 0.22:
            val, flag = hi + span * rng.uniform(0.1, 0.7), "↑" if arrows else "H"
        elif r < 0.3 and lo > 0:
            val, flag = lo - span * rng.uniform(0.05, 0.25), "↓" if arrows else "L"
        else:
            val, flag = rng.uniform(lo, hi), ""
        out.append((name, f"{val:.2f}" if hi < 20 else f"{val:.0f}", flag, unit, f"{lo}～{hi}" if rng.random() < 0.5
                    else f"{lo}-{hi}"))
    return out


def _lab_table(page: Page, rng: random.Random, look: Look, x0: float, x1: float, y: float, bottom: float) -> float:
    size = look.size * 0.88
    row_h = rng.uniform(5.6, 6.8)
    halves = page.w > 160 and rng.random() < 0.5
    rows = _lab_rows(rng, 30)
    if halves:
        per = max(2, min(len(rows) // 2 + len(rows) % 2, int((bottom - y) // row_h) - 1))
        parts = [rows[:per], rows[per:2 * per]]
        span = (x1 - x0 - 4) / 2
        cols = [0.08, 0.34, 0.18, 0.08, 0.32]
        heads = ["No", "项目名称", "结果", "", "参考区间"]
    else:
        per = max(2, min(len(rows), int((bottom - y) // row_h) - 1))
        parts = [rows[:per]]
        span = x1 - x0
        cols = [0.07, 0.33, 0.15, 0.06, 0.15, 0.24]
        heads = ["序号", "检验项目", "结果", "", "单位", "参考区间"]
    page.line(x0, y, x1, y, 0.5)
    yy = y + row_h * 0.72
    for i, part in enumerate(parts):
        xs = [x0 + i * (span + 4)]
        for c in cols[:-1]:
            xs.append(xs[-1] + span * c)
        for x, head in zip(xs, heads, strict=True):
            put(page, look, x + 0.8, yy, head, size=size)
        for j, (name, val, flag, unit, ref) in enumerate(part, start=1):
            ry = yy + j * row_h
            vals = [str(j + i * per), name, val, flag, ref] if halves else [str(j), name, val, flag, unit, ref]
            if halves:
                vals[4] = f"{ref} {unit}"
            for x, v, c in zip(xs, vals, cols, strict=True):
                put(page, look, x + 0.8, ry, v, size=fit(v, look.body, size, span * c - 1))
    page.line(x0, y + row_h, x1, y + row_h, 0.25)
    end = y + row_h * (max(len(p) for p in parts) + 1) + 2
    page.line(x0, end, x1, end, 0.5)
    return end + 5


def _exam_patient(page: Page, rng: random.Random, look: Look, spec: DocContent, kind: str, y: float,
                  x0: float, x1: float) -> float:
    p = spec.person
    name_label = rng.choice(("姓名", "受检者", "患者姓名", "病人姓名")) if kind != "lab" else rng.choice(NAME_LABELS)
    no_label = {"lab": "样本号", "pathology": "病理号", "ecg": "检查号"}.get(kind, rng.choice(["检查号", "影像号"]))
    no = str(rng.randrange(10**6, 10**9))
    dept = rng.choice([_dept(spec, rng), "门诊"])
    clinic = rng.choice(["门诊号", "住院号", "ID号"])
    style = rng.choice(["line", "stacked", "cells"])
    width = x1 - x0
    if style == "stacked":
        labels = [name_label, "性别", "年龄", "科室", clinic, no_label]
        values = [p.name, p.sex, _age(spec), dept, str(rng.randrange(10**5, 10**8)), no]
        widths = [width * f for f in (0.17, 0.1, 0.11, 0.22, 0.2, 0.2)]
        return stacked(page, rng, look, x0, y, widths, labels, values, rng.uniform(7, 8.5)) + 7
    if style == "cells":
        h, lw = rng.uniform(7, 8.5), width * 0.12
        y = cells(page, rng, look, x0, y, h, [(name_label, lw, "label"), (p.name, width * 0.2, "value"),
                                               ("性别", lw, "label"), (p.sex, width * 0.1, "value"),
                                               ("年龄", lw, "label"), (_age(spec), 0, "value")], total=width)
        y = cells(page, rng, look, x0, y, h, [("科室", lw, "label"), (dept, width * 0.2, "value"),
                                               (clinic, lw, "label"),
                                               (str(rng.randrange(10**5, 10**8)), width * 0.1 + lw, "value"),
                                               (no_label, lw, "label"), (no, 0, "value")], total=width)
        return y + 7
    y += 2
    y = pairs_line(page, rng, look, y, x0, x1, [(name_label, p.name), ("性别", p.sex), ("年龄", _age(spec))])
    second = [("科室", dept), (no_label, no)]
    if kind == "lab":
        second.append(("标本类型", rng.choice(["血清", "全血", "静脉血"])))
    else:
        second.append((clinic, str(rng.randrange(10**5, 10**8))))
    y = pairs_line(page, rng, look, y, x0, x1, second)
    if spec.disease_name and rng.random() < 0.4:
        y = pairs_line(page, rng, look, y, x0, x1, [("送检医生", doctor_name(rng)), ("临床诊断", spec.disease_name)],
                       weights=[1, 2])
    page.line(x0, y - _lh(look, 1.1), x1, y - _lh(look, 1.1), 0.35)
    return y + 3


def _exam_body(page: Page, rng: random.Random, look: Look, kind: str, x0: float, x1: float, y: float) -> float:
    part, seen, concl = rng.choice(EXAM_WORK[kind])
    width = x1 - x0
    part_labels = {"pathology": ["送检标本", "取材部位"], "ecg": ["检查项目", "检查名称"]}
    put(page, look, x0, y, look.lab(rng.choice(part_labels.get(kind, ["检查部位", "检查项目", "检查名称"]))) + part)
    y += _lh(look, 2.4)
    if kind in ("ultrasound", "ecg", "ct", "mri") and rng.random() < 0.7:
        n = 1 if kind == "ecg" or rng.random() < 0.5 else 2
        iw = width * (0.9 if kind == "ecg" else 0.42 if n == 2 else 0.5)
        ih = iw * (0.3 if kind == "ecg" else 0.72)
        for i in range(n):
            page.image(Box(x0 + i * (iw + width * 0.06), y, iw, ih), scan_picture(rng, kind), multiply=False)
        y += ih + 6
    seen_label = rng.choice(SEEN_LABELS.get(kind, ("检查所见", "影像表现", "影像学表现", "超声所见" if kind == "ultrasound"
                                                   else "检查描述")))
    put(page, look, x0, y, look.lab(seen_label), font=look.bold)
    y = wrap(page, look, x0 + 6, y + _lh(look, 2.1), width - 6, seen, indent=text_width("双肺", look.body, look.size))
    concl_label = rng.choice(CONCL_LABELS.get(kind, ("诊断意见", "印象", "检查结论", "影像诊断")))
    put(page, look, x0, y + 3, look.lab(concl_label), font=look.bold)
    return wrap(page, look, x0 + 6, y + 3 + _lh(look, 2.1), width - 6, concl) + 4


def build_exam_report(spec: DocContent, rng: random.Random) -> Built:
    """检验报告单 / 化验单 / 医学影像诊断报告 / 超声 / 病理 / 心电图 reports."""
    marks = Marks([], [])
    kind = spec.exam_kind or "lab"
    look = new_look(rng, upper_ok=False)
    page = Page(*PAPER[rng.choice(["A4", "A4", "16K", "A5_land"] if kind == "lab" else ["A4", "16K", "B5"])])
    d = spec.issue_date
    mode = rng.choice(["stack", "stack", "joined", "left"])
    y = masthead(page, rng, look, spec.hospital, rng.choice(EXAM_TITLES[kind]), marks, mode, red_ok=True)
    x0, x1 = look.margin, page.w - look.margin
    y = _exam_patient(page, rng, look, spec, kind, y, x0, x1)
    foot_h = 30 if page.h < 200 else 40
    if kind == "lab":
        y = _lab_table(page, rng, look, x0, x1, y, page.h - foot_h - look.margin)
    else:
        y = _exam_body(page, rng, look, kind, x0, x1, y)
    # dates and signatures
    y = min(max(y + 4, page.h * rng.uniform(0.6, 0.74) if page.h > 200 else y + 4), page.h - foot_h - 2)
    report = clock(rng, d, 10, 18) if d else None
    earlier = report - timedelta(days=rng.choice((0, 0, 1, 2)) if kind == "pathology" else 0) if report else None
    if earlier and report:
        earlier = earlier.replace(hour=rng.randrange(7, report.hour), minute=rng.randrange(60))
    with_clock = rng.random() < 0.6
    form = look.date_form

    def when(dt) -> str:
        return (fmt_dt(dt, form) if with_clock else fmt(dt.date(), form)) if dt else ""

    first_label = {"lab": rng.choice(["采样时间", "采集时间"]), "pathology": rng.choice(["送检日期", "收到日期"])}.get(
        kind, rng.choice(["检查时间", "检查日期"]))
    rep_label = rng.choice(["报告日期", "报告时间", "审核时间"] if kind == "lab" else ["报告日期", "报告时间"])
    signer1, signer2 = SIGNERS.get(kind, (("报告医师", "报告医生", "诊断医师"), ("审核医师", "审核医生")))
    arrangement = rng.choice(["sig_then_dates", "dates_then_sig", "foot"])
    page.line(x0, y - 5, x1, y - 5, 0.3)
    seal_at = (x1 - 30, y + 4)
    if arrangement == "foot":
        box = put(page, look, x0 + (x1 - x0) * 0.55, y, look.lab(rng.choice(signer1)))
        doctor_sign(page, rng, look, box.x + box.w + 2, y, marks)
        y += 12
        shown = fmt(d, form) if d else blank_date()
        box = put(page, look, x1 - 8, y, shown, align="right")
        seal_at = (box.cx, box.cy - 4)
        y += 8
    else:
        rows = []
        date_pairs = []
        if d:
            if rng.random() < 0.6:
                date_pairs.append((first_label, when(earlier)))
            if kind == "lab" and rng.random() < 0.4:
                date_pairs.append(("接收时间", when(earlier)))
        date_pairs.append((rep_label, when(report)))
        rows = [("sig", None), ("dates", date_pairs)] if arrangement == "sig_then_dates" else [("dates", date_pairs),
                                                                                                ("sig", None)]
        for what, pairs in rows:
            if what == "sig":
                box = put(page, look, x0, y, look.lab(rng.choice(signer1)))
                doctor_sign(page, rng, look, box.x + box.w + 2, y, marks)
                box = put(page, look, x0 + (x1 - x0) * 0.5, y, look.lab(rng.choice(signer2)))
                doctor_sign(page, rng, look, box.x + box.w + 2, y, marks)
                y += 11
            else:
                slot = (x1 - x0) / max(2, len(pairs))
                for i, (label, val) in enumerate(pairs):
                    text = look.lab(label) + val
                    s = fit(text, look.body, look.size * 0.95, slot - 2)
                    box = put(page, look, x0 + i * slot if len(pairs) > 1 else x1 - slot, y, text, size=s)
                    if label == rep_label:
                        seal_at = (box.cx, box.cy - 4)
                y += 9
    if d and d <= spec.submitted_on and rng.random() < 0.15:
        printed = d + timedelta(days=rng.randrange(0, (spec.submitted_on - d).days + 1))
        put(page, look, x0, y, f"打印时间{look.colon}{fmt_dt(clock(rng, printed), form)}", size=look.size * 0.8)
        y += 6
    put(page, look, x0, page.h - look.margin + 3, rng.choice(EXAM_NOTES), size=look.size * 0.78)
    if spec.sealed and spec.hospital:
        hospital_seal(page, rng, spec, marks, seal_at[0], seal_at[1], rng.choice(EXAM_SEALS[kind]),
                      oval=rng.random() < 0.5)
    pages = [page]
    if spec.pages > 1:
        more = Page(page.w, page.h)
        yy = masthead(more, rng, look, spec.hospital, rng.choice(EXAM_TITLES[kind]) + "（续页）", marks, "stack")
        yy = pairs_line(more, rng, look, yy + 2, x0, x1, [(rng.choice(NAME_LABELS), spec.person.name),
                                                          ("性别", spec.person.sex), ("年龄", _age(spec))])
        if kind == "lab":
            _lab_table(more, rng, look, x0, x1, yy + 2, more.h - 40)
        else:
            _exam_body(more, rng, look, kind, x0, x1, yy + 4)
        put(more, look, more.w / 2, more.h - look.margin + 3, "第 2 页 / 共 2 页", size=look.size * 0.8, align="center")
        put(page, look, page.w - look.margin, page.h - look.margin + 3, "第 1 页 / 共 2 页", size=look.size * 0.8,
            align="right")
        pages.append(more)
    return Built(pages, marks)


# -- medical record ----------------------------------------------------------------------------
COMPLAINT = ("反复头晕、头痛5年余，加重1周。", "多饮、多尿、消瘦8年，双足麻木3月。", "反复咳嗽、气促10余年。",
             "活动后胸闷、气短2年。", "右侧肢体无力1年余。", "定期复诊取药。", "关节疼痛伴晨僵2年。")
REC_DX_LABELS = ("初步诊断", "诊断", "临床诊断", "门诊诊断")


def _record_sections(rng: random.Random, spec: DocContent) -> list[tuple[str, str]]:
    return [("主诉", rng.choice(COMPLAINT)),
            ("现病史", f"患者上述症状反复，曾在我院诊治，长期服药，近来病情{rng.choice(['尚稳定', '有所波动', '控制欠佳'])}。"),
            ("既往史", rng.choice(["否认肝炎、结核等传染病史，否认药物过敏史。", "否认手术及外伤史。", "有吸烟史20年。"])),
            (rng.choice(["体格检查", "查体"]), f"T 36.{rng.randrange(2, 8)}℃，P {rng.randrange(62, 96)}次/分，"
                                             f"BP {rng.randrange(118, 186)}/{rng.randrange(68, 108)}mmHg，神志清楚。"),
            ("辅助检查", rng.choice(["见检查报告。", "血常规、肝肾功能已查。", "暂无。"]))]


def build_medical_record(spec: DocContent, rng: random.Random) -> Built:
    """门（急）诊病历 / 门诊病历记录 (printed or handwritten booklet) or 出院小结."""
    d = spec.issue_date
    layout = rng.choice(["emr", "emr", "hand", "discharge"])
    if layout == "discharge" and d is None:
        layout = "emr"
    if layout == "discharge":
        return _discharge(spec, rng)
    marks = Marks([], [])
    look = new_look(rng)
    page = Page(*PAPER[rng.choice(["A4", "16K", "B5"] if layout == "emr" else ["A5", "B5"])])
    p = spec.person
    mode = rng.choice(["stack", "joined", "left"]) if layout == "emr" else "stack"
    y = masthead(page, rng, look, spec.hospital, rng.choice(["门（急）诊病历", "门诊病历记录"]), marks, mode)
    x0, x1 = look.margin, page.w - look.margin
    width = x1 - x0
    items = diagnosis_items(rng, spec)
    dx_label = rng.choice(REC_DX_LABELS)
    if layout == "hand":
        hand = Look(**{**look.__dict__, "hand": True})
        y = pairs_line(page, rng, hand, y + 2, x0, x1, [("姓名", p.name), ("性别", p.sex), ("年龄", _age(spec))],
                       underline=True)
        y = pairs_line(page, rng, hand, y, x0, x1, [("科别", _dept(spec, rng)), ("门诊号", str(rng.randrange(10**6, 10**8)))],
                       underline=True)
        page.line(x0, y - 2, x1, y - 2, 0.5)
        y += 4
        if d:
            y = ink_text(page, rng, hand, x0, y, fmt(d, rng.choice(["dot", "ymd_cn", "slash", "iso"])))
        text = [f"{k}：{v}" for k, v in _record_sections(rng, spec)[:4]]
        if len(items) == 1:
            text.append(f"{dx_label}：{items[0]}")
        else:
            text.append(f"{rng.choice(['诊断', '印象'])}：")
            text += numbered(items, rng)
        text.append(f"处理：{rng.choice(['继续原方案治疗', '调整用药，1月后复诊', '续开长期处方'])}")
        for line in text:
            y = ink_text(page, rng, hand, x0 + 2, y, line, width=width - 4)
        y += 4
        box = put(page, look, x1 - 45, y, look.lab(rng.choice(["医师签名", "医生签字"])))
        doctor_sign(page, rng, look, box.x + box.w + 1, y, marks, printed_ok=False)
    else:
        bracket = rng.random() < 0.4
        visit = rng.choice(["就诊日期", "就诊时间", "日期"])
        shown = (fmt_dt(clock(rng, d), look.date_form) if "时间" in visit else fmt(d, look.date_form)) if d else ""
        if rng.random() < 0.5:
            y = pairs_line(page, rng, look, y + 2, x0, x1, [(rng.choice(NAME_LABELS), p.name), ("性别", p.sex),
                                                            ("年龄", _age(spec))])
            y = pairs_line(page, rng, look, y, x0, x1, [("科别", _dept(spec, rng)), (visit, shown)])
        else:
            lw = width * 0.12
            h = rng.uniform(7.5, 9)
            y = cells(page, rng, look, x0, y, h, [(rng.choice(NAME_LABELS), lw, "label"), (p.name, width * 0.2, "value"),
                                                   ("性别", lw, "label"), (p.sex, width * 0.1, "value"),
                                                   ("年龄", lw, "label"), (_age(spec), 0, "value")], total=width)
            y = cells(page, rng, look, x0, y, h, [("科别", lw, "label"), (_dept(spec, rng), width * 0.3, "value"),
                                                   (visit, lw, "label"), (shown, 0, "value")], total=width) + 7
        for label, text in _record_sections(rng, spec):
            lab = f"【{label}】" if bracket else look.lab(label)
            box = put(page, look, x0, y, lab, font=look.bold if bracket else look.body)
            y = wrap(page, look, box.x + box.w + 1, y, x1 - box.x - box.w - 1, text) + 1
        lab = f"【{dx_label}】" if bracket else look.lab(dx_label)
        box = put(page, look, x0, y, lab, font=look.bold if bracket else look.body)
        if len(items) == 1:
            y = wrap(page, look, box.x + box.w + 1, y, x1 - box.x - box.w - 1, items[0]) + 1
        else:
            y += _lh(look, 2.0)
            for line in numbered(items, rng):
                y = wrap(page, look, x0 + 8, y, width - 8, line)
            y += 1
        lab = f"【{rng.choice(['处理', '处置'])}】" if bracket else look.lab(rng.choice(["处理", "处置", "治疗意见"]))
        box = put(page, look, x0, y, lab, font=look.bold if bracket else look.body)
        y = wrap(page, look, box.x + box.w + 1, y, x1 - box.x - box.w - 1,
                 rng.choice(["继续目前降压治疗，定期监测。", "药物治疗，1月后门诊复诊。", "续开长期处方，不适随诊。"]))
        y += 8
        box = put(page, look, x1 - 50, y, look.lab(rng.choice(["医师签名", "医生签字", "接诊医师"])))
        doctor_sign(page, rng, look, box.x + box.w + 1, y, marks)
    if spec.sealed and spec.hospital and rng.random() < 0.6:
        hospital_seal(page, rng, spec, marks, x1 - 25, y + 6, rng.choice(["门诊部", "门诊专用章", None]))
    return Built([page], marks)


def _discharge(spec: DocContent, rng: random.Random) -> Built:
    """出院小结: admission and discharge dates (the discharge date is the document's date)."""
    marks = Marks([], [])
    look = new_look(rng)
    page = Page(*PAPER[rng.choice(["A4", "16K"])])
    p, d = spec.person, spec.issue_date
    assert d is not None
    y = masthead(page, rng, look, spec.hospital, "出院小结", marks, rng.choice(["stack", "joined"]))
    x0, x1 = look.margin, page.w - look.margin
    width = x1 - x0
    stay = rng.randrange(6, 18)
    admitted: date = d - timedelta(days=stay)
    h, lw = rng.uniform(7.5, 9), width * 0.13
    y = cells(page, rng, look, x0, y, h, [(rng.choice(NAME_LABELS), lw, "label"), (p.name, width * 0.2, "value"),
                                           ("性别", lw, "label"), (p.sex, width * 0.1, "value"),
                                           ("年龄", lw, "label"), (_age(spec), 0, "value")], total=width)
    y = cells(page, rng, look, x0, y, h, [("科室", lw, "label"), (_dept(spec, rng), width * 0.2, "value"),
                                           ("住院号", lw, "label"), (str(rng.randrange(10**5, 10**7)), width * 0.1 + lw, "value"),
                                           ("床号", lw, "label"), (str(rng.randrange(1, 60)), 0, "value")], total=width)
    y = cells(page, rng, look, x0, y, h, [("入院日期", lw, "label"), (fmt(admitted, look.date_form), width * 0.2, "value"),
                                           ("出院日期", lw, "label"), (fmt(d, look.date_form), width * 0.1 + lw, "value"),
                                           ("住院天数", lw, "label"), (f"{stay}天", 0, "value")], total=width) + 7
    items = diagnosis_items(rng, spec)
    sections = [("入院情况", f"因“{rng.choice(COMPLAINT).rstrip('。')}”入院。"), ("入院诊断", "；".join(items)),
                ("诊疗经过", "入院后完善相关检查，予药物治疗，病情好转。"), ("出院诊断", None),
                ("出院情况", "一般情况可，生命体征平稳。"), ("出院医嘱", "按时服药，门诊定期复查，不适随诊。")]
    for label, text in sections:
        box = put(page, look, x0, y, look.lab(label), font=look.bold)
        if text is None:
            y += _lh(look, 2.0)
            for line in numbered(items, rng):
                y = wrap(page, look, x0 + 8, y, width - 8, line)
        else:
            y = wrap(page, look, box.x + box.w + 1, y, x1 - box.x - box.w - 1, text)
        y += 2
    y += 8
    box = put(page, look, x0, y, look.lab("主治医师"))
    doctor_sign(page, rng, look, box.x + box.w + 2, y, marks)
    box = put(page, look, x0 + width * 0.45, y, look.lab("住院医师"))
    doctor_sign(page, rng, look, box.x + box.w + 2, y, marks)
    y += 12
    box = put(page, look, x1 - 6, y, fmt(d, look.date_form), align="right")
    if spec.sealed and spec.hospital and rng.random() < 0.7:
        hospital_seal(page, rng, spec, marks, box.cx, box.cy - 4, rng.choice(["病案管理专用章", "医务科", None]))
    return Built([page], marks)


# -- medication record ---------------------------------------------------------------------------
def build_medication_record(spec: DocContent, rng: random.Random) -> Built:
    """处方笺 / 门诊处方 / 用药清单."""
    marks = Marks([], [])
    layout = rng.choice(["rx", "rx", "list", "eprint"])
    look = new_look(rng, hand=layout == "rx" and rng.random() < 0.3)
    if layout == "rx":
        look.size = min(look.size, 10.0)
    page = Page(*PAPER["RX" if layout == "rx" else rng.choice(["A4", "A5", "B5"])])
    p, d = spec.person, spec.issue_date
    title = {"rx": rng.choice(["处方笺", "门诊处方"]), "list": "用药清单", "eprint": "门诊处方"}[layout]
    y = masthead(page, rng, look, spec.hospital, title, marks, rng.choice(["stack", "joined"]))
    x0, x1 = look.margin * 0.8, page.w - look.margin * 0.8
    width = x1 - x0
    if layout != "list":
        tag = rng.choice(["普通", "慢病", "医保", "长期处方"])
        page.rect(Box(x1 - 20, look.margin * 0.5, 19, 8), 0.35)
        put(page, look, x1 - 10.5, look.margin * 0.5 + 5.6, tag, size=9, align="center")
    if layout == "eprint":
        barcode(page, rng, x1 - 40, y - 2, 38, 6)
        y += 13
    date_top = rng.random() < 0.6
    date_label = rng.choice(["开具日期", "日期", "处方日期"])
    dx = "；".join(diagnosis_items(rng, spec, extra_p=0.4))
    plain = Look(**{**look.__dict__, "hand": False})
    y = pairs_line(page, rng, plain, y, x0, x1, [("费别", rng.choice(["医保", "职工医保", "居民医保", "门诊慢特病"])),
                                                 ("NO", str(rng.randrange(10**7, 10**9)))])
    y = pairs_line(page, rng, look, y, x0, x1, [(rng.choice(NAME_LABELS), p.name), ("性别", p.sex), ("年龄", _age(spec))],
                   underline=layout == "rx")
    y = pairs_line(page, rng, look, y, x0, x1, [("科别", _dept(spec, rng)), ("门诊号", str(rng.randrange(10**6, 10**8)))],
                   underline=layout == "rx")
    box = put(page, look, x0, y, look.lab(rng.choice(["临床诊断", "诊断"])))
    y = fill(page, rng, look, box.x + box.w + 1, y, dx, width=x1 - box.x - box.w - 2)
    if date_top:
        y = pairs_line(page, rng, look, y, x0, x1, [(date_label, fmt(d, look.date_form))], underline=layout == "rx")
    page.line(x0, y - 2, x1, y - 2, 0.4)
    drugs = rng.sample(content.DRUGS, rng.randrange(2, 5))
    y += 4
    if layout == "list":
        cols = [0.08, 0.36, 0.18, 0.28, 0.1]
        rows = [("序号", "药品名称", "规格", "用法用量", "数量")]
        rows += [(str(i), n, s, u, f"{rng.randrange(1, 6)}盒") for i, (n, s, u) in enumerate(drugs, start=1)]
        for r, row in enumerate(rows):
            y = cells(page, rng, look, x0, y, 8, [(t, width * c, "head" if r == 0 else "value") for t, c in
                                                  zip(row, cols, strict=True)], size=look.size * 0.88, total=width)
        y += 8
    else:
        put(page, look, x0, y + 3, "Rp", size=16, font="serif_bold")
        y += 11
        for name, strength, usage in drugs:
            y = fill(page, rng, look, x0 + 8, y, f"{name}  {strength}  ×{rng.randrange(1, 6)}", width=width - 10)
            y = fill(page, rng, look, x0 + 14, y, f"Sig：{usage}", size=look.size * 0.9, width=width - 16) + 1
    y = max(y + 6, page.h * (0.72 if layout == "rx" else 0.6))
    box = put(page, look, x0, y, look.lab(rng.choice(["医师", "处方医师", "开具医师"])))
    if layout == "eprint":
        put(page, look, box.x + box.w + 1, y, f"{doctor_name(rng)}（电子签名）")
    else:
        doctor_sign(page, rng, look, box.x + box.w + 2, y, marks)
    if not date_top:
        box = put(page, look, x0 + width * 0.5, y, look.lab(date_label) + fmt(d, look.date_form))
    y += 9
    put(page, plain, x0, y, f"{look.lab('金额')}{rng.uniform(40, 800):.2f}元    {look.lab('审核药师')}       "
        f"{look.lab('调配')}       {look.lab('发药')}", size=look.size * 0.88)
    if spec.sealed and spec.hospital and layout != "rx" and rng.random() < 0.6:
        hospital_seal(page, rng, spec, marks, x1 - 28, y - 6, rng.choice(["门诊专用章", "处方专用章", None]))
    return Built([page], marks)
