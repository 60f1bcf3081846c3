"""`{% may_open "app:view" as ok %}`: show a link only when its view would let the user in (never a 403)."""

from django import template

from tuson_hcc.core.context_processors import may_open as _may_open

register = template.Library()


@register.simple_tag(takes_context=True)
def may_open(context, url_name: str) -> bool:
    request = context.get("request")
    return bool(request and request.user.is_authenticated and _may_open(request.user, url_name))
