from django.urls import reverse

from . import registry


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return {"nav_items": [], "user_roles": frozenset()}
    items = [
        {"label": item.label, "url": reverse(item.url_name), "url_name": item.url_name}
        for item in sorted(registry.nav_items, key=lambda i: i.order)
        if not item.roles or user.has_role(*item.roles) or user.is_superuser
    ]
    # Templates show or hide actions by role; the views and services check again.
    return {"nav_items": items, "user_roles": user.role_names}
