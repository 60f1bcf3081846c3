"""The dossiers' two monthly series of the reports page, from rows kept a month at a time (issue 14).

Both series ("Hồ sơ … theo tháng nhận" and the QĐ 766 figures) count the report columns of a year of
dossiers, ~10,000 index rows each time. A month's counts move without any write only while one of its
dossiers is still before its appointment: an open one turns late when its day has passed, an accepted
one overdue. Once none is, only a write changes them, so:

- a trigger on the dossier table bumps `DossierReportMonth.version` of the month of every dossier
  inserted, deleted, or changed in a column the series read (`READ_COLUMNS`), whatever wrote it
  (`save`, `update()`, SQL);
- `report_months_keep` (the worker, hourly; the seed; the migration) stores the grouped rows of each
  month that can no longer change by itself, marked with the version read *before* counting, and only
  if that version is still the month's: a write during the count leaves the month unkept;
- the page uses a month's kept rows while their version is the month's, and counts the other months
  (this one, a partial month at either end) from the dossiers. The page never writes.

The grouped rows are the same whether kept or counted now, and each series reads its figures from them
with the same code: the kept path gives what `selectors.dossiers_per_month` and `quality.report_rows`
give (tests/registrations/test_report_months.py).
"""

from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from typing import NamedTuple

from django.apps import apps as django_apps
from django.db import connections, router
from django.db.models import BooleanField, Case, CharField, Count, ExpressionWrapper, F, Q, Value, When
from django.utils import timezone

from tuson_hcc.core import registry
from tuson_hcc.workdays.calendar import day_start, months_between

from .choices import Channel, DossierStatus
from .models import REPORT_COLUMNS
from .report_fields import ReportOutcome

# What the series read of a dossier (the columns of the index `dossier_report_month`): a change elsewhere
# (a lookup secret, an address) moves no figure and bumps no version.
READ_COLUMNS = REPORT_COLUMNS
TABLE = "registrations_dossier"
MONTHS = "registrations_dossierreportmonth"
# `{}`: the months to bump (a SELECT's FROM and WHERE).
BUMP = (
    f"INSERT INTO {MONTHS} (month, version) SELECT {{}} "
    f"ON CONFLICT (month) DO UPDATE SET version = {MONTHS}.version + 1"
)


class Cell(NamedTuple):
    """A group of the month's dossiers alike in everything the two series count."""

    status: str
    online: bool
    verdict: str  # the report outcome, an open one past its appointment day as late
    apologised: bool
    digitised: bool
    rating_value: str
    returned_on_time: bool | None
    overdue: bool | None  # accepted and past due_at
    n: int
    in_range: bool = True  # received within the days asked for (a partial month)


def _month_end(month: date) -> date:
    return (month + timedelta(days=32)).replace(day=1) - timedelta(days=1)


def _grouped(dossier, months: list[date], *, today: date, now, begin=None, stop=None):
    """The GROUP BY of `months` over the index `dossier_report_month`, judged at `today` and `now`."""
    in_range = Q(received_at__gte=begin, received_at__lt=stop) if begin is not None else Q(pk__isnull=False)
    return (
        dossier.objects.filter(received_month__in=months)
        .annotate(
            online=ExpressionWrapper(Q(channel=Channel.ONLINE), output_field=BooleanField()),
            verdict=Case(
                When(report_outcome=ReportOutcome.OPEN, report_due_day__lt=today, then=Value(ReportOutcome.LATE)),
                default=F("report_outcome"),
                output_field=CharField(),
            ),
            apologised=ExpressionWrapper(Q(apology_count__gt=0), output_field=BooleanField()),
            # `models.dossier_overdue` less its index bound on due_date: `now` is a slot of a statement compiled once.
            overdue=ExpressionWrapper(Q(status=DossierStatus.ACCEPTED, due_at__lt=now), output_field=BooleanField()),
            in_range=ExpressionWrapper(in_range, output_field=BooleanField()),
        )
        .values_list(
            "received_month",
            "status",
            "online",
            "verdict",
            "apologised",
            "digitised",
            "rating_value",
            "returned_on_time",
            "overdue",
            "in_range",
        )
        .annotate(n=Count("*"))
        .order_by()
    )


def _cells_of(rows) -> dict[date, list[Cell]]:
    cells = defaultdict(list)
    for month, *group, in_range_, n in rows:
        cells[month].append(Cell(*group, n=n, in_range=bool(in_range_)))
    return cells


