"""Text of official documents: `{% load doc_text %}`.

`{{ name|nobreak:issuing_body }}` keeps the words of a name that belong together on one line
(`THÀNH PHỐ TỪ SƠN`, `TRẬT TỰ XÃ HỘI`), so a header never breaks inside them (NĐ 30/2020 Phụ lục I:
the body name is set in lines chosen by the layout, not split mid-word).
"""

import re
from functools import lru_cache

from django import template

register = template.Library()

NBSP = "\u00a0"
# Administrative units that precede a place name (Luật Tổ chức chính quyền địa phương).
ADMIN_UNITS = ("tỉnh", "thành phố", "huyện", "quận", "thị xã", "xã", "phường", "thị trấn")
# Compound words frequent in the names of Vietnamese public bodies: each stays on one line.
COMPOUNDS = (
    "ủy ban",
    "nhân dân",
    "hội đồng",
    "thành phố",
    "thị xã",
    "thị trấn",
    "trung tâm",
    "hành chính",
    "công an",
    "cảnh sát",
    "quản lý",
    "trật tự",
    "xã hội",
    "bộ phận",
    "tiếp nhận",
    "văn phòng",
    "an ninh",
    "công cộng",
)


@lru_cache(maxsize=32)
def _pattern(places: tuple[str, ...]) -> re.Pattern:
    phrases = [f"{unit} {place}" for place in places for unit in ADMIN_UNITS] + list(places) + list(COMPOUNDS)
    phrases.sort(key=len, reverse=True)  # the longest phrase wins where two overlap
    alternatives = "|".join(re.escape(phrase).replace(r"\ ", r"\s+") for phrase in phrases)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


@register.filter
def nobreak(value, issuing_body=None) -> str:
    """`value` with non-breaking spaces inside compound words and the issuing body's place names."""
    if not value:
        return ""
    places = ()
    if issuing_body is not None:
        places = tuple(p.strip() for p in (issuing_body.city_name, issuing_body.province_name) if p and p.strip())
    return _pattern(places).sub(lambda match: re.sub(r"\s+", NBSP, match.group(0)), str(value))


@register.filter
def document_number(subject, kind: str) -> str:
    """The "Số" printed on `subject`'s `kind` document, e.g. the off-site request a minute cites."""
    from tuson_hcc.documents.services import document_number_for

    return (document_number_for(subject, kind) or "") if subject is not None and subject.pk else ""


@register.filter
def no_final_stop(value) -> str:
    """Typed text without its final full stop, for a template that ends the sentence itself (no ". .")."""
    return str(value or "").strip().rstrip(".").rstrip()
