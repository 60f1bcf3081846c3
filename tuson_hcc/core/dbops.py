"""Migration operations for PostgreSQL-only database objects (trigram indexes, extensions).

`kept_list_triggers` watches tables for the kept lists on both databases.
`PostgresOnlySQL` is `RunSQL` that does nothing on other databases: SQLite keeps the plain
indexes of the models, PostgreSQL gets what only it has (GIN trigram indexes for contains-searches).
`indexes_built_after` lets the large demo seed load millions of rows before building the indexes
and adding the foreign keys; `copy_rows`, `copy_models` and `reserve_ids` load them with COPY.
"""

import itertools
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

from django.db import connections, migrations, models, transaction
from psycopg.copy import QueuedLibpqWriter


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


def kept_list_triggers(tables: tuple[str, ...]) -> migrations.RunPython:
    """Triggers that give `core_listversion` a new token on any write to `tables` (`core.kept_lists`):
    one statement-level trigger a table on PostgreSQL (TRUNCATE included, the function of migration
    core 0003), row-level triggers for insert, update and delete on SQLite."""

    def forwards(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        for table in tables:
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
        for table in tables:
            if vendor == "postgresql":
                schema_editor.execute(f"DROP TRIGGER IF EXISTS core_lists_changed ON {table}")
            elif vendor == "sqlite":
                for event in ("insert", "update", "delete"):
                    schema_editor.execute(f"DROP TRIGGER IF EXISTS core_lists_changed_{table}_{event}")

    return migrations.RunPython(forwards, backwards)


@contextmanager
def indexes_built_after(*tables: str, using: str = "default"):
    """A bulk load (the large demo seed) into `tables` with their secondary indexes built once at the
    end instead of updated row by row: one sort per index rather than millions of insertions (GIN
    trigram indexes above all), then ANALYZE. PostgreSQL only; elsewhere nothing changes.

    Their foreign keys are dropped too and added back at the end, as pg_restore does: adding one
    checks every row in one join, where a deferred key queues a check per row (about 20 s for a
    million stampings). Primary keys, unique indexes and constraint indexes stay (they guard the
    data). Everything runs in one transaction: a row that breaks a key fails the load, and an
    interrupted load leaves the indexes and keys as they were. Inside `index_builds_in_background`
    (and outside any transaction) the load commits with its keys, and the indexes follow there.
    """
    connection = connections[using]
    if connection.vendor != "postgresql":
        yield
        return
    pending = _background.get(using)
    if pending is not None:
        pending.wait_for(tables)  # an earlier load's indexes are back before this one looks them up
    background = pending if not connection.in_atomic_block else None
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
        cursor.execute(
            """
            SELECT c.conrelid::regclass::text, quote_ident(c.conname), pg_get_constraintdef(c.oid)
            FROM pg_constraint c WHERE c.contype = 'f' AND c.conrelid = ANY(%s::regclass[])
            ORDER BY 1, 2
            """,
            [list(tables)],
        )
        foreign_keys = cursor.fetchall()
        # A key can only be dropped or added while no deferred check waits on its tables: run those first.
        connection.check_constraints()
        for name, _ in indexes:
            cursor.execute(f"DROP INDEX {name}")
        for table, name, _ in foreign_keys:
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {name}")
        yield
        # Deferred foreign-key checks of other tables' rows run now: PostgreSQL builds no index while they wait.
        connection.check_constraints()
        for table, name, definition in foreign_keys:
            cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {name} {definition}")
        statements = [definition for _, definition in indexes]
        statements += [f"ANALYZE {connection.ops.quote_name(table)}" for table in tables]
        if background is None:
            _run_builds(cursor, statements)
    if background is not None:
        background.submit(tables, statements)


def _run_builds(cursor, statements: list[str]) -> None:
    cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
    for statement in statements:
        cursor.execute(statement)


class _BackgroundBuilds:
    """One thread with its own connection building the indexes of committed loads, one load at a time."""

    def __init__(self, using: str):
        self.using = using
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="index-builds")
        self.futures = []  # (tables, future)

    def submit(self, tables: tuple[str, ...], statements: list[str]) -> None:
        self.futures.append((set(tables), self.executor.submit(self._build, statements)))

    def wait_for(self, tables: tuple[str, ...]) -> None:
        for built, future in self.futures:
            if built & set(tables):
                future.result()

    def _build(self, statements: list[str]) -> None:
        connection = connections[self.using]  # this thread's own connection
        try:
            with transaction.atomic(using=self.using), connection.cursor() as cursor:
                _run_builds(cursor, statements)
        finally:
            connection.close()


_background: dict[str, _BackgroundBuilds] = {}


@contextmanager
def index_builds_in_background(using: str = "default"):
    """Within this block, `indexes_built_after` commits each load with its keys and leaves its index
    builds (CREATE INDEX, ANALYZE: PostgreSQL's work) to a second connection, while this one goes on
    loading the next tables (mostly Python's work): on two cores both run at once. The block ends
    when every build has, raising the first failure. The large demo seed only: a process killed in
    between leaves committed tables without their secondary indexes (seed a fresh database again)."""
    if connections[using].vendor != "postgresql" or using in _background:
        yield
        return
    builds = _background[using] = _BackgroundBuilds(using)
    try:
        yield
    finally:
        del _background[using]
        builds.executor.shutdown(wait=True)
    for _, future in builds.futures:
        future.result()


def copy_rows(table: str, columns: list[str], rows, *, using: str = "default") -> None:
    """COPY `rows` (tuples of Python values, in `columns` order) into `table`, streamed: PostgreSQL
    inserts while the caller still builds the next rows. PostgreSQL only."""
    connection = connections[using]
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    with transaction.atomic(using=using), connection.cursor() as cursor:
        statement = f"COPY {connection.ops.quote_name(table)} ({quoted}) FROM STDIN"
        # Sent by a background thread: the server stores rows while the caller builds the next ones.
        with cursor.cursor.copy(statement, writer=QueuedLibpqWriter(cursor.cursor)) as copy:
            for row in rows:
                copy.write_row(row)


def copy_models(model: type[models.Model], objs, *, using: str = "default") -> None:
    """COPY unsaved instances of `model` (an iterable, streamed) with the values `bulk_create` would
    insert: each field's `pre_save` and `get_db_prep_save`. Instances with their `pk` set keep it
    (take ids with `reserve_ids`); without one, the table's default numbers them. PostgreSQL only."""
    connection = connections[using]
    objs = iter(objs)
    first = next(objs, None)
    if first is None:
        return
    fields = [f for f in model._meta.concrete_fields if not (f.primary_key and first.pk is None)]

    def rows():
        for obj in itertools.chain([first], objs):
            yield [f.get_db_prep_save(f.pre_save(obj, add=True), connection) for f in fields]

    copy_rows(model._meta.db_table, [f.column for f in fields], rows(), using=using)


def reserve_ids(model: type[models.Model], count: int, *, using: str = "default") -> list[int]:
    """`count` ids of `model` taken from its table's sequence in one query (PostgreSQL), for rows
    that are COPY-loaded together with rows pointing at them."""
    connection = connections[using]
    table, pk = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)", [table, pk, count])
        return [row[0] for row in cursor.fetchall()]
