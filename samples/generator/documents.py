"""Document builders: one function per material type, each drawing one or more :class:`Page` objects.

Builders draw what a real document of that type shows (several layouts, label
wordings and paper sizes each) and report the ink they used (seals, red
non-seal print) so the ground truth follows what was drawn. Capture (scan,
photo, PDF) is left to ``capture.py``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np
from PIL import Image

from samples.generator import content, stamps
from samples.generator.canvas import BLACK, Box, Page, render_raster, text_width
from samples.generator.dates import add_months, at_time, format_date, format_datetime, pick_style
from samples.generator.layout import (
    PAPER_SIZES,
    Marks,
    Style,
    draw_style,
    header,
    kv_row,
    paragraph,
    place_seal,
    table,
    value,
)
from samples.generator.people import Person, make_name

REGION_ZH = {"linfen": "临汾市", "fangchenggang": "防城港市"}
POLICE = {"linfen": ("临汾市公安局尧都分局", "临汾市公安局", "洪洞县公安局", "侯马市公安局"),
          "fangchenggang": ("防城港市公安局港口分局", "防城港市公安局防城分局", "东兴市公安局")}
AGENCY = {"linfen": "临汾市医疗保障服务中心", "fangchenggang": "防城港市医疗保障事务中心"}
COMMUNITY = ("解放路街道西关社区居民委员会", "鼓楼街道南关社区居民委员会", "渔洲坪街道北港社区居民委员会",
             "大槐树镇东关村民委员会")


@dataclass
class DocContent:
    """What one uploaded document says (the scenario fills it; builders draw it)."""

    content: str
    person: Person
    region: str
    submitted_on: date
    issue_date: date | None = None
    hospital: str | None = None
    disease_code: str | None = None
    disease_name: str | None = None
    diagnosis: str | None = None
    stage: str | None = None
    exam_kind: str | None = None
    sealed: bool = True
    signed: bool = True
    agent: Person | None = None
    kind: str = "new"
    valid_until: date | None = None
    pages: int = 1
    variant: str | None = None
    blue_seal: bool = False


@dataclass
class Built:
    pages: list[Page]
    marks: Marks
    card: bool = False  # pages are card-sized (ID card, social-security card, residence permit)
    texts: list[str] = field(default_factory=list)


# -- small helpers ------------------------------------------------------------
def _doctor(rng: random.Random) -> str:
    return make_name(rng, rng.random() < 0.5)


def _ds(d: date | None, style: Style) -> str:
    return format_date(d, style.date_style) if d else ""


def _hospital_seal(rng: random.Random, page: Page, hospital: str, purpose: str | None, cx: float, cy: float,
                   marks: Marks, blue: bool = False) -> None:
    colour = rng.choice(stamps.SEAL_BLUES) if blue else None
    img, d = stamps.round_seal(rng, hospital, purpose, colour=colour)
    place_seal(page, img, d, d, cx + rng.uniform(-6, 6), cy + rng.uniform(-5, 5))
    marks.seals.append("hospital_round")


def _oval_seal(rng: random.Random, page: Page, hospital: str, purpose: str, cx: float, cy: float, marks: Marks,
               blue: bool = False) -> None:
    colour = rng.choice(stamps.SEAL_BLUES) if blue else None
    img, w, h = stamps.oval_seal(rng, hospital, purpose, colour=colour)
    place_seal(page, img, w, h, cx + rng.uniform(-5, 5), cy + rng.uniform(-4, 4))
    marks.seals.append("hospital_oval")


def _signature(rng: random.Random, page: Page, style: Style, x: float, y: float, name: str, marks: Marks,
               allow_name_seal: bool = True) -> None:
    """A doctor's signature after a label: handwritten strokes, a printed name, or a square name seal."""
    r = rng.random()
    if allow_name_seal and r < 0.25:
        img, s = stamps.name_seal(rng, name)
        page.image(Box(x, y - s * 0.75, s, s), img)
        marks.add_red("name_seal")
    elif r < 0.4:
        page.text(x, y, name, style.body, style.size)
    else:
        img, w, h = stamps.signature(rng, name)
        page.image(Box(x, y - h * 0.75, w, h), img)


def _age(person: Person, d: date) -> str:
    return f"{person.age_on(d)}岁" if d else ""


def _sex_age_pairs(rng: random.Random, person: Person, d: date) -> list[tuple[str, str]]:
    pairs = [(rng.choice(["姓名", "患者姓名", "姓 名"]), person.name), ("性别", person.sex), ("年龄", _age(person, d))]
    return pairs


def _scan_image(rng: random.Random, kind: str, w: int = 320, h: int = 240) -> Image.Image:
    """A grey medical image placeholder (CT slice, ultrasound fan or ECG trace)."""
    nrng = np.random.default_rng(rng.randrange(2**32))
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    if kind == "ultrasound":
        ang = np.arctan2(xx - w / 2, yy + 10)
        rr = np.hypot(xx - w / 2, yy + 10)
        fan = (np.abs(ang) < 0.6) & (rr < h * 0.95)
        arr = np.where(fan, 60 + 90 * nrng.random((h, w)) * np.exp(-rr / h), 5)
    elif kind == "ecg":
        arr = np.full((h, w), 250.0)
        arr[(yy.astype(int) % 12 == 0) | (xx.astype(int) % 12 == 0)] = 215
        trace = (h / 2 + 6 * np.sin(xx[0] / 7) + 40 * (np.mod(xx[0], 64) < 3) * np.sin(xx[0])).astype(int)
        for x in range(w):
            arr[max(0, min(h - 1, trace[x])) - 1: max(0, min(h - 1, trace[x])) + 1, x] = 30
    else:
        body = ((xx - w / 2) / (w * 0.42)) ** 2 + ((yy - h / 2) / (h * 0.4)) ** 2 < 1
        organ = ((xx - w * 0.4) / (w * 0.12)) ** 2 + ((yy - h * 0.5) / (h * 0.18)) ** 2 < 1
        arr = np.where(body, 110 + 30 * nrng.random((h, w)), 8) + np.where(organ, 60, 0)
    arr = np.clip(arr, 0, 255).astype(np.uint8)
    rgb = np.stack([arr, arr, arr, np.full_like(arr, 255)], axis=-1)
    return Image.fromarray(rgb, "RGBA")


