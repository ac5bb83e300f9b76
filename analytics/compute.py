"""Rejection-reason statistics over applications (pure: facts in, ``RejectionStats`` out).

Definitions (every count is of applications, never of findings, so an application with two expired
reports counts once):

- returned: applications whose current status is ``return``; ``return_share`` = returned / applications.
- reason share: applications with the finding code (any severity) among the returned applications of
  the group, divided by the group's returned applications.
- region, disease, hospital, week, month partition the applications (hospital: the diagnosis
  certificate's issuing hospital; week / month: of the submission date).
- slot (material type) is a property of the finding, not of the application: a slot's ``returned`` is the
  number of returned applications with a return-severity finding on that material, and its reason
  shares are over all returned applications, so they read like the public headline figures.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from pydantic import BaseModel, ConfigDict, Field

from analytics.facts import ApplicationFacts
from analytics.options import PERIODS
from models.codes import FindingCode, Status, severity_of
from models.policy import PolicyBook
from reports.labels import code_label, material_label, status_label

UNKNOWN_LABEL = "未识别"


@dataclass(frozen=True)
class HeadlineSpec:
    key: str
    label: str
    code: str
    slot: str
    public_share: float


# SPEC section 1, public figures from one city: "diagnosis certificate not stamped 35% of returns,
# exam report out of date 28%".
PUBLIC_HEADLINES = (
    HeadlineSpec("unstamped_diagnosis_certificate", "诊断证明书未盖章", FindingCode.SEAL_MISSING.value,
                 "diagnosis_certificate", 0.35),
    HeadlineSpec("expired_exam_report", "检查报告超期", FindingCode.REPORT_EXPIRED.value, "exam_report", 0.28),
)


@dataclass(frozen=True)
class DisplayNames:
    """Chinese display names for region and disease codes (from the policy book)."""

    regions: dict[str, str] = field(default_factory=dict)
    diseases: dict[str, str] = field(default_factory=dict)


def names_from_policy(book: PolicyBook) -> DisplayNames:
    """Region and disease names as the policy data spells them."""
    return DisplayNames(regions={code: region.name for code, region in book.regions.items()},
                        diseases={entry.code: entry.name for entry in book.catalog.diseases})


class ReasonCount(BaseModel):
    model_config = ConfigDict(frozen=True)

    code: str
    code_label: str
    severity: str
    slot: str | None = None
    slot_label: str | None = None
    applications: int
    share: float | None = Field(description="applications / returned applications of the group")


class GroupStats(BaseModel):
    model_config = ConfigDict(frozen=True)

    dimension: str
    key: str
    label: str
    applications: int
    returned: int
    return_share: float | None
    reasons: list[ReasonCount]


class Headline(BaseModel):
    model_config = ConfigDict(frozen=True)

    key: str
    label: str
    code: str
    slot: str
    applications: int
    share: float | None
    public_share: float
    difference: float | None = Field(description="share - public_share")


class RejectionStats(BaseModel):
    """Everything ``precheck stats`` reports; stored as a snapshot by the analytics flow."""

    model_config = ConfigDict(frozen=True)

    computed_at: datetime
    period: str
    filters: dict[str, str | None] = Field(default_factory=dict)
    applications: int
    returned: int
    return_share: float | None
    status_counts: dict[str, int]
    reasons: list[ReasonCount]
    reasons_by_slot: list[ReasonCount]
    headlines: list[Headline]
    groups: dict[str, list[GroupStats]]

    def trend(self, period: str | None = None) -> list[GroupStats]:
        """Groups of the week or month dimension, oldest first."""
        return self.groups.get(period or self.period, [])


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _severity(code: str) -> str:
    try:
        return severity_of(FindingCode(code)).value
    except ValueError:
        return "unknown"


def _returned(apps: Iterable[ApplicationFacts]) -> list[ApplicationFacts]:
    return [a for a in apps if a.status == Status.RETURN.value]


def _reasons(returned: list[ApplicationFacts], denominator: int, *, by_slot: bool,
             slot: str | None = None) -> list[ReasonCount]:
    counts: Counter[tuple[str, str | None]] = Counter()
    for app in returned:
        keys = {(f.code, f.slot if by_slot else None) for f in app.findings if slot is None or f.slot == slot}
        counts.update(keys)
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0][0], item[0][1] or ""))
    return [ReasonCount(code=code, code_label=code_label(code), severity=_severity(code), slot=slot_key,
                        slot_label=material_label(slot_key) if slot_key else None, applications=count,
                        share=_share(count, denominator))
            for (code, slot_key), count in ordered]


def _partition(apps: list[ApplicationFacts], dimension: str, key_of: Callable[[ApplicationFacts], str],
               label_of: Callable[[str, list[ApplicationFacts]], str], chronological: bool) -> list[GroupStats]:
    groups: dict[str, list[ApplicationFacts]] = {}
    for app in apps:
        groups.setdefault(key_of(app), []).append(app)
    result = []
    for key, members in groups.items():
        returned = _returned(members)
        result.append(GroupStats(dimension=dimension, key=key, label=label_of(key, members), applications=len(members),
                                 returned=len(returned), return_share=_share(len(returned), len(members)),
                                 reasons=_reasons(returned, len(returned), by_slot=True)))
    if chronological:
        return sorted(result, key=lambda g: g.key)
    return sorted(result, key=lambda g: (-g.applications, g.key))


def _slot_groups(apps: list[ApplicationFacts], returned: list[ApplicationFacts]) -> list[GroupStats]:
    slots = sorted({f.slot for app in returned for f in app.findings if f.slot})
    result = []
    for slot in slots:
        because = [a for a in returned if any(f.slot == slot and f.severity == "return" for f in a.findings)]
        result.append(GroupStats(dimension="slot", key=slot, label=material_label(slot), applications=len(apps),
                                 returned=len(because), return_share=_share(len(because), len(apps)),
                                 reasons=_reasons(returned, len(returned), by_slot=False, slot=slot)))
    return sorted(result, key=lambda g: (-g.returned, g.key))


def week_key(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def month_key(day: date) -> str:
    return f"{day.year}-{day.month:02d}"


def compute_stats(apps: list[ApplicationFacts], *, period: str = "month", names: DisplayNames | None = None,
                  filters: dict[str, str | None] | None = None, now: datetime | None = None) -> RejectionStats:
    """Rejection-reason statistics over one record per application.

    Args:
        apps: Current facts of each application (``analytics.facts.load_facts``).
        period: ``week`` or ``month``, the trend the chart and the snapshot row use.
        names: Display names for region and disease codes.
        filters: The filters the facts were loaded with (echoed in the output).
        now: Computation time (tests).

    Raises:
        ValueError: Unknown period.
    """
    if period not in PERIODS:
        raise ValueError(f"period must be one of {PERIODS}, not {period!r}")
    names = names or DisplayNames()
    returned = _returned(apps)
    status_counts = Counter(app.status for app in apps)
    by_slot = _reasons(returned, len(returned), by_slot=True)
    headlines = []
    for spec in PUBLIC_HEADLINES:
        count = sum(1 for app in returned if any(f.code == spec.code and f.slot == spec.slot for f in app.findings))
        share = _share(count, len(returned))
        headlines.append(Headline(key=spec.key, label=spec.label, code=spec.code, slot=spec.slot, applications=count,
                                  share=share, public_share=spec.public_share,
                                  difference=share - spec.public_share if share is not None else None))

    def disease_label(key: str, members: list[ApplicationFacts]) -> str:
        if not key:
            return UNKNOWN_LABEL
        name = names.diseases.get(key) or next((m.disease for m in members if m.disease), None)
        return f"{name}（{key}）" if name and name != key else key

    groups = {
        "region": _partition(apps, "region", lambda a: a.region or "",
                             lambda k, _: names.regions.get(k, k) or UNKNOWN_LABEL, chronological=False),
        "disease": _partition(apps, "disease", lambda a: a.disease_code or a.disease or "", disease_label,
                              chronological=False),
        "hospital": _partition(apps, "hospital", lambda a: a.hospital or "", lambda k, _: k or UNKNOWN_LABEL,
                               chronological=False),
        "slot": _slot_groups(apps, returned),
        "week": _partition(apps, "week", lambda a: week_key(a.period_date), lambda k, _: k, chronological=True),
        "month": _partition(apps, "month", lambda a: month_key(a.period_date), lambda k, _: k, chronological=True),
    }
    return RejectionStats(
        computed_at=now or datetime.now(UTC), period=period, filters=filters or {}, applications=len(apps),
        returned=len(returned), return_share=_share(len(returned), len(apps)),
        status_counts={s.value: status_counts.get(s.value, 0) for s in Status},
        reasons=_reasons(returned, len(returned), by_slot=False), reasons_by_slot=by_slot,
        headlines=headlines, groups=groups,
    )


def status_labels() -> dict[str, str]:
    """Chinese names of the statuses counted in ``status_counts``."""
    return {s.value: status_label(s.value) for s in Status}
