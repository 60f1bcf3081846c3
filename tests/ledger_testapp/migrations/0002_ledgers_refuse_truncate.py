# Ledgers refuse TRUNCATE as they refuse UPDATE and DELETE (issue 11, point 3).

from django.db import migrations

from tuson_hcc.ledgers.operations import RefuseTruncateTrigger


class Migration(migrations.Migration):
    dependencies = [("ledger_testapp", "0001_initial")]

    operations = [
        RefuseTruncateTrigger("sampleentry"),
    ]
