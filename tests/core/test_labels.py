"""A remembered choice name is the one `get_<field>_display()` gives, in the reader's language."""

from django.utils import translation

from seals.models import OffsiteRequest
from tuson_hcc.core.labels import choice_label


def test_choice_label_is_get_display_in_each_language_and_keeps_an_unknown_value():
    request = OffsiteRequest(status=OffsiteRequest.Status.RETURNED)
    for language in ("vi", "en"):
        with translation.override(language):
            assert choice_label(request, "status") == request.get_status_display()
    request.status = "not-a-status"
    assert choice_label(request, "status") == "not-a-status"


def test_every_choice_of_every_model_is_named_as_get_display_names_it():
    """Models' `__str__` name their choices with `choice_label` (history pages label thousands of records)."""
    from django.apps import apps

    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if not field.choices:
                continue
            for value, _ in field.flatchoices:
                obj = model(**{field.attname: value})
                for language in ("vi", "en"):
                    with translation.override(language):
                        display = getattr(obj, f"get_{field.name}_display")()
                        assert choice_label(obj, field.name) == display, (model, field.name, value)
