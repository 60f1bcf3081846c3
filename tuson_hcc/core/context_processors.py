from django.urls import reverse

from . import registry


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return {"nav_items": [], "user_roles": frozenset()}
    items = [
        {"label": item.label, "url": reverse(item.url_name), "url_name": item.url_name}
        for item in sorted(registry.nav_items, key=lambda i: i.order)
        # Only what the user's roles open: a superuser holds no role by that fact (role_required),
        # so offering every page would only lead to 403s (found by the production smoke walk).
        if not item.roles or user.has_role(*item.roles)
    ]
    # Templates show or hide actions by role; the views and services check again.
    return {"nav_items": items, "user_roles": user.role_names}
