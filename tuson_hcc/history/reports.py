"""Monthly reports (báo cáo theo tháng) for the Director and auditors, from the registered series.

The parts register `tuson_hcc.core.registry.ReportSeries`; this module turns each series'
rows into a month × group table and a stacked bar chart laid out here, drawn as server-side
SVG by the template (no JavaScript: the CSP allows no inline script).
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils.safestring import mark_safe

from tuson_hcc.core import registry
from tuson_hcc.core.html_rows import escaped
from tuson_hcc.workdays.calendar import months_between

PALETTE = ["#8b1a1a", "#1f5f8b", "#2e7d32", "#b26a00", "#6a1b9a", "#00838f", "#5d4037", "#546e7a"]
MAX_GROUPS = len(PALETTE) - 1  # the rest are summed as "Khác"
CHART_HEIGHT = 180
BAR_WIDTH = 28
BAR_GAP = 12
LEFT = 40


@dataclass
class Bar:
    x: int
    y: int
    height: int
    color: str
    title: str


@dataclass
class SeriesReport:
    series: registry.ReportSeries
    months: list[dt.date]
    groups: list[str]
    colors: dict[str, str]
    table: list[tuple[str, list[int], int]]  # (group, count per month, total)
    totals: list[int]
    bars: list[Bar] = field(default_factory=list)
    axis_labels: list[tuple[int, str]] = field(default_factory=list)
    chart_width: int = 0
    chart_height: int = CHART_HEIGHT + 30
    max_total: int = 0

    # The chart's and the table's repeated cells, written here rather than looped in the template:
    # five series of a year are ~1,000 cells, which cost the template engine more than the page's
    # queries (issue 14). Same markup as the loops they replace.

    @property
    def bars_html(self) -> str:
        return mark_safe(
            "".join(
                f'<rect x="{b.x}" y="{b.y}" width="28" height="{b.height}" fill="{b.color}">'
                f"<title>{escaped(b.title)}</title></rect>"
                for b in self.bars
            )
        )

    @property
    def axis_html(self) -> str:
        return mark_safe(
            "".join(
                f'<text x="{x}" y="195" font-size="10" text-anchor="middle">{escaped(label)}</text>'
                for x, label in self.axis_labels
            )
        )

    @property
    def legend_html(self) -> str:
        return mark_safe(
            "".join(
                f'<span class="me-3"><svg width="10" height="10" aria-hidden="true"><rect width="10" height="10" '
                f'fill="{self.colors[group]}"/></svg> {escaped(group)}</span>'
                for group in self.groups
            )
        )

    @property
    def months_html(self) -> str:
        return mark_safe("".join(f'<th class="text-end">{month:%m/%Y}</th>' for month in self.months))

    @property
    def rows_html(self) -> str:
        return mark_safe(
            "".join(
                f'\n      <tr><td class="text-nowrap">{escaped(group)}</td>'
                + "".join(f'<td class="text-end">{count or ""}</td>' for count in counts)
                + f'<td class="text-end fw-semibold">{total}</td></tr>\n    '
                for group, counts, total in self.table
            )
        )

    @property
    def totals_html(self) -> str:
        return mark_safe("".join(f'<th class="text-end">{total}</th>' for total in self.totals))


def series_report(series: registry.ReportSeries, *, start: dt.date, end: dt.date) -> SeriesReport:
    months = months_between(start, end)
    counts: dict[str, dict[dt.date, int]] = defaultdict(lambda: defaultdict(int))
    for month, group, count in series.rows(start, end):
        counts[str(group)][month.replace(day=1)] += int(count)
    ranked = sorted(counts, key=lambda g: (-sum(counts[g].values()), g))
    if len(ranked) > MAX_GROUPS + 1:
        other = defaultdict(int)
        for group in ranked[MAX_GROUPS:]:
            for month, count in counts[group].items():
                other[month] += count
        ranked = [*ranked[:MAX_GROUPS], "Khác"]
        counts["Khác"] = other
    colors = {group: PALETTE[i % len(PALETTE)] for i, group in enumerate(ranked)}
    table = [(g, [counts[g].get(m, 0) for m in months], sum(counts[g].get(m, 0) for m in months)) for g in ranked]
    totals = [sum(counts[g].get(m, 0) for g in ranked) for m in months]
    report = SeriesReport(series=series, months=months, groups=ranked, colors=colors, table=table, totals=totals)
    report.max_total = max(totals, default=0)
    report.chart_width = LEFT + len(months) * (BAR_WIDTH + BAR_GAP) + BAR_GAP
    scale = CHART_HEIGHT / report.max_total if report.max_total else 0
    for i, month in enumerate(months):
        x = LEFT + BAR_GAP + i * (BAR_WIDTH + BAR_GAP)
        top = CHART_HEIGHT
        for group in ranked:
            count = counts[group].get(month, 0)
            if not count:
                continue
            height = max(1, round(count * scale))
            top -= height
            report.bars.append(Bar(x, top, height, colors[group], f"{month:%m/%Y} · {group}: {count}"))
        report.axis_labels.append((x + BAR_WIDTH // 2, f"{month:%m/%y}"))
    return report


def reports_for(user, *, start: dt.date, end: dt.date) -> list[SeriesReport]:
    visible = [s for s in registry.report_series if not s.roles or user.has_role(*s.roles)]
    with registry.report_page():
        return [series_report(s, start=start, end=end) for s in sorted(visible, key=lambda s: (s.order, s.name))]
