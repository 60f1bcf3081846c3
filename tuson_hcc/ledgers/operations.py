"""`AppendOnlyTrigger`: the database half of a ledger's immutability (DESIGN.md section 5).

In the migration that creates a concrete ledger, add one line after its CreateModel::

    from tuson_hcc.ledgers.operations import AppendOnlyTrigger

    operations = [
        migrations.CreateModel(name="StampingEntry", ...),
        AppendOnlyTrigger("stampingentry"),
    ]

On PostgreSQL it installs a row-level BEFORE UPDATE OR DELETE trigger and a statement-level
BEFORE TRUNCATE trigger that refuse the statement, so not even raw SQL, the admin's cascade or
a TRUNCATE can rewrite history. On SQLite it does nothing. (The test suite's flush disables
user triggers on ledger tables inside its own transaction: see tests/conftest.py.)
Ledgers created before TRUNCATE was refused get `RefuseTruncateTrigger` in a later migration.
"""

from django.db import migrations

FUNCTION_NAME = "hcc_ledger_refuse_change"

FUNCTION_SQL = f"""
CREATE OR REPLACE FUNCTION {FUNCTION_NAME}() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'ledger % is append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'restrict_violation';
END;
$$ LANGUAGE plpgsql;
"""


class _LedgerOperation(migrations.operations.base.Operation):
    """A database-only change to one ledger model's table: the model state stays as it is."""

    reversible = True
    reduces_to_sql = True

    def __init__(self, model_name: str):
        self.model_name = model_name

    def deconstruct(self):
        return (f"{__name__}.{self.__class__.__name__}", [self.model_name], {})

    def state_forwards(self, app_label, state):
        pass  # no change to the model state


class _LedgerTriggerOperation(_LedgerOperation):
    """One refusing trigger on `model_name`'s table (PostgreSQL; nothing on SQLite).

    A subclass names what it refuses: `events` and `level` of the trigger, the name's `suffix`, and
    `with_also`, the other trigger operations installed and removed together with it.
    """

    suffix = ""
    events = ""
    level = ""
    refuses = ""
    with_also: tuple = ()

    @classmethod
    def trigger_name(cls, table: str) -> str:
        return f"{table}_{cls.suffix}"[:63]

    def _table(self, app_label, state):
        return state.apps.get_model(app_label, self.model_name)._meta.db_table

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return
        table = self._table(app_label, to_state)
        quote = schema_editor.quote_name
        trigger = quote(self.trigger_name(table))
        schema_editor.execute(FUNCTION_SQL, params=None)
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {trigger} ON {quote(table)}")
        schema_editor.execute(
            f"CREATE TRIGGER {trigger} BEFORE {self.events} ON {quote(table)} "
            f"FOR EACH {self.level} EXECUTE FUNCTION {FUNCTION_NAME}()"
        )
        for other in self.with_also:
            other(self.model_name).database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return
        table = self._table(app_label, from_state)
        quote = schema_editor.quote_name
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {quote(self.trigger_name(table))} ON {quote(table)}")
        for other in self.with_also:
            other(self.model_name).database_backwards(app_label, schema_editor, from_state, to_state)

    def describe(self):
        return f"Refuse {self.refuses} on {self.model_name} (PostgreSQL trigger)"

    @property
    def migration_name_fragment(self):
        return f"{self.model_name}_{self.suffix}"


class RefuseTruncateTrigger(_LedgerTriggerOperation):
    """Install (or, backwards, remove) the statement-level BEFORE TRUNCATE trigger on `model_name`'s table."""

    suffix, events, level, refuses = "no_truncate", "TRUNCATE", "STATEMENT", "TRUNCATE"


class AppendOnlyTrigger(_LedgerTriggerOperation):
    """Install (or, backwards, remove) the append-only triggers (UPDATE, DELETE, TRUNCATE) on `model_name`'s table."""

    suffix, events, level, refuses = "append_only", "UPDATE OR DELETE", "ROW", "UPDATE, DELETE and TRUNCATE"
    with_also = (RefuseTruncateTrigger,)


class CoveringChainIndex(_LedgerOperation):
    """On PostgreSQL, the (chain_key, sequence) unique constraint of `model_name` carries id and both
    hashes in its index (`INCLUDE`), so `verify_ledgers` checks every link by reading that index
    alone, in order (sqlverify.py). Same constraint, same name: nothing changes in the model state.
    On SQLite, which has no covering indexes and verifies in Python, it does nothing.
    """

    INCLUDE = ("id", "previous_hash", "entry_hash")

    def _rebuild(self, app_label, schema_editor, state, include: tuple[str, ...]):
        if schema_editor.connection.vendor != "postgresql":
            return
        meta = state.apps.get_model(app_label, self.model_name)._meta
        (constraint,) = [c for c in meta.constraints if tuple(getattr(c, "fields", ())) == ("chain_key", "sequence")]
        quote = schema_editor.quote_name
        covering = f" INCLUDE ({', '.join(quote(meta.get_field(f).column) for f in include)})" if include else ""
        schema_editor.execute(
            f"ALTER TABLE {quote(meta.db_table)} DROP CONSTRAINT {quote(constraint.name)}, "
            f"ADD CONSTRAINT {quote(constraint.name)} UNIQUE ({quote('chain_key')}, {quote('sequence')}){covering}"
        )

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        self._rebuild(app_label, schema_editor, to_state, self.INCLUDE)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        self._rebuild(app_label, schema_editor, from_state, ())

    def describe(self):
        return f"Carry id and hashes in {self.model_name}'s (chain_key, sequence) index (PostgreSQL)"

    @property
    def migration_name_fragment(self):
        return f"{self.model_name}_covering_chain_index"
