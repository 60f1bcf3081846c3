"""Choice names for pages of many rows: `get_<field>_display()` without its cost per row."""

from functools import lru_cache

from django.utils.translation import get_language


@lru_cache(maxsize=4096)
def _choice_name(model, field_name: str, value, language: str) -> str:
    # `language` (the active one) is part of the key only: str() translates the lazy name into it.
    return str(dict(model._meta.get_field(field_name).flatchoices).get(value, value))


def choice_name(model, field_name: str, value) -> str:
    """`choice_label` for a value read without its model instance (a `values_list` row)."""
    return _choice_name(model, field_name, value, get_language() or "")


def choice_label(obj, field_name: str) -> str:
    """`obj.get_<field_name>_display()`, remembered per model, field, value and language: Django
    rebuilt the field's choices and translated the name on every call (half the rows' cost of a
    list of fifty, issue 14). Choices are fixed in code, so a remembered name never goes stale."""
    return choice_name(type(obj), field_name, getattr(obj, field_name))
