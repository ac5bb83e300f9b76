"""Alternative document templates: the generator's packets and truth, every clinical document and form drawn
with other titles, label wordings and layouts than ``samples/generator/documents.py`` uses.

A measuring tool for reading that does not lean on our own templates. Each builder has the signature of the
generator's (``build_x(spec: DocContent, rng: random.Random) -> Built``) and draws every fact the truth takes
from ``spec`` (issue date, hospital, person, diagnosis and stage, seal, physician signature, agent, validity).
ID cards, social-security cards and residence permits keep the generator's builders.

    from bench.alt_templates import installed
    with installed():
        generate_corpus(out, seed=..., count=...)   # same plans, truth and captures; other drawings
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from bench.alt_templates.clinical import (
    build_diagnosis_certificate,
    build_exam_report,
    build_medical_record,
    build_medication_record,
)
from bench.alt_templates.forms import build_application_form, build_power_of_attorney, build_previous_approval
from samples.generator import documents
from samples.generator.documents import Built, DocContent

Builder = Callable[[DocContent, random.Random], Built]

ALT_BUILDERS = {
    "diagnosis_certificate": build_diagnosis_certificate,
    "exam_report": build_exam_report,
    "medical_record": build_medical_record,
    "medication_record": build_medication_record,
    "application_form": build_application_form,
    "power_of_attorney": build_power_of_attorney,
    "previous_approval": build_previous_approval,
}
TEMPLATES_TAG = "bench.alt_templates"

__all__ = ["ALT_BUILDERS", "TEMPLATES_TAG", "in_step", "installed"]


def in_step(alt: Builder, ours: Builder) -> Builder:
    """``alt`` drawing from its own rng while ``ours`` advances the shared one (its drawing is discarded).

    corpus.py picks the capture (scan, photo, PDF...) and its noise from the rng the builder used, so a
    builder that draws a different number of numbers would change every file's capture. In step, each file
    keeps the capture it gets with our templates and the two corpora of one seed differ only in templates.
    """

    def build(spec: DocContent, rng: random.Random) -> Built:
        own = random.Random(hash(rng.getstate()[1]))  # a tuple of ints: the same hash in every process
        ours(spec, rng)
        return alt(spec, own)

    build.__name__ = build.__qualname__ = f"in_step_{alt.__name__}"
    build.__doc__ = alt.__doc__
    return build


@contextmanager
def installed(*, keep_captures: bool = True) -> Iterator[dict]:
    """Swap the alternative builders into ``samples.generator.documents.BUILDERS`` for the ``with`` block.

    ``documents.build`` (which corpus.py calls) looks builders up in that dict at call time, so mutating it
    in place reaches every caller in this process and in worker processes forked while it is installed.
    With ``keep_captures`` each file keeps the capture our templates give it (see :func:`in_step`).
    """
    missing = set(ALT_BUILDERS) - set(documents.BUILDERS)
    if missing:
        raise KeyError(f"generator has no builders for {sorted(missing)}: content names changed?")
    saved = {k: documents.BUILDERS[k] for k in ALT_BUILDERS}
    documents.BUILDERS.update({k: in_step(b, saved[k]) if keep_captures else b for k, b in ALT_BUILDERS.items()})
    try:
        yield documents.BUILDERS
    finally:
        documents.BUILDERS.update(saved)
