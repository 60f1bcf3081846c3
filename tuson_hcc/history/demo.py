"""Demo history at the volume of DESIGN.md section 7 (3,000,000 history rows), and bench cases.

`seed_demo --scale large` tops the historical tables up to `LARGE_HISTORY_ROWS` with synthetic
versions of the catalogue's procedures (edits spread over five years by the demo users), so
the auditor pages are measured at volume. PostgreSQL gets them through COPY (about a minute);
other databases through bulk_create. Small scale adds nothing: the other seeders' writes
already leave real history. Idempotent: it only adds what is missing.
"""

import datetime as dt
import itertools
from urllib.parse import urlencode

from django.db import connection, transaction
from django.utils import timezone

from .catalog import tracked_model, tracked_models

LARGE_HISTORY_ROWS = 3_000_000
LARGE_ACCESS_EVENTS = 1_000_000  # five years of sign-ins and document reads at a busy centre
BATCH = 20_000
# Distinct from the reasons real services write, so a re-run knows what it added.
SEED_REASONS = (
    "nhập danh mục TTHC (dữ liệu mẫu)",
    "cập nhật phí, lệ phí (dữ liệu mẫu)",
    "sửa thời hạn giải quyết (dữ liệu mẫu)",
)
TARGET = "procedures.procedure"


def history_rows_total() -> int:
    return sum(t.history_model._base_manager.count() for t in tracked_models())


def seed_history(*, scale: str, stdout) -> None:
    if scale != "large":
        return
    _seed_history_rows(stdout)
    _seed_access_events(stdout)


def _seed_access_events(stdout) -> None:
    """Sign-ins (one in twenty failed, from a few IPs) and document reads, spread over five years."""
    from tuson_hcc.accounts.models import User
    from tuson_hcc.audit.models import AccessEvent

    missing = LARGE_ACCESS_EVENTS - AccessEvent.objects.count()
    if missing <= 0:
        return
    users = list(User.objects.order_by("id").values_list("id", "username"))
    kinds = ["login_success"] * 10 + ["login_failure", "logout"] * 1 + ["document_view"] * 5 + ["document_download"] * 3
    now = timezone.now()
    span = dt.timedelta(days=5 * 365)
    step = span / missing

    def rows():
        for i in range(missing):
            user_id, username = users[i % len(users)]
            kind = kinds[i % len(kinds)]
            failed = kind == "login_failure"
            yield (
                kind,
                now - span + step * i,
                None if failed else user_id,
                username,
                f"10.0.{i % 7}.{i % 250 + 1}",
                "Mozilla/5.0 (dữ liệu mẫu)",
                "",
                "",
            )

    columns = ["kind", "at", "user_id", "username", "ip", "user_agent", "object_id", "detail"]
    if connection.vendor == "postgresql":
        _copy(AccessEvent._meta.db_table, columns, rows())
    else:
        for batch in _batched(rows()):
            with transaction.atomic():
                AccessEvent.objects.bulk_create([AccessEvent(**dict(zip(columns, row, strict=True))) for row in batch])
    stdout.write(f"  + {missing:,} sự kiện truy cập mẫu")


