"""Two more tables under the triggers of migration 0003 (`core.kept_lists`): the organisation types and
the required documents, which the history pages name and keep as reference records (issue 14)."""

from django.db import migrations

from tuson_hcc.core.dbops import kept_list_triggers

TABLES = ("registrations_organisationtype", "registrations_requireddocument")


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_list_version"),
        ("registrations", "0011_report_months"),
    ]

    operations = [kept_list_triggers(TABLES)]
