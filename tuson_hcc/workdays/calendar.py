"""Vietnamese working days (DESIGN.md section 4).

Monday–Friday, minus the public holidays of Bộ luật Lao động 2019 Điều 112 (the `holidays`
package knows lunar Tết, Giỗ Tổ and observed days), plus announced swap Saturdays, with the
admin-editable `CalendarOverride` table layered on top.
"""

from datetime import date, datetime, time, timedelta
from functools import lru_cache

import holidays
from django.utils import timezone

from .models import CalendarOverride

# Bounds any search for the next working day: no real calendar has 60 days off in a row.
_MAX_SEARCH_DAYS = 60


@lru_cache(maxsize=64)
def _national_calendar(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("VN", years=[year])


def national_calendars_warm_up() -> None:
    """This year's and next year's public holidays, worked out at a worker's start-up: the `holidays`
    package loads its country data on first use, which the first receipt of a process paid."""
    year = timezone.localdate().year
    _national_calendar(year)
    _national_calendar(year + 1)


def _overrides_between(start: date, end: date) -> dict[date, str]:
    rows = CalendarOverride.objects.filter(date__range=(start, end)).values_list("date", "kind")
    return dict(rows)


def _is_working_day(day: date, overrides: dict[date, str]) -> bool:
    if day in overrides:
        return overrides[day] == CalendarOverride.Kind.WORKING_DAY
    national = _national_calendar(day.year)
    if day in getattr(national, "weekend_workdays", set()):
        return True
    return day.weekday() < 5 and day not in national


def is_working_day(day: date) -> bool:
    return _is_working_day(day, _overrides_between(day, day))


def _add_working_days(start: date, days: int, overrides: dict[date, str]) -> date:
    current, counted = start, 0
    while counted < days:
        current += timedelta(days=1)
        if _is_working_day(current, overrides):
            counted += 1
    return current


def _overrides_from(start: date, days: int) -> dict[date, str]:
    """The overrides of every day that counting `days` working days from `start` can reach."""
    return _overrides_between(start, start + timedelta(days=days * 2 + _MAX_SEARCH_DAYS))


def add_working_days(start: date, days: int) -> date:
    """The date `days` working days after `start` (start itself not counted)."""
    return _add_working_days(start, days, _overrides_from(start, days))


def _effective_receipt_day(local: datetime, cutoff: time | None, overrides: dict[date, str]) -> date:
    day = local.date()
    if (cutoff is not None and local.time() > cutoff) or not _is_working_day(day, overrides):
        day = _add_working_days(day, 1, overrides)
    return day


def effective_receipt_day(received_at: datetime, cutoff: time | None) -> date:
    """The working day a dossier counts as received on.

    Received on a day off, or after the procedure's cut-off hour, it counts as received on the
    next working day. "After" is strict (DESIGN.md section 4): with a 16:00 cut-off, a dossier
    received at 16:00:00 counts today, at 16:00:01 the next working day.
    """
    local = timezone.localtime(received_at)
    return _effective_receipt_day(local, cutoff, _overrides_from(local.date(), 1))


def receipt_and_due_days(received_at: datetime, working_days: int, cutoff: time | None = None) -> tuple[date, date]:
    """(`effective_receipt_day`, the appointment date `working_days` working days after it), in one query."""
    local = timezone.localtime(received_at)
    overrides = _overrides_from(local.date(), working_days + 1)
    start = _effective_receipt_day(local, cutoff, overrides)
    return start, _add_working_days(start, working_days, overrides)


def due_date(received_at: datetime, working_days: int, cutoff: time | None = None) -> date:
    """The appointment date: `working_days` working days after the day of receipt (one query, any weekday)."""
    return receipt_and_due_days(received_at, working_days, cutoff)[1]


def day_start(day: date) -> datetime:
    """Local midnight (TIME_ZONE) at the start of `day`: the bound of every "on or after day D" filter."""
    return timezone.make_aware(datetime.combine(day, time.min))


def months_between(start: date, end: date) -> list[date]:
    """The first day of every month from `start`'s month to `end`'s, oldest first (the reports' columns)."""
    months, month = [], start.replace(day=1)
    while month <= end:
        months.append(month)
        month = (month + timedelta(days=32)).replace(day=1)
    return months
