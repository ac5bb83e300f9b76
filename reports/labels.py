"""Chinese labels for reviewer-facing output (reports, analytics tables and charts).

Identifiers stay English everywhere else; this module is where each code meets its Chinese name.
"""

from __future__ import annotations

from models.codes import FindingCode, Severity, Status
from models.slots import slot_label

STATUS_ZH: dict[str, str] = {
    Status.PASS: "通过预审",
    Status.MANUAL_REVIEW: "需人工复核",
    Status.RETURN: "建议退回补正",
    "rejected": "清单无法读取",
}

STATUS_BANNER_ZH: dict[str, str] = {
    Status.PASS: "材料齐全，未发现需退回的问题，可转专家审核。",
    Status.MANUAL_REVIEW: "部分内容无法自动确认，请审核人员逐项查看下列事项。",
    Status.RETURN: "发现需申请人补正的问题，建议退回并一次性告知补正内容。",
    "rejected": "申请清单（application.json）缺失或无法读取，无法进行预审。",
}

SEVERITY_ZH: dict[str, str] = {
    Severity.RETURN: "需退回",
    Severity.MANUAL: "需复核",
    Severity.INFO: "提示",
}

CODE_ZH: dict[str, str] = {
    FindingCode.MATERIAL_MISSING: "材料缺失",
    FindingCode.UNREADABLE_FILE: "文件无法读取",
    FindingCode.WRONG_DOCUMENT: "材料类型不符",
    FindingCode.ILLEGIBLE: "无法清晰识读",
    FindingCode.SEAL_MISSING: "未见医院公章",
    FindingCode.DATE_MISSING: "未见日期",
    FindingCode.REPORT_EXPIRED: "报告超过有效期",
    FindingCode.DATE_IN_FUTURE: "日期晚于申请日",
    FindingCode.DISEASE_NOT_COVERED: "病种不在目录内",
    FindingCode.DIAGNOSIS_MISMATCH: "诊断与申请病种不符",
    FindingCode.STAGE_NOT_MET: "分期/分型不符合要求",
    FindingCode.HOSPITAL_NOT_ELIGIBLE: "出具医院不符合要求",
    FindingCode.HOSPITAL_UNKNOWN: "出具医院无法确认",
    FindingCode.IDENTITY_MISMATCH: "身份信息不一致",
    FindingCode.ID_NUMBER_INVALID: "身份证号码校验不符",
    FindingCode.SIGNATURE_MISSING: "缺少医师签字",
    FindingCode.AGENT_MATERIALS_MISSING: "代办材料不全",
    FindingCode.RENEWAL_OUT_OF_WINDOW: "不在续办期内",
    FindingCode.OFFSITE_FILING_REMINDER: "需办理异地就医备案",
    FindingCode.DUPLICATE_FILE: "文件重复上传",
}
assert set(CODE_ZH) == set(FindingCode), "every finding code needs a Chinese label"

# What the evidence crop shows, per code (absence is evidence too: the place where a seal should be).
CROP_CAPTION_ZH: dict[str, str] = {
    FindingCode.SEAL_MISSING: "应加盖公章的位置（未检出公章）",
    FindingCode.DATE_MISSING: "应有日期的位置（未识读到日期）",
    FindingCode.REPORT_EXPIRED: "识读到的日期",
    FindingCode.DATE_IN_FUTURE: "识读到的日期",
    FindingCode.SIGNATURE_MISSING: "医师签字栏",
    FindingCode.DIAGNOSIS_MISMATCH: "诊断内容",
    FindingCode.STAGE_NOT_MET: "诊断内容",
    FindingCode.HOSPITAL_NOT_ELIGIBLE: "出具医院",
    FindingCode.HOSPITAL_UNKNOWN: "出具医院",
    FindingCode.IDENTITY_MISMATCH: "姓名/证件号码",
}

# The crop of a DATE_MISSING finding whose date was read but cannot be trusted (a year read decades
# ahead, or one digit off a recent year) shows that reading, not an empty place.
_DOUBTFUL_READING_CAPTION_ZH: dict[str, str] = {
    FindingCode.DATE_MISSING: "识读到的日期（疑为识别错误，需人工核对）",
}


def crop_caption(code: str, value_read: bool) -> str:
    """What a finding's evidence crop shows; ``value_read`` when the evidence carries a value as read."""
    if value_read and code in _DOUBTFUL_READING_CAPTION_ZH:
        return _DOUBTFUL_READING_CAPTION_ZH[code]
    return CROP_CAPTION_ZH.get(code, "证据截图")


KIND_ZH: dict[str, str] = {"new": "新申请", "renewal": "续办"}

DEADLINE_ZH: dict[str, str] = {
    "pre_review_due": "预审反馈期限",
    "resubmit_by": "补正材料截止",
    "review_due": "材料审核期限",
    "result_notice_due": "结果告知期限",
}

FIELD_ZH: dict[str, str] = {
    "issue_date": "出具日期",
    "hospital": "医院",
    "person_name": "姓名",
    "id_number": "证件号码",
    "diagnosis": "诊断",
    "disease_code": "病种代码",
    "stage": "分期/分型",
    "signature_present": "医师签字",
}


def status_label(status: str) -> str:
    return STATUS_ZH.get(status, status)


def code_label(code: str) -> str:
    return CODE_ZH.get(code, code)


def severity_label(severity: str) -> str:
    return SEVERITY_ZH.get(severity, severity)


def material_label(slot: str | None) -> str:
    """Chinese name of a material type (slot or detected type); ``unknown`` and None read as 未识别."""
    if slot in (None, "", "unknown"):
        return "未识别"
    return slot_label(slot)
