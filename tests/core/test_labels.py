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
