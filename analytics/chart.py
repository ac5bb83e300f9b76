"""Draw the rejection-reason chart: top reasons against the public figures, and the trend over time.

matplotlib with the Agg backend (no display), and a CJK font from Debian's ``fonts-noto-cjk`` so the
Chinese labels render instead of empty boxes.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")

from matplotlib import font_manager
from matplotlib import pyplot as plt

from analytics.compute import GroupStats, RejectionStats

CJK_FAMILIES = ("Noto Sans CJK SC", "Noto Sans CJK JP", "Noto Serif CJK SC", "WenQuanYi Zen Hei", "Source Han Sans SC")
CJK_FONT_FILES = ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",)
RETURN_COLOUR = "#b42318"
PUBLIC_COLOUR = "#175cd3"


class ChartFontError(RuntimeError):
    """No CJK font is installed (Debian: apt-get install fonts-noto-cjk)."""


def cjk_family() -> str:
    """The name of an installed CJK font family matplotlib can use.

    Raises:
        ChartFontError: None is installed.
    """
    known = {f.name for f in font_manager.fontManager.ttflist}
    if not known & set(CJK_FAMILIES):
        for path in CJK_FONT_FILES:
            if Path(path).is_file():
                font_manager.fontManager.addfont(path)
        known = {f.name for f in font_manager.fontManager.ttflist}
    for family in CJK_FAMILIES:
        if family in known:
            return family
    raise ChartFontError("no CJK font found for chart labels (apt-get install fonts-noto-cjk)")


def _share_percent(group: GroupStats, code: str, slot: str) -> float:
    """The group's share of returns with this code on this material, in percent (0 when absent)."""
    return next(((r.share or 0) * 100 for r in group.reasons if r.code == code and r.slot == slot), 0.0)


def write_chart(stats: RejectionStats, path: Path, *, period: str | None = None, top: int = 10) -> Path:
    """Write a PNG with two panels: top reasons (share of returns, public figures marked) and the trend.

    Args:
        stats: The statistics.
        path: Where to write the PNG.
        period: ``week`` or ``month`` for the trend panel (the statistics' own period by default).
        top: Reasons shown in the bar panel.

    Returns:
        ``path``.

    Raises:
        ChartFontError: No CJK font is installed.
    """
    family = cjk_family()
    period = period or stats.period
    reasons = list(reversed(stats.reasons_by_slot[:top]))
    trend = stats.trend(period)
    public = {(h.code, h.slot): h.public_share for h in stats.headlines}
    with plt.rc_context({"font.family": [family, "DejaVu Sans"], "axes.unicode_minus": False, "font.size": 10}):
        figure, (bars_ax, trend_ax) = plt.subplots(
            1, 2, figsize=(13, max(4.5, 0.42 * len(reasons) + 1.8)), gridspec_kw={"width_ratios": [1.25, 1]})
        labels = [f"{r.code_label}·{r.slot_label}" if r.slot_label else r.code_label for r in reasons]
        shares = [(r.share or 0) * 100 for r in reasons]
        bars_ax.barh(range(len(reasons)), shares, color=RETURN_COLOUR, alpha=0.85, label="本批数据")
        for y, r in enumerate(reasons):
            bars_ax.text((r.share or 0) * 100 + 0.8, y, f"{r.applications}", va="center", fontsize=8)
            if (r.code, r.slot) in public:
                bars_ax.plot(public[(r.code, r.slot)] * 100, y, marker="D", color=PUBLIC_COLOUR, markersize=8,
                             linestyle="none")
        bars_ax.plot([], [], marker="D", color=PUBLIC_COLOUR, linestyle="none", label="公开数据")
        bars_ax.set_yticks(range(len(reasons)), labels)
        bars_ax.set_xlabel("占退回申请的比例（%）")
        bars_ax.set_title(f"退回原因（退回 {stats.returned} / 申请 {stats.applications}）")
        bars_ax.set_xlim(0, max([*shares, 40.0]) * 1.15)
        bars_ax.legend(loc="lower right")
        bars_ax.grid(axis="x", alpha=0.3)

        keys = [g.key for g in trend]
        trend_ax.plot(keys, [(g.return_share or 0) * 100 for g in trend], marker="o", color="#344054", label="退回率")
        for headline, colour in zip(stats.headlines, ("#d92d20", "#f79009"), strict=False):
            series = [_share_percent(g, headline.code, headline.slot) for g in trend]
            trend_ax.plot(keys, series, marker=".", color=colour, label=f"{headline.label}（占退回）")
            trend_ax.axhline(headline.public_share * 100, color=colour, linestyle=":", linewidth=1)
        trend_ax.set_ylim(0, 100)
        trend_ax.set_ylabel("%")
        trend_ax.set_title("按" + ("周" if period == "week" else "月") + "趋势（虚线：公开数据）")
        trend_ax.tick_params(axis="x", rotation=45)
        trend_ax.legend(loc="upper left", fontsize=8)
        trend_ax.grid(alpha=0.3)
        figure.tight_layout()
        path.parent.mkdir(parents=True, exist_ok=True)
        figure.savefig(path, dpi=110)
        plt.close(figure)
    return path
