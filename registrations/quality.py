"""Service-quality figures by month (DESIGN.md section 10), after the groups of QĐ 766/QĐ-TTg (23/6/2022,
Bộ chỉ số chỉ đạo, điều hành và đánh giá chất lượng phục vụ người dân, doanh nghiệp).

Computed from the records of the dossiers received in the month. This is the Centre's own measure,
not the national portal's official score.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import BooleanField, Case, CharField, Count, ExpressionWrapper, F, Q, Value, When
from django.utils import timezone
from django.utils.formats import get_format
from django.utils.safestring import mark_safe

from tuson_hcc.core.html_rows import escaped
from tuson_hcc.workdays.calendar import months_between

from .choices import Channel, DossierStatus
from .models import Dossier, Rating
from .report_fields import ReportOutcome

# (group of QĐ 766/QĐ-TTg, key, label, one-sentence definition)
FIGURES = [
    (
        "Dịch vụ công trực tuyến",
        "online_share",
        "Tỷ lệ hồ sơ nộp trực tuyến",
        "Số hồ sơ nộp qua /submit/ chia cho tổng số hồ sơ nhận trong tháng.",
    ),
    (
        "Tiến độ giải quyết",
        "on_time_share",
        "Tỷ lệ hồ sơ đúng hạn",
        "Số hồ sơ đã có kết quả và đã trả cho người nộp không muộn hơn ngày hẹn ghi trên Giấy tiếp nhận chia "
        "cho số hồ sơ đã tiếp nhận và đã trả kết quả hoặc đã quá ngày hẹn.",
    ),
    (
        "Tiến độ giải quyết",
        "late",
        "Số hồ sơ trễ hạn",
        "Số hồ sơ trả kết quả sau ngày hẹn trên Giấy tiếp nhận, hoặc đã quá ngày hẹn mà chưa trả kết quả.",
    ),
    (
        "Tiến độ giải quyết",
        "late_with_apology",
        "Số hồ sơ trễ hạn có xin lỗi",
        "Số hồ sơ trễ hạn đã được gửi Phiếu xin lỗi và hẹn lại ngày trả kết quả (Mẫu 04).",
    ),
    (
        "Số hóa hồ sơ",
        "digitised_share",
        "Tỷ lệ hồ sơ được số hóa",
        "Số hồ sơ mà mọi giấy tờ đã nộp đều có bản scan (nộp trực tuyến bằng tệp PDF, hoặc quét từng giấy tờ "
        "khi kiểm tra tại quầy) chia cho tổng số hồ sơ nhận trong tháng.",
    ),
    (
        "Mức độ hài lòng",
        "satisfied_share",
        "Tỷ lệ hài lòng",
        "Số đánh giá “Hài lòng” chia cho số đánh giá của các hồ sơ nhận trong tháng (mỗi hồ sơ một lần).",
    ),
]
NOT_COVERED = (
    "Các nhóm “Công khai, minh bạch” và “Thanh toán trực tuyến” của QĐ 766/QĐ-TTg không đo ở đây "
    "(thủ tục không thu lệ phí; công khai thủ tục thuộc Cổng dịch vụ công)."
)


@dataclass
class MonthQuality:
    month: date
    received: int = 0
    online: int = 0
    digitised: int = 0
    judged: int = 0  # returned, or past the appointment without being returned
    on_time: int = 0
    late: int = 0
    late_with_apology: int = 0
    ratings: dict = field(default_factory=dict)  # value → count

    @staticmethod
    def _share(part: int, whole: int) -> float | None:
        return round(100 * part / whole, 1) if whole else None

    @property
    def online_share(self):
        return self._share(self.online, self.received)

    @property
    def on_time_share(self):
        return self._share(self.on_time, self.judged)

    @property
    def digitised_share(self):
        return self._share(self.digitised, self.received)

    @property
    def rated(self) -> int:
        return sum(self.ratings.values())

    @property
    def satisfied_share(self):
        return self._share(self.ratings.get(Rating.Value.SATISFIED, 0), self.rated)


def on_time(dossier: Dossier, today: date) -> bool | None:
    """The report's "on time" (issue 12): the result ready AND returned to the applicant by the appointment
    day on the receipt (a Mẫu 04 date does not move it). False once that day has passed without both;
    None while it can still happen.
    """
    if dossier.status == DossierStatus.REFUSED or dossier.appointment_at is None:
        return None
    due = timezone.localtime(dossier.appointment_at).date()
    if dossier.returned_at is not None and dossier.result_ready_at is not None:
        done = max(dossier.returned_at, dossier.result_ready_at)
        return timezone.localtime(done).date() <= due
    return False if due < today else None


def _flag(condition: Q) -> ExpressionWrapper:
    return ExpressionWrapper(condition, output_field=BooleanField())


def quality_between(first: date, last: date) -> list[MonthQuality]:
    """The figures of every month from `first`'s to `last`'s, in one grouped query whatever the span.

    Counted from each dossier's report columns (`report_fields`), kept on write: one GROUP BY over the
    index `dossier_report_month`, a few rows per month. Judging the dossiers on read cost 20–35 ms a
    year at five-year volume, and more with every dossier (issue 14). `on_time` says the same rule for
    one dossier.
    """
    months = {m: MonthQuality(month=m) for m in months_between(first, last)}
    if not months:
        return []
    # An open dossier turns late once its appointment day has passed, whether or not anything is written.
    verdict = Case(
        When(report_outcome=ReportOutcome.OPEN, report_due_day__lt=timezone.localdate(), then=Value("late")),
        When(report_outcome=ReportOutcome.OPEN, then=Value("")),
        default=F("report_outcome"),
        output_field=CharField(),
    )
    rows = (
        Dossier.objects.filter(received_month__gte=min(months), received_month__lte=max(months))
        .annotate(
            verdict=verdict,
            online=_flag(Q(channel=Channel.ONLINE)),
            apologised=_flag(Q(apology_count__gt=0)),
        )
        .values("received_month", "verdict", "online", "digitised", "apologised", "rating_value")
        .annotate(n=Count("*"))
        .order_by()
    )
    for row in rows:
        count_group(
            months[row["received_month"]],
            row["n"],
            row["verdict"],
            row["online"],
            row["digitised"],
            row["apologised"],
            row["rating_value"],
        )
    return list(months.values())


def count_group(result: MonthQuality, n: int, verdict: str, online, digitised, apologised, rating_value: str) -> None:
    """Add `n` dossiers alike to `result`; `verdict` "" while not judged (also `report_months`)."""
    result.received += n
    result.online += n if online else 0
    result.digitised += n if digitised else 0
    if rating_value:
        result.ratings[rating_value] = result.ratings.get(rating_value, 0) + n
    if verdict:
        result.judged += n
        if verdict == ReportOutcome.ON_TIME:
            result.on_time += n
        else:
            result.late += n
            result.late_with_apology += n if apologised else 0


def month_quality(month: date) -> MonthQuality:
    """The figures of the dossiers received in `month` (any day of it)."""
    return quality_between(month, month)[0]


def months_quality(*, last: date, count: int = 12) -> list[MonthQuality]:
    """`count` months ending with the month of `last`, oldest first."""
    first = last.replace(day=1)
    for _ in range(count - 1):
        first = (first - timedelta(days=1)).replace(day=1)
    return quality_between(first, last)


def report_rows(start: date, end: date) -> list[tuple[date, str, int]]:
    """For the core's monthly reports page (registry.ReportSeries): counts per month and figure."""
    return quality_rows(quality_between(start, end))


