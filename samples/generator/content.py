"""Medical wording: diagnoses per disease, exam findings, lab panels, drugs, hospitals outside the registry."""

from __future__ import annotations

import random

# Diagnoses that state what the linfen catalog criterion asks for (stage / complication / type).
DIAGNOSIS_QUALIFYING: dict[str, tuple[tuple[str, str | None], ...]] = {
    "HBP": (("原发性高血压3级（极高危）", "3级"), ("高血压病Ⅲ级 很高危组", "Ⅲ级"), ("高血压3级", "3级"),
            ("原发性高血压 3级 极高危", "3级"), ("高血压病（Ⅲ级，极高危）", "Ⅲ级")),
    "DM": (("2型糖尿病伴糖尿病肾病", "糖尿病肾病"), ("2型糖尿病性周围神经病变", "周围神经病变"),
           ("2型糖尿病 合并视网膜病变", "视网膜病变"), ("1型糖尿病伴酮症", "酮症"), ("2型糖尿病伴多个并发症", "多个并发症")),
    "CA": (("右肺腺癌（cT2N1M0 ⅡB期）", None), ("左乳浸润性导管癌术后", None), ("乙状结肠癌术后", None),
           ("胃窦低分化腺癌", None), ("弥漫大B细胞淋巴瘤", None), ("鼻咽未分化型非角化性癌", None)),
    "TX": (("肾移植术后", None), ("同种异体肝移植术后 抗排异治疗", None)),
    "LC": (("乙肝肝硬化（代偿期）", None), ("酒精性肝硬化 失代偿期", None)),
    "CKD": (("慢性肾衰竭（CKD 5期） 维持性血液透析", None), ("慢性肾功能不全 尿毒症期", None)),
    "CHD": (("冠状动脉粥样硬化性心脏病 稳定型心绞痛", None), ("冠心病 PCI术后", None)),
    "CHF": (("慢性心力衰竭 心功能Ⅲ级（NYHA分级）", None), ("慢性心功能不全", None)),
    "STK": (("脑梗死后遗症（左侧肢体偏瘫）", None), ("脑出血后遗症", None)),
    "COPD": (("慢性阻塞性肺疾病（稳定期）", None), ("慢性阻塞性肺疾病 GOLD 3级", None)),
    "RA": (("类风湿关节炎（活动期）", None), ("类风湿性关节炎", None)),
    "SLE": (("系统性红斑狼疮", None),),
    "PD": (("帕金森病（H-Y 2.5期）", None), ("帕金森病", None)),
    "SCZ": (("精神分裂症（偏执型）", None), ("精神分裂症", None)),
    "EP": (("癫痫（全面强直阵挛发作）", None), ("症状性癫痫", None)),
    "AA": (("慢性再生障碍性贫血", None),),
    "HEMO": (("血友病A（中型）", None),),
    "CVH": (("慢性乙型病毒性肝炎", None), ("慢性丙型病毒性肝炎", None)),
    "TB": (("继发性肺结核 涂阴 初治", None), ("活动性肺结核", None)),
    "HTH": (("甲状腺功能亢进症（Graves病）", None), ("甲状腺功能亢进症", None)),
    "BPD": (("双相情感障碍", None),),
    "AD": (("阿尔茨海默病（中度）", None),),
    "MG": (("重症肌无力（全身型）", None),),
    "AS": (("强直性脊柱炎", None),),
}

# Diagnoses of the disease that do NOT meet the linfen criterion (STAGE_NOT_MET).
DIAGNOSIS_BELOW_CRITERION: dict[str, tuple[tuple[str, str | None], ...]] = {
    "HBP": (("原发性高血压2级（高危）", "2级"), ("高血压病1级 中危", "1级"), ("高血压病Ⅱ级", "Ⅱ级")),
    "DM": (("2型糖尿病", None), ("Ⅱ型糖尿病 血糖控制不佳", None)),
}

ICD_HINT = {"HBP": "I10", "DM": "E11", "CA": "C34", "TX": "Z94", "LC": "K74", "CKD": "N18", "CHD": "I25",
            "CHF": "I50", "STK": "I69", "COPD": "J44", "RA": "M06", "SLE": "M32", "PD": "G20", "SCZ": "F20",
            "EP": "G40", "AA": "D61", "HEMO": "D66", "CVH": "B18", "TB": "A15", "HTH": "E05", "BPD": "F31",
            "AD": "G30", "MG": "G70", "AS": "M45"}

# Not in the catalog: DISEASE_NOT_COVERED wherever they are applied for.
UNCOVERED = (("痛风", "痛风性关节炎"), ("骨质疏松症", "原发性骨质疏松症"), ("慢性胃炎", "慢性萎缩性胃炎"))

# Hospitals that are not in the registry (fictional): HOSPITAL_UNKNOWN.
UNKNOWN_HOSPITALS = {
    "linfen": ("临汾市河汾仁济医院", "临汾市尧都区华康医院", "山西晋南协和医院", "临汾市第七人民医院"),
    "fangchenggang": ("防城港市海湾仁和医院", "防城港市江山康复医院", "东兴市边城协和医院"),
}

