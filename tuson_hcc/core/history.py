"""simple-history wiring: every service save names the acting user and the domain action."""

from django.db import models
from django.db.models.fields.files import FieldFile
from simple_history.models import HistoricalRecords


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


class AuditedHistory(HistoricalRecords):
    """simple-history that writes no version for a save which changed no tracked field.

    A sign-in saves `last_login` (not tracked), and a service may save an object unchanged;
    neither is a change an auditor should read as one (issue 13). Many-to-many changes still
    write a version (they do not pass through `post_save`).
    """

    def post_save(self, instance, created, using=None, **kwargs):
        """Skip a save that changed nothing; else leave the version before on `instance._history_previous`.

        `_history_previous` (the previous version's tracked values, or None for a new record) lets a
        receiver of `post_create_historical_record` compute the version's diff without a query: the
        history app stores it on the version's index row (issue 14).
        """
        previous = None
        if not created and not kwargs.get("raw", False):
            fields = self._compared_fields(instance, kwargs.get("update_fields"))
            if not fields:
                return
            previous = self._latest(instance)
            if previous is not None and not self._changed(instance, previous, fields):
                return
        instance._history_previous = previous
        try:
            super().post_save(instance, created, using=using, **kwargs)
        finally:
            instance.__dict__.pop("_history_previous", None)  # for this version only, never a later one

    def _latest(self, instance) -> dict | None:
        """The latest version's tracked values (one query), or None when the record has none yet."""
        history_model = getattr(type(instance), self.manager_name).model
        names = [f.attname for f in history_model.tracked_fields if not f.primary_key]
        return getattr(instance, self.manager_name).values(*names).first()

    def _compared_fields(self, instance, update_fields) -> list:
        history_model = getattr(type(instance), self.manager_name).model
        fields = [f for f in history_model.tracked_fields if not f.primary_key]
        if update_fields is not None:
            fields = [f for f in fields if f.name in update_fields or f.attname in update_fields]
        return fields

    def _changed(self, instance, latest: dict, fields: list) -> bool:
        for field in fields:
            value = getattr(instance, field.attname)
            if isinstance(value, FieldFile):
                value = value.name or ""
            if value != latest[field.attname] and not (value in (None, "") and latest[field.attname] in (None, "")):
                return True
        return False