def quality_rows(qualities: list[MonthQuality]) -> list[tuple[date, str, int]]:
    rows = []
    for quality in qualities:
        for label, value in (
            ("nhận", quality.received),
            ("nộp trực tuyến", quality.online),
            ("đúng hạn", quality.on_time),
            ("trễ hạn", quality.late),
            ("trễ hạn có xin lỗi", quality.late_with_apology),
            ("số hóa", quality.digitised),
            ("hài lòng", quality.ratings.get(Rating.Value.SATISFIED, 0)),
        ):
            if value:
                rows.append((quality.month, label, value))
    return rows


def quality_csv_rows(months: list[MonthQuality]):
    def pct(value):
        return "" if value is None else f"{value:.1f}"

    for m in months:
        yield [
            f"{m.month:%m/%Y}",
            m.received,
            m.online,
            pct(m.online_share),
            m.judged,
            m.on_time,
            pct(m.on_time_share),
            m.late,
            m.late_with_apology,
            m.digitised,
            pct(m.digitised_share),
            m.rated,
            m.ratings.get(Rating.Value.SATISFIED, 0),
            m.ratings.get(Rating.Value.ACCEPTABLE, 0),
            m.ratings.get(Rating.Value.NOT_SATISFIED, 0),
            pct(m.satisfied_share),
        ]


