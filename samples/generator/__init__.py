"""Seeded generator of synthetic application packets with ground truth.

Public entry points:
    generate_corpus(out_dir, seed=..., count=..., mix=...) -> truth dict (writes packets and truth.json)
    render_document(content, seed=...) -> (pages as PIL images, marks): one drawn document, for tests
"""

from __future__ import annotations

import random
from datetime import date

from PIL import Image

from samples.generator.canvas import render_raster
from samples.generator.corpus import generate_corpus
from samples.generator.documents import DocContent, build
from samples.generator.layout import Marks
from samples.generator.people import make_person

__all__ = ["DocContent", "generate_corpus", "render_document"]


def render_document(content: str, *, seed: int = 0, dpi: int = 200, region: str = "linfen",
                    **fields) -> tuple[list[Image.Image], Marks, DocContent]:
    """Draw one clean document of type ``content`` (a slot name) and rasterise it upright.

    Args:
        content: Builder name, e.g. ``diagnosis_certificate``, ``exam_report``, ``id_card``.
        seed: Seed for every random choice.
        dpi: Raster resolution.
        region: ``linfen`` or ``fangchenggang``.
        **fields: Overrides for :class:`DocContent` (issue_date, hospital, diagnosis, sealed, ...).

    Returns:
        The page images, the ink marks drawn (seals, red non-seal print) and the content drawn.
    """
    rng = random.Random(seed)
    person = fields.pop("person", None) or make_person(rng, region)
    hospital = "临汾市尧都中心医院" if region == "linfen" else "防城港市北部湾中心医院"
    defaults = {"issue_date": date(2025, 3, 12), "hospital": hospital,
                "disease_code": "HBP", "disease_name": "高血压", "diagnosis": "原发性高血压3级（极高危）", "exam_kind": "lab"}
    if content == "power_of_attorney" and "agent" not in fields:
        fields["agent"] = make_person(rng, region, min_age=25, max_age=55)
    spec = DocContent(content=content, person=person, region=region, submitted_on=date(2025, 6, 3),
                      **{**defaults, **fields})
    built = build(spec, rng)
    return [render_raster(p, dpi) for p in built.pages], built.marks, spec