# -- cards --------------------------------------------------------------------
def _card_base(rng: random.Random, tint: tuple[int, int, int]) -> Page:
    page = Page(85.6, 54.0, paper=tint)
    for i in range(6):
        y = 6 + i * 8 + rng.uniform(-2, 2)
        c = tuple(max(0, v - rng.randrange(10, 25)) for v in tint)
        page.line(0, y, 85.6, y + rng.uniform(-6, 6), 0.3, c)  # type: ignore[arg-type]
    return page


def _photo(page: Page, x: float, y: float) -> None:
    page.rect(Box(x, y, 22, 27), 0, None, (225, 228, 232))
    page.ellipse(Box(x + 6.5, y + 4, 9, 11), 0, None, (120, 110, 105))
    page.ellipse(Box(x + 2, y + 15, 18, 16), 0, None, (60, 65, 80))


def id_front(rng: random.Random, person: Person, id_number: str) -> Page:
    page = _card_base(rng, (242, 244, 236))
    lab = (60, 110, 170)
    f = rng.choice(["sans", "serif"])
    page.text(5, 9, "姓 名", f, 7, lab)
    page.text(16, 9, person.name, f, 9)
    page.text(5, 16, "性 别", f, 7, lab)
    page.text(16, 16, person.sex, f, 8)
    page.text(28, 16, "民 族", f, 7, lab)
    page.text(39, 16, person.ethnicity, f, 8)
    page.text(5, 23, "出 生", f, 7, lab)
    page.text(16, 23, f"{person.birth.year}  年  {person.birth.month}  月  {person.birth.day}  日", f, 8)
    page.text(5, 30, "住 址", f, 7, lab)
    addr = person.address
    page.text(16, 30, addr[:13], f, 8)
    if len(addr) > 13:
        page.text(16, 35, addr[13:26], f, 8)
    page.text(5, 47, "公民身份号码", f, 7, lab)
    page.text(27, 47.5, id_number, "sans", 10)
    _photo(page, 59, 7)
    return page


def id_back(rng: random.Random, person: Person, region: str, issued: date, marks: Marks) -> Page:
    page = _card_base(rng, (240, 243, 238))
    img, d = stamps.national_emblem(rng)
    page.image(Box(6, 5, d, d), img, multiply=False)
    marks.add_red("emblem")
    page.text(50, 12, "中华人民共和国", "serif_bold", 9, BLACK, "center")
    page.text(50, 23, "居 民 身 份 证", "serif_bold", 13, BLACK, "center")
    lab = (60, 110, 170)
    page.text(12, 40, "签发机关", "sans", 7, lab)
    page.text(28, 40, rng.choice(POLICE[region]), "sans", 8)
    page.text(12, 47, "有效期限", "sans", 7, lab)
    end = f"{issued.year + 20}.{issued.month:02d}.{issued.day:02d}" if person.age_on(issued) < 46 else "长期"
    page.text(28, 47, f"{issued:%Y.%m.%d}-{end}", "sans", 8)
    return page


def social_card(rng: random.Random, person: Person, id_number: str, issued: date) -> Page:
    page = _card_base(rng, (226, 236, 248))
    page.rect(Box(0, 0, 85.6, 11), 0, None, (40, 90, 160))
    page.text(42.8, 7.5, "中华人民共和国社会保障卡", "sans_bold", 9, (255, 255, 255), "center")
    f = rng.choice(["sans", "serif"])
    page.text(6, 20, "姓名", f, 7)
    page.text(20, 20, person.name, f, 9)
    page.text(6, 28, "社会保障号码", f, 7)
    page.text(6, 34, id_number, "sans", 9)
    page.text(6, 42, "社会保障卡号", f, 7)
    page.text(26, 42, "".join(str(rng.randrange(10)) for _ in range(9)).upper(), "sans", 8)
    page.text(6, 49, "发卡日期", f, 7)
    page.text(22, 49, f"{issued.year}年{issued.month:02d}月", f, 8)
    _photo(page, 60, 16)
    return page


def residence_card(rng: random.Random, person: Person, region: str, issued: date) -> Page:
    page = _card_base(rng, (236, 240, 246))
    page.text(42.8, 8, f"{'山西省' if region == 'linfen' else '广西壮族自治区'}居住证", "serif_bold", 10, BLACK, "center")
    f = rng.choice(["sans", "serif"])
    page.text(5, 16, "姓名", f, 7)
    page.text(16, 16, person.name, f, 8.5)
    page.text(5, 22, "性别", f, 7)
    page.text(16, 22, person.sex, f, 8)
    page.text(5, 28, "居住地址", f, 7)
    page.text(18, 28, f"{REGION_ZH[region]}{rng.choice(['尧都区', '港口区', '防城区'])}{rng.randrange(1, 99)}号", f, 7.5)
    page.text(5, 35, "公民身份号码", f, 7)
    page.text(24, 35, person.id_number, "sans", 8)
    page.text(5, 42, "签发机关", f, 7)
    page.text(18, 42, rng.choice(POLICE[region]), f, 7)
    page.text(5, 49, "有效期限", f, 7)
    page.text(18, 49, f"{issued:%Y.%m.%d}-{issued.year + 1}.{issued.month:02d}.{issued.day:02d}", f, 7.5)
    _photo(page, 60, 12)
    return page