def _cells(dossier, months: list[date], *, begin=None, stop=None) -> dict[date, list[Cell]]:
    """The grouped rows of `months`, counted now."""
    if not months:
        return {}
    return _cells_of(_grouped(dossier, months, today=timezone.localdate(), now=timezone.now(), begin=begin, stop=stop))


# Values no dossier holds, to find where each of the statement's parameters goes once it is compiled.
_TODAY, _NOW, _BEGIN, _STOP = (
    date(1900, 1, 2),
    *(datetime(1900, 1, day, tzinfo=UTC) for day in (3, 4, 5)),
)


@lru_cache(maxsize=64)
def _page_statement(db: str, count: int):
    """The page's GROUP BY of `count` months, compiled once per process: building and compiling its six
    expressions was ~1.5 ms of every reports page (issue 14). Returns the compiler (to convert rows),
    the SQL, and for each parameter what it is ("today", "now", "begin", "stop", a month's index, or the
    compiled constant); None if a parameter could not be placed (then the page compiles its own)."""
    from .models import Dossier

    months = [date(1800 + i, 1, 1) for i in range(count)]
    compiler = _grouped(Dossier, months, today=_TODAY, now=_NOW, begin=_BEGIN, stop=_STOP).query.get_compiler(db)
    sql, params = compiler.as_sql()
    ops = connections[db].ops
    slots = {ops.adapt_datefield_value(_TODAY): "today"}
    slots |= {ops.adapt_datetimefield_value(v): name for v, name in ((_NOW, "now"), (_BEGIN, "begin"), (_STOP, "stop"))}
    slots |= {ops.adapt_datefield_value(m): i for i, m in enumerate(months)}
    places = [slots.get(p, ("constant", p)) for p in params]
    if sorted(map(str, (p for p in places if not isinstance(p, tuple)))) != sorted(map(str, slots.values())):
        return None
    return compiler, sql, places


def _counted_now(months: list[date], *, begin, stop) -> dict[date, list[Cell]]:
    """`_cells(Dossier, months, begin=…, stop=…)` by the statement compiled once."""
    from .models import Dossier

    if not months:
        return {}
    db = router.db_for_read(Dossier)
    statement = _page_statement(db, len(months))
    if statement is None:
        return _cells(Dossier, months, begin=begin, stop=stop)
    compiler, sql, places = statement
    ops = connections[db].ops
    values = {
        "today": ops.adapt_datefield_value(timezone.localdate()),
        "now": ops.adapt_datetimefield_value(timezone.now()),
        "begin": ops.adapt_datetimefield_value(begin),
        "stop": ops.adapt_datetimefield_value(stop),
    }
    params = [
        place[1]
        if isinstance(place, tuple)
        else ops.adapt_datefield_value(months[place])
        if isinstance(place, int)
        else values[place]
        for place in places
    ]
    with connections[db].cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return _cells_of(compiler.results_iter(results=[rows]))


def settled(cells: list[Cell]) -> bool:
    """No dossier of the month can change a figure by itself any more: none open before its appointment
    day, none accepted before (or without) its due time."""
    return not any(
        c.verdict == ReportOutcome.OPEN or (c.status == DossierStatus.ACCEPTED and not c.overdue) for c in cells
    )


def month_cells(*, start: date, end: date) -> dict[date, list[Cell]]:
    """Every month from `start`'s to `end`'s: kept rows where valid and whole, the others counted now
    (two queries). `in_range` says which dossiers were received from `start` to `end`."""
    from .models import DossierReportMonth

    months = months_between(start, end)
    whole = [m for m in months if m >= start and _month_end(m) <= end]
    kept = {
        month: [Cell(*row) for row in rows]
        for month, rows in DossierReportMonth.objects.filter(month__in=whole, rows_version=F("version")).values_list(
            "month", "rows"
        )
    }
    counted = _counted_now(
        [m for m in months if m not in kept], begin=day_start(start), stop=day_start(end + timedelta(days=1))
    )
    return {month: kept.get(month) or counted.get(month, []) for month in months}


def _shared_cells(start: date, end: date) -> dict[date, list[Cell]]:
    # The page's two dossier series read the same months once (registry.report_shared).
    return registry.report_shared(
        ("registrations.report_months", start, end), lambda: month_cells(start=start, end=end)
    )


