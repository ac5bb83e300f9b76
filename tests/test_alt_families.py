"""The second and third families of alternative templates draw every fact the truth takes from the spec."""

from __future__ import annotations

import random
from datetime import date

import pytest

import bench.alt_templates2 as alt2
import bench.alt_templates3 as alt3
from samples.generator import documents
from samples.generator.canvas import TextOp, render_raster
from samples.generator.dates import STYLES, format_date
from samples.generator.documents import DocContent
from samples.generator.people import make_person

SUBMITTED = date(2025, 6, 3)
FAMILIES = {"alt2": (alt2, alt2.ALT2_BUILDERS), "alt3": (alt3, alt3.ALT3_BUILDERS)}
CASES = [(family, content) for family, (_, builders) in FAMILIES.items() for content in sorted(builders)]
HOSPITAL = "临汾市汾西人民医院"
SEEDS = range(8)
HOSPITAL_TYPES = ("diagnosis_certificate", "exam_report", "medical_record", "medication_record")
DIAGNOSIS_TYPES = ("diagnosis_certificate", "medical_record", "medication_record")
EXAM_KINDS = ("lab", "ct", "mri", "ultrasound", "pathology", "ecg")


def _spec(content: str, seed: int, *, defect: bool) -> DocContent:
    rng = random.Random(f"spec:{content}:{seed}")
    person = make_person(rng, "linfen", on=SUBMITTED)
    agent = make_person(rng, "linfen", on=SUBMITTED)
    issue = date(2025, rng.randrange(1, 6), rng.randrange(1, 29))
    return DocContent(
        content=content, person=person, region=rng.choice(["linfen", "fangchenggang"]), submitted_on=SUBMITTED,
        issue_date=None if defect and seed % 3 == 0 else issue, hospital=HOSPITAL, disease_code="HBP",
        disease_name="高血压", diagnosis="原发性高血压 3级 极高危" if seed % 2 else "高血压病（Ⅲ级，极高危）", stage="3级",
        exam_kind=EXAM_KINDS[seed % len(EXAM_KINDS)], sealed=not defect, signed=not defect, agent=agent,
        kind="renewal" if seed % 2 else "new", valid_until=date(2025, 8, 31), pages=2 if seed % 4 == 1 else 1,
        blue_seal=seed == 5)


def _text(built) -> str:
    typed = [op.text for page in built.pages for op in page.ops if isinstance(op, TextOp)]
    return "".join(typed + list(built.texts)).replace(" ", "")


def _date_forms(d: date) -> set[str]:
    return {format_date(d, style).replace(" ", "") for style in STYLES}


@pytest.mark.parametrize(("family", "content"), CASES)
def test_builders_draw_the_truth(family: str, content: str) -> None:
    builders = FAMILIES[family][1]
    for seed in SEEDS:
        for defect in (False, True):
            spec = _spec(content, seed, defect=defect)
            built = builders[content](spec, random.Random(seed * 7 + defect))
            text = _text(built)
            where = f"{family} {content} seed {seed} defect {defect}"
            assert spec.person.name in text, where
            if spec.issue_date:
                assert any(f in text for f in _date_forms(spec.issue_date)), where
            if content in HOSPITAL_TYPES:
                assert HOSPITAL in text, where
            if content in DIAGNOSIS_TYPES:
                assert spec.diagnosis.replace(" ", "") in text, where
            if content in ("application_form", "power_of_attorney"):
                assert spec.person.id_number in text, where
            if content == "power_of_attorney":
                assert spec.agent.name in text and spec.agent.id_number in text, where
            if content == "previous_approval":
                assert any(f in text for f in _date_forms(spec.valid_until)), where
            hospital_seals = [k for k in built.marks.seals if k.startswith("hospital")]
            if content in ("diagnosis_certificate", "exam_report"):
                assert bool(hospital_seals) == spec.sealed, where
            elif not spec.sealed:
                assert not hospital_seals and "agency" not in built.marks.seals, where
            if content == "application_form":
                assert ("签名:申请表医师" in built.texts) == spec.signed, where
            if content == "exam_report":
                assert len(built.pages) == spec.pages, where
            else:
                assert len(built.pages) == 1, where


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_pages_render(family: str) -> None:
    for content, builder in sorted(FAMILIES[family][1].items()):
        built = builder(_spec(content, 1, defect=False), random.Random(1))
        img = render_raster(built.pages[0], 30)
        # a till slip is 80 mm wide: its long side is what must be there at 30 dpi
        assert max(img.size) > 100 and img.getextrema() != ((255, 255), (255, 255), (255, 255)), content


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_installed_swaps_and_keeps_the_shared_rng_in_step(family: str) -> None:
    module, builders = FAMILIES[family]
    saved = dict(documents.BUILDERS)
    spec = _spec("diagnosis_certificate", 2, defect=False)
    ours, theirs = random.Random(11), random.Random(11)
    documents.BUILDERS["diagnosis_certificate"](spec, ours)
    with module.installed():
        assert documents.BUILDERS["diagnosis_certificate"] is not saved["diagnosis_certificate"]
        assert documents.BUILDERS["id_card"] is saved["id_card"]
        documents.build(spec, theirs)
    assert ours.random() == theirs.random()  # the capture drawn next is the one our templates would get
    assert saved == documents.BUILDERS
    step = module.in_step(builders["exam_report"], saved["exam_report"])
    assert step.__name__ == "in_step_build_exam_report"
