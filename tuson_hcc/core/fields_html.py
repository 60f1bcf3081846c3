"""One form field as crispy-bootstrap5 draws it, written out in Python (issue 14).

crispy renders each field through a dozen nested templates, and Django each widget and each
`<option>` through its own: on the desk (17 fields) and the filter bars (selects of every user or
record kind) that was a third to a half of the page's cost. `field_html` gives the same markup and
classes — `div_id_…` wrapper, `form-label`/`requiredField`/`asteriskField`, the widget's class name
then `form-control`/`form-select`/`form-check-input`, `is-invalid` with `aria-invalid`, the
`invalid-feedback` block and the help text — for inputs, selects, checkboxes, text areas and an
empty file input. Any other widget (radios, multiple choices, a file input showing its current
file) is left to crispy's own `as_crispy_field`.

Templates use `{% load field_tags %}{{ form.x|as_field }}`; the filter bar uses `field_html`.
"""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from .html_rows import escaped


def _drawn_here(widget) -> bool:
    if isinstance(widget, forms.Select):
        return not widget.allow_multiple_selected
    if isinstance(widget, forms.CheckboxInput | forms.Textarea):
        return True
    return isinstance(widget, forms.widgets.Input) and not isinstance(
        widget, forms.FileInput | forms.MultipleHiddenInput
    )


def _css_class(bound) -> str:
    """crispy's classes: the widget's own, its class name, then the Bootstrap control class (and is-invalid)."""
    widget = bound.field.widget
    name = type(widget).__name__.lower()
    own = widget.attrs.get("class", "")
    css = own if name in own else f"{own} {name}".strip()
    if isinstance(widget, forms.Select):
        css += " form-select"
    elif isinstance(widget, forms.CheckboxInput):
        css += " form-check-input"
    else:
        css += " form-control"
    return css + " is-invalid" if bound.errors else css


def _options_html(widget, value) -> str | None:
    """A flat select's `<option>`s as Django's `optgroups` and option template write them (`selected` on the
    first match only), without a dict, an attrs copy and a template per option; None when it has groups."""
    chosen = set(widget.format_value(value))
    options = []
    for option_value, label in widget.choices:
        if isinstance(label, list | tuple):
            return None
        option_value = "" if option_value is None else str(option_value)
        selected = option_value in chosen
        if selected and not widget.allow_multiple_selected:
            chosen = ()
        options.append(
            f'<option value="{escaped(option_value)}"{" selected" if selected else ""}>{escaped(label)}</option>'
        )
    return "".join(options)


def widget_html(bound, css: str) -> str:
    """`bound.as_widget()` for inputs, selects and text areas, without a template per widget or option."""
    widget = bound.field.widget
    attrs = bound.build_widget_attrs({"class": css} if css else {}, widget)
    if bound.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", bound.auto_id)
    if not attrs.get("aria-describedby") and (described := bound.aria_describedby):
        attrs["aria-describedby"] = described
    if not _drawn_here(widget):
        return str(bound.as_widget(attrs=attrs))
    if isinstance(widget, forms.Select) and (options := _options_html(widget, bound.value())) is not None:
        attrs = widget.build_attrs(widget.attrs, attrs)  # as `Widget.get_context` merges them
        return f'<select name="{escaped(bound.html_name)}"{flatatt(attrs)}>{options}</select>'
    context = widget.get_context(bound.html_name, bound.value(), attrs)["widget"]
    if isinstance(widget, forms.Select):
        groups = []
        for group_name, options, _index in context["optgroups"]:
            html = format_html_join(
                "",
                '<option value="{}"{}>{}</option>',
                ((str(o["value"]), flatatt(o["attrs"]), o["label"]) for o in options),
            )
            groups.append(format_html('<optgroup label="{}">{}</optgroup>', group_name, html) if group_name else html)
        return format_html(
            '<select name="{}"{}>{}</select>', context["name"], flatatt(context["attrs"]), mark_safe("".join(groups))
        )
    if isinstance(widget, forms.Textarea):
        return format_html(
            '<textarea name="{}"{}>\n{}</textarea>', context["name"], flatatt(context["attrs"]), context["value"] or ""
        )
    value = format_html(' value="{}"', str(context["value"])) if context["value"] is not None else ""
    return format_html(
        '<input type="{}" name="{}"{}{}>', context["type"], context["name"], value, flatatt(context["attrs"])
    )


