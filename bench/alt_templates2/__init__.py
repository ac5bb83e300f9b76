"""Second family of alternative document templates: the generator's packets and truth, every clinical
document and form drawn with layouts neither ``samples/generator/documents.py`` nor ``bench.alt_templates``
uses (header bands with logo and codes, ruled forms with merged cells and vertical group labels, labels above
values, bilingual labels, a certificate with its counterfoil, an opened record booklet, landscape pages,
dense lab tables, letters, fill-in blanks, system printouts).

Written from the product SPEC and the generator's drawing primitives, without looking at the reading code,
to measure how reading generalises. Builders have the generator's signature
(``build_x(spec: DocContent, rng: random.Random) -> Built``) and draw every fact the truth takes from
``spec``; ID cards, social-security cards and residence permits keep the generator's builders.

    from bench.alt_templates2 import installed
    with installed():
        generate_corpus(out, seed=..., count=...)   # same plans, truth and captures; other drawings
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from bench.alt_templates2.clinical import (
    build_diagnosis_certificate,
    build_exam_report,
    build_medical_record,
    build_medication_record,
)
from bench.alt_templates2.forms import build_application_form, build_power_of_attorney, build_previous_approval
from samples.generator import documents
from samples.generator.documents import Built, DocContent

Builder = Callable[[DocContent, random.Random], Built]

ALT2_BUILDERS = {
    "diagnosis_certificate": build_diagnosis_certificate,
    "exam_report": build_exam_report,
    "medical_record": build_medical_record,
    "medication_record": build_medication_record,
    "application_form": build_application_form,
    "power_of_attorney": build_power_of_attorney,
    "previous_approval": build_previous_approval,
}
TEMPLATES_TAG = "bench.alt_templates2"
_SALT = 20_002  # keeps this family's own random stream apart from the first family's

__all__ = ["ALT2_BUILDERS", "TEMPLATES_TAG", "in_step", "installed"]


def in_step(alt: Builder, ours: Builder) -> Builder:
    """``alt`` drawing from its own rng while ``ours`` advances the shared one (its drawing is discarded).

    corpus.py picks each file's capture (scan, photo, PDF...) and noise from the rng the builder used; run in
    step, every file keeps the capture our own templates give it, so corpora of one seed differ only in
    their drawings.
    """

    def build(spec: DocContent, rng: random.Random) -> Built:
        own = random.Random(hash((_SALT, *rng.getstate()[1])))  # ints only: the same hash in every process
        ours(spec, rng)
        return alt(spec, own)

    build.__name__ = build.__qualname__ = f"in_step_{alt.__name__}"
    build.__doc__ = alt.__doc__
    return build


@contextmanager
def installed(*, keep_captures: bool = True) -> Iterator[dict]:
    """Swap this family's builders into ``samples.generator.documents.BUILDERS`` for the ``with`` block
    (in place, so forked worker processes see them too); restored on exit."""
    missing = set(ALT2_BUILDERS) - set(documents.BUILDERS)
    if missing:
        raise KeyError(f"generator has no builders for {sorted(missing)}: content names changed?")
    saved = {k: documents.BUILDERS[k] for k in ALT2_BUILDERS}
    documents.BUILDERS.update({k: in_step(b, saved[k]) if keep_captures else b for k, b in ALT2_BUILDERS.items()})
    try:
        yield documents.BUILDERS
    finally:
        documents.BUILDERS.update(saved)
