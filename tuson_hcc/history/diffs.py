"""Each version's diff, stored on its `HistoryIndex` row when the version is written (issue 14).

The history list then shows a page of changes without loading the version before each one. Only
changes ("~") are stored: a creation's diff is its own filled-in fields, read from the version
the list loads anyway, so the writes that only create (a stamping, every ledger entry) cost no
extra statement.
`AuditedHistory.post_save` (core) leaves the previous version's values on the instance; the
receiver below turns the pair into a diff — relation ids, choice codes and yes/no kept as codes,
so labels still follow the reader's language — and stores it after the transaction commits,
in one statement for every version the transaction wrote. Versions written another way (bulk
loads of the seeders, many-to-many changes, deletions) get theirs from `stored_diffs_backfill`,
which the seed runs after its bulk loads (and `manage.py store_history_diffs` on demand); until
then the list computes theirs when shown, with the same words.
"""

import json
from contextlib import nullcontext

from django.db import connections, transaction
from django.db.models import Exists, OuterRef

from tuson_hcc.core.dbops import indexes_built_after

from .catalog import tracked_model_for, tracked_models
from .display import diff_fields, stored_value
from .models import HistoryIndex


def stored_diff(tracked, new: dict, old: dict | None, history_type: str) -> dict:
    """The JSON kept in `HistoryIndex.changes`: whether there was a version before, and each changed field."""
    return {
        "previous": old is not None,
        "fields": [
            [f.attname, stored_value(f, before), stored_value(f, value)]
            for f, before, value in diff_fields(tracked, new, old, history_type)
        ],
    }


class _Batch:
    """The diffs one transaction wrote, stored by one statement when it commits (discarded with a rollback)."""

    def __init__(self, alias: str):
        self.alias = alias
        self.rows: list[tuple] = []
        self.done = False

    def __call__(self) -> None:
        self.done = True
        connection = connections[self.alias]
        cast = "CAST(%s AS jsonb)" if connection.vendor == "postgresql" else "%s"
        with connection.cursor() as cursor:
            # `at` too: on SQLite a rolled-back version's id can be given again to another version.
            cursor.executemany(
                f"UPDATE history_historyindex SET changes = {cast} WHERE label = %s AND history_id = %s AND at = %s",
                [
                    (changes, label, history_id, connection.ops.adapt_datetimefield_value(at))
                    for changes, label, history_id, at in self.rows
                ],
            )


def _queue(alias: str, row: tuple) -> None:
    connection = connections[alias]
    batch = getattr(connection, "_history_diffs", None)
    if batch is not None and not batch.done and any(func is batch for _sids, func, _robust in connection.run_on_commit):
        batch.rows.append(row)
        return
    batch = connection._history_diffs = _Batch(alias)
    batch.rows.append(row)
    transaction.on_commit(batch, using=alias, robust=True)  # outside a transaction: now


def on_version_created(sender, instance, history_instance, using=None, **kwargs):
    """`post_create_historical_record`: queue the version's diff; nothing when the version before is unknown."""
    if "_history_previous" not in instance.__dict__ or history_instance.history_type != "~":
        return  # a creation is read from its own row (no version before it): nothing to store
    tracked = tracked_model_for(instance)
    if tracked is None:
        return
    previous = instance.__dict__.pop("_history_previous")
    new = {f.attname: getattr(history_instance, f.attname) for f in tracked.diff_fields}
    changes = json.dumps(stored_diff(tracked, new, previous, history_instance.history_type), ensure_ascii=False)
    alias = using or history_instance._state.db or "default"
    _queue(alias, (changes, tracked.label, history_instance.history_id, history_instance.history_date))


# --- versions written without their diff ------------------------------------------------------

BACKFILL_BATCH = 20_000
# Above this many diffs for one model, PostgreSQL applies them with the index table's secondary
# indexes dropped and built again after (`indexes_built_after`): one sort per index instead of
# millions of index updates. The table is locked meanwhile, as during the seed's own bulk load.
BULK_REBUILD = 200_000
STAGING = "history_diff_fill"