def _feedback(bound, inline_errors: bool) -> str:
    errors = ""
    if bound.errors:
        tag = "span" if inline_errors else "p"  # crispy: <span> with a FormHelper, <p> from `as_crispy_field`
        spans = format_html_join(
            "",
            f'<{tag} id="error_{{}}_{{}}"><strong>{{}}</strong></{tag}>',
            ((i, bound.auto_id, e) for i, e in enumerate(bound.errors, start=1)),
        )
        errors = format_html(' <div id="{}_error" class="invalid-feedback">{}</div>', bound.auto_id, spans)
    help_text = ""
    if bound.help_text:
        help_text = format_html(' <div id="{}_helptext" class="form-text">{}</div>', bound.auto_id, bound.help_text)
    return errors + help_text


def _empty_file_input(bound) -> bool:
    widget = bound.field.widget
    return (
        isinstance(widget, forms.FileInput)
        and not widget.allow_multiple_selected
        and not (isinstance(widget, forms.ClearableFileInput) and bound.value())
    )


def _label_html(bound) -> str:
    if not bound.label:
        return ""
    required = bound.field.required
    return format_html(
        '<label for="{}" class="form-label{}">{}{}</label> ',
        bound.id_for_label,
        " requiredField" if required else "",
        bound.label,
        mark_safe('<span class="asteriskField">*</span>') if required else "",
    )


def _file_field_html(bound, inline_errors: bool) -> str:
    """crispy-bootstrap5's `field_file.html` for a file input with no current file (a `mb-3` wrapper around
    the label and a `div` holding the input, `is-invalid` on both when the field has errors)."""
    attrs = dict(bound.subwidgets[0].data["attrs"])
    own = attrs.pop("class", "")
    invalid = " is-invalid" if bound.errors else ""
    attrs = {"class": f"form-control{f' {own}' if own else ''}{invalid}", **attrs}
    control = f'<input type="file" name="{escaped(bound.html_name)}"{flatatt(attrs)}>'
    return format_html(
        '<div id="div_{}" class="mb-3{}">{}<div{}>{}{}</div></div>',
        bound.auto_id,
        f" {bound.css_classes()}" if bound.css_classes() else "",
        mark_safe(_label_html(bound)),
        mark_safe(' class="is-invalid"') if bound.errors else "",
        mark_safe(control),
        mark_safe(_feedback(bound, inline_errors)),
    )


def field_html(bound, *, inline_errors: bool = False) -> str:
    """The field with its label, errors and help text, as crispy-bootstrap5's `field.html` lays it out.

    `inline_errors`: the errors as `{% crispy form %}` writes them (the filter bar); else as `as_crispy_field`.
    """
    widget = bound.field.widget
    if bound.is_hidden:
        return widget_html(bound, "")
    if _empty_file_input(bound):
        return _file_field_html(bound, inline_errors)
    if not _drawn_here(widget):
        from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field

        return as_crispy_field(bound)
    required = bound.field.required
    star = mark_safe('<span class="asteriskField">*</span>') if required else ""
    required_class = " requiredField" if required else ""
    control = mark_safe(widget_html(bound, _css_class(bound)))
    css = f" {bound.css_classes()}" if bound.css_classes() else ""
    if isinstance(widget, forms.CheckboxInput):
        return format_html(
            '<div class="mb-3"><div id="div_{}" class="form-check{}">{} <label for="{}" class="form-check-label{}">'
            "{}{}</label>{}</div></div>",
            bound.auto_id,
            css,
            control,
            bound.id_for_label,
            required_class,
            bound.label,
            star,
            mark_safe(_feedback(bound, inline_errors)),
        )
    label = _label_html(bound)
    return format_html(
        '<div id="div_{}" class="mb-3{}">{}{}{}</div>',
        bound.auto_id,
        css,
        label,
        control,
        mark_safe(_feedback(bound, inline_errors)),
    )
