"""simple-history wiring: every service save names the acting user and the domain action."""

from django.db import models
from django.db.models.fields.files import FieldFile
from simple_history.models import HistoricalRecords


def tracked_save(instance: models.Model, *, actor, reason: str, **save_kwargs) -> models.Model:
    """Validate and save `instance`, recording `actor` and `reason` in its history row."""
    instance._history_user = actor
    instance._change_reason = reason
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
        if not created and not kwargs.get("raw", False) and not self._changed(instance, kwargs.get("update_fields")):
            return
        super().post_save(instance, created, using=using, **kwargs)

    def _changed(self, instance, update_fields) -> bool:
        history_model = getattr(type(instance), self.manager_name).model
        fields = [f for f in history_model.tracked_fields if not f.primary_key]
        if update_fields is not None:
            fields = [f for f in fields if f.name in update_fields or f.attname in update_fields]
            if not fields:
                return False
        names = [f.attname for f in fields]
        latest = getattr(instance, self.manager_name).values(*names).first()
        if latest is None:
            return True
        for field in fields:
            value = getattr(instance, field.attname)
            if isinstance(value, FieldFile):
                value = value.name or ""
            if value != latest[field.attname] and not (value in (None, "") and latest[field.attname] in (None, "")):
                return True
        return False
