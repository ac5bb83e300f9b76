"""Wording of the third family: labels, titles, diagnosis lists as doctors number them, analytes, drugs,
findings and notes. Pure data and string helpers; nothing here draws."""

from __future__ import annotations

import random

from samples.generator.content import ICD_HINT
from samples.generator.documents import DocContent

CITY = {"linfen": "临汾市", "fangchenggang": "防城港市"}
AGENCY = {"linfen": ("临汾市医疗保障事务中心", "临汾市医疗保障局尧都分局"),
          "fangchenggang": ("防城港市医疗保障服务中心", "防城港市医疗保障局港口分局")}

NAME_LABELS = ("患者姓名", "姓 名", "病人姓名", "姓名")
CARD_LABELS = ("就诊卡号", "登记号", "门诊号", "ID号", "病案号")
DEPTS = {"HBP": "心血管内科", "DM": "内分泌代谢科", "CA": "肿瘤内科", "CKD": "肾病内科", "CHD": "心血管内科",
         "CHF": "心血管内科", "STK": "神经内科", "COPD": "呼吸与危重症医学科", "LC": "消化内科", "RA": "风湿免疫科",
         "SLE": "风湿免疫科", "PD": "神经内科", "EP": "神经内科", "HTH": "内分泌代谢科", "TX": "器官移植中心",
         "CVH": "感染性疾病科", "TB": "结核病科", "SCZ": "精神心理科", "BPD": "精神心理科", "AD": "神经内科",
         "MG": "神经内科", "AS": "风湿免疫科", "AA": "血液内科", "HEMO": "血液内科"}

# Conditions written beside the applied one: none is a catalogue disease, a stage or a complication.
OTHERS = ("高脂血症", "高尿酸血症", "脂肪肝", "颈椎病", "腰椎间盘突出症", "胆囊结石", "慢性咽炎", "失眠",
          "老年性白内障", "肾囊肿", "过敏性鼻炎", "睡眠呼吸暂停综合征")
# How a doctor marks a secondary condition as not yet confirmed (never the applied one).
HEDGES = ("{x}（待排）", "考虑{x}", "{x}?", "{x}待查")

CIRCLED = "①②③④⑤⑥"
CN_NUM = "一二三四五六"


def dept(spec: DocContent) -> str:
    return DEPTS.get(spec.disease_code or "", "内科")


def main_dx(spec: DocContent, rng: random.Random, *, icd_p: float = 0.3) -> str:
    """The applied diagnosis exactly as the spec words it, sometimes with its ICD-10 code in brackets."""
    dx = spec.diagnosis or spec.disease_name or ""
    if dx and spec.disease_code in ICD_HINT and rng.random() < icd_p:
        code = ICD_HINT[spec.disease_code]
        dx = rng.choice([f"{dx}（{code}）", f"{dx} [{code}]", f"{dx}(ICD-10:{code})"])
    return dx


def dx_items(spec: DocContent, rng: random.Random, *, extra_p: float = 0.5, icd_p: float = 0.3) -> list[str]:
    """The applied diagnosis first (now and then second) and zero to two other conditions, some hedged."""
    items = [main_dx(spec, rng, icd_p=icd_p)]
    if rng.random() < extra_p:
        for other in rng.sample(OTHERS, rng.choice((1, 1, 2))):
            items.append(rng.choice(HEDGES).format(x=other) if rng.random() < 0.3 else other)
        if rng.random() < 0.2:
            items.insert(0, items.pop(1))
    return items


def numbered(items: list[str], rng: random.Random, *, style: str | None = None) -> list[str]:
    """Items numbered the ways doctors number them: 1. / 1、 / (1) / 一、 / ①; one item is often left bare."""
    if len(items) == 1 and rng.random() < 0.6:
        return items
    style = style or rng.choice(["dot", "dun", "paren", "cn", "circled"])
    out = []
    for i, t in enumerate(items):
        n = i + 1
        out.append({"dot": f"{n}. {t}", "dun": f"{n}、{t}", "paren": f"({n}){t}", "cn": f"{CN_NUM[i]}、{t}",
                    "circled": f"{CIRCLED[i]}{t}"}[style])
    return out


ADVICE = ("病情需长期门诊药物治疗，定期复诊。", "建议规律服药，监测血压、血糖变化。", "按时服药，低盐低脂饮食，不适随诊。",
          "需长期门诊随访，复查肝肾功能。", "建议门诊慢病管理，定期评估病情。")
