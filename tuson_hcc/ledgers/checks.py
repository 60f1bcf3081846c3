"""System checks: every concrete ledger keeps the (chain_key, sequence) constraint and real chained fields."""

from django.core import checks
from django.core.exceptions import FieldDoesNotExist


@checks.register(checks.Tags.models)
def ledger_models_check(app_configs=None, **kwargs):
    from .verify import ledger_models

    errors = []
    for model in ledger_models():
        unique_sets = {tuple(c.fields) for c in model._meta.constraints if getattr(c, "fields", None)}
        if ("chain_key", "sequence") not in unique_sets:
            errors.append(
                checks.Error(
                    "A ledger needs UniqueConstraint(chain_key, sequence): declare `class Meta(LedgerEntry.Meta)`.",
                    obj=model,
                    id="ledgers.E001",
                )
            )
        for name in model.chained_fields:
            try:
                model._meta.get_field(name)
            except FieldDoesNotExist:
                errors.append(
                    checks.Error(f"chained_fields names unknown field {name!r}", obj=model, id="ledgers.E002")
                )
    return errors
