"""Material types (slots) an applicant uploads files as, with their Chinese names."""

from __future__ import annotations

from enum import StrEnum


class Slot(StrEnum):
    ID_CARD = "id_card"
    RESIDENCE_PERMIT = "residence_permit"
    DIAGNOSIS_CERTIFICATE = "diagnosis_certificate"
    EXAM_REPORT = "exam_report"
    MEDICAL_RECORD = "medical_record"
    MEDICATION_RECORD = "medication_record"
    APPLICATION_FORM = "application_form"
    PREVIOUS_APPROVAL = "previous_approval"
    POWER_OF_ATTORNEY = "power_of_attorney"
    AGENT_ID_CARD = "agent_id_card"


SLOT_LABEL_ZH: dict[Slot, str] = {
    Slot.ID_CARD: "身份证/社保卡",
    Slot.RESIDENCE_PERMIT: "居住证",
    Slot.DIAGNOSIS_CERTIFICATE: "诊断证明书",
    Slot.EXAM_REPORT: "检查/检验报告",
    Slot.MEDICAL_RECORD: "门诊病历",
    Slot.MEDICATION_RECORD: "用药记录/处方",
    Slot.APPLICATION_FORM: "申请表",
    Slot.PREVIOUS_APPROVAL: "原认定审批表",
    Slot.POWER_OF_ATTORNEY: "授权委托书",
    Slot.AGENT_ID_CARD: "代办人身份证",
}

# Slots whose materials belong to the agent, not the applicant.
AGENT_SLOTS: frozenset[Slot] = frozenset({Slot.AGENT_ID_CARD})


def slot_label(slot: str | None) -> str:
    try:
        return SLOT_LABEL_ZH[Slot(slot)]
    except ValueError:
        return str(slot)
