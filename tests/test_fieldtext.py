"""fieldtext: ID numbers in OCR text."""

from __future__ import annotations

import pytest

from pipeline import fieldtext
from pipeline.fieldtext import find_id_numbers, find_person_names


def test_a_digit_on_the_row_above_does_not_join_the_number():
    # a blurred card: "市1" read on the row above the number
    found = find_id_numbers("年7月#日\n市1\n141022196407188218\n中华人民共和")
    assert [m.number for m in found] == ["141022196407188218"]


def test_digit_groups_spaced_within_a_row_still_make_one_number():
    found = find_id_numbers("身份证号 141022 19640718 8218")
    assert [m.number for m in found] == ["141022196407188218"]
    assert found[0].labelled


@pytest.mark.parametrize(("row", "name"), [
    ("顾军强同志：", "顾军强"),  # a notice's salutation names whom it was issued to (认定结果通知单)
    ("车强同志", "车强"),  # as a blurred photo reads it (alternative templates seed 7017): checked against the print
    ("王建国先生：", "王建国"),
    ("各位同志：", None),  # a collective address names no one
    ("全体同志", None),
    ("张三同志，你好", None),  # not a salutation alone on its row
])
def test_a_letters_salutation_names_its_addressee(row, name):
    found = find_person_names(row)
    assert [m.value for m in found] == ([name] if name else [])
    assert all(m.role == "patient" for m in found)


@pytest.mark.parametrize(("row", "name"), [
    ("姓：户赠", "户赠"),  # 姓名：卢娟晓 on a blurred photo, its 名 lost (fresh seed 9643): checked against the print
    ("百家姓：赵钱孙李", None),  # not at the row's start
    ("姓：", None),
])
def test_a_name_label_with_its_second_character_lost_still_labels_the_name(row, name):
    assert [m.value for m in find_person_names(row)] == ([name] if name else [])


@pytest.mark.parametrize(("row", "name"), [
    ("姓名/Name：常平庆", "常平庆"),  # a bilingual report's label (alternative templates 2, seed 7114: another person's
    ("患者姓名 Patient Name: 王建国", "王建国"),  # report whose name went unread passed: an unsafe pass)
    ("申请人/Applicant：李四", "李四"),
    ("姓名：王伟 性别/Sex：男", "王伟"),
])
def test_a_name_labels_english_gloss_before_its_colon_is_the_labels(row, name):
    assert [m.value for m in find_person_names(row)] == [name]


def test_what_a_power_of_attorneys_sentence_says_the_principal_does_is_no_name():
    # 委托人在办理过程中所签署的有关文件 (fresh seed 9644: 在办理过 was taken for the principal's name)
    assert find_person_names("不能亲自办理，委托人在办理过") == []
    assert [m.value for m in find_person_names("委托人：武彩红")] == ["武彩红"]


@pytest.mark.parametrize(("row", "name", "role"), [
    ("类托人：武彩红", "武彩红", "principal"),  # 委 read as its look-alike 类 (fresh seed 9644)
    ("爱托人：丁晓平", "丁晓平", "agent"),  # 受 read as its look-alike 爱
    ("受托人：丁晓平", "丁晓平", "agent"),
])
def test_a_power_of_attorneys_labels_misread_as_look_alikes_keep_their_roles(row, name, role):
    assert [(m.value, m.role) for m in find_person_names(row)] == [(name, role)]


@pytest.mark.parametrize(("row", "name"), [
    ("姓名 T新发", "丁新发"),  # 丁 read as the Latin T it looks like (alternative templates 2, seed 7114)
    ("姓名：T胜", "丁胜"),
    ("姓名：Tom", None),  # a Latin word is no misread 丁
    ("姓名 TEL：12345", None),
])
def test_a_name_whose_ding_was_read_as_t_is_repaired(row, name):
    assert [m.value for m in find_person_names(row)] == ([name] if name else [])



@pytest.mark.parametrize(("text", "codes"), [
    ("硬死后道症（左侧体编）（169）", ["I69"]),  # fresh seed 9654: (I69) with its I read 1
    ("高血压3级(l10)", ["I10"]),
    ("2型糖尿病（E11.9）", ["E11.9"]),
    ("血压（160/100）", []),  # a measure, not a code
    ("随访（169天）", []),
])
def test_icd_codes_also_with_a_bracketed_i_read_as_one(text, codes):
    assert [code for _, _, code in fieldtext.find_icd_codes(text)] == codes


