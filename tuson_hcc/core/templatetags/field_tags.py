"""`{{ form.field|as_field }}`: a form field as crispy-bootstrap5 draws it, without its templates (issue 14)."""

from django import template
from django.utils.safestring import mark_safe

from ..fields_html import field_html

register = template.Library()


@register.filter
def as_field(bound):
    return mark_safe(field_html(bound))