def stored_diffs_backfill(*, using: str = "default", stdout=None) -> int:
    """Store the diff of every change and deletion that has none (bulk loads, COPY in the seeders, versions
    from before diffs were stored), so the list never diffs versions when shown; returns how many.

    Each model's versions are read once, in (record, date, id) order, so each one's previous version is
    the row before it. Idempotent: only versions still without a diff are written. A creation needs
    none (it is read from its own version).
    """
    total = 0
    for tracked in tracked_models():
        done = _backfill(tracked, using)
        if done and stdout is not None:
            stdout.write(f"  + {done:,} diff ({tracked.label})")
        total += done
    return total


def _backfill(tracked, using: str) -> int:
    missing = HistoryIndex.objects.using(using).filter(label=tracked.label, changes__isnull=True)
    if not missing.exclude(history_type="+").exists():
        return 0
    pk = tracked.pk_attname
    attnames = [f.attname for f in tracked.diff_fields]
    needs = Exists(missing.filter(history_id=OuterRef("history_id")).exclude(history_type="+"))
    versions = (
        tracked.history_model._base_manager.using(using)
        .annotate(needs_diff=needs)
        .order_by(pk, "history_date", "history_id")
        .values_list(pk, "history_id", "history_type", "needs_diff", *attnames)
    )
    writer = _Writer(tracked.label, using)
    record, previous = object(), None
    for row in versions.iterator(chunk_size=BACKFILL_BATCH):
        values = dict(zip(attnames, row[4:], strict=True))
        if row[0] != record:
            record, previous = row[0], None
        if row[3]:
            writer.add(row[1], json.dumps(stored_diff(tracked, values, previous, row[2]), ensure_ascii=False))
        previous = values
    return writer.finish()


class _Writer:
    """(history_id, diff) pairs into `HistoryIndex.changes` where still empty. PostgreSQL: COPY into a
    staging table in batches, then one UPDATE joining it; SQLite: one UPDATE per version, in batches."""

    def __init__(self, label: str, using: str):
        self.label, self.using = label, using
        self.connection = connections[using]
        self.postgres = self.connection.vendor == "postgresql"
        self.batch: list[tuple[int, str]] = []
        self.count = 0
        if self.postgres:
            with self.connection.cursor() as cursor:
                cursor.execute(f"DROP TABLE IF EXISTS pg_temp.{STAGING}")  # never a table of the schema
                cursor.execute(f"CREATE TEMPORARY TABLE {STAGING} (history_id bigint, changes jsonb)")

    def add(self, history_id: int, changes: str) -> None:
        self.batch.append((history_id, changes))
        if len(self.batch) == BACKFILL_BATCH:
            self._flush()

    def _flush(self) -> None:
        with transaction.atomic(using=self.using), self.connection.cursor() as cursor:
            if self.postgres:
                with cursor.cursor.copy(f"COPY {STAGING} (history_id, changes) FROM STDIN") as copy:
                    for row in self.batch:
                        copy.write_row(row)
            else:
                cursor.executemany(
                    "UPDATE history_historyindex SET changes = %s "
                    "WHERE label = %s AND history_id = %s AND changes IS NULL",
                    [(changes, self.label, history_id) for history_id, changes in self.batch],
                )
        self.count += len(self.batch)
        self.batch = []

    def finish(self) -> int:
        self._flush()
        if not self.postgres:
            return self.count
        table = HistoryIndex._meta.db_table
        rebuild = indexes_built_after(table, using=self.using) if self.count > BULK_REBUILD else nullcontext()
        with rebuild, transaction.atomic(using=self.using), self.connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} AS i SET changes = f.changes FROM {STAGING} AS f "
                "WHERE i.label = %s AND i.history_id = f.history_id AND i.changes IS NULL",
                [self.label],
            )
            cursor.execute(f"DROP TABLE pg_temp.{STAGING}")
        return self.count