@pytest.mark.parametrize(("row", "value"), [
    ("诊断意把：硬死后道症（左侧体编）（169）", "硬死后道症（左侧体编）（169）"),  # fresh seed 9654: 见 read 把
    ("诊断意见：原发性高血压2级", "原发性高血压2级"),
])
def test_a_diagnosis_label_whose_last_character_was_misread_before_its_colon_still_labels(row, value):
    from pipeline.pagetext import page_text_from_string

    page = page_text_from_string(row)
    found = fieldtext.find_diagnoses(page)
    assert [page.text[m.start:m.end] for m in found] == [value]


def _value_of(page, found) -> str:
    """The diagnosis as the extraction states it: its rows joined, other columns' words left out."""
    return fieldtext.diagnosis_value(page.text[found.start:found.end],
                                     tuple(o - found.start for o in found.item_starts),
                                     tuple((a - found.start, b - found.start) for a, b in found.skipped))


def test_a_label_heading_a_right_hand_column_takes_only_that_column_below_it():
    """Alternative templates 2, seed 7117: a prescription's drugs on the left, 诊断： over the diagnoses on the
    right. The drug beside each diagnosis is not part of it."""
    from models.ocr import OcrLine, OcrPage
    from pipeline.pagetext import build_page_text

    boxes = [("开方时间", [1076, 237, 95, 31]), ("2025.08.04 11:10:06", [1203, 239, 203, 26]),
             ("Rp:", [112, 356, 76, 52]), ("诊断：", [958, 366, 66, 33]),
             ("奥氮平片5mg×14片/盒×4", [147, 422, 315, 32]), ("腰椎退行性变", [968, 415, 147, 30]),
             ("2型糖尿病伴糖尿病肾病", [967, 457, 256, 32]), ("用法：5mgqn口服", [194, 468, 188, 30]),
             ("吗替麦考酚酯胶囊0.25g×40粒/盒×3", [147, 510, 423, 30])]
    page = build_page_text(OcrPage(page=1, width=1575, height=1102, engine="rapidocr",
                                   lines=tuple(OcrLine(text=t, bbox=b, confidence=0.99) for t, b in boxes)))
    [found] = fieldtext.find_diagnoses(page)
    value = _value_of(page, found)
    assert value == "腰椎退行性变；2型糖尿病伴糖尿病肾病"


def test_a_column_labels_items_go_on_past_a_row_of_the_other_column_between_them():
    """Alternative templates 2, seed 7117: a two-column record, 印象： heading the right column; the left
    column's 联系电话 row stands between items 一 and 二, and 住址 beside item 三."""
    from models.ocr import OcrLine, OcrPage
    from pipeline.pagetext import build_page_text

    boxes = [("性别：", [208, 666, 162, 60]), ("男", [808, 669, 56, 59]), ("双肺呼吸音清，心律齐。", [1592, 669, 466, 62]),
             ("印象：", [1589, 771, 126, 60]), ("年龄：", [206, 793, 169, 64]), ("72岁", [786, 801, 102, 56]),
             ("一、", [1598, 878, 64, 43]), ("脂肪肝", [1673, 871, 149, 58]),
             ("联系电话：", [208, 926, 210, 56]), ("17681662142", [723, 932, 276, 54]),
             ("二、", [1598, 978, 64, 43]), ("颈椎病", [1675, 970, 145, 59]),
             ("住址：", [206, 1055, 162, 60]), ("广西东兴市北仑大道90号", [588, 1057, 494, 60]),
             ("三、2型糖尿病伴多个并发症", [1592, 1068, 560, 60]),
             ("药物过敏史:", [206, 1184, 249, 57]), ("青霉素", [810, 1186, 145, 66]),
             ("处理：完善相关检查，门诊随诊。", [1590, 1168, 638, 62])]
    page = build_page_text(OcrPage(page=1, width=2953, height=2079, engine="rapidocr",
                                   lines=tuple(OcrLine(text=t, bbox=b, confidence=0.99) for t, b in boxes)))
    [found] = [m for m in fieldtext.find_diagnoses(page) if "印象" in m.label]
    value = _value_of(page, found)
    assert value == "一、脂肪肝；二、颈椎病；三、2型糖尿病伴多个并发症"


