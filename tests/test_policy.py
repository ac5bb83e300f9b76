"""Policy data: loads, validates, names the file and key on error; a region is a data file."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from pipeline.diseases import resolve_disease
from pipeline.errors import PolicyDataError
from pipeline.policy import DEFAULT_POLICY_DIR, load_policy


def copy_policy(tmp_path: Path) -> Path:
    target = tmp_path / "policy"
    shutil.copytree(DEFAULT_POLICY_DIR, target)
    return target


def test_bundled_policy_loads(policy):
    assert set(policy.regions) >= {"linfen", "fangchenggang"}
    assert len(policy.catalog.diseases) >= 20
    assert all(d.icd10 for d in policy.catalog.diseases)


@pytest.mark.parametrize("typed, code", [
    ("高血压病", "HBP"), ("原发性高血压", "HBP"), ("高血压(Ⅲ级)", "HBP"), ("高血压（Ⅲ级）", "HBP"), ("HBP", "HBP"),
    ("糖尿病(合并并发症)", "DM"), ("2型糖尿病", "DM"), ("恶性肿瘤门诊治疗", "CA"), ("尿毒症透析", "CKD"),
    ("冠状动脉粥样硬化性心脏病", "CHD"), ("慢阻肺", "COPD"), ("甲亢", "HTH"), ("肝硬化失代偿期", "LC"),
])
def test_typed_variants_resolve(policy, typed, code):
    entry = resolve_disease(typed, policy.catalog)
    assert entry is not None and entry.code == code


def test_unknown_disease_resolves_to_nothing(policy):
    assert resolve_disease("感冒", policy.catalog) is None


def test_limits_only_where_known(policy):
    hbp = resolve_disease("高血压", policy.catalog)
    assert hbp.regions["linfen"].annual_limit == 4000
    ckd = resolve_disease("慢性肾衰竭", policy.catalog)
    assert ckd.regions["linfen"].annual_limit is None


def test_typo_in_key_names_file_and_key(tmp_path):
    folder = copy_policy(tmp_path)
    path = folder / "regions" / "linfen.yaml"
    text = path.read_text(encoding="utf-8").replace("seal_required: true", "seal_requird: true", 1)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PolicyDataError) as caught:
        load_policy(folder)
    assert "linfen.yaml" in str(caught.value) and "seal_requird" in str(caught.value)


@pytest.mark.parametrize(("old", "new", "named"), [
    ('"I10-I15"', '"I10 to I15"', r"disease_catalog\.yaml"),  # a bad ICD-10 range names the catalog
    ("[甲状腺功能亢进症", "[冠心病, 甲状腺功能亢进症", "冠心病"),  # an alias claimed by two diseases
    ("wordings: [糖尿病伴酮症,", "wordings: [糖尿病控制良好,", "糖尿病控制良好"),  # a wording that states no pattern
])
def test_a_bad_catalog_entry_is_rejected_by_name(tmp_path, old, new, named):
    folder = copy_policy(tmp_path)
    path = folder / "disease_catalog.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    with pytest.raises(PolicyDataError, match=named):
        load_policy(folder)


def test_third_region_is_one_data_file(tmp_path):
    """GIVEN a copy of the policy data WHEN one region file is added THEN it loads and checks use it."""
    folder = copy_policy(tmp_path)
    region = {
        "code": "datong", "name": "大同市", "adcode": "140200", "source": "test", "policy_version": "t1",
        "kinds": {"new": {"required": [{"slots": ["id_card"]}, {"slots": ["diagnosis_certificate"]}],
                          "materials": {"diagnosis_certificate": {"seal_required": True}}}},
        "deadlines": {"pre_review_working_days": 2},
        "diseases": {"HBP": {"annual_limit": 1500}},
        "hospitals": [{"name": "大同市第三人民医院", "level": 3, "ownership": "public", "region": "datong"}],
    }
    (folder / "regions" / "datong.yaml").write_text(yaml.safe_dump(region, allow_unicode=True), encoding="utf-8")
    book = load_policy(folder)
    assert "datong" in book.regions
    hbp = resolve_disease("高血压", book.catalog)
    assert book.region_terms("datong", hbp).annual_limit == 1500
    assert book.region_terms("datong", resolve_disease("糖尿病", book.catalog)) is None
    assert any(h.name == "大同市第三人民医院" for h in book.all_hospitals)


def test_region_file_name_must_match_code(tmp_path):
    folder = copy_policy(tmp_path)
    (folder / "regions" / "linfen.yaml").rename(folder / "regions" / "other.yaml")
    with pytest.raises(PolicyDataError, match="does not match"):
        load_policy(folder)