def _seed_history_rows(stdout) -> None:
    """Five years of versions of the catalogue's synthetic procedures (those without history yet).

    Each gets a creation row, then edits that really change something: odd versions the
    processing time, even ones the fees, each with its reason, by the demo users in turn.
    """
    tracked = tracked_model(TARGET)
    if tracked is None:
        return
    history = tracked.history_model
    missing = LARGE_HISTORY_ROWS - history_rows_total()
    if missing <= 0 or history._base_manager.filter(history_change_reason__in=SEED_REASONS).exists():
        stdout.write(f"  lịch sử: {history_rows_total():,} dòng, không thêm")
        return
    from tuson_hcc.accounts.models import User

    users = list(User.objects.order_by("id").values_list("id", flat=True))
    columns = [f for f in history._meta.concrete_fields if f.attname != "history_id"]
    own = [f.attname for f in columns if not f.attname.startswith("history_")]
    with_history = history._base_manager.values(tracked.pk_attname)
    procedures = list(tracked.model.objects.exclude(pk__in=with_history).order_by("id").values_list(*own))
    if not procedures or not users:
        return
    days_at, fees_at = own.index("processing_days"), own.index("fees")
    now = timezone.now()
    span = dt.timedelta(days=5 * 365)
    step = span / missing
    ordered = [
        *[f for f in columns if not f.attname.startswith("history_")],
        *[f for f in columns if f.attname.startswith("history_")],
    ]
    extra_names = [f.attname for f in ordered if f.attname.startswith("history_")]

    def rows():
        for i in range(missing):
            version, values = divmod(i, len(procedures))[0], list(procedures[i % len(procedures)])
            values[days_at] = (version + 1) // 2 % 20 + 1
            values[fees_at] = f"Lệ phí {version // 2 % 10 * 10}.000 đồng"
            if version == 0:
                kind, reason = "+", SEED_REASONS[0]
            else:
                kind, reason = "~", SEED_REASONS[1 + version % 2]
            extra = {
                "history_date": now - span + step * i,
                "history_change_reason": reason,
                "history_type": kind,
                "history_user_id": users[i % len(users)],
            }
            yield [*values, *[extra[name] for name in extra_names]]

    if connection.vendor == "postgresql":
        _copy(history._meta.db_table, [f.column for f in ordered], rows())
    else:
        for batch in _batched(rows()):
            with transaction.atomic():
                history._base_manager.bulk_create(
                    [history(**{f.attname: v for f, v in zip(ordered, row, strict=True)}) for row in batch]
                )
    stdout.write(f"  + {missing:,} dòng lịch sử mẫu ({tracked.label}, {len(procedures)} thủ tục)")


def _batched(iterable):
    iterator = iter(iterable)
    while batch := list(itertools.islice(iterator, BATCH)):
        yield batch


def _copy(table: str, columns: list[str], rows) -> None:
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    with transaction.atomic(), connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY {connection.ops.quote_name(table)} ({quoted}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")


# --- bench cases (`manage.py bench --only history`) --------------------------------------------


def _busiest_procedure_timeline() -> str:
    from procedures.models import Procedure

    # At large scale the last procedure is a synthetic one with ~1,500 versions.
    last = Procedure.objects.order_by("-id").values_list("id", flat=True).first()
    return f"/history/{TARGET}/{last}/"


def _by_user() -> str:
    from tuson_hcc.accounts.models import User

    return f"/history/?user={User.objects.get(username='vanthu').pk}"


def _by_user_and_type_second_page() -> str:
    from tuson_hcc.accounts.models import User

    from .selectors import HistoryFilter, history_page

    user = User.objects.get(username="giamdoc")
    page = history_page(criteria=HistoryFilter(model_label=TARGET, user_id=user.pk))
    after = f"&after={page.next_cursor.encode()}" if page.next_cursor else ""
    return f"/history/?model={TARGET}&user={user.pk}{after}"


def _access_by_user() -> str:
    from tuson_hcc.accounts.models import User

    return f"/history/access/?user={User.objects.get(username='tiepnhan').pk}&date_from=2025-03-01&date_to=2025-03-31"


def bench_paths() -> list[tuple[str, object]]:
    return [
        ("history: list (every table merged)", "/history/"),
        ("history: filtered by user", _by_user),
        ("history: filtered by type", f"/history/?model={TARGET}"),
        ("history: by type and user, second page", _by_user_and_type_second_page),
        (
            "history: filtered by reason and date",
            "/history/?" + urlencode({"reason": SEED_REASONS[2], "date_from": "2024-01-01", "date_to": "2024-01-31"}),
        ),
        ("history: filtered by action (deleted)", "/history/?history_type=-"),
        ("history: timeline", _busiest_procedure_timeline),
        ("history: access log", "/history/access/"),
        ("history: access log, login failures", "/history/access/?kind=login_failure"),
        ("history: access log, one user in a month", _access_by_user),
        ("history: ledgers page", "/history/ledgers/"),
        ("history: reports", "/history/reports/"),
    ]
