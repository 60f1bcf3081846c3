"""simple-history wiring: every service save names the acting user and the domain action."""

from django.db import models


def field_rules_check(instance: models.Model) -> None:
    """`full_clean()` without its per-save SELECTs: choices, lengths, blanks are checked here.

    Foreign keys, unique keys and check constraints are left to the database constraints that
    already guard them: a violation is an IntegrityError, which the caller handles like the
    ValidationError it replaces (the idempotent intake, a concurrent issue of the same document).
    """
    relations = [f.name for f in instance._meta.concrete_fields if f.is_relation]
    instance.full_clean(exclude=relations, validate_unique=False, validate_constraints=False)


def tracked_save(instance: models.Model, *, actor, reason: str, db_checks: bool = False, **save_kwargs) -> models.Model:
    """Validate and save `instance`, recording `actor` and `reason` in its history row.

    `db_checks=True` on hot paths: only `field_rules_check`, the database constraints do the rest.
    """
    instance._history_user = actor
    instance._change_reason = reason
    if db_checks:
        field_rules_check(instance)
    else:
        instance.full_clean()
    instance.save(**save_kwargs)
    return instance
