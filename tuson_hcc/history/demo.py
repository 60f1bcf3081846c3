"""Demo history at the volume of DESIGN.md section 7, and bench cases, for the core's part.

`seed_demo --scale large` adds `LARGE_ACCESS_EVENTS` access events; the apps top their own
historical tables up to `LARGE_HISTORY_ROWS` with their own seeders (procedures/demo_history.py),
using `history_rows_total` and `batched` from here; then, at every scale, the diffs of the versions
loaded in bulk are stored (`diffs.stored_diffs_backfill`). PostgreSQL gets rows through COPY
(`core.dbops.copy_rows`); other databases through bulk_create. Idempotent: it only adds what is missing.
"""

import datetime as dt
import itertools
from urllib.parse import urlencode

from django.db import connection, transaction
from django.utils import timezone

from tuson_hcc.core.dbops import copy_rows, indexes_built_after

from .catalog import tracked_models
from .diffs import stored_diffs_backfill

LARGE_HISTORY_ROWS = 3_000_000
LARGE_ACCESS_EVENTS = 1_000_000  # five years of sign-ins and document reads at a busy centre
BATCH = 20_000
# Distinct from the reasons real services write, so a re-run knows what it added.
SEED_REASONS = (
    "nhập danh mục TTHC (dữ liệu mẫu)",
    "cập nhật phí, lệ phí (dữ liệu mẫu)",
    "sửa thời hạn giải quyết (dữ liệu mẫu)",
)


def history_rows_total() -> int:
    return sum(t.history_model._base_manager.count() for t in tracked_models())


def seed_history(*, scale: str, stdout) -> None:
    """Runs last: the access events of the large scale, then the diff of every version the seeders
    loaded in bulk (they keep none), so the history pages read stored diffs at every scale."""
    if scale == "large":
        _seed_access_events(stdout)
    stored_diffs_backfill(stdout=stdout)


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
        with indexes_built_after(AccessEvent._meta.db_table):
            copy_rows(AccessEvent._meta.db_table, columns, rows())
    else:
        for batch in batched(rows()):
            with transaction.atomic():
                AccessEvent.objects.bulk_create([AccessEvent(**dict(zip(columns, row, strict=True))) for row in batch])
    stdout.write(f"  + {missing:,} sự kiện truy cập mẫu")


def batched(iterable):
    iterator = iter(iterable)
    while batch := list(itertools.islice(iterator, BATCH)):
        yield batch


# --- bench cases (`manage.py bench --only history`) --------------------------------------------


def _by_user() -> str:
    from tuson_hcc.accounts.models import User

    return f"/history/?user={User.objects.get(username='vanthu').pk}"


def _access_by_user() -> str:
    from tuson_hcc.accounts.models import User

    return f"/history/access/?user={User.objects.get(username='tiepnhan').pk}&date_from=2025-03-01&date_to=2025-03-31"


def bench_paths() -> list[tuple[str, object]]:
    return [
        ("history: list (every table merged)", "/history/"),
        ("history: filtered by user", _by_user),
        (
            "history: filtered by reason and date",
            "/history/?" + urlencode({"reason": SEED_REASONS[2], "date_from": "2024-01-01", "date_to": "2024-01-31"}),
        ),
        ("history: filtered by action (deleted)", "/history/?history_type=-"),
        ("history: access log", "/history/access/"),
        ("history: access log, login failures", "/history/access/?kind=login_failure"),
        ("history: access log, one user in a month", _access_by_user),
        ("history: ledgers page", "/history/ledgers/"),
        ("history: reports", "/history/reports/"),
    ]