def _page(boxes, width=1121, height=1417):
    from models.ocr import OcrLine, OcrPage
    from pipeline.pagetext import build_page_text

    return build_page_text(OcrPage(page=1, width=width, height=height, engine="rapidocr",
                                   lines=tuple(OcrLine(text=t, bbox=b, confidence=0.9) for t, b in boxes)))


# A certificate's table (alternative templates 2, seed 7119, a phone photo): 诊断 down its left header cell, 诊 read
# with the value's 一 and 断 as 新; then 意见 down the next cell beside the advice
_STACKED = [("证件号码", [297, 498, 67, 25]), ("141022197901248321", [384, 501, 149, 20]),
            ("诊一", [251, 546, 75, 24]), ("冠心编PCI米后", [326, 546, 116, 27]), ("新", [253, 573, 22, 21]),
            ("建议门诊长明治疗，按时复诊。", [303, 619, 209, 25]), ("见", [260, 653, 21, 23]),
            ("医标签名", [286, 713, 69, 25])]


def test_a_diagnosis_label_stacked_down_a_header_cell_heads_the_value_beside_it():
    page = _page(_STACKED)
    [found] = fieldtext.find_diagnoses(page)
    assert (found.label, found.group) == ("诊断", "clinical")
    assert _value_of(page, found) == "一冠心编PCI米后"


@pytest.mark.parametrize("boxes", [
    [("诊一", [251, 546, 75, 24]), ("冠心病", [326, 546, 116, 27]), ("新", [253, 640, 22, 21])],  # 断 too far below
    [("诊一", [251, 546, 75, 24]), ("冠心病", [326, 546, 116, 27]), ("新", [330, 573, 22, 21])],  # not under 诊
    [("诊所地址", [251, 546, 75, 24]), ("新华路", [326, 546, 116, 27]), ("新", [253, 573, 22, 21])],  # 诊 is a word's
])
def test_no_stacked_label_without_its_second_character_just_below(boxes):
    assert [m.label for m in fieldtext.find_diagnoses(_page(boxes))] == []


def test_what_lies_wholly_left_of_a_label_alone_on_its_row_is_not_its_value():
    """Alternative templates 2, seed 7117: a grey seal over a report's sidebar read 用中医国 just below 检查结论,
    the conclusion's items to the right of the sidebar."""
    from models.ocr import OcrLine, OcrPage
    from pipeline.pagetext import build_page_text

    boxes = [("检查日期", [158, 1253, 112, 40]), ("检查结论", [687, 1268, 161, 53]), ("用中医国", [122, 1260, 491, 180]),
             ("报告时间,", [158, 1379, 118, 42]), ("1、左室壁增厚。", [708, 1371, 300, 44]),
             ("2010-031用章", [143, 1400, 430, 99]), ("2、 左房增大，二尖瓣少量反流。", [708, 1426, 506, 44]),
             ("超声诊断", [244, 1437, 203, 97]), ("3、左室舒张功能减退。", [708, 1490, 420, 46])]
    page = build_page_text(OcrPage(page=1, width=2142, height=3015, engine="rapidocr",
                                   lines=tuple(OcrLine(text=t, bbox=b, confidence=0.99) for t, b in boxes)))
    [found] = [m for m in fieldtext.find_diagnoses(page) if "结论" in m.label]
    value = _value_of(page, found)
    assert "用中医国" not in value and "超声诊断" not in value
    assert value.startswith("1、左室壁增厚") and value.endswith("3、左室舒张功能减退。")


def test_a_numbered_item_whose_dot_was_read_as_a_comma_goes_on_the_list():
    """Alternative templates seed 7022: 初步诊断： / 1.前列腺增生 / 2.障碍 / 3,有肺腺癌（cT2N1M0ⅡB期） on a phone
    photo; the list stopped before item 3, the cancer applied for."""
    from pipeline.pagetext import page_text_from_string

    page = page_text_from_string("初步诊断：\n1.前列腺增生\n2.障碍\n3,有肺腺癌（cT2N1M0ⅡB期）\n建议：定期复查")
    [found] = fieldtext.find_diagnoses(page)
    assert page.text[found.start:found.end].endswith("3,有肺腺癌（cT2N1M0ⅡB期）")
    assert fieldtext._item_number("3,5mg") is None  # a number, not an item


