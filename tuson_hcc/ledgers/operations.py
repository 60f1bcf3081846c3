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


class _LedgerTriggerOperation(migrations.operations.base.Operation):
    reversible = True
    reduces_to_sql = True

    def __init__(self, model_name: str):
        self.model_name = model_name

    def deconstruct(self):
        return (f"{__name__}.{self.__class__.__name__}", [self.model_name], {})

    def state_forwards(self, app_label, state):
        pass  # no change to the model state

    def _table(self, app_label, state):
        return state.apps.get_model(app_label, self.model_name)._meta.db_table


class RefuseTruncateTrigger(_LedgerTriggerOperation):
    """Install (or, backwards, remove) the statement-level BEFORE TRUNCATE trigger on `model_name`'s table."""

    @staticmethod
    def trigger_name(table: str) -> str:
        return f"{table}_no_truncate"[:63]

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return
        table = self._table(app_label, to_state)
        quote = schema_editor.quote_name
        trigger = quote(self.trigger_name(table))
        schema_editor.execute(FUNCTION_SQL, params=None)
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {trigger} ON {quote(table)}")
        schema_editor.execute(
            f"CREATE TRIGGER {trigger} BEFORE TRUNCATE ON {quote(table)} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION_NAME}()"
        )

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return
        table = self._table(app_label, from_state)
        quote = schema_editor.quote_name
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {quote(self.trigger_name(table))} ON {quote(table)}")

    def describe(self):
        return f"Refuse TRUNCATE on {self.model_name} (PostgreSQL trigger)"

    @property
    def migration_name_fragment(self):
        return f"{self.model_name}_no_truncate"


class AppendOnlyTrigger(_LedgerTriggerOperation):
    """Install (or, backwards, remove) the append-only triggers (UPDATE, DELETE, TRUNCATE) on `model_name`'s table."""

    @staticmethod
    def _trigger_name(table: str) -> str:
        return f"{table}_append_only"[:63]

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return
        table = self._table(app_label, to_state)
        quote = schema_editor.quote_name
        trigger = quote(self._trigger_name(table))
        schema_editor.execute(FUNCTION_SQL, params=None)
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {trigger} ON {quote(table)}")
        schema_editor.execute(
            f"CREATE TRIGGER {trigger} BEFORE UPDATE OR DELETE ON {quote(table)} "
            f"FOR EACH ROW EXECUTE FUNCTION {FUNCTION_NAME}()"
        )
        RefuseTruncateTrigger(self.model_name).database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return
        table = self._table(app_label, from_state)
        quote = schema_editor.quote_name
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {quote(self._trigger_name(table))} ON {quote(table)}")
        RefuseTruncateTrigger(self.model_name).database_backwards(app_label, schema_editor, from_state, to_state)

    def describe(self):
        return f"Refuse UPDATE, DELETE and TRUNCATE on {self.model_name} (PostgreSQL trigger)"

    @property
    def migration_name_fragment(self):
        return f"{self.model_name}_append_only"
