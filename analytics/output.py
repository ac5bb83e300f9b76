"""Present ``RejectionStats``: rich terminal tables, a tidy CSV (one row per group and reason), JSON."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence

from rich.console import Console
from rich.table import Table

from analytics.compute import GroupStats, ReasonCount, RejectionStats, status_labels
from analytics.options import DIMENSIONS
from reports.labels import severity_label

DIMENSION_ZH = {"region": "统筹区", "disease": "病种", "hospital": "出具医院", "slot": "材料类型", "week": "周",
                "month": "月"}
CSV_COLUMNS = ("dimension", "group", "group_label", "applications", "returned", "return_share", "code", "code_label",
               "severity", "slot", "reason_applications", "share_of_returns", "public_share")


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def _reason_text(reasons: Sequence[ReasonCount], top: int) -> str:
    parts = [f"{r.code_label}{'·' + r.slot_label if r.slot_label else ''} {r.applications}（{percent(r.share)}）"
             for r in reasons[:top]]
    return "\n".join(parts) or "—"


def _overview(stats: RejectionStats) -> Table:
    table = Table(title="预审结果概况", caption="每份申请按其当前预审结果计一次", title_justify="left",
                  caption_justify="left")
    for column in ("指标", "数量", "占比"):
        table.add_column(column, justify="left" if column == "指标" else "right")
    table.add_row("申请", str(stats.applications), "")
    labels = status_labels()
    for status, count in stats.status_counts.items():
        table.add_row(labels[status], str(count), percent(count / stats.applications if stats.applications else None))
    return table


def _headlines(stats: RejectionStats) -> Table:
    table = Table(title="与公开数据对比", caption=f"占退回申请的比例（本批退回 {stats.returned} 份）",
                  title_justify="left", caption_justify="left")
    for column in ("退回原因", "代码", "申请数", "本批占比", "公开数据", "差（百分点）"):
        table.add_column(column, justify="left" if column in ("退回原因", "代码") else "right", overflow="fold")
    for h in stats.headlines:
        diff = "—" if h.difference is None else f"{h.difference * 100:+.1f}"
        table.add_row(h.label, h.code, str(h.applications), percent(h.share), percent(h.public_share), diff)
    return table


def _reasons(stats: RejectionStats, top: int) -> Table:
    table = Table(title="退回申请中的问题", caption="按问题和材料类型；占比的分母为退回申请数", title_justify="left",
                  caption_justify="left")
    for column in ("问题", "代码", "材料", "级别", "申请数", "占退回比例"):
        table.add_column(column, justify="right" if column in ("申请数", "占退回比例") else "left", overflow="fold")
    for r in stats.reasons_by_slot[:top]:
        table.add_row(r.code_label, r.code, r.slot_label or "—", severity_label(r.severity), str(r.applications),
                      percent(r.share))
    return table


def _groups(dimension: str, groups: Sequence[GroupStats], top_reasons: int) -> Table:
    name = DIMENSION_ZH.get(dimension, dimension)
    slot = dimension == "slot"
    caption = "退回 = 因该材料被退回的申请；原因占比的分母为全部退回申请" if slot else None
    table = Table(title=f"按{name}", caption=caption, title_justify="left", caption_justify="left")
    table.add_column(name, overflow="fold")
    for column in ("申请", "退回", "退回率"):
        table.add_column(column, justify="right")
    table.add_column("主要原因（申请数，占退回比例）", overflow="fold")
    for group in groups:
        table.add_row(group.label, str(group.applications), str(group.returned), percent(group.return_share),
                      _reason_text(group.reasons, top_reasons))
    return table


def print_stats(stats: RejectionStats, console: Console, dimensions: Sequence[str] = DIMENSIONS, top: int = 15,
                top_reasons: int = 3) -> None:
    """Print the statistics as terminal tables.

    Args:
        stats: The statistics.
        console: Where to print.
        dimensions: Which breakdowns to print, in order.
        top: Rows of the reason table.
        top_reasons: Reasons listed per group.
    """
    console.print(_overview(stats))
    console.print(_headlines(stats))
    console.print(_reasons(stats, top))
    for dimension in dimensions:
        groups = stats.groups.get(dimension, [])
        if groups:
            console.print(_groups(dimension, groups, top_reasons))
    filters = {k: v for k, v in stats.filters.items() if v}
    if filters:
        console.print("筛选条件：" + "，".join(f"{k}={v}" for k, v in filters.items()))


def iter_rows(stats: RejectionStats, dimensions: Sequence[str] = DIMENSIONS) -> Iterator[dict[str, object]]:
    """Tidy rows: per group one row without a code (the group's totals), then one row per reason."""
    overall = GroupStats(dimension="all", key="all", label="全部", applications=stats.applications,
                         returned=stats.returned, return_share=stats.return_share, reasons=stats.reasons_by_slot)
    for group in [overall, *(g for d in dimensions for g in stats.groups.get(d, []))]:
        base = {"dimension": group.dimension, "group": group.key, "group_label": group.label,
                "applications": group.applications, "returned": group.returned, "return_share": group.return_share}
        yield {**base, "code": "", "code_label": "", "severity": "", "slot": "", "reason_applications": "",
               "share_of_returns": "", "public_share": ""}
        for reason in group.reasons:
            yield {**base, "code": reason.code, "code_label": reason.code_label, "severity": reason.severity,
                   "slot": reason.slot or (group.key if group.dimension == "slot" else ""),
                   "reason_applications": reason.applications, "share_of_returns": reason.share, "public_share": ""}
    for headline in stats.headlines:
        yield {"dimension": "headline", "group": headline.key, "group_label": headline.label,
               "applications": stats.applications, "returned": stats.returned, "return_share": stats.return_share,
               "code": headline.code, "code_label": headline.label, "severity": "return", "slot": headline.slot,
               "reason_applications": headline.applications, "share_of_returns": headline.share,
               "public_share": headline.public_share}


def to_csv(stats: RejectionStats, dimensions: Sequence[str] = DIMENSIONS) -> str:
    """The statistics as CSV text (UTF-8, header row, shares as fractions 0-1 to 6 places, empty when undefined)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in iter_rows(stats, dimensions):
        writer.writerow({k: "" if v is None else round(v, 6) if isinstance(v, float) else v for k, v in row.items()})
    return buffer.getvalue()


def to_json(stats: RejectionStats, dimensions: Sequence[str] = DIMENSIONS) -> str:
    """The statistics as JSON text (the ``RejectionStats`` model, only the chosen breakdowns)."""
    chosen = stats.model_copy(update={"groups": {d: stats.groups.get(d, []) for d in dimensions}})
    return chosen.model_dump_json(indent=2)
