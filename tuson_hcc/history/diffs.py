"""Each version's diff, stored on its `HistoryIndex` row when the version is written (issue 14).

The history list then shows a page of changes without loading the version before each one. Only
changes ("~") are stored: a creation's diff is its own filled-in fields, read from the version
the list loads anyway, so the writes that only create (a stamping, every ledger entry) cost no
extra statement.
`AuditedHistory.post_save` (core) leaves the previous version's values on the instance; the
receiver below turns the pair into a diff — relation ids, choice codes and yes/no kept as codes,
so labels still follow the reader's language — and stores it after the transaction commits,
in one statement for every version the transaction wrote. Versions written another way (bulk
loads of the seeders, many-to-many changes, deletions) keep no stored diff and the list
computes theirs when shown.
"""

import json

from django.db import connections, transaction

from .catalog import tracked_model_for
from .display import diff_fields, stored_value


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
