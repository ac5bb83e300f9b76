"""Hospital names: tolerant registry match, unknown institutions as read, the title-area hospital first."""

from __future__ import annotations

import pytest

from pipeline.extract import extract_fields
from pipeline.hospitals import build_registry, find_hospitals, match_hospital
from pipeline.nlp import build_nlp
from pipeline.policy import load_policy
from tests.ocr_helpers import Text, line, page_of, render, shared_reader

BOOK = load_policy()
REGISTRY = build_registry(BOOK.all_hospitals)


@pytest.fixture(scope="module")
def nlp():
    return build_nlp(BOOK)


@pytest.mark.parametrize(("text", "expected"), [
    ("临汾市尧都中心医院", "临汾市尧都中心医院"),
    ("尧都中心医院", "临汾市尧都中心医院"),                  # alias
    ("临汾市尧都中心医阮", "临汾市尧都中心医院"),            # confused character
    ("临汾市尧都中必医院", "临汾市尧都中心医院"),
    ("临汾市尧都心医院", "临汾市尧都中心医院"),              # dropped character
    ("临 汾 市 尧 都 中 心 医 院", "临汾市尧都中心医院"),    # spaced title
    ("临汾市尧都中心医院门诊病历", "临汾市尧都中心医院"),
    ("临汾市尧都中心医院检验科", "临汾市尧都中心医院"),      # a department is the hospital
    ("临汾市尧都中心医院门诊部", "临汾市尧都中心医院"),
    ("临汾市尧都中心医院门诊专用章", "临汾市尧都中心医院"),
    ("平阳中医院", "临汾市平阳中医医院"),
    ("临汾市平国中医医院", "临汾市平阳中医医院"),            # a distinctive character read as its look-alike
    ("临汾市尧部中心医院", "临汾市尧都中心医院"),
    ("防城港市北部中心医院", "防城港市北部湾中心医院"),
    ("港口区人民医院", "防城港市港口区人民医院"),
    ("临汾市尧都区鼓楼社区卫生服务中心", "临汾市尧都区鼓楼社区卫生服务中心"),
    ("防城港市渔洲坪社区卫生服务站", "防城港市渔洲坪社区卫生服务站"),
    ("临汾市尧都中医院", "临汾市尧都中心医院"),              # 心 lost: what is left is not a 中医院
    ("汾西县人民医院", "临汾市汾西人民医院"),
])
def test_registry_names_match_tolerantly(text, expected):
    found = match_hospital(text, REGISTRY)
    assert found is not None
    assert found.in_registry
    assert found.name == expected


@pytest.mark.parametrize("text", [
    "临汾市第一人民医院",          # two characters from 临汾市汾西人民医院, but another hospital
    "临汾市汾阳人民医院",
    "临汾市尧都区西街社区卫生服务中心",
    "防城港市北海湾中心医院",
    "XX市第一人民医院",
    "山西省人民医院",
    "临汾市尧都区华康医院",        # its 康医院 is not the registry's 康宁医院 with 宁 lost (seed 9407)
    # another kind of institution of the same place: its kind word is no misreading of the registry's
    "临汾市汾西中医医院", "临汾市尧都区中医医院", "临汾市尧都人民医院", "港口区中医医院", "北部湾人民医院",
    "鼓楼社区卫生服务站", "渔洲坪社区卫生服务中心",
    # an institution run under a registry hospital's name is another place, not graded by the registry
    "临汾市尧都中心医院东城社区卫生服务站", "临汾市尧都中心医院分院", "临汾市尧都中心医院医联体乡镇卫生院",
])
def test_another_hospital_is_not_a_registry_one(text):
    found = match_hospital(text, REGISTRY)
    assert found is not None
    assert not found.in_registry
    assert found.name == text


@pytest.mark.parametrize(("text", "expected"), [
    ("XX市第一人民医院门诊病历", "XX市第一人民医院"),
    ("诊断医院：临汾市第一人民医院", "临汾市第一人民医院"),
    ("医院名称临汾市第三人民医院", "临汾市第三人民医院"),
    ("苏州大学附属第二医院检验报告单", "苏州大学附属第二医院"),
    ("XX镇卫生院", "XX镇卫生院"),
    ("张氏中医诊所", "张氏中医诊所"),
    ("XX县人民医院门诊部", "XX县人民医院"),
    ("XX市妇幼保健院", "XX市妇幼保健院"),
])
def test_unknown_institutions_are_read_as_written(text, expected):
    found = match_hospital(text, REGISTRY)
    assert found is not None
    assert not found.in_registry
    assert found.name == expected


@pytest.mark.parametrize("text", [
    "建议到上级医院复查", "超声诊断中心", "本院诊断", "检验中心", "请于三级医院就诊", "医院", "",
    "器官移植中心",  # a department in a 科别 column: no place names it (alternative templates, seed 7015)
])
def test_no_institution(text):
    assert find_hospitals(text, REGISTRY) == []


def test_offsets_point_at_the_text_as_read():
    text = "门诊病历 临汾市尧都中必医院 2025"
    [found] = find_hospitals(text, REGISTRY)
    assert text[found.start:found.end] == found.raw == "临汾市尧都中必医院"
    assert 0.8 < found.score < 1.0


def test_title_hospital_beats_other_mentions(nlp):
    page = page_of(
        line("临汾市第一人民医院", 40, x=300),
        line("门诊病历", 90, x=380),
        line("姓名：张建国", 200),
        line("主诉：头晕3年", 250),
        line("处理：建议到临汾市尧都中心医院心内科复查", 700),
    )
    fields = extract_fields([page], nlp, BOOK, "medical_record")
    assert fields.hospital is not None
    assert fields.hospital.value == "临汾市第一人民医院"
    assert not fields.hospital_in_registry
    assert fields.hospital.evidence.bbox[1] == 40


def test_labelled_hospital_on_a_form(nlp):
    page = page_of(
        line("门诊慢特病认定申请表", 40, x=300),
        line("申请人姓名：张建国", 200),
        line("诊断医院：临汾市汾西人民医院", 260),
        line("经治医师签名：", 900),
    )
    fields = extract_fields([page], nlp, BOOK, "application_form")
    assert fields.hospital is not None
    assert fields.hospital.value == "临汾市汾西人民医院"
    assert fields.hospital_in_registry


def test_rendered_header_read_by_ocr(nlp):
    """GIVEN a page headed by a registry hospital in a small serif-less bold font
    WHEN it is rendered, read by RapidOCR and extracted
    THEN the registry name is returned with the header line's box."""
    texts = [Text("防城港市港口区人民医院", (250, 40), 28, bold=True), Text("门诊病历", (360, 90), 32, bold=True),
             Text("姓名：黄丽    性别：女", (60, 200)), Text("就诊日期：2025-05-06", (60, 250))]
    image = render_spec(texts)
    page = shared_reader().read(image)
    fields = extract_fields([page], nlp, BOOK, "medical_record")
    assert fields.hospital is not None and fields.hospital_in_registry
    assert fields.hospital.value == "防城港市港口区人民医院"
    _, y, w, _ = fields.hospital.evidence.bbox
    assert abs(y - 40) < 20 and w > 200


def render_spec(texts):
    from tests.ocr_helpers import PageSpec

    return render(PageSpec(texts=texts, size=(850, 400)))
