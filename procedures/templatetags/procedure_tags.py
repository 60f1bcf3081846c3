from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from tuson_hcc.core.html_rows import html_format

register = template.Library()

ROW = (
    '<tr><td class="text-nowrap">{}</td><td><a href="{}{}/?on={}">{}</a></td><td class="small">{}</td>'
    '<td class="small">{}</td><td class="text-end">{}</td><td>{}</td></tr>'
)
BADGE = '<span class="badge {} status-badge">{}</span>'


def _badges(in_force_actions) -> dict:
    """The status badge of each catalogue action, written once per page rather than included per row."""
    badges = {
        "abolish": format_html(BADGE, "text-bg-danger", gettext("Đã bãi bỏ")),
        "replace": format_html(BADGE, "text-bg-warning", gettext("Đã bị thay thế")),
    }
    in_force = format_html(BADGE, "text-bg-success", gettext("Đang hiệu lực"))
    badges.update(dict.fromkeys(in_force_actions, in_force))
    return badges


@register.simple_tag
def procedure_rows(procedures, on, in_force_actions) -> str:
    """The catalogue list's rows, written in Python: fifty rows each with an include and a `{% url %}`
    were most of the page's cost (issue 14). Same markup as the template loop it replaces."""
    detail = reverse("procedures:detail", args=[0])[: -len("0/")]
    badges = _badges(in_force_actions)
    not_yet = format_html(BADGE, "text-bg-secondary", gettext("Chưa có hiệu lực"))
    on_iso = on.isoformat() if on else ""
    html = [
        html_format(
            ROW,
            p.code or "—",
            detail,
            p.pk,
            on_iso,
            p.name,
            p.field,
            p.implementing_agency.name,
            p.processing_days or "—",
            badges.get(p.action_on, not_yet),
        )
        for p in procedures
    ]
    return mark_safe("\n".join(html))