EXAM_KINDS_BY_DISEASE: dict[str, tuple[str, ...]] = {
    "HBP": ("ultrasound", "lab", "ecg"), "DM": ("lab", "ultrasound"), "CA": ("ct", "pathology", "mri"),
    "TX": ("lab", "ultrasound"), "LC": ("ultrasound", "ct", "lab"), "CKD": ("lab", "ultrasound"),
    "CHD": ("ct", "ecg", "ultrasound"), "CHF": ("ultrasound", "lab"), "STK": ("mri", "ct"),
    "COPD": ("ct", "lab"), "RA": ("lab",), "SLE": ("lab",), "PD": ("mri",), "SCZ": ("lab", "ct"),
    "EP": ("mri", "ecg"), "AA": ("lab",), "HEMO": ("lab",), "CVH": ("lab", "ultrasound"), "TB": ("ct", "lab"),
    "HTH": ("lab", "ultrasound"), "BPD": ("lab",), "AD": ("mri",), "MG": ("lab", "ct"), "AS": ("mri", "lab"),
}

EXAM_TITLES = {
    "ct": ("CT检查报告单", "CT诊断报告", "医学影像诊断报告书（CT）", "计算机断层扫描(CT)报告"),
    "mri": ("MRI检查报告单", "磁共振检查报告", "医学影像诊断报告书（MR）"),
    "ultrasound": ("彩色多普勒超声检查报告单", "超声检查报告", "彩超诊断报告单"),
    "pathology": ("病理诊断报告书", "病理检查报告单", "组织病理学诊断报告"),
    "lab": ("检验报告单", "临床检验报告", "生化检验报告单", "检验科报告单"),
    "ecg": ("心电图检查报告", "常规心电图报告单"),
}

EXAM_PARTS = {
    "ct": ("胸部CT平扫+增强", "上腹部CT增强", "冠状动脉CTA", "头颅CT平扫"),
    "mri": ("头颅MRI平扫+DWI", "腰椎MRI平扫", "上腹部MRI增强"),
    "ultrasound": ("心脏彩超", "肝胆脾胰彩超", "双肾及输尿管彩超", "甲状腺彩超", "颈部血管彩超"),
    "pathology": ("穿刺组织", "手术切除标本", "胃镜活检组织"),
    "ecg": ("十二导联心电图",),
}

FINDINGS = {
    "ct": ("双肺纹理增多，右肺上叶见一不规则软组织密度影，边缘可见分叶及毛刺，增强扫描不均匀强化。纵隔内见肿大淋巴结。",
           "肝脏体积缩小，表面凹凸不平，肝叶比例失调，脾脏增大，门静脉增宽。",
           "左前降支近段管壁见混合斑块，管腔中度狭窄；右冠状动脉管壁钙化。",
           "双侧基底节区见多发斑点状低密度影，脑室系统未见扩大，中线结构居中。"),
    "mri": ("双侧基底节区及侧脑室旁见多发斑片状长T1长T2信号，DWI未见明显高信号。",
            "左侧额颞叶见片状软化灶，周围胶质增生。", "脑沟脑裂增宽，双侧海马体积缩小。"),
    "ultrasound": ("左室壁增厚，室间隔厚约12mm，左房增大，二尖瓣少量反流，左室舒张功能减低。",
                   "肝实质回声增粗，分布不均，门静脉内径约14mm，脾厚约48mm。",
                   "双肾体积缩小，皮质回声增强，皮髓质分界不清。", "甲状腺弥漫性增大，血流信号丰富，呈火海征。"),
    "pathology": ("镜下见异型腺体浸润性生长，细胞核大深染，可见病理性核分裂象。免疫组化：CK7(+)，TTF-1(+)，Ki-67约40%。",
                  "肿瘤细胞呈巢团状排列，伴坏死，切缘未见癌累及。"),
    "ecg": ("窦性心律，心率78次/分，左室高电压，ST-T改变。", "窦性心律，房性早搏，T波低平。"),
}

IMPRESSIONS = {
    "ct": ("右肺上叶占位，考虑肺癌可能，请结合临床。", "肝硬化，脾大，门脉高压。", "冠状动脉粥样硬化，左前降支中度狭窄。",
           "双侧基底节区腔隙性脑梗死。"),
    "mri": ("多发腔隙性脑梗死，脑白质脱髓鞘改变。", "左侧额颞叶软化灶形成。", "脑萎缩。"),
    "ultrasound": ("左室壁增厚，左室舒张功能减低。", "肝实质弥漫性病变，脾大。", "双肾弥漫性病变。",
                   "甲状腺弥漫性病变伴血流丰富。"),
    "pathology": ("（右肺）浸润性腺癌。", "（胃窦）低分化腺癌。", "符合浸润性导管癌。"),
    "ecg": ("左室高电压，ST-T改变。", "房性早搏。"),
}

