"""One more table under the triggers of migration 0003 (`core.kept_lists`): the catalogue's changes, which
decide each procedure's status on a date, so the catalogue list's order of ids can be kept (issue 14)."""

from django.db import migrations

from tuson_hcc.core.dbops import kept_list_triggers

TABLES = ("procedures_cataloguechange",)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0006_offsite_tables_watched"),
        ("procedures", "0003_list_order_and_latest_change_indexes"),
    ]

    operations = [kept_list_triggers(TABLES)]
