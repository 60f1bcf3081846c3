from datetime import timedelta

from django import template

register = template.Library()


@register.filter
def duration_vi(value: timedelta) -> str:
    """How long, in Vietnamese: "2 ngày 3 giờ 15 phút"."""
    minutes = int(value.total_seconds() // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    parts = [f"{days} ngày" if days else "", f"{hours} giờ" if hours else "", f"{minutes} phút"]
    return " ".join(p for p in parts if p)
