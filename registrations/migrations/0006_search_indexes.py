from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

from tuson_hcc.core.dbops import PostgresOnlySQL, trigram_index


class Migration(migrations.Migration):
    """PostgreSQL: the list's search (mã hồ sơ prefix or a piece of the organisation's name) seeks indexes.

    The selector's `code__istartswith` / `organisation_name__icontains` compare UPPER(column::text).
    """

    dependencies = [
        ("registrations", "0005_scan_versions"),
    ]

    operations = [
        TrigramExtension(),
        PostgresOnlySQL(
            "CREATE INDEX IF NOT EXISTS dossier_code_upper_prefix "
            "ON registrations_dossier (upper((code)::text) text_pattern_ops)",
            "DROP INDEX IF EXISTS dossier_code_upper_prefix",
        ),
        trigram_index("dossier_name_trgm", "registrations_dossier", "upper((organisation_name)::text)"),
    ]
