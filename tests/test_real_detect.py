"""bench.real_detect: the real-image bench reads a file as the pre-check does, second look included."""

from __future__ import annotations

from pathlib import Path

from bench.real_detect import detect_pipeline

SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "corpus" / "LF-2025-020002" / "微信图片_20251153396967.png"


def test_a_sealed_exam_report_gives_its_seal_and_report_date():
    found = detect_pipeline(SAMPLE)
    assert found["issue_date"] == "2024-03-24"
    assert found["seals"] and all(seal["page"] == 1 for seal in found["seals"])
