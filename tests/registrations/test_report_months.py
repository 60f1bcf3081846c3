"""The reports page's two dossier series from kept month rows equal the direct count, after any write (issue 14).

`report_months` keeps the grouped rows of a month once none of its dossiers can change a figure by itself,
and uses them only while the month's version (bumped by a trigger on every write to what the series read)
is the one they were counted at. Each test writes, then compares the series through the kept rows with
`selectors.dossiers_per_month` and `quality.report_rows`, which count the dossiers directly.
"""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from registrations import quality, report_months, selectors
from registrations.models import Dossier, DossierReportMonth, Rating
from registrations.rating import dossier_rate
from registrations.report_fields import digitised_refresh
from registrations.report_months import report_months_keep
from tuson_hcc.core import registry
from tuson_hcc.core.history import tracked_save

from .conftest import local, record_result, return_in_person

pytestmark = pytest.mark.django_db(transaction=False)


def _ranges() -> list[tuple[dt.date, dt.date]]:
    today = timezone.localdate()
    year_ago = (today.replace(day=1) - dt.timedelta(days=335)).replace(day=1)
    ranges = [
        (year_ago, today),  # the page's default: whole months, then this month so far
        (today - dt.timedelta(days=5 * 366), today),
        (today - dt.timedelta(days=800), today - dt.timedelta(days=400)),  # partial months at both ends
    ]
    # Ranges that start or end on the very day a dossier was received, or the day after or before.
    days = sorted({timezone.localdate(at) for at in Dossier.objects.values_list("received_at", flat=True)})
    for first, last in zip(days[::7], days[3::7], strict=False):
        one = dt.timedelta(days=1)
        ranges += [(first, last), (first + one, last - one), (first, first), (last, last + one)]
    return ranges


def assert_exact() -> None:
    for start, end in _ranges():
        with registry.report_page():
            dossiers = report_months.dossiers_per_month(start=start, end=end)
            figures = report_months.quality_report_rows(start, end)
        assert sorted(dossiers) == sorted(selectors.dossiers_per_month(start=start, end=end)), (start, end)
        assert sorted(figures) == sorted(quality.report_rows(start, end)), (start, end)


def _kept_months() -> set[dt.date]:
    return {m.month for m in DossierReportMonth.objects.all() if m.rows_version == m.version}


@pytest.fixture
def five_years(tiepnhan, org_types):
    """Eighty dossiers over five years (the large seed's generator), their done months kept."""
    from registrations.demo import _seed_large

    _seed_large(tiepnhan, total=80)
    report_months_keep()
    assert len(_kept_months()) > 20
    return Dossier.objects.order_by("received_at")


def test_kept_months_equal_the_direct_count_after_every_kind_of_write(five_years, tiepnhan):
    assert_exact()
    oldest, second, third, fourth = list(five_years[:4])
    # A service write: the oldest dossier rated (its rating copied into the dossier by update()).
    dossier_rate(dossier=oldest, value=Rating.Value.NOT_SATISFIED, via=Rating.Via.COUNTER, actor=tiepnhan)
    assert oldest.received_month not in _kept_months()
    assert_exact()
    # update() and a recomputed column.
    Dossier.objects.filter(pk=second.pk).update(apology_count=1, report_outcome="late")
    digitised_refresh(third.pk)
    assert_exact()
    # A dossier moved across a month boundary (its received_at, so its received_month): both months move.
    months = sorted(_kept_months())
    fourth = Dossier.objects.get(pk=fourth.pk)
    fourth.received_at = timezone.make_aware(dt.datetime.combine(months[-1], dt.time(9)))
    before = fourth.received_month
    tracked_save(fourth, actor=tiepnhan, reason="sửa ngày nhận (thử)")
    assert {before, months[-1]}.isdisjoint(_kept_months())
    assert_exact()
    # SQL written by hand, and a deletion.
    with connection.cursor() as cursor:
        cursor.execute("UPDATE registrations_dossier SET rating_value = 'hai_long' WHERE id = %s", [third.pk])
        cursor.execute("DELETE FROM registrations_checklistitem WHERE dossier_id = %s", [second.pk])
        cursor.execute("DELETE FROM registrations_dossier WHERE id = %s", [second.pk])
    assert_exact()
    # The worker keeps the months again, and they still count the same.
    report_months_keep()
    assert {oldest.received_month, before, months[-1]} <= _kept_months()
    assert_exact()


def test_a_change_the_series_do_not_read_moves_no_version(five_years, tiepnhan):
    dossier = five_years.first()
    version = DossierReportMonth.objects.get(month=dossier.received_month).version
    dossier.applicant_phone = "0911000000"
    tracked_save(dossier, actor=tiepnhan, reason="sửa số điện thoại")
    assert DossierReportMonth.objects.get(month=dossier.received_month).version == version
    assert dossier.received_month in _kept_months()


def test_a_month_is_kept_only_once_no_dossier_can_turn_late_or_overdue_by_itself(receive, tiepnhan):
    """An accepted dossier turns overdue, an open one late, without a write: its month waits until both have
    passed. Received 09/03/2026, due 12/03: kept from 13/03 on, and the figures move meanwhile."""
    with time_machine.travel(local(2026, 3, 9, 9, 0), tick=False):
        dossier = receive("h").dossier
        report_months_keep()
        assert dossier.received_month not in _kept_months()
    with time_machine.travel(local(2026, 3, 31, 9, 0), tick=False):
        assert_exact()
        assert (dossier.received_month, "quá hạn, chưa trả", 1) in report_months.dossiers_per_month(
            start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 31)
        )
        assert report_months_keep() == 1
        assert_exact()
        record_result(dossier, tiepnhan)
        return_in_person(dossier, tiepnhan)
        assert dossier.received_month not in _kept_months()
        assert_exact()
        assert report_months_keep() == 1
        assert_exact()
    with time_machine.travel(local(2026, 5, 2, 9, 0), tick=False):
        assert_exact()


def test_a_write_while_the_worker_counts_leaves_the_month_to_the_next_run(five_years, tiepnhan, monkeypatch):
    """The version is read before counting and the rows kept only if it is still the month's."""
    dossier = five_years.first()
    Dossier.objects.filter(pk=dossier.pk).update(apology_count=2)  # the month is stale
    count = report_months._cells

    def count_then_write(*args, **kwargs):
        cells = count(*args, **kwargs)
        Dossier.objects.filter(pk=dossier.pk).update(apology_count=3)  # after the count, before it is kept
        return cells

    monkeypatch.setattr(report_months, "_cells", count_then_write)
    assert report_months_keep() == 0
    assert dossier.received_month not in _kept_months()
    assert_exact()


def test_the_page_reads_both_series_in_two_queries(five_years, django_assert_num_queries):
    today = timezone.localdate()
    start = (today.replace(day=1) - dt.timedelta(days=335)).replace(day=1)
    with django_assert_num_queries(2), registry.report_page():  # the kept months, then the others counted
        report_months.dossiers_per_month(start=start, end=today)
        report_months.quality_report_rows(start, today)
    # The others by the statement compiled once per process (every parameter placed), not a fallback.
    assert all(report_months._page_statement(connection.alias, count) for count in (1, 2, 13))