PLANS = ("继续目前用药方案，1月后复诊。", "调整降压方案，家庭自测血压。", "完善相关检查，门诊随诊。",
         "续开长期处方，注意药物不良反应。", "嘱戒烟限酒，适量运动。")
COMPLAINTS = ("反复头晕、头痛5年，近1周加重。", "多饮、多尿、乏力8年，双足麻木3月。", "活动后胸闷、气促2年。",
              "反复咳嗽、咳痰、喘息10余年。", "右侧肢体无力半年余。", "定期复诊，要求开药。", "双手关节肿痛伴晨僵2年。",
              "腹胀、纳差2月。")
HISTORIES = ("患者{n}年前确诊，长期规律服药，近期病情{t}。", "既往于本院门诊随访治疗，自诉病情{t}。",
             "病程{n}年，间断复查，本次就诊病情{t}。")
TRENDS = ("稳定", "控制欠佳", "较前好转", "偶有波动")
EXAMS = ("T 36.5℃，P 76次/分，R 18次/分，BP {s}/{d}mmHg。神志清，精神可，双肺呼吸音清，心律齐，双下肢无水肿。",
         "BP {s}/{d}mmHg，HR 82次/分。心肺听诊未闻及明显异常，腹软，无压痛。")

CERT_NOTES = ("本证明仅作病情证明，不作休假及其他证明使用。", "须加盖医院公章（诊断证明专用章）方为有效。",
              "本证明涂改无效，复印件无效。", "凭此证明可办理门诊慢特病相关手续。")
REPORT_NOTES = ("本报告仅对本次检测标本负责。", "此报告仅供临床参考，不作诊断依据。", "如对结果有疑问，请于7日内联系检验科。",
                "电子报告，扫码可查验真伪。")
IMAGING_NOTES = ("本报告仅供临床医师参考，请结合临床。", "影像资料请妥善保管，复诊时携带。", "电子报告，扫码可查验真伪。",
                 "本报告须经审核医师签名后有效。")

# (abbreviation, name, unit, low, high)
ANALYTES = (
    ("GLU", "葡萄糖", "mmol/L", 3.9, 6.1), ("HbA1c", "糖化血红蛋白A1c", "%", 4.0, 6.0),
    ("CHOL", "总胆固醇", "mmol/L", 0.0, 5.18), ("TG", "甘油三酯", "mmol/L", 0.0, 1.7),
    ("LDL", "低密度脂蛋白", "mmol/L", 0.0, 3.37), ("HDL", "高密度脂蛋白", "mmol/L", 1.04, 1.9),
    ("ALT", "谷丙转氨酶", "U/L", 7, 40), ("AST", "谷草转氨酶", "U/L", 13, 35), ("TBIL", "总胆红素", "μmol/L", 0, 21),
    ("ALB", "白蛋白", "g/L", 40, 55), ("BUN", "尿素氮", "mmol/L", 2.6, 7.5), ("Cr", "肌酐", "μmol/L", 41, 81),
    ("UA", "尿酸", "μmol/L", 155, 357), ("K+", "钾", "mmol/L", 3.5, 5.3), ("Na+", "钠", "mmol/L", 137, 147),
    ("Cl-", "氯", "mmol/L", 99, 110), ("CK", "肌酸激酶", "U/L", 40, 200), ("LDH", "乳酸脱氢酶", "U/L", 120, 250),
    ("WBC", "白细胞计数", "×10^9/L", 3.5, 9.5), ("HGB", "血红蛋白", "g/L", 115, 150),
    ("PLT", "血小板计数", "×10^9/L", 125, 350), ("hs-CRP", "超敏C反应蛋白", "mg/L", 0, 3),
    ("TSH", "促甲状腺素", "mIU/L", 0.35, 4.94), ("FT4", "游离T4", "pmol/L", 9.0, 19.0),
    ("U-PRO", "尿蛋白", "", 0, 0), ("U-GLU", "尿糖", "", 0, 0),
)
LAB_TITLES = ("检验报告单", "检验结果报告", "临床检验报告单", "生化检验报告", "检验科报告")
SPECIMENS = ("血清", "静脉血", "全血", "血浆", "尿液")

