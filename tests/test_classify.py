"""Document type from keyword evidence: every slot type, OCR noise, titles, hints, and real OCR of rendered pages."""

from __future__ import annotations

import pytest

from pipeline.classify import CONFIDENT_TYPE_SCORE, UNKNOWN, classify_pages, decision_evidence
from pipeline.extract import extract_fields
from pipeline.nlp import build_nlp
from pipeline.pagetext import build_page_text
from pipeline.policy import load_policy
from tests.ocr_helpers import application_form, diagnosis_certificate, exam_report, line, page_of, render, shared_reader

BOOK = load_policy()


def pages(*rows: str, title_x: int = 350) -> list:
    """One page: the first row is the title at the top, the others below it."""
    lines = [line(rows[0], 40, x=title_x)] + [line(r, 150 + 50 * i) for i, r in enumerate(rows[1:])]
    return [build_page_text(page_of(*lines))]


CASES = {
    "id_card": ("姓名 张建国", "性别 男 民族 汉", "出生 1965年3月12日", "住址 山西省临汾市尧都区",
                "公民身份号码 141002196503120015"),
    "id_card_back": ("中华人民共和国", "居民身份证", "签发机关 临汾市公安局尧都分局", "有效期限 2015.03.12-2035.03.12"),
    "social_security_card": ("中华人民共和国社会保障卡", "姓名 张建国", "社会保障号码 141002196503120015"),
    "residence_permit": ("居住证", "姓名 李明", "公民身份号码 141002199001010023", "签发机关 临汾市公安局",
                         "有效期限 2024.01.01-2029.01.01"),
    "diagnosis_certificate": ("疾病诊断证明书", "姓名：张建国", "临床诊断：原发性高血压3级", "建议：定期复查", "医师签名："),
    "exam_report": ("CT检查报告单", "检查项目：胸部CT平扫", "检查所见：双肺纹理清晰", "印象：未见明显异常", "报告医师："),
    "lab_report": ("检验报告单", "标本种类：全血", "项目 结果 参考范围 单位", "白细胞计数 9.33 3.5-9.5", "检验者：王明"),
    "medical_record": ("门诊病历", "主诉：头晕3年", "现病史：患者3年前出现头晕", "既往史：无", "处理：口服降压药"),
    "medication_record": ("处方笺", "Rp：", "硝苯地平缓释片 30mg×30片", "用法：口服 每日一次", "药师："),
    "application_form": ("门诊慢特病认定申请表", "申请人姓名：张建国", "申请病种：高血压", "医师意见：", "申请日期："),
    "previous_approval": ("门诊慢特病待遇认定审批表", "认定结果：同意", "审批意见：同意认定", "有效期至 2025-12-31", "经办人："),
    "power_of_attorney": ("授权委托书", "委托人：张建国", "受托人：张丽", "委托事项：代为办理门诊慢特病申请", "委托期限："),
}
EXPECTED = {"id_card_back": "id_card", "social_security_card": "id_card", "lab_report": "exam_report"}


@pytest.mark.parametrize("case", sorted(CASES))
def test_every_type_from_clean_text(case):
    decision = classify_pages(pages(*CASES[case]))
    assert decision.doc_type == EXPECTED.get(case, case)
    assert decision.score >= CONFIDENT_TYPE_SCORE


@pytest.mark.parametrize(("title", "expected"), [
    ("疾病诊断证眀书", "diagnosis_certificate"),     # one character misread
    ("诊 断 证 明 书", "diagnosis_certificate"),     # spaced title
    ("诊 断 证 明", "diagnosis_certificate"),        # spaced, without 书 (seed 9530's text-layer PDF)
    ("门 诊 病 历", "medical_record"),
    ("授杈委托书", "power_of_attorney"),
    ("门诊病例", "medical_record"),                  # 历 read as 例
    ("检 验 报 告 单", "exam_report"),
    ("居民身份讧", "id_card"),
    ("山西省网住证", "residence_permit"),           # 居 misread (seed 9460, a phone photo)
    ("计算机断层扫描（CT）报告", "exam_report"),     # a title ending in 报告 (fresh seed 9552: typed unknown)
    ("病理报告", "exam_report"),
    ("出院小结", "medical_record"),                  # other hospitals' records: a discharge summary,
    ("住院病案首页", "medical_record"),              # an inpatient record's front sheet
    ("临汾市门诊特殊慢性病待遇续办中请表", "application_form"),  # 申 read 中 (fresh seed 9634: typed unknown)
])
def test_noisy_titles(title, expected):
    decision = classify_pages(pages(title, "姓名：张建国"))
    assert decision.doc_type == expected


