"""Working days (DESIGN.md section 4; Bộ luật Lao động 2019 Điều 112)."""

from datetime import date, datetime, time

import pytest
from django.utils import timezone

from tuson_hcc.workdays.calendar import add_working_days, due_date, effective_receipt_day, is_working_day
from tuson_hcc.workdays.models import CalendarOverride

pytestmark = pytest.mark.django_db


def local(*args):
    return timezone.make_aware(datetime(*args))


def test_design_example_across_tet_2026():
    # Received Friday 13/02/2026 in the morning, 3 working days, Tết 16–20/02: due Wednesday 25/02.
    assert due_date(local(2026, 2, 13, 9, 0), 3, cutoff=time(16, 0)) == date(2026, 2, 25)


def test_weekend_is_skipped():
    assert add_working_days(date(2026, 3, 6), 1) == date(2026, 3, 9)  # Friday → Monday


def test_dossier_after_cutoff_counts_from_next_working_day():
    assert due_date(local(2026, 3, 10, 16, 30), 3, cutoff=time(16, 0)) == date(2026, 3, 16)
    assert due_date(local(2026, 3, 10, 15, 59), 3, cutoff=time(16, 0)) == date(2026, 3, 13)


@pytest.mark.parametrize(
    ("received", "counts_on"),
    [
        ((15, 59, 59), date(2026, 3, 10)),  # one second before the cut-off: today
        ((16, 0, 0), date(2026, 3, 10)),  # at the cut-off minute exactly: still today ("after this hour")
        ((16, 0, 1), date(2026, 3, 11)),  # one second after: the next working day
    ],
)
def test_cutoff_minute_counts_today_and_one_second_after_counts_next_working_day(received, counts_on):
    # DESIGN.md section 4: "the cut-off hour after which a dossier counts as received the next working day".
    assert effective_receipt_day(local(2026, 3, 10, *received), time(16, 0)) == counts_on


def test_dossier_received_on_saturday_counts_from_monday():
    assert due_date(local(2026, 3, 7, 9, 0), 3) == date(2026, 3, 12)


def test_announced_swap_saturday_is_a_working_day():
    # Saturday 22/08/2026 is worked in exchange for Monday 31/08 (the national calendar).
    assert is_working_day(date(2026, 8, 22))
    assert not is_working_day(date(2026, 8, 31))


def test_giỗ_tổ_observed_monday_is_a_day_off():
    assert not is_working_day(date(2026, 4, 27))


def test_admin_override_adds_a_day_off_and_a_working_day():
    assert add_working_days(date(2026, 3, 9), 1) == date(2026, 3, 10)
    CalendarOverride.objects.create(
        date=date(2026, 3, 10), kind=CalendarOverride.Kind.DAY_OFF, note="Nghỉ bù địa phương"
    )
    assert add_working_days(date(2026, 3, 9), 1) == date(2026, 3, 11)
    CalendarOverride.objects.create(date=date(2026, 3, 14), kind=CalendarOverride.Kind.WORKING_DAY, note="Làm bù")
    assert add_working_days(date(2026, 3, 13), 1) == date(2026, 3, 14)


@pytest.mark.django_db
def test_a_due_date_costs_one_query_on_a_working_day_and_on_a_sunday(django_assert_num_queries):
    """The appointment date reads the calendar's overrides once, whatever the day of receipt."""
    for day in (datetime(2026, 12, 4, 10, 0), datetime(2026, 12, 6, 10, 0)):  # a Friday, a Sunday
        with django_assert_num_queries(1):
            due_date(timezone.make_aware(day), 7)
