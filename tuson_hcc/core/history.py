"""simple-history wiring: every service save names the acting user and the domain action."""

from django.db import models


def tracked_save(instance: models.Model, *, actor, reason: str, **save_kwargs) -> models.Model:
    """Validate and save `instance`, recording `actor` and `reason` in its history row."""
    instance._history_user = actor
    instance._change_reason = reason
    instance.full_clean()
    instance.save(**save_kwargs)
    return instance
