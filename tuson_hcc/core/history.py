"""simple-history wiring: every service save names the acting user and the domain action."""

from django.db import models
from django.db.models.fields.files import FieldFile
from simple_history.manager import HistoryDescriptor
from simple_history.models import HistoricalRecords


def field_rules_check(instance: models.Model) -> None:
    """`full_clean()` without its per-save SELECTs: choices, lengths, blanks are checked here.

    Foreign keys, unique keys and check constraints are left to the database constraints that
    already guard them: a violation is an IntegrityError, which the caller handles like the
    ValidationError it replaces (the idempotent intake, a concurrent issue of the same document).
    """
    relations = [f.name for f in instance._meta.concrete_fields if f.is_relation]
    instance.full_clean(exclude=relations, validate_unique=False, validate_constraints=False)


def tracked_save(
    instance: models.Model,
    *,
    actor,
    reason: str,
    db_checks: bool = False,
    after_own_version: bool = False,
    **save_kwargs,
) -> models.Model:
    """Validate and save `instance`, recording `actor` and `reason` in its history row.

    `db_checks=True` on hot paths: only `field_rules_check`, the database constraints do the rest.
    `after_own_version=True`: the record's latest version was written through this same object, in
    the transaction still open that created the record (so no one else can have written one since):
    the new save is compared with that version as kept in memory instead of reading it back.
    """
    instance._history_user = actor
    instance._change_reason = reason
    if after_own_version:
        instance._history_after_own_version = True
    if db_checks:
        field_rules_check(instance)
    else:
        instance.full_clean()
    instance.save(**save_kwargs)
    return instance


class _KeptManagerClassDescriptor(HistoryDescriptor):
    """simple-history's `Model.history`, its manager class made once: simple-history makes a new one
    (`from_queryset`, which inspects every queryset method) on each access, 0.4 ms, more than the
    INSERT of a version, and every version written or read takes that access."""

    def __init__(self, descriptor: HistoryDescriptor):
        super().__init__(descriptor.model, manager=descriptor.manager_class, queryset=descriptor.queryset_class)
        self.kept_manager_class = self.manager_class.from_queryset(self.queryset_class)

    def __get__(self, instance, owner):
        return self.kept_manager_class(self.model, instance)


class AuditedHistory(HistoricalRecords):
    """simple-history that writes no version for a save which changed no tracked field.

    A sign-in saves `last_login` (not tracked), and a service may save an object unchanged;
    neither is a change an auditor should read as one (issue 13). Many-to-many changes still
    write a version (they do not pass through `post_save`).
    """

    def finalize(self, sender, **kwargs):
        super().finalize(sender, **kwargs)
        descriptor = sender.__dict__.get(self.manager_name)
        if type(descriptor) is HistoryDescriptor:
            setattr(sender, self.manager_name, _KeptManagerClassDescriptor(descriptor))

    def post_save(self, instance, created, using=None, **kwargs):
        """Skip a save that changed nothing; else leave the version before on `instance._history_previous`.

        `_history_previous` (the previous version's tracked values, or None for a new record) lets a
        receiver of `post_create_historical_record` compute the version's diff without a query: the
        history app stores it on the version's index row (issue 14).
        """
        previous = None
        own_version = instance.__dict__.pop("_history_after_own_version", False)
        if not created and not kwargs.get("raw", False):
            fields = self._compared_fields(instance, kwargs.get("update_fields"))
            if not fields:
                return
            previous = instance.__dict__.get("_history_written") if own_version else None
            if previous is None:
                previous = self._latest(instance)
            if previous is not None and not self._changed(instance, previous, fields):
                return
        instance._history_previous = previous
        try:
            super().post_save(instance, created, using=using, **kwargs)
        finally:
            instance.__dict__.pop("_history_previous", None)  # for this version only, never a later one

    def create_historical_record(self, instance, history_type, using=None):
        """Write the version, and keep its tracked values on `instance._history_written` (for `tracked_save`'s
        `after_own_version`): the values simple-history copies from the instance, files by name as stored."""
        super().create_historical_record(instance, history_type, using=using)
        written = {}
        for field in getattr(type(instance), self.manager_name).model.tracked_fields:
            if not field.primary_key:
                value = getattr(instance, field.attname)
                written[field.attname] = (value.name or "") if isinstance(value, FieldFile) else value
        instance._history_written = written

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
