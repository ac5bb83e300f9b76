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

from contextlib import AbstractContextManager

from bench import template_swap
from bench.alt_templates.clinical import (
    build_diagnosis_certificate,
    build_exam_report,
    build_medical_record,
    build_medication_record,
)
from bench.alt_templates.forms import build_application_form, build_power_of_attorney, build_previous_approval
from bench.template_swap import Builder

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
    """``alt`` in step with ``ours`` (see :func:`bench.template_swap.in_step`)."""
    return template_swap.in_step(alt, ours)


def installed(*, keep_captures: bool = True) -> AbstractContextManager[dict]:
    """This family's builders swapped into the generator for a ``with`` block (see
    :func:`bench.template_swap.installed`)."""
    return template_swap.installed(ALT_BUILDERS, keep_captures=keep_captures)
