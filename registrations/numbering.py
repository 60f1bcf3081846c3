"""Mã hồ sơ, register lines, appointment dates and lookup secrets (DESIGN.md sections 3 and 4)."""

import secrets
from datetime import datetime, time

from django.db import connection
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from procedures.models import Procedure
from tuson_hcc.core.models import IssuingBody
from tuson_hcc.workdays.calendar import receipt_and_due_days

from .models import DossierCounter

# The procedure card (seed 003, mục d): 03 ngày làm việc; the catalogue row wins when present.
PROCEDURE_NAME = "Đăng ký mẫu con dấu mới"
DEFAULT_PROCESSING_DAYS = 3
DEFAULT_CUTOFF = Procedure._meta.get_field("cutoff_time").default
# A dossier counted from the next working day is due at the opening of that day's counter.
MORNING_OPENING = time(8, 0)
SECRET_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud at the counter
SECRET_LENGTH = 10


def _next_number(scope: str) -> int:
    """The next number of `scope`, without gaps: the row stays locked until the caller commits.

    One statement (PostgreSQL and SQLite ≥ 3.35) instead of insert-if-missing, lock and update.
    """
    table = connection.ops.quote_name(DossierCounter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (scope, last_number) VALUES (%s, 1) "  # noqa: S608 - table name from _meta
            f"ON CONFLICT (scope) DO UPDATE SET last_number = {table}.last_number + 1 RETURNING last_number",
            [scope],
        )
        (last_number,) = cursor.fetchone()
    return last_number


def dossier_numbers_allocate(*, received_at: datetime, unit_code: str | None = None) -> tuple[str, int, int]:
    """(mã hồ sơ, register year, register line) for a dossier received at `received_at`.

    TT 01/2018 Điều 19: `<unit code>-YYMMDD-XXXX`, XXXX the day's sequence at the unit. Call it
    inside the transaction that creates the dossier: the counter rows are locked (day first, then
    year, always in that order) until it commits, so concurrent desks get consecutive numbers and
    a rolled-back intake gives its number back. `unit_code`: the IssuingBody's, when the caller holds it.
    """
    unit_code = unit_code or IssuingBody.current().unit_code
    local = timezone.localtime(received_at)
    sequence = _next_number(f"day:{unit_code}:{local:%y%m%d}")
    line = _next_number(f"year:{local.year}")
    return f"{unit_code}-{local:%y%m%d}-{sequence:04d}", local.year, line


def seal_registration_procedure() -> Procedure | None:
    """The catalogue's "Đăng ký mẫu con dấu mới" (QĐ 1691/QĐ-UBND), if loaded."""
    return Procedure.objects.filter(name__startswith=PROCEDURE_NAME).order_by("id").first()


def processing_terms(procedure: Procedure | None) -> tuple[int, time]:
    """(working days, cut-off hour): the procedure's own, or the procedure card's 3 days and the default cut-off."""
    if procedure is None:
        return DEFAULT_PROCESSING_DAYS, DEFAULT_CUTOFF
    return procedure.processing_days or DEFAULT_PROCESSING_DAYS, procedure.cutoff_time or DEFAULT_CUTOFF


def appointment_at(*, complete_at: datetime, days: int, cutoff: time) -> datetime:
    """When to return the result (DESIGN.md section 4).

    Counted in working days from the day the complete dossier counts as received (a day off or
    after the cut-off hour moves it to the next working day); the hour is the receipt's hour, or
    the morning opening when the count started on a later day.
    """
    start, due = receipt_and_due_days(complete_at, days, cutoff)
    local = timezone.localtime(complete_at)
    hour = local.time().replace(second=0, microsecond=0) if start == local.date() else MORNING_OPENING
    return timezone.make_aware(datetime.combine(due, hour))


def lookup_secret_new() -> str:
    return "".join(secrets.choice(SECRET_ALPHABET) for _ in range(SECRET_LENGTH))


def lookup_secret_hash(*, code: str, secret: str) -> str:
    """Only this keyed hash is stored: a database leak does not reveal the secrets."""
    normalised = secret.strip().upper().replace(" ", "").replace("-", "")
    return salted_hmac("registrations.lookup-secret", f"{code}:{normalised}", algorithm="sha256").hexdigest()


def lookup_secret_matches(*, code: str, secret: str, stored_hash: str) -> bool:
    return bool(stored_hash) and constant_time_compare(lookup_secret_hash(code=code, secret=secret), stored_hash)
