from datetime import timedelta

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext

from tuson_hcc.core.html_rows import clip, html_format
from tuson_hcc.core.labels import choice_name

from ..models import OffsiteRequest, StampingEntry

register = template.Library()


@register.filter
def duration_vi(value: timedelta) -> str:
    """How long, in the active language: "2 ngày 3 giờ 15 phút" (English: "2 days 3 hours 15 minutes")."""
    minutes = int(value.total_seconds() // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    parts = [
        ngettext("%(n)d ngày", "%(n)d ngày", days) % {"n": days} if days else "",
        ngettext("%(n)d giờ", "%(n)d giờ", hours) % {"n": hours} if hours else "",
        ngettext("%(n)d phút", "%(n)d phút", minutes) % {"n": minutes},
    ]
    return " ".join(p for p in parts if p)


@register.filter
def by_seal(entries) -> list:
    """The register's entries as one section per seal, in the seal's own numbering (seals.register_pdf)."""
    from ..register_pdf import register_sections

    return register_sections(entries)


ROW = (
    '<tr class="{}"><td class="text-nowrap"><a href="{}">{}/{}</a>{}</td>'
    '<td class="text-nowrap small">{}</td><td class="text-nowrap">{}</td><td class="small">{}</td>'
    '<td class="small text-nowrap">{} {}</td><td class="small">{}</td><td class="text-end">{}</td>'
    '<td class="text-end">{}</td><td class="small">{}</td><td class="small">{}</td></tr>'
)


@register.simple_tag
def stamping_rows(rows) -> str:
    """The rows of `_stamping_rows.html` (named rows of `selectors.for_stamping_rows`), written in Python:
    a register page of fifty entries spent half its time in the template loop (issue 14). Same markup
    as the loop it replaces."""
    detail = reverse("seals:stamping_detail", args=[0])[: -len("0/")]
    off_site = format_html(' <span class="badge text-bg-info">{}</span>', gettext("ngoài TT"))
    html = []
    for e in rows:
        crossed = e.correction == "void" or getattr(e, "is_superseded", False)
        badges = (
            html_format(
                ' <span class="badge text-bg-warning">{}</span>', choice_name(StampingEntry, "correction", e.correction)
            )
            if e.correction
            else ""
        )
        badges += off_site if e.place == "offsite" else ""
        procedure = ""
        if e.procedure__name is not None:  # a LEFT JOIN: no procedure, no name
            procedure = format_html("{} {}", e.procedure__code or "", clip(e.procedure__name, 60))
        if e.exception__document_number is not None:
            number = gettext("theo VB %(number)s") % {"number": e.exception__document_number}
            procedure += format_html(' <span class="badge text-bg-secondary">{}</span>', number)
        impressions = str(e.impressions)
        if e.sheets:
            impressions += " (" + gettext("%(sheets)s tờ") % {"sheets": e.sheets} + ")"
        html.append(
            html_format(
                ROW,
                "text-decoration-line-through text-muted" if crossed else "",
                f"{detail}{e.pk}/",
                e.chain_key.rsplit(":", 1)[-1],  # the year, as `StampingEntry.year`
                e.sequence,
                mark_safe(badges),
                timezone.localtime(e.stamped_at).strftime("%d/%m/%Y %H:%M"),
                e.seal__code,
                mark_safe(procedure),
                e.document_type,
                e.document_number,
                clip(e.summary, 60),
                e.copies,
                impressions,
                e.requested_by,
                e.clerk__full_name or e.clerk__username,
            )
        )
    return mark_safe("\n".join(html))


OFFSITE_TONES = {
    "returned": "text-bg-success",
    "checked_out": "text-bg-warning",
    "rejected": "text-bg-danger",
    "refused": "text-bg-danger",
    "denied": "text-bg-danger",
    "withdrawn": "text-bg-secondary",
    "expired": "text-bg-secondary",
    "draft": "text-bg-secondary",
}


@register.simple_tag
def offsite_status(request) -> str:
    """An off-site request's status as a badge, coloured by how it stands."""
    return _offsite_badge(request.status)


def _offsite_badge(status: str) -> str:
    return html_format(
        '<span class="badge {}">{}</span>',
        OFFSITE_TONES.get(status, "text-bg-info"),
        choice_name(OffsiteRequest, "status", status),
    )


OFFSITE_ROW = (
    '<tr><td><a href="{}{}/">{}</a></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>'
    "<td>{} → {}</td><td>{}</td></tr>"
)


@register.simple_tag
def offsite_rows(requests) -> str:
    """The off-site list's rows (named rows of `selectors.for_offsite_rows`), written in Python (the template
    loop, an include and a `reverse` per row were most of the page, issue 14)."""
    detail = reverse("seals:offsite_detail", args=[0])[: -len("0/")]
    local = timezone.localtime
    return mark_safe(
        "\n".join(
            html_format(
                OFFSITE_ROW,
                detail,
                r.pk,
                r.pk,
                local(r.created_at).strftime("%d/%m/%Y"),
                r.seal__code,
                r.requested_by__full_name,
                r.carrier__full_name,
                r.destination,
                local(r.starts_at).strftime("%H:%M %d/%m"),
                local(r.due_back_at).strftime("%H:%M %d/%m/%Y"),
                _offsite_badge(r.status),
            )
            for r in requests
        )
    )
