"""Vietnamese dates for documents: `{% load vn_dates %}`.

`{{ d|ngay_thang_nam }}` → "ngày 25 tháng 02 năm 2026";
`{{ dt|gio_phut_ngay }}` → "09 giờ 05 phút, ngày 25 tháng 02 năm 2026".
"""

import datetime as dt

from django import template
from django.utils import timezone

register = template.Library()


def _local(value):
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


@register.filter
def ngay_thang_nam(value) -> str:
    """NĐ 30/2020 Phụ lục I: days below 10 and months 1 and 2 take a leading zero."""
    if not value:
        return ""
    value = _local(value)
    month = f"{value.month:02d}" if value.month <= 2 else str(value.month)
    return f"ngày {value.day:02d} tháng {month} năm {value.year}"


@register.filter
def gio_phut_ngay(value) -> str:
    """The receipt's "… giờ … phút, ngày … tháng … năm …" (TT 01/2018, Mẫu 01)."""
    if not value:
        return ""
    value = _local(value)
    return f"{value.hour:02d} giờ {value.minute:02d} phút, {ngay_thang_nam(value)}"
