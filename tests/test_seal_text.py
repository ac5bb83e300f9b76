"""Reading a seal's ring text and matching it to the registry: real RapidOCR on rendered seals."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.policy import load_policy
from pipeline.seal_text import best_hospital, read_seal, text_similarity, unwrap_ring
from pipeline.seals import detect_seals
from tests.seal_pages import SealSpec, render_page


@pytest.fixture(scope="module")
def hospitals():
    return load_policy().all_hospitals


# ---------------------------------------------------------------- matching


def test_similarity_of_intact_and_damaged_names():
    name = "临汾市尧都中心医院"
    assert text_similarity(name, "临汾市尧都中心医院诊断证明专用章") == 1.0
    assert text_similarity(name, "临汾市尧中心医院") >= 0.8  # a dropped (distinctive) character
    assert text_similarity(name, "临汾市尧都中心医阮") >= 0.9  # a confused generic character
    assert text_similarity(name, "防城港市东兴中医医院") < 0.6


def test_ring_reading_is_cyclic():
    """The strip may start mid-name: the name runs across the end of the reading."""
    assert text_similarity("临汾市尧都中心医院", "都中心医院AB临汾市尧", cyclic=True) == 1.0
    assert text_similarity("临汾市尧都中心医院", "都中心医院AB临汾市尧") < 0.7


@pytest.mark.parametrize(
    ("read", "expected"),
    [
        ("临汾市尧都中心医院", "临汾市尧都中心医院"),
        ("汾市尧都中心医院幼临", "临汾市尧都中心医院"),  # cut at the wrong place, junk read in
        ("防城港市港口区人民医", "防城港市港口区人民医院"),  # last character lost
        ("港口区人民医院门诊专用章", "防城港市港口区人民医院"),  # alias
        ("防城港市东兴中医医院", "防城港市东兴中医医院"),
    ],
)
def test_best_hospital_tolerates_ocr_damage(hospitals, read, expected):
    name, sim = best_hospital(read, hospitals)
    assert name == expected
    assert sim >= 0.7


@pytest.mark.parametrize("read", ["临汾市第一人民医院", "北京中导开源科技有限公司", "医院", ""])
def test_best_hospital_rejects_other_institutions(hospitals, read):
    name, _ = best_hospital(read, hospitals)
    assert name is None


@given(st.text(max_size=30), st.text(max_size=30))
def test_similarity_any_text_in_range(a, b):
    assert 0.0 <= text_similarity(a, b) <= 1.0
    assert 0.0 <= text_similarity(a, b, cyclic=True) <= 1.0


# ---------------------------------------------------------------- reading rendered seals

READ_CASES = [
    SealSpec(name="临汾市尧都中心医院"),
    SealSpec(name="防城港市港口区人民医院", rotation_deg=40.0),
    SealSpec(name="临汾市平阳中医医院", kind="oval", purpose="门诊专用章"),
]


@pytest.mark.parametrize("spec", READ_CASES, ids=lambda s: f"{s.kind}-{int(s.rotation_deg)}")
def test_read_seal_names_the_registry_hospital(hospitals, spec):
    """GIVEN a page stamped with a registry hospital's seal (over the date)
    WHEN the seal is detected and its ring text read
    THEN the hospital is named and the text contains most of its name."""
    page, _ = render_page([spec], seed=31)
    [seal] = detect_seals(page, 1)
    read = read_seal(page, seal, hospitals)
    assert read.hospital == spec.name
    assert text_similarity(spec.name, read.text or "") >= 0.8
    assert read.bbox == seal.bbox and read.score == seal.score


def test_read_grey_seal(hospitals):
    page, _ = render_page([SealSpec(name="临汾市汾西人民医院")], grey=True, seed=32)
    [seal] = detect_seals(page, 1)
    assert read_seal(page, seal, hospitals).hospital == "临汾市汾西人民医院"


def test_unknown_institution_is_read_but_not_matched(hospitals):
    page, _ = render_page([SealSpec(name="太原市迎泽区人民医院")], seed=33)
    [seal] = detect_seals(page, 1)
    read = read_seal(page, seal, hospitals)
    assert read.hospital is None
    assert text_similarity("太原市迎泽区人民医院", read.text or "", cyclic=True) >= 0.6


def test_unwrap_ring_gives_a_strip(hospitals):
    import numpy as np

    ink = np.full((200, 200), 255, np.uint8)
    strip = unwrap_ring(ink, (100.0, 100.0, 90.0, 90.0, 0.0), 90.0)
    assert strip.shape[0] == 48 and strip.shape[1] > 200
    assert strip.min() == 255
