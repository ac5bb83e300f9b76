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

from contextlib import AbstractContextManager

from bench import template_swap
from bench.alt_templates2.clinical import (
    build_diagnosis_certificate,
    build_exam_report,
    build_medical_record,
    build_medication_record,
)
from bench.alt_templates2.forms import build_application_form, build_power_of_attorney, build_previous_approval
from bench.template_swap import Builder

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
    """``alt`` in step with ``ours`` (see :func:`bench.template_swap.in_step`)."""
    return template_swap.in_step(alt, ours, _SALT)


def installed(*, keep_captures: bool = True) -> AbstractContextManager[dict]:
    """This family's builders swapped into the generator for a ``with`` block (see
    :func:`bench.template_swap.installed`)."""
    return template_swap.installed(ALT2_BUILDERS, keep_captures=keep_captures, salt=_SALT)