CSV_HEADER = [
    "Tháng",
    "Hồ sơ nhận",
    "Nộp trực tuyến",
    "Tỷ lệ trực tuyến (%)",
    "Hồ sơ xét tiến độ",
    "Đúng hạn",
    "Tỷ lệ đúng hạn (%)",
    "Trễ hạn",
    "Trễ hạn có xin lỗi",
    "Số hóa",
    "Tỷ lệ số hóa (%)",
    "Số đánh giá",
    "Hài lòng",
    "Chấp nhận được",
    "Không hài lòng",
    "Tỷ lệ hài lòng (%)",
]


def chart_bars(months: list[MonthQuality]) -> dict:
    """A server-rendered SVG bar chart (no script, strict CSP): four shares per month, 0–100 %."""
    series = [
        ("online_share", "Trực tuyến", "#0d6efd"),
        ("on_time_share", "Đúng hạn", "#198754"),
        ("digitised_share", "Số hóa", "#6f42c1"),
        ("satisfied_share", "Hài lòng", "#fd7e14"),
    ]
    width, height, left, bottom, top = 760, 240, 36, 28, 10
    group = (width - left) / max(len(months), 1)
    bar = group / (len(series) + 1)
    plot = height - bottom - top
    bars, labels = [], []
    for i, m in enumerate(months):
        x0 = left + i * group + bar / 2
        labels.append({"x": round(x0 + bar * len(series) / 2, 1), "text": f"{m.month:%m/%y}"})
        for j, (key, name, colour) in enumerate(series):
            value = getattr(m, key)
            h = 0 if value is None else plot * value / 100
            bars.append(
                {
                    "x": round(x0 + j * bar, 1),
                    "y": round(top + plot - h, 1),
                    "w": round(bar * 0.9, 1),
                    "h": round(h, 1),
                    "colour": colour,
                    "title": f"{name} {m.month:%m/%Y}: {'—' if value is None else f'{value:.1f} %'}",
                }
            )
    ticks = [{"y": round(top + plot - plot * p / 100, 1), "label": p} for p in (0, 25, 50, 75, 100)]
    legend = [{"name": n, "colour": c, "x": left + k * 140} for k, (_key, n, c) in enumerate(series)]
    label_y, legend_y = height - bottom + 16, height + 14
    # The chart's elements written here, not looped in the template (~300 values a page, issue 14); the
    # numbers with a decimal point, as SVG reads them (the template localised them to "212,0").
    svg = "".join(
        [
            *(
                f'<line x1="{left}" x2="{width}" y1="{t["y"]}" y2="{t["y"]}" stroke="#dee2e6"/><text x="{left - 4}" '
                f'y="{t["y"]}" font-size="10" text-anchor="end" dominant-baseline="middle">{t["label"]}%</text>'
                for t in ticks
            ),
            "\n  ",
            *(
                f'<rect x="{b["x"]}" y="{b["y"]}" width="{b["w"]}" height="{b["h"]}" fill="{b["colour"]}">'
                f"<title>{escaped(b['title'])}</title></rect>"
                for b in bars
            ),
            "\n  ",
            *(
                f'<text x="{t["x"]}" y="{label_y}" font-size="10" text-anchor="middle">{escaped(t["text"])}</text>'
                for t in labels
            ),
            "\n  ",
            *(
                f'<rect x="{g["x"]}" y="{legend_y - 9}" width="10" height="10" fill="{g["colour"]}"/>'
                f'<text x="{g["x"] + 14}" y="{legend_y}" font-size="11">{escaped(g["name"])}</text>'
                for g in legend
            ),
        ]
    )
    return {
        "svg": mark_safe(svg),  # noqa: S308 - every text escaped above, the rest numbers and constants
        "width": width,
        "height": height + 24,
        "bars": bars,
        "labels": labels,
        "ticks": ticks,
        "legend": legend,
        "left": left,
        "base_y": height - bottom,
        "label_y": label_y,
        "legend_y": legend_y,
    }


def months_rows_html(months: list[MonthQuality]) -> str:
    """The 12-month table's rows (same markup as the template loop they replace, issue 14)."""
    point = get_format("DECIMAL_SEPARATOR")  # the language's, as the template localised them ("33,3")

    def share(value: float | None) -> str:
        return "—" if value is None else str(value).replace(".", point)

    return mark_safe(  # noqa: S308 - numbers and dates only
        "".join(
            f"<tr><td>{m.month:%m/%Y}</td><td>{m.received}</td><td>{share(m.online_share)}</td>"
            f"<td>{share(m.on_time_share)}</td><td>{m.late}</td><td>{m.late_with_apology}</td>"
            f"<td>{share(m.digitised_share)}</td><td>{share(m.satisfied_share)}</td></tr>"
            for m in months
        )
    )


def current_month() -> date:
    return timezone.localdate().replace(day=1)
