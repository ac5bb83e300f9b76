"""A document whose text names no registry hospital takes the hospital its seal's ring names."""

from __future__ import annotations

import cv2

from models.manifest import FileEntry
from pipeline.packet import PacketFile
from pipeline.policy import load_policy
from pipeline.reading import ReadSettings, read_file
from tests.seal_pages import SealSpec, render_page

BOOK = load_policy()


def _read(tmp_path, title: str):
    page, _ = render_page([SealSpec(name="临汾市尧都中心医院")], seed=31, title=title)
    path = tmp_path / "zdzm.png"
    cv2.imwrite(str(path), page)
    item = PacketFile(entry=FileEntry(path=path.name, slot="diagnosis_certificate"), index=0, path=path)
    return read_file(item, tmp_path, ReadSettings(keep_page_images=False), BOOK)


def test_the_seal_names_the_hospital_the_title_does_not(tmp_path):
    reading = _read(tmp_path, "诊断证明书")
    assert reading.fields.hospital is not None and reading.fields.hospital.value == "临汾市尧都中心医院"
    assert reading.fields.hospital_in_registry and reading.fields.hospital.evidence.stage == "seal"
    assert [seal.hospital for seal in reading.seals] == ["临汾市尧都中心医院"]


def test_a_hospital_the_text_names_is_kept_and_the_ring_not_read(tmp_path):
    reading = _read(tmp_path, "临汾市尧都中心医院 诊断证明书")
    assert reading.fields.hospital.value == "临汾市尧都中心医院" and reading.fields.hospital.evidence.stage != "seal"
    assert [seal.text for seal in reading.seals] == [None]
