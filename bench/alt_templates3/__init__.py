"""Third family of alternative document templates: the generator's packets and truth, every clinical document
and form drawn with layouts neither ``samples/generator/documents.py`` nor ``bench.alt_templates`` /
``bench.alt_templates2`` uses (hospital-system printouts with a code block and fact cells, certificates with
labels down a left column and English glosses, letters on tinted stock under a faint watermark, A5 landscape
slips in two columns, a thermal till slip, a hand-written record booklet page, red-headed notices, two-part
slips with a cut line, ID numbers in printed boxes, seals over dates, turned or off the sheet's edge).

Written from the product SPEC and the generator's drawing primitives, without looking at the reading code,
to measure how reading generalises. Builders have the generator's signature
(``build_x(spec: DocContent, rng: random.Random) -> Built``) and draw every fact the truth takes from
``spec``; ID cards, social-security cards and residence permits keep the generator's builders.

    from bench.alt_templates3 import installed
    with installed():
        generate_corpus(out, seed=..., count=...)   # same plans, truth and captures; other drawings
"""

from __future__ import annotations

from contextlib import AbstractContextManager

from bench import template_swap
from bench.alt_templates3.application import build_application_form
from bench.alt_templates3.approval import build_previous_approval
from bench.alt_templates3.attorney import build_power_of_attorney
from bench.alt_templates3.certificate import build_diagnosis_certificate
from bench.alt_templates3.prescriptions import build_medication_record
from bench.alt_templates3.records import build_medical_record
from bench.alt_templates3.reports import build_exam_report
from bench.template_swap import Builder

ALT3_BUILDERS = {
    "diagnosis_certificate": build_diagnosis_certificate,
    "exam_report": build_exam_report,
    "medical_record": build_medical_record,
    "medication_record": build_medication_record,
    "application_form": build_application_form,
    "power_of_attorney": build_power_of_attorney,
    "previous_approval": build_previous_approval,
}
TEMPLATES_TAG = "bench.alt_templates3"
_SALT = 30_003  # keeps this family's own random stream apart from the first two families'

__all__ = ["ALT3_BUILDERS", "TEMPLATES_TAG", "in_step", "installed"]


def in_step(alt: Builder, ours: Builder) -> Builder:
    """``alt`` in step with ``ours`` (see :func:`bench.template_swap.in_step`)."""
    return template_swap.in_step(alt, ours, _SALT)


def installed(*, keep_captures: bool = True) -> AbstractContextManager[dict]:
    """This family's builders swapped into the generator for a ``with`` block (see
    :func:`bench.template_swap.installed`)."""
    return template_swap.installed(ALT3_BUILDERS, keep_captures=keep_captures, salt=_SALT)