@pytest.mark.parametrize(("rows", "foreign"), [
    (("上海市医疗门（急）诊收费票据", "票据代码：310101", "交款人：张建国", "西药费 123.00",
      "合计（大写）壹佰贰拾叁元整"), "invoice"),
    (("门诊收费收据", "交款人：张建国", "检查费 200.00", "收款人：李明"), "invoice"),
    (("苯磺酸氨氯地平片说明书", "【成份】", "【适应症】高血压", "【用法用量】口服"), "drug_leaflet"),
    (("购销合同", "甲方：某某公司", "乙方：某某医院", "违约责任"), "contract"),
    (("居民户口簿", "户主姓名 张建国", "户号 0012", "与户主关系 本人"), "household_register"),
    # a real laboratory accreditation certificate opens with 兹证明 and was typed a diagnosis certificate
    (("中国合格评定国家认可委员会", "实验室认可证书", "LABORATORY ACCREDITATION CERTIFICATE", "（注册号：CNASL3623）",
      "兹证明：", "某某医学实验室", "签发日期：2014-08-04"), "other_certificate"),
])
def test_documents_no_slot_takes_are_unknown_and_named(rows, foreign):
    """An invoice uploaded as the exam report is no material of any slot: its type stays unknown, and
    what it is lets the check say so (WRONG_DOCUMENT) instead of checking it as a report."""
    decision = classify_pages(pages(*rows), hint="exam_report")
    assert (decision.doc_type, decision.foreign) == ("unknown", foreign)
    assert decision.score >= CONFIDENT_TYPE_SCORE


def test_a_lab_report_with_its_fee_is_still_a_report():
    decision = classify_pages(pages("检验报告单", "姓名：张建国", "检验项目 结果 参考范围", "葡萄糖 5.6 3.9-6.1",
                                    "收费类别：医保", "报告日期：2025-03-12"))
    assert (decision.doc_type, decision.foreign) == ("exam_report", None)

def test_approval_notice_worded_as_a_result_notice():
    """A 认定结果告知单 uploaded as a medical record is confidently an approval (seed 9510, a phone photo):
    its title and its granted disease, approval date and validity range each name it."""
    decision = classify_pages(pages("门诊特殊慢性病认定结果告知单", "姓名：张建国", "认定病种：脑卒中后遗症",
                                    "审批日期：2023.10:12", "有效期：2023.10.12至2025.12.23", "海市医疗保牌服务中"),
                              hint="medical_record")
    assert decision.doc_type == "previous_approval"
    assert decision.score >= CONFIDENT_TYPE_SCORE


@pytest.mark.parametrize("title", ["门诊慢特病待遇认定凭证", "临汾市门诊慢特病待遇资格证", "门诊特殊疾病治疗证"])
def test_an_approval_certificate_is_confidently_an_approval(title):
    """A 门诊慢特病待遇认定凭证 (the card handed to the insured person) uploaded as a medical record
    (alternative templates family 2, seed 7107): scored 0.24 as an approval, it passed unseen."""
    decision = classify_pages(pages(title, "姓名：孟彩玉", "身份证号：141021199002283441",
                                    "认定病种：慢性心力衰竭", "有效期限：自2023年11月27日起至2025年7月22日止",
                                    "临汾市医疗保障事务中", "发证日期：2023年11月27日"), hint="medical_record")
    assert decision.doc_type == "previous_approval"
    assert decision.score >= CONFIDENT_TYPE_SCORE


def test_an_agents_authorisation_register_is_a_power_of_attorney():
    """A 代办授权登记表 (alternative templates 3, seed 7301, a phone photo): its 登记表 made it an application form,
    a false WRONG_DOCUMENT on a power of attorney."""
    decision = classify_pages(pages("代办授权登记表", "致：临汾市医疗保障局尧都分局",
                                    "身份 姓名 公民身份号码 联系电话 关系 签字（按印）",
                                    "委托人 邱建 141082195904028612 15110565566 本人", "受托人 卢建宇 配偶",
                                    "委托人邱建因常年在外地居住，无法亲自办理门诊慢特病待遇认定申请相关手续",
                                    "委托日期：2025/7/22"), hint="power_of_attorney")
    assert decision.doc_type == "power_of_attorney"
    assert decision.score >= CONFIDENT_TYPE_SCORE


def test_a_lab_report_titled_by_its_department_is_confidently_a_report():
    """A 检验科报告 photographed blurred and uploaded as an ID card (alternative templates 3, seed 7303): scored
    unknown (a stray mark read after its title), its name read from the title and an IDENTITY_MISMATCH raised
    where WRONG_DOCUMENT was due."""
    decision = classify_pages(pages("防城港市东兴中医医院", "检验科报告 /", "付里：内科", "项目名称 单位", "1 G 4.0 196.1"),
                              hint="id_card")
    assert decision.doc_type == "exam_report"
    assert decision.score >= CONFIDENT_TYPE_SCORE


