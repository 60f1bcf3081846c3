"""Migration operations for PostgreSQL-only database objects (trigram indexes, extensions).

`PostgresOnlySQL` is `RunSQL` that does nothing on other databases: SQLite keeps the plain
indexes of the models, PostgreSQL gets what only it has (GIN trigram indexes for contains-searches).
"""

from django.db import migrations


class PostgresOnlySQL(migrations.RunSQL):
    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


def trigram_index(name: str, table: str, expression: str) -> PostgresOnlySQL:
    """A GIN trigram index: `LIKE '%…%'` on `expression` reads the index instead of every row."""
    return PostgresOnlySQL(
        f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (({expression}) gin_trgm_ops)",
        f"DROP INDEX IF EXISTS {name}",
    )
