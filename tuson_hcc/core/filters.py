"""The one filter bar of every list: a django-filter FilterSet whose form lays itself out with crispy-bootstrap5.

A list declares its filters on a subclass of `FilterSet`; either the filters apply themselves (django-filter's
`field_name`/`lookup_expr`), or the subclass overrides `filter_queryset` to hand `self.criteria()` to its app's
selector. Pages render it with `{% include "includes/filter_bar.html" with filter=filter %}`.

The bar is drawn by `FilterForm.bar_fields` with `fields_html.field_html`: crispy-bootstrap5's markup without a
template render per field and per `<option>` (a user or record-kind select holds dozens; crispy spent a third of
the history page on them, issue 14).
"""

import copy

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.http import QueryDict
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django_filters import fields as filter_fields
from django_filters import filters
from django_filters import filterset as django_filterset

from . import forms as core_forms
from .fields_html import field_html, widget_html
from .kept_lists import current_token, kept_list

ALL = _("Tất cả")


class DateFilter(filters.DateFilter):
    field_class = core_forms.DateField


class ChoiceFilter(filters.ChoiceFilter):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("empty_label", ALL)
        super().__init__(*args, **kwargs)


class _ListedChoices(filter_fields.ModelChoiceIterator):
    """A select's records in one plain query. Django reads them with `QuerySet.iterator()`, which on
    PostgreSQL opens a server-side cursor (DECLARE, FETCH, CLOSE): three round trips and a cursor
    plan for a list of twenty seals, a sixth of a register page (issue 14)."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        if self.field.null_label is not None:
            yield (self.field.null_value, self.field.null_label)
        for obj in self.field.listed():
            yield self.choice(obj)


class _ModelChoiceField(filter_fields.ModelChoiceField):
    """A filter's select of a short list (seals, people, agencies): its records are read once per
    form, and the chosen one is found among them rather than fetched again to validate it.

    `kept_as`: the list is the same for every request, and kept by the process under that name while
    its tables are unchanged (`core.kept_lists`); `token` reads, once per form, what they are now."""

    iterator = _ListedChoices
    kept_as = ""
    token = None

    def __deepcopy__(self, memo):
        copied = super().__deepcopy__(memo)
        copied._listed = None
        return copied

    def listed(self) -> list:
        if getattr(self, "_listed", None) is None:
            if self.kept_as and self.token is not None:
                self._listed = kept_list(self.kept_as, self.queryset, self.token())
            else:
                self._listed = list(self.queryset.all())
        return self._listed

    def to_python(self, value):
        if value in self.empty_values or (self.null_label is not None and value == self.null_value):
            return super().to_python(value)
        self.validate_no_null_characters(value)
        meta = self.queryset.model._meta
        field = meta.get_field(self.to_field_name) if self.to_field_name else meta.pk
        try:
            key = field.to_python(value)
        except ValidationError:
            key = None
        for obj in self.listed():
            if key is not None and field.value_from_object(obj) == key:
                return copy.copy(obj)  # a kept row is shared by every request of the process
        raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value})


class ModelChoiceFilter(filters.ModelChoiceFilter):
    """`kept=True`: the queryset reads the same rows whoever asks (never the request's user), so the
    process keeps them while their tables are unchanged (`core.kept_lists`)."""

    field_class = _ModelChoiceField

    def __init__(self, *args, kept: bool = False, **kwargs):
        kwargs.setdefault("empty_label", ALL)
        super().__init__(*args, **kwargs)
        self.kept = kept

    @property
    def field(self):
        field = super().field
        if self.kept:
            field.kept_as = f"{type(self.parent).__module__}.{type(self.parent).__qualname__}.{self.field_name}"
        return field


class FilterForm(forms.Form):
    """Bootstrap classes, "Tất cả" for every empty choice, date hints in the labels, and `date_from ≤ date_to`."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, _ModelChoiceField) and field.kept_as:
                field.token = self.kept_lists_token
            if getattr(field, "empty_label", None) is not None:  # model choices, django-filter's choices
                field.empty_label = ALL
            elif isinstance(field, forms.ChoiceField) and not isinstance(field, forms.MultipleChoiceField):
                choices = list(field.choices)
                if choices and choices[0][0] in ("", None):
                    field.choices = [("", ALL), *choices[1:]]
            if isinstance(field, forms.DateField | forms.DateTimeField) and field.help_text:
                # In a one-line bar the hint sits in the label, where it is read with the field.
                field.label = f"{field.label} ({field.help_text})"
                field.help_text = ""

    def kept_lists_token(self) -> str | None:
        """What the tables of the kept lists are now: read once per form, before any list is read."""
        if not hasattr(self, "_token"):
            field = next(f for f in self.fields.values() if isinstance(f, _ModelChoiceField) and f.kept_as)
            self._token = current_token(field.queryset.db)
        return self._token

    def bar_fields(self) -> str:
        """The form's errors and fields as crispy-bootstrap5 lays them out: visible fields, then hidden ones."""
        parts = []
        if self.non_field_errors():
            items = "".join(format_html("<li>{}</li>", e) for e in self.non_field_errors())
            parts.append(f'<div class="alert alert-block alert-danger"><ul class="m-0">{items}</ul></div>')
        hidden = []
        for bound in self:
            if bound.is_hidden:
                hidden.append(widget_html(bound, ""))
            else:
                parts.append(field_html(bound, inline_errors=True))
        return mark_safe(" ".join(parts + hidden))

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError(_("“Từ ngày” phải trước hoặc bằng “Đến ngày”."))
        return data


class FilterSet(django_filterset.FilterSet):
    """Base of every list's filters. Always bound (an empty query is a valid "everything" or the list's default)."""

    FILTER_DEFAULTS = {
        **django_filterset.FILTER_FOR_DBFIELD_DEFAULTS,
        models.DateField: {"filter_class": DateFilter},
    }

    # Query parameters that stay when the user clears the filters (e.g. the dossier list's tab).
    keep_on_reset: tuple[str, ...] = ()

    class Meta:
        form = FilterForm

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        super().__init__(data if data is not None else QueryDict(), queryset, request=request, prefix=prefix)

    def criteria(self) -> dict:
        """The cleaned values (empty when the form is invalid), for selectors that take keyword criteria."""
        return self.form.cleaned_data if self.is_valid() else {}

    def reset_query(self) -> str:
        kept = QueryDict(mutable=True)
        for name in self.keep_on_reset:
            if name in self.data:
                kept[name] = self.data[name]
        return kept.urlencode()

    def get_form_class(self):
        # Every bar gets FilterForm, even when a subclass's Meta forgets to inherit ours.
        base = self._meta.form if issubclass(self._meta.form, FilterForm) else FilterForm
        fields = {name: filter_.field for name, filter_ in self.filters.items()}
        return type(f"{type(self).__name__}Form", (base,), fields)