def test_a_chronic_disease_filing_record_is_an_approval():
    """门诊慢特病备案信息查询结果 uploaded as a medical record (alternative templates 2, seed 7120, an image PDF): not
    confidently an approval, it was checked as a record (REPORT_EXPIRED where WRONG_DOCUMENT was due)."""
    decision = classify_pages(pages("门诊慢特病备案信息查询结果", "人员编号：9151647060297361 姓名：陈怡彩 性别：女",
                                    "证件号码：450681198106123801 险种类型：职工基本医疗保险 参保地：防城港市",
                                    "序号 病种名称 认定日期 开始日期 终止日期 认定机构 状态",
                                    "1 精神分裂症 2024年2月26日 2024年2月26日 2025年10月19日 防城港市医疗保障服务中心 有效",
                                    "共1条记录", "经办机构：防城港市医疗保障服务中心"), hint="medical_record")
    assert decision.doc_type == "previous_approval"
    assert decision.score >= CONFIDENT_TYPE_SCORE


def test_title_outweighs_body_keywords():
    """A diagnosis certificate whose body mentions an exam and a prescription stays a certificate."""
    decision = classify_pages(pages("诊断证明书", "经CT检查", "诊断：脑梗死后遗症", "建议：处方用药，定期复查"))
    assert decision.doc_type == "diagnosis_certificate"
    assert decision.best_hit is not None and decision.best_hit.in_title


def test_thin_evidence_is_unknown():
    decision = classify_pages(pages("关于做好春节假期安排的通知", "各单位：", "现将有关事项通知如下"))
    assert decision.doc_type == UNKNOWN
    assert decision.score == 0.0


def test_invoice_is_not_an_id_card():
    decision = classify_pages(pages("上海市医疗门诊收费票据", "姓名：代志红 医保类型：自费", "社会保障号码：133004003819317",
                                    "项目 金额（元）", "收款单位（章）"))
    assert (decision.doc_type, decision.foreign) == ("unknown", "invoice")  # its 社会保障号码 makes no card


def test_hint_breaks_near_ties_only():
    near_tie = pages("姓名：张三", "主诉：头晕3年", "现病史：头晕", "处方：硝苯地平片 用法：口服")
    assert classify_pages(near_tie, hint="medication_record").doc_type == "medication_record"
    assert classify_pages(near_tie, hint="medical_record").doc_type == "medical_record"
    clear = pages("疾病诊断证明书", "诊断：高血压3级")
    assert classify_pages(clear, hint="exam_report").doc_type == "diagnosis_certificate"


def test_agent_id_card_is_an_id_card():
    decision = classify_pages(pages(*CASES["id_card"]), hint="agent_id_card")
    assert decision.doc_type == "id_card"


def test_later_pages_weigh_less():
    first = pages("检验报告单", "项目 结果 参考范围")
    second = [build_page_text(page_of(line("门诊病历", 40, x=350), page=2))]
    assert classify_pages(first + second).doc_type == "exam_report"


def test_evidence_points_at_the_title():
    page_texts = pages("授权委托书", "委托人：张建国")
    decision = classify_pages(page_texts)
    evidence = decision_evidence(decision, page_texts)
    assert evidence is not None
    assert evidence.text == "授权委托书" and evidence.bbox[1] == 40 and evidence.value == "power_of_attorney"


# --------------------------------------------------------------------------- real OCR


@pytest.fixture(scope="module")
def nlp():
    return build_nlp(BOOK)


@pytest.mark.parametrize(("spec", "expected"), [
    (diagnosis_certificate, "diagnosis_certificate"),
    (exam_report, "exam_report"),
    (lambda: application_form(signed=True), "application_form"),
])
def test_rendered_pages_read_by_rapidocr(nlp, spec, expected):
    """GIVEN a rendered document page WHEN RapidOCR reads it THEN its type is detected confidently,
    and confidently not as the type of another slot."""
    page = shared_reader().read(render(spec()))
    fields = extract_fields([page], nlp, BOOK, "id_card")
    assert fields.detected_type == expected
    assert fields.type_score >= CONFIDENT_TYPE_SCORE
    assert fields.type_evidence is not None and fields.type_evidence.page == 1


def test_social_security_card_without_its_title():
    decision = classify_pages(pages("姓名 熊文", "社会保障号码", "141022196607312332", "社会保障卡号 208228357",
                                    "发卡日期 2020年07月"))
    assert decision.doc_type == "id_card"