def _cards_on_a4(rng: random.Random, cards: list[Page], marks: Marks) -> Page:
    """Both sides of a card photocopied on one A4 sheet, as windows ask for."""
    page = Page(*PAPER_SIZES["A4"])
    y = rng.uniform(35, 60)
    x = rng.uniform(45, 75)
    for card in cards:
        img = render_raster(card, 300).convert("RGBA")
        page.image(Box(x + rng.uniform(-4, 4), y, card.w * 1.0, card.h * 1.0), img)
        y += card.h + rng.uniform(25, 50)
    if rng.random() < 0.4:
        style = draw_style(rng, "ymd_cn", red_ok=False)
        page.text(x, y + 10, rng.choice(["与原件一致", "此复印件仅供门诊慢特病申请使用", "复印件与原件相符"]), style.body, 11)
    return page


def build_id_card(spec: DocContent, rng: random.Random) -> Built:
    """身份证 / 社会保障卡: a card photographed alone, or front and back copied on A4."""
    marks = Marks([], [])
    person = spec.person
    issued = add_months(person.birth, 12 * max(16, min(person.age_on(spec.submitted_on) - rng.randrange(1, 15), 60)))
    if issued > spec.submitted_on:
        issued = spec.submitted_on - timedelta(days=400)
    variant = spec.variant or rng.choice(["front", "front_back_a4", "front_back_a4", "social", "front_back"])
    if variant == "social":
        return Built([social_card(rng, person, person.id_number, issued)], marks, card=True)
    front = id_front(rng, person, person.id_number)
    back = id_back(rng, person, spec.region, issued, marks)
    if variant == "front":
        return Built([front], marks, card=True)
    if variant == "front_back":
        return Built([front, back], marks, card=True)
    return Built([_cards_on_a4(rng, [front, back], marks)], marks)


def build_residence_permit(spec: DocContent, rng: random.Random) -> Built:
    """居住证: card photographed or copied on A4."""
    marks = Marks([], [])
    issued = spec.submitted_on - timedelta(days=rng.randrange(30, 300))
    card = residence_card(rng, spec.person, spec.region, issued)
    if rng.random() < 0.5:
        return Built([card], marks, card=True)
    return Built([_cards_on_a4(rng, [card], marks)], marks)


# -- diagnosis certificate -----------------------------------------------------
def build_diagnosis_certificate(spec: DocContent, rng: random.Random) -> Built:
    """诊断证明书 in one of three layouts (classic, grid, e-printed), A4 / A5 / 16K."""
    marks = Marks([], [])
    layout = spec.variant or rng.choice(["classic", "grid", "eprint"])
    paper = rng.choice(["A5", "16K", "A4"]) if layout != "eprint" else rng.choice(["A4", "A5"])
    page = Page(*PAPER_SIZES[paper])
    style = draw_style(rng, pick_style(rng))
    p = spec.person
    d = spec.issue_date
    title = rng.choice(["诊断证明书", "疾病诊断证明书", "诊断证明", "医疗诊断证明书", "门诊诊断证明书"])
    y = header(page, rng, style, spec.hospital, title, marks)
    dept = content.DEPT_BY_DISEASE.get(spec.disease_code or "", rng.choice(content.DEPARTMENTS))
    doctor = _doctor(rng)
    if rng.random() < 0.6:
        no = f"No.{rng.randrange(10**6, 10**7)}" if rng.random() < 0.5 else f"门诊号{style.colon}{rng.randrange(10**7, 10**8)}"
        page.text(page.w - style.margin, y - 1, no, style.body, style.size * 0.85, BLACK, "right")
        y += 5
    x0, x1 = style.margin, page.w - style.margin
    diag = spec.diagnosis or ""
    if spec.disease_code and rng.random() < 0.3:
        diag = f"{diag}（{content.ICD_HINT.get(spec.disease_code, 'R69')}）"
    diag_label = rng.choice(["诊断", "临床诊断", "诊断意见", "疾病诊断", "诊 断"])
    advice = rng.choice(content.ADVICE)
    if layout == "grid":
        widths = [(x1 - x0) * f for f in (0.16, 0.34, 0.16, 0.34)]
        rows = [["姓名", p.name, "性别", p.sex], ["年龄", _age(p, d or spec.submitted_on), "科别", dept],
                ["身份证号", p.id_number, "门诊号", str(rng.randrange(10**7, 10**8))]]
        y = table(page, style, x0, y, widths, rows, 9, header_rows=0)
        page.text(x0 + 1, y + 8, diag_label + style.colon, style.body, style.size)
        y = paragraph(page, style, x0 + 4, y + 16, x1 - x0 - 8, diag, style.size * 1.05)
        page.rect(Box(x0, y - 24, x1 - x0, 40), 0.25)
        y = paragraph(page, style, x0 + 1, y + 8, x1 - x0, f"{rng.choice(['医嘱', '建议', '处理意见'])}{style.colon}{advice}")
    else:
        y = kv_row(page, rng, style, y + 4, _sex_age_pairs(rng, p, d or spec.submitted_on))
        if layout == "eprint" or rng.random() < 0.5:
            y = kv_row(page, rng, style, y, [("科室" if rng.random() < 0.5 else "科别", dept),
                                              (rng.choice(["身份证号", "证件号码"]), p.id_number)])
        y += 4
        page.text(x0, y, diag_label + style.colon, style.body, style.size * 1.05)
        y = paragraph(page, style, x0 + text_width(diag_label + "：", style.body, style.size * 1.05) + 2, y,
                      x1 - x0 - 25, diag, style.size * 1.05)
        y += rng.uniform(4, 14)
        y = paragraph(page, style, x0, y, x1 - x0, f"{rng.choice(['医嘱', '建议', '处理意见'])}{style.colon}{advice}")
    # signature and date block
    y = max(y + rng.uniform(10, 25), page.h * rng.uniform(0.55, 0.7))
    page.text(x0, y, rng.choice(["医师签名", "医师", "经治医师", "主治医师"]) + style.colon, style.body, style.size)
    _signature(rng, page, style, x0 + 22, y, doctor, marks)
    date_label = rng.choice(["", "", "开具日期", "诊断日期", "日期"])
    date_text = (date_label + style.colon if date_label else "") + _ds(d, style)
    dx = x1 - text_width(date_text, style.body, style.size) - rng.uniform(0, 10)
    date_y = y + rng.uniform(10, 18)
    if d is None and date_label:
        page.text(dx, date_y, date_label + style.colon, style.body, style.size)
    else:
        page.text(dx, date_y, date_text, style.body, style.size)
    if spec.hospital and rng.random() < 0.5:
        page.text(dx, date_y - 8, spec.hospital, style.body, style.size, BLACK)
    if spec.sealed and spec.hospital:
        purpose = rng.choice(["诊断证明专用章", "门诊专用章", "医疗证明专用章", None])
        _hospital_seal(rng, page, spec.hospital, purpose, dx + text_width(date_text, style.body, style.size) / 2,
                       date_y - 4, marks, spec.blue_seal)
    if rng.random() < 0.6:
        foot = rng.choice(["注：本证明需加盖医院诊断证明专用章方有效，涂改无效。", "本证明仅供医保门诊慢特病申请使用。",
                           "此证明书限当次使用，复印无效。"])
        page.text(x0, page.h - style.margin, foot, style.body, style.size * 0.8)
    return Built([page], marks)


