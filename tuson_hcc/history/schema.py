"""What `migrate` ensures for the auditor pages, whatever apps are installed (post_migrate).

1. Audit indexes on every historical table. simple-history indexes `history_date` and the
   record's id; the auditor filters also need (user, date), (record id, date), (type, date) and
   (reason, date) so each filter is an index seek at 3,000,000 rows (DESIGN.md section 7).
   The historical tables belong to their apps, so the indexes are ensured here, by name and
   IF NOT EXISTS, for every table registered now or later (the seals and registrations apps
   get them without writing anything).
2. The `kiem_tra` group holds the `view_*` permission of every model and nothing else, so an
   auditor made staff browses the admin read-only (DESIGN.md section 1: change nothing).
"""

import hashlib

from django.db import connections

from .catalog import tracked_models

AUDIT_INDEXES = {
    "user": ("history_user_id", "history_date"),
    "obj": (None, "history_date"),  # None: the record's id column
    "type": ("history_type", "history_date"),
    "why": ("history_change_reason", "history_date"),
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
    ensure_auditor_view_permissions(using=using)
