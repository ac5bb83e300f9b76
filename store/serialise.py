"""Verdicts to and from their JSON form (as in ``verdict.json`` and ``runs.verdict_json``).

``Verdict`` dumps computed fields (``status``, ``findings[].severity``) that its own strict validation
refuses as input; ``verdict_from_json`` drops them again, so a written verdict reads back unchanged.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from models.verdict import Verdict
from pipeline.idnumbers import redact_id_numbers

COMPUTED_KEYS = ("status",)
COMPUTED_FINDING_KEYS = ("severity",)


def verdict_to_json(verdict: Verdict) -> dict[str, Any]:
    """The verdict as JSON-ready data, with any full ID number in free text masked."""
    return json.loads(redact_id_numbers(verdict.model_dump_json()))


def verdict_from_json(data: dict[str, Any]) -> Verdict:
    """Rebuild a ``Verdict`` from its dumped form (computed fields are recomputed, not trusted).

    Raises:
        pydantic.ValidationError: The data is not a verdict.
    """
    clean = {k: v for k, v in data.items() if k not in COMPUTED_KEYS}
    findings = clean.get("findings")
    if isinstance(findings, list):
        clean["findings"] = [
            {k: v for k, v in f.items() if k not in COMPUTED_FINDING_KEYS} if isinstance(f, dict) else f
            for f in findings
        ]
    return Verdict.model_validate(clean)


def read_verdict_file(path: Path) -> Verdict:
    """Read a ``verdict.json`` written by the pipeline.

    Raises:
        OSError: The file cannot be read.
        ValueError: It is not JSON or not a verdict (``pydantic.ValidationError`` is a ``ValueError``).
    """
    return verdict_from_json(json.loads(path.read_text(encoding="utf-8")))
