"""Two more tables under the triggers of migration 0003 (`core.kept_lists`): the off-site requests and their
check-outs, which the history pages name and then keep as reference records (issue 14)."""

from django.db import migrations

from tuson_hcc.core.dbops import kept_list_triggers

TABLES = ("seals_offsiterequest", "seals_sealcheckout")


class Migration(migrations.Migration):
    dependencies = [("core", "0005_seal_page_tables_watched")]

    operations = [kept_list_triggers(TABLES)]