IMAGING = {
    "ct": ("CT", ("胸部CT平扫", "头颅CT平扫", "上腹部CT增强"),
           ("右肺上叶尖段见一不规则结节影，大小约21mm×18mm，边缘毛糙，可见分叶征，邻近胸膜凹陷。",
            "纵隔窗示气管前腔静脉后见肿大淋巴结，短径约11mm。双侧胸腔未见积液，心影不大。"),
           ("右肺上叶结节，考虑周围型肺癌，建议进一步检查。", "纵隔淋巴结肿大。")),
    "mri": ("MR", ("头颅MR平扫+DWI", "颅脑MRI平扫"),
            ("双侧放射冠及半卵圆中心见多发点片状T2WI及FLAIR高信号，DWI未见弥散受限。",
             "左侧基底节区见软化灶，周边胶质增生，脑室系统未见扩张，中线结构居中。"),
            ("脑内多发缺血灶。", "左侧基底节区陈旧性病灶。")),
    "ultrasound": ("超声", ("心脏彩超", "肝胆脾彩超", "双肾彩超", "甲状腺彩超"),
                   ("室间隔厚度约12.5mm，左室后壁厚度约12mm，左房内径约40mm，各瓣膜回声未见异常。",
                    "CDFI：二尖瓣可见少量反流信号。频谱多普勒：二尖瓣口血流E/A<1。"),
                   ("左室壁肥厚。", "左室舒张功能减低。")),
    "pathology": ("病理", ("穿刺活检组织", "内镜活检组织"),
                  ("送检灰白色条索状组织两条，长0.8～1.2cm。镜下见异型细胞呈腺样排列，核大深染，可见核分裂。",
                   "免疫组化：CK7（+），TTF-1（+），Ki-67（约35%+）。"),
                  ("（右肺）浸润性腺癌。",)),
    "ecg": ("心电", ("常规十二导联心电图",),
            ("P波规律出现，心率72次/分，PR间期0.16s，QRS波群时限0.09s。", "V4～V6导联ST段水平压低0.05mV，T波低平。"),
            ("窦性心律", "左心室高电压", "ST-T改变")),
}
IMAGING_TITLES = {"ct": ("CT检查诊断报告", "CT影像报告单"), "mri": ("MRI检查诊断报告", "磁共振检查报告单"),
                  "ultrasound": ("超声检查报告单", "彩色超声诊断报告"), "pathology": ("病理检查报告单", "病理诊断报告"),
                  "ecg": ("心电图检查报告", "心电图诊断报告单")}
SEAL_PURPOSE = {"lab": ("检验专用章", "检验报告专用章"), "ct": ("影像专用章", "放射科专用章"), "mri": ("影像专用章",),
                "ultrasound": ("超声科专用章", "超声诊断专用章"), "pathology": ("病理专用章",), "ecg": ("心电诊断专用章",)}

# (name, pack, dose, frequency, route)
DRUGS = (
    ("苯磺酸左旋氨氯地平片", "2.5mg*14片", "2.5mg", "每日1次", "口服"),
    ("马来酸依那普利片", "10mg*16片", "10mg", "每日1次", "口服"),
    ("琥珀酸美托洛尔缓释片", "47.5mg*7片", "47.5mg", "每日1次", "口服"),
    ("吲达帕胺缓释片", "1.5mg*10片", "1.5mg", "每日1次", "口服"),
    ("盐酸二甲双胍缓释片", "0.5g*30片", "1.0g", "每日1次", "口服"),
    ("达格列净片", "10mg*10片", "10mg", "每日1次", "口服"),
    ("西格列汀片", "100mg*7片", "100mg", "每日1次", "口服"),
    ("德谷胰岛素注射液", "3ml:300U", "14U", "每晚1次", "皮下注射"),
    ("阿托伐他汀钙片", "20mg*7片", "20mg", "每晚1次", "口服"),
    ("硫酸氢氯吡格雷片", "75mg*7片", "75mg", "每日1次", "口服"),
    ("恩替卡韦胶囊", "0.5mg*14粒", "0.5mg", "每日1次", "口服"),
    ("环孢素软胶囊", "25mg*50粒", "75mg", "每12小时1次", "口服"),
    ("来氟米特片", "10mg*30片", "10mg", "每日1次", "口服"),
    ("普拉克索片", "0.25mg*30片", "0.25mg", "每日3次", "口服"),
    ("碳酸钙D3片", "600mg*60片", "600mg", "每日1次", "口服"),
    ("沙库巴曲缬沙坦钠片", "100mg*14片", "100mg", "每日2次", "口服"),
)
FREQ_CODE = {"每日1次": "qd", "每日2次": "bid", "每日3次": "tid", "每晚1次": "qn", "每12小时1次": "q12h"}
