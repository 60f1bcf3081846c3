"""Two more tables under the triggers of migration 0003 (`core.kept_lists`): the organisation types and
the required documents, which the history pages name and keep as reference records (issue 14)."""

from django.db import migrations

TABLES = ("registrations_organisationtype", "registrations_requireddocument")


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table in TABLES:
        if vendor == "postgresql":
            schema_editor.execute(
                f"CREATE TRIGGER core_lists_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION core_lists_changed()"
            )
        elif vendor == "sqlite":
            for event in ("INSERT", "UPDATE", "DELETE"):
                schema_editor.execute(
                    f"CREATE TRIGGER core_lists_changed_{table}_{event.lower()} AFTER {event} ON {table} "
                    "BEGIN UPDATE core_listversion SET token = lower(hex(randomblob(16))); END"
                )


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table in TABLES:
        if vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS core_lists_changed ON {table}")
        elif vendor == "sqlite":
            for event in ("insert", "update", "delete"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS core_lists_changed_{table}_{event}")


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_list_version"),
        ("registrations", "0011_report_months"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
