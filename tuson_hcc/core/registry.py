"""Hooks through which the parts plug into the shared core without the core importing them.

Each app registers its navigation entries, dashboard panels, demo-data seeders, benchmark
cases, report series and document samples from its AppConfig.ready().
"""

import datetime as dt
from collections.abc import Callable
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: tuple[str, ...] = ()  # empty: every signed-in user
    order: int = 100
    # The area's menu: two or more links of one group the user may open become one dropdown under this
    # label (placed at its first link's order); a single one stays a plain link. Keeps the bar on one line.
    group: str = ""


@dataclass(frozen=True)
class DashboardPanel:
    """A block on `/`: `context(user)` returns the template context, or None to hide it."""

    title: str
    template: str
    context: Callable[[Any], dict | None]
    roles: tuple[str, ...] = ()
    order: int = 100


@dataclass(frozen=True)
class Seeder:
    """Builds one part's demo data; `run(scale=..., stdout=...)` must be idempotent."""

    name: str
    run: Callable[..., None]
    order: int = 100


@dataclass(frozen=True)
class BenchCase:
    """One timed page or action of the project's benchmark (`manage.py bench`, DESIGN.md section 7).

    `path` and `data` may be callables so a case can pick real objects at run time;
    `data(i)` gets the iteration number so actions can post fresh rows.
    Budgets: `budget_ms` for the p95 at five-year volume; `ratio_budget` for p95 / the login
    page's p95 (None for actions that write or render PDFs); `render_ratio_budget` for a PDF case's
    p95 / a bare WeasyPrint render of the same HTML; `first_request_budget_ms` for the case's first
    request in a freshly started process (after the app's start-up); `max_bytes` the largest response.
    Query counts are held by tests (tests/core/test_bench_queries.py), not here.
    """

    name: str
    username: str
    path: str | Callable[[], str]
    method: str = "get"
    data: Callable[[int], dict] | None = None
    expect_status: tuple[int, ...] = (200,)
    budget_ms: float = 100.0
    ratio_budget: float | None = 10.0
    render_ratio_budget: float | None = None
    first_request_budget_ms: float | None = None
    max_bytes: int | None = None
    extra: dict = field(default_factory=dict)


@dataclass(frozen=True)
class ReportSeries:
    """One table (and chart) of `/history/reports/`: counts per month and per group.

    `rows(start, end)` gets two dates (inclusive) and returns `(month, group_label, count)`
    tuples, `month` the first day of the month as a `date`, `group_label` e.g. a procedure or
    an agency name. `roles` who may see it (empty: every role of the reports page).
    """

    name: str
    title: str
    rows: Callable[[dt.date, dt.date], list[tuple[dt.date, str, int]]]
    group_title: str = _("Nhóm")
    roles: tuple[str, ...] = ()
    order: int = 100


_report_reads: ContextVar[dict | None] = ContextVar("report_reads", default=None)


@contextmanager
def report_page():
    """While one reports page is built, its series share reads through `report_shared`."""
    token = _report_reads.set({})
    try:
        yield
    finally:
        _report_reads.reset(token)


def report_shared(key, compute: Callable[[], Any]):
    """`compute()` once per reports page for `key` (two series of one part counting the same rows); outside
    a page, every call computes."""
    reads = _report_reads.get()
    if reads is None:
        return compute()
    if key not in reads:
        reads[key] = compute()
    return reads[key]


@dataclass(frozen=True)
class ScheduledJob:
    """A job the worker runs every `minutes` (a django-q2 Schedule, kept in step on every `migrate`)."""

    name: str
    func: str
    minutes: int


@dataclass(frozen=True)
class DocumentSample:
    """One form rendered by `make forms-gallery` and the PDF layout tests, writing nothing to the database.

    `context(variant)` returns the template's context for `variant` "typical" or "worst" (the
    issue-13 worst case: ~150-character names and addresses, longest lists, long signer names);
    `document` (number, QR, verify URL…) is added by `tuson_hcc.documents.samples`.
    `signature_marker` is a text printed in the signature block (None: the form has none).
    `warm_up`: rendered once when a worker process starts (a form someone waits for at the counter),
    so the first one issued does not pay for what WeasyPrint loads on first use.
    """

    name: str
    kind: str
    title: str
    template_name: str
    context: Callable[[str], dict]
    page_size: str = "A4"
    signature_marker: str | None = "(Ký"
    warm_up: bool = False


nav_items: list[NavItem] = []
dashboard_panels: list[DashboardPanel] = []
seeders: list[Seeder] = []
bench_cases: list[BenchCase] = []
report_series: list[ReportSeries] = []
scheduled_jobs: list[ScheduledJob] = []
document_samples: list[DocumentSample] = []


def _add(registry: list, item) -> None:
    if item not in registry:
        registry.append(item)


def register_nav(item: NavItem) -> None:
    _add(nav_items, item)


def register_panel(panel: DashboardPanel) -> None:
    _add(dashboard_panels, panel)


def register_seeder(seeder: Seeder) -> None:
    _add(seeders, seeder)


def register_bench(case: BenchCase) -> None:
    _add(bench_cases, case)


def register_report(series: ReportSeries) -> None:
    _add(report_series, series)


def register_schedule(job: ScheduledJob) -> None:
    _add(scheduled_jobs, job)


def register_document_sample(sample: DocumentSample) -> None:
    _add(document_samples, sample)
