"""Manifest parsing: untrusted input never raises, problems are collected."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from models.manifest import parse_manifest
from tests.packets import manifest


def test_valid_manifest_parses_without_problems():
    parsed = parse_manifest(manifest())
    assert parsed.problems == []
    assert parsed.manifest is not None
    assert parsed.manifest.kind == "new"
    assert [f.slot for f in parsed.manifest.files] == ["id_card", "diagnosis_certificate", "exam_report",
                                                       "application_form"]


def test_not_an_object_is_fatal():
    parsed = parse_manifest([1, 2])
    assert parsed.manifest is None and parsed.problems[0].fatal


def test_missing_or_unsafe_application_id_is_fatal():
    assert parse_manifest(manifest(application_id=None)).manifest is None
    assert parse_manifest(manifest(application_id="../escape")).manifest is None


def test_bad_fields_are_dropped_and_reported():
    parsed = parse_manifest(manifest(submitted_on="yesterday", kind="maybe", files=[{"path": "a.jpg", "slot": "x"},
                                                                                    "not-an-object", {"slot": "id_card"}]))
    assert parsed.manifest is not None
    assert parsed.manifest.submitted_on is None and parsed.manifest.kind is None
    fields = {p.field for p in parsed.problems}
    assert {"submitted_on", "kind", "files[0].slot", "files[1]", "files[2]"} <= fields
    assert [f.path for f in parsed.manifest.files] == ["a.jpg"]


def test_missing_required_fields_reported():
    data = manifest()
    del data["region"]
    del data["applicant"]
    parsed = parse_manifest(data)
    assert {"region", "applicant"} <= {p.field for p in parsed.problems}


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=5),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(json_values)
def test_any_json_value_in_no_exception_out(value):
    parse_manifest(value)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from(list(manifest().keys())), json_values, max_size=9))
def test_any_manifest_shaped_object_in_no_exception_out(value):
    parsed = parse_manifest({**manifest(), **value})
    json.dumps([p.model_dump() for p in parsed.problems])