def test_a_bracketed_item_number_read_circled_goes_on_the_list():
    """Alternative templates seed 7022: 【门诊诊断】 / （1）腰椎间盘突出症 / （②）右肺鹏（cT2N1MOHB期）: item 2 was lost."""
    from pipeline.pagetext import page_text_from_string

    page = page_text_from_string("【门诊诊断】\n（1）腰椎间盘突出症\n（②）右肺鹏（cT2N1MOHB期）")
    [found] = fieldtext.find_diagnoses(page)
    assert page.text[found.start:found.end].endswith("（②）右肺鹏（cT2N1MOHB期）")
    assert fieldtext._item_number("（②）右肺") == 2


@pytest.mark.parametrize(("row", "value"), [
    ("Diogosis: 慢性肾衰竭（C5期）", "慢性肾衰竭（C5期）"),  # 诊断 lost on a phone photo (alternative templates 2, seed 7119)
    ("诊断 Diagnosis: 慢性肾衰竭（CKD 5期）", "慢性肾衰竭（CKD 5期）"),  # the gloss heads no second diagnosis
    ("Diagnosis Date: 2025-01-16", None),
])
def test_an_english_diagnosis_label(row, value):
    from pipeline.pagetext import page_text_from_string

    page = page_text_from_string(row)
    assert [page.text[m.start:m.end].strip() for m in fieldtext.find_diagnoses(page)] == ([value] if value else [])


def test_a_circled_list_under_a_right_hand_column_label_goes_on_past_codes():
    """A TIFF scan (alternative templates 3, seed 7302): 诊断 Diagnosis: heading the right column, items ①②③ below
    it; ② holds mostly a TNM code (右肺腺癌 (cT2N1M0 II B期)) and the list stopped before it, a false
    DIAGNOSIS_MISMATCH on 肾囊肿."""
    page = _page([("姓名：孙德", [101, 322, 198, 48]), ("诊断 Diagnosis:", [892, 318, 254, 50]),
                  ("①肾囊肿", [925, 386, 143, 45]), ("性别：男", [101, 406, 181, 47]),
                  ("②右肺腺癌 (cT2N1M0 II B期)", [925, 452, 475, 44]), ("年龄：83岁", [101, 488, 213, 49]),
                  ("③脂肪肝 (待排)", [925, 519, 261, 44]), ("科 室：肿瘤内科", [101, 574, 278, 44]),
                  ("建议:", [892, 607, 93, 46]), ("临汾市汾西人民医院", [1516, 1026, 310, 42]),
                  ("2024年11月25日", [1546, 1102, 246, 38])], width=1398, height=1984)
    [found] = fieldtext.find_diagnoses(page)
    assert _value_of(page, found) == "①肾囊肿；②右肺腺癌(cT2N1M0 II B期)；③脂肪肝(待排)"


def test_a_centred_label_takes_its_one_row_of_value_from_the_top_of_its_cell():
    """A scanned certificate (alternative templates 3, seed 7304): 诊断 Diagnosis centred in a tall cell, its
    value 乙状结肠癌术后 at the cell's top, a row above the label's. The gloss without a colon was taken for the
    diagnosis: three false DIAGNOSIS_MISMATCH returns."""
    boxes = [("住址", [240, 580, 60, 30]), ("山西省临汾市尧都区鼓楼南街91号院", [426, 578, 420, 32]),
             ("乙状结肠癌术后(ICD-10:C34)", [426, 662, 400, 37]), ("诊断", [240, 700, 60, 36]),
             ("Diagnosis", [310, 704, 90, 28]), ("建议规律服药，监测血压丶血糖变化。", [426, 830, 500, 34])]
    page = _page(boxes)
    [found] = fieldtext.find_diagnoses(page)
    assert _value_of(page, found) == "乙状结肠癌术后(ICD-10:C34)"


def test_the_wrapped_end_of_the_field_above_is_no_value_of_a_label_left_without_one():
    boxes = [("住址", [240, 580, 60, 30]), ("山西省临汾市尧都区", [426, 578, 420, 32]),
             ("鼓楼南街91号院", [426, 622, 200, 32]), ("诊断", [240, 660, 60, 36]), ("Diagnosis", [310, 664, 90, 28])]
    assert fieldtext.find_diagnoses(_page(boxes)) == []
