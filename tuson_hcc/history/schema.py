"""What `migrate` ensures for the auditor pages, whatever apps are installed (post_migrate).

1. The history index: a trigger on every historical table copies each new version's
   (date, model, id, record, user, type, reason) into `HistoryIndex`, which the auditors' list
   and filters read (issue 14). A table that gets its trigger for the first time has its
   existing versions copied too. Tables registered later get theirs at their next migrate.
2. A (record id, date) index on every historical table for the one-record timeline; the
   list's filters are served by `HistoryIndex`'s own indexes.
3. The `kiem_tra` group holds the `view_*` permission of every model and nothing else, so an
   auditor made staff browses the admin read-only (DESIGN.md section 1: change nothing).
"""

import hashlib

from django.db import connections

from .catalog import tracked_models

AUDIT_INDEXES = {
    "obj": (None, "history_date"),  # None: the record's id column
}


def audit_index_name(table: str, suffix: str) -> str:
    return f"hist_{hashlib.md5(table.encode()).hexdigest()[:12]}_{suffix}"


def ensure_audit_indexes(*, using: str = "default") -> list[str]:
    """Create the missing audit indexes; returns the names created or already there."""
    connection = connections[using]
    names = []
    with connection.cursor() as cursor:
        existing_tables = set(connection.introspection.table_names(cursor))
        for tracked in tracked_models():
            table = tracked.history_model._meta.db_table
            if table not in existing_tables:
                continue
            columns = {f.column for f in tracked.history_model._meta.concrete_fields}
            for suffix, (first, second) in AUDIT_INDEXES.items():
                first = first or tracked.history_model._meta.get_field(tracked.pk_attname).column
                if first not in columns:
                    continue
                name = audit_index_name(table, suffix)
                q = connection.ops.quote_name
                cursor.execute(f"CREATE INDEX IF NOT EXISTS {q(name)} ON {q(table)} ({q(first)}, {q(second)})")
                names.append(name)
    return names


def _index_columns(tracked, row: str = "") -> str:
    """The SELECT list that turns a historical row (`row` prefixes its columns) into a `HistoryIndex` row."""
    pk = tracked.history_model._meta.get_field(tracked.pk_attname).column
    label = tracked.label.replace("'", "")
    return (
        f"{row}history_date, '{label}', {row}history_id, CAST({row}\"{pk}\" AS TEXT), {row}history_user_id, "
        f"{row}history_type, COALESCE({row}history_change_reason, '')"
    )


INDEX_UPDATE = (
    "UPDATE history_historyindex AS i SET at = n.at, object_id = n.object_id, user_id = n.user_id, "
    "history_type = n.history_type, reason = n.reason"
)
INDEX_INSERT = "INSERT INTO history_historyindex (at, label, history_id, object_id, user_id, history_type, reason)"


def _trigger_exists(cursor, vendor: str, name: str) -> bool:
    if vendor == "postgresql":
        cursor.execute("SELECT 1 FROM pg_trigger WHERE tgname = %s", [name])
    else:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name = %s", [name])
    return cursor.fetchone() is not None


def ensure_history_index(*, using: str = "default") -> list[str]:
    """Install the index trigger on every historical table; backfill a table the first time."""
    connection = connections[using]
    vendor = connection.vendor
    if vendor not in ("postgresql", "sqlite"):
        return []
    names = []
    with connection.cursor() as cursor:
        existing_tables = set(connection.introspection.table_names(cursor))
        if "history_historyindex" not in existing_tables:
            return []
        for tracked in tracked_models():
            table = tracked.history_model._meta.db_table
            if table not in existing_tables:
                continue
            name = audit_index_name(table, "idx")
            columns = _index_columns(tracked)
            is_new = not _trigger_exists(cursor, vendor, name)
            if vendor == "postgresql":
                # Statement-level with a transition table: one INSERT per COPY or bulk insert, not per row.
                cursor.execute(
                    f"CREATE OR REPLACE FUNCTION {name}_fn() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                    f"{INDEX_INSERT} SELECT {columns} FROM new_rows; RETURN NULL; END $$"
                )
                # A version rewritten in place (a repair by hand, a test) keeps its index row in step.
                cursor.execute(
                    f"CREATE OR REPLACE FUNCTION {name}_upd() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                    f"{INDEX_UPDATE} FROM (SELECT {columns} FROM new_rows) AS n(at, label, history_id, object_id, "
                    "user_id, history_type, reason) WHERE i.label = n.label AND i.history_id = n.history_id; "
                    "RETURN NULL; END $$"
                )
                if is_new:
                    cursor.execute(
                        f'CREATE TRIGGER {name} AFTER INSERT ON "{table}" REFERENCING NEW TABLE AS new_rows '
                        f"FOR EACH STATEMENT EXECUTE FUNCTION {name}_fn()"
                    )
                    cursor.execute(
                        f'CREATE TRIGGER {name}_u AFTER UPDATE ON "{table}" REFERENCING NEW TABLE AS new_rows '
                        f"FOR EACH STATEMENT EXECUTE FUNCTION {name}_upd()"
                    )
            elif is_new:
                cursor.execute(
                    f'CREATE TRIGGER {name} AFTER INSERT ON "{table}" BEGIN '
                    f"{INDEX_INSERT} VALUES ({_index_columns(tracked, 'NEW.')}); END"
                )
                pk = tracked.history_model._meta.get_field(tracked.pk_attname).column
                cursor.execute(
                    f'CREATE TRIGGER {name}_u AFTER UPDATE ON "{table}" BEGIN '
                    "UPDATE history_historyindex SET at = NEW.history_date, "
                    f'object_id = CAST(NEW."{pk}" AS TEXT), user_id = NEW.history_user_id, '
                    "history_type = NEW.history_type, reason = COALESCE(NEW.history_change_reason, '') "
                    f"WHERE label = '{tracked.label}' AND history_id = NEW.history_id; END"
                )
            if is_new:
                conflict = "ON CONFLICT DO NOTHING" if vendor == "postgresql" else ""
                insert = INDEX_INSERT.replace("INSERT INTO", "INSERT OR IGNORE INTO") if not conflict else INDEX_INSERT
                cursor.execute(f'{insert} SELECT {columns} FROM "{table}" {conflict}')
            names.append(name)
    return names


def ensure_auditor_view_permissions(*, using: str = "default") -> None:
    from django.contrib.auth.models import Group, Permission

    from tuson_hcc.accounts.roles import Role

    group = Group.objects.using(using).filter(name=Role.KIEM_TRA).first()
    if group is None:
        return
    views = Permission.objects.using(using).filter(codename__startswith="view_")
    group.permissions.set(views)  # view only: any add/change/delete given by hand is taken back


def on_post_migrate(sender, using="default", **kwargs):
    from django.apps import apps

    # After the last app's signal: by then every app's tables and permissions exist.
    last = [c for c in apps.get_app_configs() if c.models_module is not None][-1]
    if sender.label != last.label:
        return
    ensure_audit_indexes(using=using)
    ensure_history_index(using=using)
    ensure_auditor_view_permissions(using=using)


def history_index_select(tracked, row: str = "") -> str:
    """The SELECT list turning a historical row (`row` prefixes its columns, e.g. "h.") into the
    `HistoryIndex` columns (at, label, history_id, object_id, user_id, history_type, reason): what
    the index trigger inserts, for a bulk load that indexes its versions itself."""
    return _index_columns(tracked, row)


def history_index_trigger(tracked) -> str:
    """The name of the trigger indexing the versions inserted into `tracked`'s historical table."""
    return audit_index_name(tracked.history_model._meta.db_table, "idx")
