"""Seven more tables under the triggers of migration 0003 (`core.kept_lists`): a seal's custody, incidents,
inspections, exception authorisations and hand-over consents, which the seal's page keeps, and the ledger
checks, whose last one the dashboards name (issue 14)."""

from django.db import migrations

from tuson_hcc.core.dbops import kept_list_triggers

TABLES = (
    "seals_custodyentry",
    "seals_sealincident",
    "seals_inspection",
    "seals_inspection_seals",
    "seals_exceptionauthorisation",
    "seals_handoverconsent",
    "history_ledgerverification",
)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_reference_tables_watched"),
        ("seals", "0004_ledger_covering_chain_index"),
        ("history", "0005_ledger_covering_chain_index"),
    ]

    operations = [kept_list_triggers(TABLES)]
