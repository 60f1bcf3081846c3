"""`core_listversion` and the triggers that give it a new token on any write to the tables of the filter
bars' kept lists (`tuson_hcc/core/kept_lists.py`, issue 14). PostgreSQL: one statement-level trigger a
table (TRUNCATE included); SQLite: row-level triggers for insert, update and delete."""

import uuid

from django.db import migrations, models

from tuson_hcc.core.dbops import kept_list_triggers

TABLES = (
    "accounts_agency",
    "accounts_user",
    "accounts_user_groups",
    "auth_group",
    "procedures_procedure",
    "seals_seal",
)

POSTGRES_FUNCTION = """
CREATE OR REPLACE FUNCTION core_lists_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE core_listversion SET token = md5(random()::text || clock_timestamp()::text);
    RETURN NULL;
END $$;
"""


def forwards(apps, schema_editor):
    # A random first token too: a database rebuilt from nothing never starts with a token seen before.
    schema_editor.execute("INSERT INTO core_listversion (id, token) VALUES (1, %s)", [uuid.uuid4().hex])
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_FUNCTION)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS core_lists_changed()")


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_body_names_in_running_text_case"),
        ("accounts", "0004_group_history"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("procedures", "0003_list_order_and_latest_change_indexes"),
        ("seals", "0004_ledger_covering_chain_index"),
    ]

    operations = [
        migrations.CreateModel(
            name="ListVersion",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("token", models.CharField(max_length=32)),
            ],
            options={"db_table": "core_listversion"},
        ),
        migrations.RunPython(forwards, backwards),
        kept_list_triggers(TABLES),
    ]