LAB_PANELS = (
    ("生化", (("葡萄糖", "GLU", "mmol/L", 3.9, 6.1), ("糖化血红蛋白", "HbA1c", "%", 4.0, 6.0),
              ("肌酐", "CREA", "μmol/L", 57, 111),
              ("尿素", "UREA", "mmol/L", 3.1, 8.0), ("尿酸", "UA", "μmol/L", 208, 428), ("总胆固醇", "TC", "mmol/L", 2.8, 5.2),
              ("甘油三酯", "TG", "mmol/L", 0.56, 1.7), ("谷丙转氨酶", "ALT", "U/L", 9, 50), ("谷草转氨酶", "AST", "U/L", 15, 40),
              ("白蛋白", "ALB", "g/L", 40, 55), ("钾", "K", "mmol/L", 3.5, 5.3))),
    ("血常规", (("白细胞计数", "WBC", "10^9/L", 3.5, 9.5), ("红细胞计数", "RBC", "10^12/L", 4.3, 5.8),
                ("血红蛋白", "HGB", "g/L", 130, 175), ("血小板计数", "PLT", "10^9/L", 125, 350),
                ("中性粒细胞百分比", "NEUT%", "%", 40, 75), ("淋巴细胞百分比", "LYM%", "%", 20, 50),
                ("红细胞压积", "HCT", "%", 40, 50))),
    ("免疫", (("类风湿因子", "RF", "IU/mL", 0, 20), ("抗环瓜氨酸肽抗体", "抗CCP", "U/mL", 0, 17),
              ("C反应蛋白", "CRP", "mg/L", 0, 10), ("血沉", "ESR", "mm/h", 0, 20),
              ("游离甲状腺素", "FT4", "pmol/L", 12, 22), ("促甲状腺激素", "TSH", "mIU/L", 0.27, 4.2))),
)

DRUGS = (
    ("苯磺酸氨氯地平片", "5mg×28片", "口服 5mg 每日一次"), ("缬沙坦胶囊", "80mg×14粒", "口服 80mg 每日一次"),
    ("二甲双胍缓释片", "0.5g×30片", "口服 0.5g 每日两次"), ("阿卡波糖片", "50mg×30片", "口服 50mg 每日三次 餐时嚼服"),
    ("甘精胰岛素注射液", "3ml:300单位", "皮下注射 12单位 睡前"), ("阿司匹林肠溶片", "100mg×30片", "口服 100mg 每日一次"),
    ("阿托伐他汀钙片", "20mg×7片", "口服 20mg 每晚一次"), ("美托洛尔缓释片", "47.5mg×7片", "口服 47.5mg 每日一次"),
    ("他克莫司胶囊", "1mg×50粒", "口服 2mg 每12小时一次"), ("恩替卡韦分散片", "0.5mg×7片", "口服 0.5mg 每日一次 空腹"),
    ("左旋多巴片", "0.25g×100片", "口服 0.125g 每日三次"), ("甲巯咪唑片", "10mg×50片", "口服 10mg 每日两次"),
    ("噻托溴铵粉吸入剂", "18μg×10粒", "吸入 18μg 每日一次"), ("甲氨蝶呤片", "2.5mg×16片", "口服 10mg 每周一次"),
    ("丙戊酸钠缓释片", "0.5g×30片", "口服 0.5g 每日两次"), ("利培酮片", "1mg×20片", "口服 2mg 每日两次"),
)

DEPARTMENTS = ("心内科", "内分泌科", "肿瘤科", "肾内科", "神经内科", "呼吸内科", "消化内科", "风湿免疫科", "普通内科", "老年病科")
DEPT_BY_DISEASE = {"HBP": "心内科", "DM": "内分泌科", "CA": "肿瘤科", "CKD": "肾内科", "CHD": "心内科", "CHF": "心内科",
                   "STK": "神经内科", "COPD": "呼吸内科", "LC": "消化内科", "RA": "风湿免疫科", "SLE": "风湿免疫科",
                   "PD": "神经内科", "EP": "神经内科", "HTH": "内分泌科", "TX": "器官移植科", "CVH": "感染科",
                   "TB": "结核科", "SCZ": "精神科", "BPD": "精神科", "AD": "神经内科"}

ADVICE = ("建议长期规律服药，定期复查。", "注意休息，低盐低脂饮食，门诊随诊。", "继续目前治疗方案，不适随诊。",
          "建议门诊长期治疗，监测血压血糖。", "定期复查肝肾功能，遵医嘱用药。")

COMPLAINTS = ("头晕、乏力反复发作3年，加重1月。", "口干、多饮、多尿10年，双下肢麻木半年。", "咳嗽、咳痰、活动后气短5年。",
              "胸闷、心前区不适反复发作2年。", "肢体活动不利1年余。", "复查，病情平稳。", "关节肿痛反复发作，晨僵。")


def pick(rng: random.Random, options: tuple) -> object:
    return options[rng.randrange(len(options))]


def diagnosis_for(rng: random.Random, code: str, *, qualifying: bool = True) -> tuple[str, str | None]:
    """A diagnosis line for catalog disease ``code`` and the stage/complication it states."""
    table = DIAGNOSIS_QUALIFYING if qualifying or code not in DIAGNOSIS_BELOW_CRITERION else DIAGNOSIS_BELOW_CRITERION
    text, stage = pick(rng, table[code])  # type: ignore[misc]
    return text, stage
