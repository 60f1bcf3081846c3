"""`{{ form.field|as_field }}`: a form field as crispy-bootstrap5 draws it, without its templates;
`{{ form.field|as_widget }}`: its widget alone, as `{{ form.field }}` writes it; and
`{{ row|choice_label:"field" }}`: a choice's name without its cost per row (issue 14)."""

from django import forms, template
from django.utils.safestring import mark_safe

from ..fields_html import field_html
from ..html_rows import escaped
from ..labels import choice_label

register = template.Library()


@register.filter
def as_field(bound):
    return mark_safe(field_html(bound))


@register.filter
def as_widget(bound):
    """`{{ field }}` for a text-like input, byte for byte (attributes in Django's order), without the three
    templates Django renders it through; any other widget as `{{ field }}`."""
    widget = bound.field.widget
    if not isinstance(widget, forms.widgets.Input) or isinstance(widget, forms.FileInput | forms.MultipleHiddenInput):
        return str(bound)
    attrs = bound.build_widget_attrs({}, widget)
    if bound.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", bound.auto_id)
    if not attrs.get("aria-describedby") and (described := bound.aria_describedby):
        attrs["aria-describedby"] = described
    context = widget.get_context(bound.html_name, bound.value(), attrs)["widget"]
    value = f' value="{escaped(context["value"])}"' if context["value"] is not None else ""
    written = "".join(
        f" {escaped(name)}" if v is True else f' {escaped(name)}="{escaped(v)}"'
        for name, v in context["attrs"].items()
        if v is not False
    )
    return mark_safe(f'<input type="{escaped(context["type"])}" name="{escaped(context["name"])}"{value}{written}>')


@register.filter(name="choice_label")
def choice_label_filter(obj, field_name: str) -> str:
    """`{{ row|choice_label:"status" }}`: the row's `get_status_display`, remembered per language."""
    return choice_label(obj, field_name)
