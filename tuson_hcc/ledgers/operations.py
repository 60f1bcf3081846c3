"""`AppendOnlyTrigger`: the database half of a ledger's immutability (DESIGN.md section 5).

In the migration that creates a concrete ledger, add one line after its CreateModel::

    from tuson_hcc.ledgers.operations import AppendOnlyTrigger

    operations = [
        migrations.CreateModel(name="StampingEntry", ...),
        AppendOnlyTrigger("stampingentry"),
    ]

On PostgreSQL it installs a BEFORE UPDATE OR DELETE trigger that refuses the statement, so
not even raw SQL or the admin's cascade can rewrite history. On SQLite it does nothing.
TRUNCATE is left alone on purpose: test databases are flushed with it.
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


class AppendOnlyTrigger(migrations.operations.base.Operation):
    """Install (or, backwards, remove) the append-only trigger on `model_name`'s table."""

    reversible = True
    reduces_to_sql = True

    def __init__(self, model_name: str):
        self.model_name = model_name

    def deconstruct(self):
        return (f"{__name__}.{self.__class__.__name__}", [self.model_name], {})

    def state_forwards(self, app_label, state):
        pass  # no change to the model state

    @staticmethod
    def _trigger_name(table: str) -> str:
        return f"{table}_append_only"[:63]

    def _table(self, app_label, state):
        return state.apps.get_model(app_label, self.model_name)._meta.db_table

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

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return
        table = self._table(app_label, from_state)
        quote = schema_editor.quote_name
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {quote(self._trigger_name(table))} ON {quote(table)}")

    def describe(self):
        return f"Refuse UPDATE and DELETE on {self.model_name} (PostgreSQL trigger)"

    @property
    def migration_name_fragment(self):
        return f"{self.model_name}_append_only"