# -- exam reports ----------------------------------------------------------------
def build_exam_report(spec: DocContent, rng: random.Random) -> Built:
    """检查 / 检验 / 病理 / 影像报告: header, patient grid, findings or a lab table, times, signatures."""
    marks = Marks([], [])
    kind = spec.exam_kind or "lab"
    paper = rng.choice(["A4", "A4", "16K", "half_A4"]) if kind == "lab" else rng.choice(["A4", "A4", "16K"])
    page = Page(*PAPER_SIZES[paper])
    style = draw_style(rng, pick_style(rng, allow_upper=False))
    p = spec.person
    d = spec.issue_date
    y = header(page, rng, style, spec.hospital, rng.choice(content.EXAM_TITLES[kind]), marks)
    x0, x1 = style.margin, page.w - style.margin
    dept = content.DEPT_BY_DISEASE.get(spec.disease_code or "", rng.choice(content.DEPARTMENTS))
    ref = d or spec.submitted_on
    no_label = {"lab": "标本号", "pathology": "病理号"}.get(kind, rng.choice(["检查号", "影像号", "登记号"]))
    y = kv_row(page, rng, style, y, _sex_age_pairs(rng, p, ref), x0, x1)
    y = kv_row(page, rng, style, y, [("科别" if rng.random() < 0.5 else "送检科室", dept),
                                      (no_label, str(rng.randrange(10**6, 10**9))),
                                      (rng.choice(["门诊号", "住院号", "病历号"]), str(rng.randrange(10**5, 10**8)))], x0, x1)
    sample_dt = at_time(rng, ref - timedelta(days=rng.choice([0, 0, 0, 1, 2])), 7, 11) if d else None
    report_dt = at_time(rng, ref, 11, 18) if d else None
    dt_style = style.date_style if style.date_style != "cn_upper" else "iso"
    if d and rng.random() < 0.6:
        lab_s = {"lab": rng.choice(["采样时间", "采集时间", "采样日期"]), "pathology": "送检日期"}.get(kind, "检查日期")
        y = kv_row(page, rng, style, y, [(lab_s, format_datetime(sample_dt, dt_style) if kind == "lab" else
                                          format_date(sample_dt.date(), dt_style)),
                                         (rng.choice(["临床诊断", "临床印象"]), spec.disease_name or "")], x0, x1)
    if style.rule_colour and rng.random() < 0.6:
        page.line(x0, y - 3, x1, y - 3, 0.3, style.rule_colour)
    y += 3
    if kind == "lab":
        y = _lab_table(page, rng, style, x0, x1, y, marks)
    else:
        part = rng.choice(content.EXAM_PARTS.get(kind, ("",)))
        if part:
            page.text(x0, y, f"{rng.choice(['检查部位', '检查项目', '标本'])}{style.colon}{part}", style.body, style.size)
            y += 8
        if kind in ("ultrasound", "ct", "mri", "ecg") and rng.random() < 0.7:
            n = 2 if rng.random() < 0.5 else 1
            iw = (x1 - x0 - 10) / 2 if n == 2 else rng.uniform(60, 90)
            for i in range(n):
                img = _scan_image(rng, kind)
                page.image(Box(x0 + i * (iw + 10), y, iw, iw * 0.75), img, multiply=False)
            y += iw * 0.75 + 8
        head_f = rng.choice(["检查所见", "影像所见", "超声所见", "镜下所见", "描述"])
        page.text(x0, y, head_f + style.colon, style.title_font, style.size)
        y = paragraph(page, style, x0 + 6, y + 7, x1 - x0 - 6, rng.choice(content.FINDINGS[kind]))
        head_i = rng.choice(["诊断意见", "印象", "超声提示" if kind == "ultrasound" else "检查结论",
                             "病理诊断" if kind == "pathology" else "结论"])
        page.text(x0, y + 3, head_i + style.colon, style.title_font, style.size)
        y = paragraph(page, style, x0 + 6, y + 10, x1 - x0 - 6, rng.choice(content.IMPRESSIONS[kind]))
    # times and signatures
    y = max(y + 8, page.h * rng.uniform(0.62, 0.78)) if paper != "half_A4" else y + 6
    y = min(y, page.h - 40)
    page.line(x0, y - 5, x1, y - 5, 0.3, style.rule_colour)
    doc1, doc2 = _doctor(rng), _doctor(rng)
    page.text(x0, y, rng.choice(["报告医师", "检验者", "报告者", "诊断医师"]) + style.colon, style.body, style.size)
    _signature(rng, page, style, x0 + 20, y, doc1, marks)
    page.text(x0 + (x1 - x0) * 0.45, y, rng.choice(["审核医师", "审核者", "复核"]) + style.colon, style.body, style.size)
    _signature(rng, page, style, x0 + (x1 - x0) * 0.45 + 18, y, doc2, marks)
    y += 10
    rep_label = rng.choice(["报告日期", "报告时间", "报告日期", "审核时间"])
    if report_dt:
        shown = format_datetime(report_dt, dt_style) if "时间" in rep_label else format_date(report_dt.date(), dt_style)
        box = page.text(x1 - text_width(rep_label + style.colon + shown, style.body, style.size), y,
                        rep_label + style.colon + shown, style.body, style.size)
    else:
        box = page.text(x1 - 60, y, rep_label + style.colon, style.body, style.size)
    if report_dt and rng.random() < 0.5:
        printed = report_dt.date() + timedelta(days=rng.randrange(0, max(1, (spec.submitted_on - report_dt.date()).days + 1)))
        printed = min(printed, spec.submitted_on)
        printed_at = format_datetime(at_time(rng, printed), dt_style)
        page.text(x0, y, f"打印时间{style.colon}{printed_at}", style.body, style.size * 0.85)
    foot = rng.choice(["*本报告仅对所检标本负责，如有疑问请于三日内联系。", "本报告仅供临床参考。", "此报告经电子签名有效。"])
    page.text(x0, page.h - style.margin + 2, foot, style.body, style.size * 0.8)
    if spec.sealed and spec.hospital:
        if rng.random() < 0.6:
            purpose = rng.choice({"lab": ("检验报告专用章", "检验科专用章"), "pathology": ("病理诊断专用章",)}.get(
                kind, ("影像诊断专用章", "报告专用章", "检查报告专用章")))
            _oval_seal(rng, page, spec.hospital, purpose, box.cx, box.cy - 3, marks, spec.blue_seal)
        else:
            _hospital_seal(rng, page, spec.hospital, rng.choice(["检验专用章", "报告专用章", None]), box.cx, box.cy - 5, marks,
                           spec.blue_seal)
    pages = [page]
    if spec.pages > 1:
        cont = Page(page.w, page.h)
        yy = header(cont, rng, style, spec.hospital, "检验报告单（续）" if kind == "lab" else "报告附页", marks)
        yy = kv_row(cont, rng, style, yy, _sex_age_pairs(rng, p, ref), x0, x1)
        if kind == "lab":
            _lab_table(cont, rng, style, x0, x1, yy + 3, marks)
        else:
            paragraph(cont, style, x0, yy + 6, x1 - x0, "附：" + rng.choice(content.FINDINGS[kind]) * 2)
        cont.text(page.w / 2, page.h - style.margin, "第2页 共2页", style.body, style.size * 0.8, BLACK, "center")
        page.text(page.w / 2, page.h - style.margin + 6, "第1页 共2页", style.body, style.size * 0.8, BLACK, "center")
        pages.append(cont)
    return Built(pages, marks)


