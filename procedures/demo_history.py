"""The catalogue's part of the large demo history (DESIGN.md section 7: 3,000,000 history rows).

`seed_demo --scale large` tops the historical tables up to `LARGE_HISTORY_ROWS` with synthetic
versions of the catalogue's procedures (edits spread over five years by the demo users), so the
auditor pages are measured at volume; and the bench cases that read them. Plugged in through
the core's registry (procedures/apps.py): the core does not import this app.
"""

import datetime as dt

from django.db import connection, transaction
from django.utils import timezone

from tuson_hcc.core.dbops import copy_rows, indexes_built_after
from tuson_hcc.history.catalog import tracked_model
from tuson_hcc.history.demo import LARGE_HISTORY_ROWS, SEED_REASONS, batched, history_rows_total
from tuson_hcc.history.models import HistoryIndex
from tuson_hcc.history.selectors import HistoryFilter, history_page

TARGET = "procedures.procedure"


def seed_procedure_history(*, scale: str, stdout) -> None:
    """Five years of versions of the catalogue's synthetic procedures (those without history yet).

    Each gets a creation row, then edits that really change something: odd versions the
    processing time, even ones the fees, each with its reason, by the demo users in turn.
    """
    if scale != "large":
        return
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
        # The history index gets its rows from a statement trigger on the historical table (schema.py).
        with indexes_built_after(history._meta.db_table, HistoryIndex._meta.db_table):
            copy_rows(history._meta.db_table, [f.column for f in ordered], rows())
    else:
        for batch in batched(rows()):
            with transaction.atomic():
                history._base_manager.bulk_create(
                    [history(**{f.attname: v for f, v in zip(ordered, row, strict=True)}) for row in batch]
                )
    stdout.write(f"  + {missing:,} dòng lịch sử mẫu ({tracked.label}, {len(procedures)} thủ tục)")


def _busiest_procedure_timeline() -> str:
    from .models import Procedure

    # At large scale the last procedure is a synthetic one with ~1,500 versions.
    last = Procedure.objects.order_by("-id").values_list("id", flat=True).first()
    return f"/history/{TARGET}/{last}/"


def _by_user_and_type_second_page() -> str:
    from tuson_hcc.accounts.models import User

    user = User.objects.get(username="giamdoc")
    page = history_page(criteria=HistoryFilter(model_label=TARGET, user_id=user.pk))
    after = f"&after={page.next_cursor.encode()}" if page.next_cursor else ""
    return f"/history/?model={TARGET}&user={user.pk}{after}"


def bench_paths() -> list[tuple[str, object]]:
    return [
        ("history: filtered by type", f"/history/?model={TARGET}"),
        ("history: by type and user, second page", _by_user_and_type_second_page),
        ("history: timeline", _busiest_procedure_timeline),
    ]
