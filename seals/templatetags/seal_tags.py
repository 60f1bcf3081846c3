from datetime import timedelta

from django import template
from django.utils.translation import ngettext

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
