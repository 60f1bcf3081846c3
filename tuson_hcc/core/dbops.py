"""Migration operations for PostgreSQL-only database objects (trigram indexes, extensions).

`PostgresOnlySQL` is `RunSQL` that does nothing on other databases: SQLite keeps the plain
indexes of the models, PostgreSQL gets what only it has (GIN trigram indexes for contains-searches).
`indexes_built_after` lets the large demo seed load millions of rows before building the indexes.
"""

from contextlib import contextmanager

from django.db import connections, migrations, transaction


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


@contextmanager
def indexes_built_after(*tables: str, using: str = "default"):
    """A bulk load (the large demo seed) into `tables` with their secondary indexes built once at the
    end instead of updated row by row: one sort per index rather than millions of insertions (GIN
    trigram indexes above all). PostgreSQL only; elsewhere nothing changes.

    Primary keys, unique indexes and constraint indexes stay (they guard the data). Everything runs
    in one transaction, so an interrupted load leaves the indexes as they were.
    """
    connection = connections[using]
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic(using=using), connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
            FROM pg_index i
            WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisprimary AND NOT i.indisunique
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
            ORDER BY 1
            """,
            [list(tables)],
        )
        indexes = cursor.fetchall()
        for name, _ in indexes:
            cursor.execute(f"DROP INDEX {name}")
        yield
        # The loaded rows' deferred foreign-key checks run now: PostgreSQL builds no index while they wait.
        connection.check_constraints()
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for _, definition in indexes:
            cursor.execute(definition)
