"""Form fields every form and filter uses for dates: typed and shown dd/mm/yyyy whatever the browser's language.

A native `<input type="date">` follows the browser's locale (mm/dd/yyyy on an English browser), so 03/12 and
12/03 get confused; these are text inputs with a visible hint and a strict parser instead.
"""

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

DATE_HINT = "dd/mm/yyyy"
DATETIME_HINT = "dd/mm/yyyy hh:mm"
# dd/mm/yyyy as typed; ISO (year first, so never ambiguous) for links built by the pages themselves.
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
# A moment needs its hour: a day alone is refused rather than read as midnight (00:00), the 24-hour clock only.
DATETIME_INPUT_FORMATS = ["%d/%m/%Y %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]


class DateInput(forms.DateInput):
    input_type = "text"

    def __init__(self, attrs=None):
        base = {"placeholder": DATE_HINT, "inputmode": "numeric", "autocomplete": "off", "class": "date-input"}
        super().__init__(attrs={**base, **(attrs or {})}, format="%d/%m/%Y")


class DateTimeInput(forms.DateTimeInput):
    input_type = "text"

    def __init__(self, attrs=None):
        base = {"placeholder": DATETIME_HINT, "inputmode": "numeric", "autocomplete": "off", "class": "datetime-input"}
        super().__init__(attrs={**base, **(attrs or {})}, format="%d/%m/%Y %H:%M")


class DateField(forms.DateField):
    widget = DateInput
    default_error_messages = {"invalid": _("Nhập ngày theo dạng dd/mm/yyyy, ví dụ 31/12/2026.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", DATE_INPUT_FORMATS)
        kwargs.setdefault("help_text", DATE_HINT)
        super().__init__(**kwargs)


class DateTimeField(forms.DateTimeField):
    widget = DateTimeInput
    default_error_messages = {
        "invalid": _("Nhập ngày và giờ theo dạng dd/mm/yyyy hh:mm (24 giờ), ví dụ 31/12/2026 14:30."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", DATETIME_INPUT_FORMATS)
        # A model field passes its own (usually empty) help text: the hint replaces an empty one.
        kwargs["help_text"] = kwargs.get("help_text") or _("dd/mm/yyyy hh:mm (24 giờ), ví dụ 31/12/2026 14:30")
        super().__init__(**kwargs)

    def to_python(self, value):
        # "25/12/2026  14:30 " as typed: runs of spaces count as one.
        return super().to_python(" ".join(value.split()) if isinstance(value, str) else value)


CHOOSE = _("— Chọn —")


def formfield(db_field: models.Field, **kwargs) -> forms.Field | None:
    """`Meta.formfield_callback` of every ModelForm: model dates get the dd/mm/yyyy fields, a required
    choice of a related record says "— Chọn —" (not "---------")."""
    if isinstance(db_field, models.ForeignKey):
        kwargs.setdefault("empty_label", CHOOSE)
    if isinstance(db_field, models.DateTimeField):
        kwargs.setdefault("form_class", DateTimeField)
        kwargs.pop("widget", None)
    elif isinstance(db_field, models.DateField):
        kwargs.setdefault("form_class", DateField)
        kwargs.pop("widget", None)
    return db_field.formfield(**kwargs)
