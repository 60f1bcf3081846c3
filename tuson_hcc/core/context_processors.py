from functools import cache

from django.urls import resolve, reverse

from tuson_hcc.accounts.permissions import user_has_role

from . import registry


@cache
def _target(url_name: str) -> tuple[str, tuple[str, ...] | None]:
    """The link and the roles its view requires (`role_required` records them), or None when it checks none."""
    url = reverse(url_name)
    return url, getattr(resolve(url).func, "required_roles", None)


def link_to(url_name: str) -> str:
    """`reverse(url_name)` of a view without arguments, worked out once per process."""
    return _target(url_name)[0]


def may_open(user, url_name: str) -> bool:
    """The same check as the view's: a link is shown only to whom the page will not answer 403."""
    _, roles = _target(url_name)
    return roles is None or user_has_role(user, *roles)


def _menus(items: list[dict], current: str) -> list[dict]:
    """The bar's entries: plain links, and one dropdown per area with two or more links (in order)."""
    grouped: dict[str, list[dict]] = {}
    for item in items:
        if item["group"]:
            grouped.setdefault(str(item["group"]), []).append(item)
    entries, placed = [], set()
    for item in items:
        members = grouped.get(str(item["group"])) if item["group"] else None
        if not members or len(members) == 1:
            entries.append({**item, "active": item["url_name"] == current})
        elif str(item["group"]) not in placed:
            placed.add(str(item["group"]))
            children = [{**m, "active": m["url_name"] == current} for m in members]
            entries.append(
                {
                    "label": item["group"],
                    "children": children,
                    "active": any(c["active"] for c in children),
                    "menu_id": f"nav-menu-{len(entries)}",
                }
            )
    return entries


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return {"nav_items": [], "nav_entries": [], "user_roles": frozenset()}
    items = [
        {"label": item.label, "url": _target(item.url_name)[0], "url_name": item.url_name, "group": item.group}
        for item in sorted(registry.nav_items, key=lambda i: i.order)
        # A superuser holds no role by that fact (role_required): only what the view itself lets in.
        if (not item.roles or user.has_role(*item.roles)) and may_open(user, item.url_name)
    ]
    match = getattr(request, "resolver_match", None)
    current = match.view_name if match else ""
    # Templates show or hide actions by role; the views and services check again.
    return {"nav_items": items, "nav_entries": _menus(items, current), "user_roles": user.role_names}