def dossiers_per_month(*, start: date, end: date) -> list[tuple]:
    """`selectors.dossiers_per_month` from the month rows: received, refused, on time, late, overdue."""
    from .selectors import DOSSIER_FIGURES

    result = []
    for month, cells in _shared_cells(start, end).items():
        counts = dict.fromkeys(DOSSIER_FIGURES, 0)
        for c in cells:
            if not c.in_range:
                continue
            counts["received"] += c.n
            counts["refused"] += c.n if c.status == DossierStatus.REFUSED else 0
            counts["on_time"] += c.n if c.returned_on_time is True else 0
            counts["late"] += c.n if c.returned_on_time is False else 0
            counts["overdue"] += c.n if c.overdue else 0
        result += [(month, label, counts[key]) for key, label in DOSSIER_FIGURES.items() if counts[key]]
    return result


def quality_report_rows(start: date, end: date) -> list[tuple[date, str, int]]:
    """`quality.report_rows` from the month rows (whole months, as the quality figures count them)."""
    from .quality import MonthQuality, count_group, quality_rows

    qualities = []
    for month, cells in _shared_cells(start, end).items():
        quality = MonthQuality(month=month)
        for c in cells:
            verdict = "" if c.verdict == ReportOutcome.OPEN else c.verdict
            count_group(quality, c.n, verdict, c.online, c.digitised, c.apologised, c.rating_value)
        qualities.append(quality)
    return quality_rows(qualities)


def report_months_keep(apps=django_apps) -> int:
    """Keep the grouped rows of every month whose kept rows are missing or stale and that can no longer
    change by itself; returns how many were kept. Each month's version is read before counting and the
    rows stored only while it is still the month's (a write meanwhile leaves the month to the next run)."""
    dossier, report_month = (
        apps.get_model("registrations", "Dossier"),
        apps.get_model("registrations", "DossierReportMonth"),
    )
    stale = dict(
        report_month.objects.filter(Q(rows_version__isnull=True) | ~Q(rows_version=F("version"))).values_list(
            "month", "version"
        )
    )
    cells = _cells(dossier, sorted(stale))
    kept = 0
    for month, version in stale.items():
        rows = cells.get(month, [])
        if not settled(rows):
            continue
        kept += report_month.objects.filter(month=month, version=version).update(
            rows=[list(c[:-1]) for c in rows], rows_version=version
        )
    return kept


# --- the trigger ------------------------------------------------------------------------------


def _changed(vendor: str, old: str, new: str) -> str:
    if vendor == "postgresql":
        before, after = (", ".join(prefix + c for c in READ_COLUMNS) for prefix in (old, new))
        return f"({before}) IS DISTINCT FROM ({after})"
    return " OR ".join(f"{old}{c} IS NOT {new}{c}" for c in READ_COLUMNS)


def trigger_statements(vendor: str) -> list[str]:
    """The SQL that creates the version trigger. PostgreSQL: per statement, over its transition tables
    (a bulk load bumps each month once); SQLite: per row."""
    if vendor == "postgresql":
        bump = BUMP.format("DISTINCT m, 1 FROM months WHERE m IS NOT NULL")

        def function(name: str, months: str) -> str:
            return (
                f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ "
                f"BEGIN WITH {months} {bump}; RETURN NULL; END $$"
            )

        def trigger(name: str, event: str, tables: str) -> str:
            return (
                f"CREATE TRIGGER {name} AFTER {event} ON {TABLE} REFERENCING {tables} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION {name}()"
            )

        return [
            function("registrations_report_month_ins", "months(m) AS (SELECT received_month FROM new_rows)"),
            function("registrations_report_month_del", "months(m) AS (SELECT received_month FROM old_rows)"),
            function(
                "registrations_report_month_upd",
                "moved AS (SELECT o.received_month AS before, n.received_month AS after FROM old_rows o "
                f"JOIN new_rows n ON n.id = o.id WHERE {_changed(vendor, 'o.', 'n.')}), "
                "months(m) AS (SELECT before FROM moved UNION SELECT after FROM moved)",
            ),
            trigger("registrations_report_month_ins", "INSERT", "NEW TABLE AS new_rows"),
            trigger("registrations_report_month_del", "DELETE", "OLD TABLE AS old_rows"),
            trigger("registrations_report_month_upd", "UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows"),
        ]
    old, new = (
        BUMP.format(f"{row}.received_month, 1 WHERE {row}.received_month IS NOT NULL") for row in ("OLD", "NEW")
    )
    return [
        f"CREATE TRIGGER registrations_report_month_ins AFTER INSERT ON {TABLE} BEGIN {new}; END",
        f"CREATE TRIGGER registrations_report_month_del AFTER DELETE ON {TABLE} BEGIN {old}; END",
        f"CREATE TRIGGER registrations_report_month_upd AFTER UPDATE ON {TABLE} "
        f"WHEN {_changed(vendor, 'OLD.', 'NEW.')} BEGIN {old}; {new}; END",
    ]
