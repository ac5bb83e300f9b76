"""Run settings from a YAML file: limits per file are configurable, typos are named."""

from __future__ import annotations

import pytest

from flows.settings import SettingsFileError, load_settings_file


def test_limits_from_file_and_command_line_on_top(tmp_path):
    path = tmp_path / "settings.yaml"
    path.write_text("read:\n  file_limits: {max_bytes: 1000, max_pages: 3, max_pixels: 2000000, timeout_s: 5}\n"
                    "packet_limits: {max_file_bytes: 500000}\nmax_workers: 1\n", encoding="utf-8")
    settings = load_settings_file(path, ocr_engine="tesseract", max_workers=None, db_url=None, policy_dir=None)
    limits = settings.read.file_limits
    assert (limits.max_bytes, limits.max_pages, limits.max_pixels, limits.timeout_s) == (1000, 3, 2_000_000, 5)
    assert settings.packet_limits.max_file_bytes == 500000
    assert settings.read.ocr_engine == "tesseract" and settings.max_workers == 1


def test_defaults_without_a_file():
    settings = load_settings_file(None)
    assert settings.read.file_limits.max_pages == 50 and settings.max_workers == 2


def test_misspelt_key_is_named(tmp_path):
    path = tmp_path / "settings.yaml"
    path.write_text("read:\n  file_limits: {max_pagez: 3}\n", encoding="utf-8")
    with pytest.raises(SettingsFileError, match="max_pagez"):
        load_settings_file(path)
