"""`{{ form.field|as_field }}`: a form field as crispy-bootstrap5 draws it, without its templates, and
`{{ row|choice_label:"field" }}`: a choice's name without its cost per row (issue 14)."""

from django import template
from django.utils.safestring import mark_safe

from ..fields_html import field_html
from ..labels import choice_label

register = template.Library()


@register.filter
def as_field(bound):
    return mark_safe(field_html(bound))


@register.filter(name="choice_label")
def choice_label_filter(obj, field_name: str) -> str:
    """`{{ row|choice_label:"status" }}`: the row's `get_status_display`, remembered per language."""
    return choice_label(obj, field_name)
