"""The catalogue's part of the large demo history (DESIGN.md section 7: 3,000,000 history rows).

`seed_demo --scale large` tops the historical tables up to `LARGE_HISTORY_ROWS` with synthetic
versions of the catalogue's procedures (edits spread over five years by the demo users), so the
auditor pages are measured at volume; and the bench cases that read them. Plugged in through
the core's registry (procedures/apps.py): the core does not import this app.
"""

import datetime as dt
import json

from django.db import connection, transaction
from django.utils import timezone

from tuson_hcc.core.dbops import copy_rows, indexes_built_after
from tuson_hcc.history.catalog import tracked_model
from tuson_hcc.history.demo import LARGE_HISTORY_ROWS, SEED_REASONS, batched, history_rows_total
from tuson_hcc.history.diffs import stored_diff
from tuson_hcc.history.models import HistoryIndex
from tuson_hcc.history.schema import history_index_select, history_index_trigger
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

    changes = [tuple(_version_values({}, n).values()) for n in range(missing // len(procedures) + 1)]

    def rows():
        for i in range(missing):
            version, values = divmod(i, len(procedures))[0], list(procedures[i % len(procedures)])
            values[days_at], values[fees_at] = changes[version]
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
        diffs = _version_diffs(tracked, dict(zip(own, procedures[0], strict=True)), missing // len(procedures) + 1)
        with indexes_built_after(history._meta.db_table, HistoryIndex._meta.db_table):
            _copy_indexed(tracked, [f.column for f in ordered], rows(), missing, len(procedures), diffs)
    else:
        # The index trigger gives each version its HistoryIndex row; the seed stores their diffs last.
        for batch in batched(rows()):
            with transaction.atomic():
                history._base_manager.bulk_create(
                    [history(**{f.attname: v for f, v in zip(ordered, row, strict=True)}) for row in batch]
                )
    stdout.write(f"  + {missing:,} dòng lịch sử mẫu ({tracked.label}, {len(procedures)} thủ tục)")


def _version_values(values: dict, version: int) -> dict:
    """A procedure's values at `version`: odd versions change the processing time, even ones the fees."""
    return {
        **values,
        "processing_days": (version + 1) // 2 % 20 + 1,
        "fees": f"Lệ phí {version // 2 % 10 * 10}.000 đồng",
    }


def _version_diffs(tracked, values: dict, versions: int) -> list[str]:
    """The stored diff (JSON, as `stored_diffs_backfill` writes it) of each version number, "" for the
    creation: two versions in a row differ in one field whatever the procedure, so one diff per number."""
    names = [f.attname for f in tracked.diff_fields]
    at = [{name: v.get(name) for name in names} for v in (_version_values(values, n) for n in range(versions))]
    return [""] + [
        json.dumps(stored_diff(tracked, at[n], at[n - 1], "~"), ensure_ascii=False) for n in range(1, versions)
    ]


def _copy_indexed(tracked, columns: list[str], rows, count: int, per_version: int, diffs: list[str]) -> None:
    """PostgreSQL: COPY the versions, numbered as one block of ids, then index them in one INSERT…SELECT
    with each change's stored diff, the index trigger off meanwhile (each version indexed once, and no
    backfill of three million diffs afterwards). Inside the caller's `indexes_built_after` transaction."""
    history = tracked.history_model
    table, q = history._meta.db_table, connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'history_id'))", [table])
        first = cursor.fetchone()[0]
        cursor.execute("SELECT setval(pg_get_serial_sequence(%s, 'history_id'), %s)", [table, first + count - 1])
        cursor.execute(f"ALTER TABLE {q(table)} DISABLE TRIGGER {q(history_index_trigger(tracked))}")
    copy_rows(table, ["history_id", *columns], ((first + i, *row) for i, row in enumerate(rows)))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {q(HistoryIndex._meta.db_table)} "
            "(at, label, history_id, object_id, user_id, history_type, reason, changes) "
            f"SELECT {history_index_select(tracked, 'h.')}, NULLIF(d.changes, '')::jsonb "
            f"FROM {q(table)} AS h JOIN unnest(%s::text[]) WITH ORDINALITY AS d(changes, n) "
            "ON d.n - 1 = (h.history_id - %s) / %s WHERE h.history_id BETWEEN %s AND %s",
            [diffs, first, per_version, first, first + count - 1],
        )
        cursor.execute(f"ALTER TABLE {q(table)} ENABLE TRIGGER {q(history_index_trigger(tracked))}")


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