# mm from the page's foot that the sign-off block of a report needs (rule, signatures, report time):
# it starts at most 40 mm from the foot and 8 mm below what is above it.
SIGN_OFF_MM = 48


def _lab_table(page: Page, rng: random.Random, style: Style, x0: float, x1: float, y: float, marks: Marks) -> float:
    _panel, items = rng.choice(content.LAB_PANELS)
    n = min(len(items), rng.randrange(5, len(items) + 1))
    chosen = items[:n]
    head = rng.choice([["项目", "缩写", "结果", "", "单位", "参考范围"], ["检验项目", "代号", "结果", "提示", "单位", "参考值"]])
    rows = [head]
    colours = {}
    red_flags = rng.random() < 0.6
    flag_style = rng.choice(["arrow", "hl"])
    for i, (name, abbr, unit, lo, hi) in enumerate(chosen, start=1):
        r = rng.random()
        span = hi - lo if hi > lo else 1
        if r < 0.25:
            val, flag = hi + span * rng.uniform(0.1, 0.8), "↑" if flag_style == "arrow" else "H"
        elif r < 0.35 and lo > 0:
            val, flag = lo - span * rng.uniform(0.05, 0.3), "↓" if flag_style == "arrow" else "L"
        else:
            val, flag = rng.uniform(lo, hi), ""
        shown = f"{val:.2f}" if hi < 20 else f"{val:.0f}"
        rows.append([name, abbr, shown, flag, unit, f"{lo}-{hi}"])
        if flag and red_flags:
            colours[(i, 3)] = (215, 30, 30)
            colours[(i, 2)] = (215, 30, 30)
    total = x1 - x0
    widths = [total * f for f in (0.3, 0.14, 0.14, 0.07, 0.15, 0.2)]
    row_h, grid = rng.uniform(6.5, 8), rng.choice(["hlines", "none", "full"])
    # A report system moves the rows that do not fit above the sign-off block to a next page; the
    # generator drops them (drawn all the same, so the random stream, and every later draw, is unchanged).
    fits = max(2, int((page.h - SIGN_OFF_MM - y) // row_h))
    if len(rows) > fits:
        rows = rows[:fits]
        colours = {cell: colour for cell, colour in colours.items() if cell[0] < fits}
    if colours:
        marks.add_red("lab_flags")
    return table(page, style, x0, y, widths, rows, row_h, grid=grid, colours=colours)


# -- medical record, prescription ----------------------------------------------
def build_medical_record(spec: DocContent, rng: random.Random) -> Built:
    """门诊病历: printed e-record or a hand-written record on a printed form."""
    marks = Marks([], [])
    page = Page(*PAPER_SIZES[rng.choice(["A4", "16K", "A5"])])
    hand = rng.random() < 0.35
    style = draw_style(rng, pick_style(rng), hand_filled=hand)
    p = spec.person
    d = spec.issue_date
    y = header(page, rng, style, spec.hospital, rng.choice(["门诊病历", "门诊病历记录", "门(急)诊病历"]), marks)
    x0, x1 = style.margin, page.w - style.margin
    y = kv_row(page, rng, style, y, _sex_age_pairs(rng, p, d or spec.submitted_on), x0, x1)
    dept = content.DEPT_BY_DISEASE.get(spec.disease_code or "", rng.choice(content.DEPARTMENTS))
    date_label = rng.choice(["就诊日期", "就诊时间", "日期"])
    shown = _ds(d, style) if d else ""
    y = kv_row(page, rng, style, y, [("科别", dept), (date_label, shown)], x0, x1)
    sections = [("主诉", rng.choice(content.COMPLAINTS)), ("现病史", "患者病史明确，长期门诊规律用药治疗，近期症状较前" +
                                                          rng.choice(["平稳", "加重", "反复"]) + "。"),
                ("既往史", rng.choice(["否认药物过敏史。", "有高血压病史。", "否认手术外伤史。"])),
                ("查体", f"BP {rng.randrange(120, 190)}/{rng.randrange(70, 110)}mmHg，神清，心肺听诊未见明显异常。"),
                (rng.choice(["诊断", "初步诊断", "临床诊断"]), spec.diagnosis or ""),
                ("处理", rng.choice(content.ADVICE))]
    for label, text in sections:
        page.text(x0, y, label + style.colon, style.body, style.size)
        lx = x0 + text_width(label + "：", style.body, style.size) + 2
        if hand:
            for chunk in [text[i:i + 18] for i in range(0, len(text), 18)]:
                value(page, rng, style, lx, y, chunk)
                y += style.size * 0.353 * 2.2
        else:
            y = paragraph(page, style, lx, y, x1 - lx, text)
        y += 2
    y += 8
    page.text(x1 - 50, y, "医师签名" + style.colon, style.body, style.size)
    _signature(rng, page, style, x1 - 30, y, _doctor(rng), marks)
    if spec.sealed and spec.hospital and rng.random() < 0.5:
        _hospital_seal(rng, page, spec.hospital, "门诊专用章", x1 - 30, y - 6, marks)
    return Built([page], marks)


def build_medication_record(spec: DocContent, rng: random.Random) -> Built:
    """处方笺 or 用药记录: drugs, dosage, a prescription date."""
    marks = Marks([], [])
    variant = spec.variant or rng.choice(["rx", "rx", "record"])
    page = Page(*PAPER_SIZES["rx" if variant == "rx" else rng.choice(["A4", "A5"])])
    style = draw_style(rng, pick_style(rng), hand_filled=variant == "rx" and rng.random() < 0.3)
    p = spec.person
    d = spec.issue_date
    x0, x1 = style.margin * 0.7, page.w - style.margin * 0.7
    style.margin = x0
    title = "处方笺" if variant == "rx" else rng.choice(["门诊用药记录", "慢特病用药记录单", "门诊处方明细"])
    y = header(page, rng, style, spec.hospital, title, marks)
    if variant == "rx":
        tag = rng.choice(["普通", "慢病", "长期处方"])
        page.rect(Box(x1 - 18, style.margin, 16, 8), 0.3)
        page.text(x1 - 10, style.margin + 5.8, tag, style.body, 9, BLACK, "center")
    y = kv_row(page, rng, style, y, _sex_age_pairs(rng, p, d or spec.submitted_on), x0, x1)
    y = kv_row(page, rng, style, y, [("费别", rng.choice(["职工医保", "居民医保", "门慢"])),
                                      ("科别", content.DEPT_BY_DISEASE.get(spec.disease_code or "", "内科"))], x0, x1)
    y = kv_row(page, rng, style, y, [("临床诊断", spec.diagnosis or "")], x0, x1)
    label = rng.choice(["开具日期", "日期", "处方日期"])
    y = kv_row(page, rng, style, y, [(label, _ds(d, style))], x0, x1)
    page.line(x0, y - 3, x1, y - 3, 0.3)
    page.text(x0, y + 4, "Rp.", "serif_bold", 14)
    y += 12
    drugs = rng.sample(content.DRUGS, rng.randrange(2, 5))
    for name, spec_s, usage in drugs:
        value(page, rng, style, x0 + 6, y, f"{name}  {spec_s}  ×{rng.randrange(1, 6)}盒")
        y += 5.5
        value(page, rng, style, x0 + 12, y, f"用法：{usage}", style.size * 0.9)
        y += 8
    y = max(y + 6, page.h * 0.75)
    page.text(x0, y, "医师" + style.colon, style.body, style.size)
    _signature(rng, page, style, x0 + 12, y, _doctor(rng), marks)
    page.text(x0 + (x1 - x0) * 0.5, y, f"金额{style.colon}{rng.uniform(30, 900):.2f}元", style.body, style.size)
    y += 9
    page.text(x0, y, "审核/调配：        核对/发药：", style.body, style.size * 0.9)
    return Built([page], marks)


# -- application form, previous approval, power of attorney --------------------
def build_application_form(spec: DocContent, rng: random.Random) -> Built:
    """申请表 / 续办申请表: a grid form, typed or hand-filled, with the physician's opinion box."""
    marks = Marks([], [])
    hand = rng.random() < 0.5
    style = draw_style(rng, pick_style(rng), hand_filled=hand, red_ok=False)
    page = Page(*PAPER_SIZES["A4"])
    p = spec.person
    city = REGION_ZH[spec.region]
    if spec.kind == "renewal":
        title = rng.choice([f"{city}门诊慢特病续办申请表", f"{city}门诊特殊慢性病待遇续办申请表"])
    else:
        title = rng.choice([f"{city}门诊慢特病认定申请表", f"{city}门诊慢性特殊疾病待遇申请表",
                            f"{city}门诊慢特病病种鉴定申请表"])
    y = header(page, rng, style, None, title, marks, y=style.margin + 8)
    x0, x1 = style.margin, page.w - style.margin
    w = x1 - x0
    row_h = rng.uniform(10, 13)
    cols = [w * 0.17, w * 0.33, w * 0.17, w * 0.33]
    rows = [("姓名", p.name, "性别", p.sex), ("身份证号", p.id_number, "联系电话", p.phone),
            ("参保类别", rng.choice(["职工医保", "城乡居民医保"]), "出生日期", format_date(p.birth, "ymd_cn")),
            ("申请病种", spec.disease_name or "", "定点医院", spec.hospital or "")]
    top = y
    for row in rows:
        cx = x0
        for c, cell in enumerate(row):
            if c % 2 == 0:
                page.text(cx + 1.5, y + row_h * 0.68, cell, style.body, style.size)
            else:
                value(page, rng, style, cx + 2, y + row_h * 0.68, cell, style.size * (0.9 if len(cell) > 14 else 1))
            cx += cols[c]
        y += row_h
        page.line(x0, y, x1, y, 0.3)
    page.text(x0 + 1.5, y + row_h * 0.68, "家庭住址", style.body, style.size)
    value(page, rng, style, x0 + cols[0] + 2, y + row_h * 0.68, p.address, style.size * 0.95)
    y += row_h
    page.line(x0, y, x1, y, 0.3)
    # physician opinion box
    box_h = rng.uniform(42, 55)
    page.text(x0 + 1.5, y + 8, rng.choice(["医疗机构意见", "经治医师意见", "医院诊断意见"]), style.body, style.size)
    value(page, rng, style, x0 + cols[0] + 3, y + 10, f"诊断：{spec.diagnosis or spec.disease_name or ''}")
    opinion = rng.choice(["符合申请条件，同意申报。", "病情属实。", "情况属实，请予审批。"])
    value(page, rng, style, x0 + cols[0] + 3, y + 19, opinion)
    sig_label = rng.choice(["经治医师签字", "医师签名", "主治医师（签字）", "医师签章"])
    sy = y + box_h - 16
    page.text(x0 + cols[0] + 3, sy, sig_label + style.colon, style.body, style.size)
    sx = x0 + cols[0] + 3 + text_width(sig_label + "：", style.body, style.size) + 2
    page.line(sx, sy + 1.5, sx + 35, sy + 1.5, 0.2)
    if spec.signed:
        img, sw, sh = stamps.signature(rng, _doctor(rng))
        page.image(Box(sx + 2, sy - sh * 0.75, sw, sh), img)
    date_text = _ds(spec.issue_date, style) if spec.signed else "    年   月   日"
    page.text(x1 - 55, sy + 9, date_text, style.body, style.size)
    if spec.sealed and spec.hospital and spec.signed:
        _hospital_seal(rng, page, spec.hospital, rng.choice(["医务科", "门诊专用章", None]), x1 - 35, sy, marks)
    y += box_h
    page.line(x0, y, x1, y, 0.3)
    # applicant signature
    page.text(x0 + 1.5, y + 10, rng.choice(["申请人签字", "申请人（签名）", "本人签字"]) + style.colon, style.body, style.size)
    img, sw, sh = stamps.handwriting(rng, p.name, 6)
    page.image(Box(x0 + 40, y + 10 - sh * 0.75, sw, sh), img)
    if rng.random() < 0.5:
        tp, tw, th = stamps.thumbprint(rng)
        page.image(Box(x0 + 40 + sw - 4, y + 2, tw, th), tp)
        marks.add_red("thumbprint")
    page.text(x1 - 55, y + 20, f"申请日期{style.colon}", style.body, style.size)
    value(page, rng, style, x1 - 35, y + 20, _ds(spec.issue_date, style) if spec.issue_date else "")
    y += 30
    page.line(x0, y, x1, y, 0.3)
    page.text(x0 + 1.5, y + 10, rng.choice(["经办机构意见", "医保经办机构审核意见"]), style.body, style.size)
    y += 35
    page.line(x0, y, x1, y, 0.3)
    for xx in (x0, x1):
        page.line(xx, top, xx, y, 0.4)
    page.line(x0 + cols[0], top, x0 + cols[0], y - 65, 0.3)
    page.line(x0, top, x1, top, 0.4)
    paragraph(page, style, x0, y + 8, w, "说明：1.本表一式两份；2.需附身份证、诊断证明书及相关检查报告。", style.size * 0.85)
    return Built([page], marks)


def build_previous_approval(spec: DocContent, rng: random.Random) -> Built:
    """原认定审批表 / 待遇认定通知书 with the insurance agency's seal."""
    marks = Marks([], [])
    style = draw_style(rng, pick_style(rng), red_ok=True)
    page = Page(*PAPER_SIZES[rng.choice(["A4", "A5"])])
    p = spec.person
    city = REGION_ZH[spec.region]
    title = rng.choice([f"{city}门诊慢特病待遇认定审批表", "门诊慢特病待遇认定通知书", "门诊特殊慢性病认定结果告知单"])
    y = header(page, rng, style, None, title, marks, y=style.margin + 6)
    x0, x1 = style.margin, page.w - style.margin
    approved = spec.issue_date
    valid_from = approved
    rows = [[("姓名", p.name), ("性别", p.sex)], [("身份证号", p.id_number)], [("认定病种", spec.disease_name or "")],
            [("审批日期", _ds(approved, style))],
            [("有效期", f"{format_date(valid_from, style.date_style)} 至 {format_date(spec.valid_until, style.date_style)}")
             if spec.valid_until and valid_from else ("有效期", "")]]
    for pairs in rows:
        y = kv_row(page, rng, style, y + 2, pairs, x0, x1)
    notice = "经审核，符合门诊慢特病待遇认定条件，同意享受相应待遇。请于有效期满前按规定办理续办手续。"
    y = paragraph(page, style, x0, y + 6, x1 - x0, notice)
    agency = AGENCY[spec.region]
    box = page.text(x1 - 10, y + 25, agency, style.body, style.size, BLACK, "right")
    page.text(x1 - 10, y + 33, _ds(approved, style), style.body, style.size, BLACK, "right")
    if spec.sealed:
        img, dmm = stamps.round_seal(rng, agency, rng.choice(["业务专用章", None]))
        place_seal(page, img, dmm, dmm, box.cx, box.cy + 3)
        marks.seals.append("agency")
    return Built([page], marks)


def build_power_of_attorney(spec: DocContent, rng: random.Random) -> Built:
    """授权委托书: applicant authorises the agent; signatures, red thumbprints, sometimes a community seal."""
    marks = Marks([], [])
    hand = rng.random() < 0.4
    style = draw_style(rng, pick_style(rng), red_ok=False, hand_filled=hand)
    page = Page(*PAPER_SIZES[rng.choice(["A4", "A4", "16K"])])
    p, a = spec.person, spec.agent
    assert a is not None
    y = header(page, rng, style, None, rng.choice(["授权委托书", "委托书", "代办委托书"]), marks, y=style.margin + 10)
    x0, x1 = style.margin + 5, page.w - style.margin - 5
    y = kv_row(page, rng, style, y + 5, [("委托人", p.name), ("身份证号", p.id_number)], x0, x1)
    y = kv_row(page, rng, style, y, [("受托人", a.name), ("身份证号", a.id_number)], x0, x1)
    y = kv_row(page, rng, style, y, [("与委托人关系", rng.choice(["子女", "配偶", "亲属"])), ("联系电话", a.phone)], x0, x1)
    body = (f"本人因{rng.choice(['年老行动不便', '身体原因', '长期卧床', '外出务工'])}，不能亲自办理，现委托{a.name}代为办理"
            f"本人门诊慢特病{'续办' if spec.kind == 'renewal' else '认定申请'}相关手续，"
            "受托人在办理过程中所签署的有关文件，本人均予以承认。"
            f"委托期限：自签字之日起至办结之日止。")
    y = paragraph(page, style, x0, y + 8, x1 - x0, "  " + body, leading=2.0)
    y += 12
    for label, who in (("委托人（签字/按印）", p), ("受托人（签字）", a)):
        page.text(x0 + 20, y, label + style.colon, style.body, style.size)
        img, sw, sh = stamps.handwriting(rng, who.name, 6)
        lx = x0 + 20 + text_width(label + "：", style.body, style.size) + 2
        page.image(Box(lx, y - sh * 0.75, sw, sh), img)
        if who is p and rng.random() < 0.8:
            tp, tw, th = stamps.thumbprint(rng)
            page.image(Box(lx + sw - 3, y - th * 0.7, tw, th), tp)
            marks.add_red("thumbprint")
        y += 14
    page.text(x1 - 10, y + 4, _ds(spec.issue_date, style), style.body, style.size, BLACK, "right")
    if rng.random() < 0.3:
        community = rng.choice(COMMUNITY)
        page.text(x1 - 10, y - 6, community, style.body, style.size * 0.9, BLACK, "right")
        img, dmm = stamps.round_seal(rng, community, None)
        place_seal(page, img, dmm, dmm, x1 - 35, y - 2)
        marks.seals.append("agency")
    return Built([page], marks)


BUILDERS = {
    "id_card": build_id_card,
    "residence_permit": build_residence_permit,
    "diagnosis_certificate": build_diagnosis_certificate,
    "exam_report": build_exam_report,
    "medical_record": build_medical_record,
    "medication_record": build_medication_record,
    "application_form": build_application_form,
    "previous_approval": build_previous_approval,
    "power_of_attorney": build_power_of_attorney,
}


def build(spec: DocContent, rng: random.Random) -> Built:
    """Draw the document ``spec`` describes. Raises KeyError for an unknown content type."""
    return BUILDERS[spec.content](spec, rng)
