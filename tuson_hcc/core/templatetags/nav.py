"""`{% may_open "app:view" as ok %}`: show a link only when its view would let the user in (never a 403).
`{% main_nav %}`: the navigation bar's menus for a signed-in user."""

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from tuson_hcc.core.context_processors import link_to
from tuson_hcc.core.context_processors import may_open as _may_open
from tuson_hcc.core.html_rows import html_format

register = template.Library()


@register.simple_tag(takes_context=True)
def may_open(context, url_name: str) -> bool:
    request = context.get("request")
    return bool(request and request.user.is_authenticated and _may_open(request.user, url_name))


def _entry_html(entry: dict) -> str:
    if entry.get("children"):
        items = "".join(
            html_format(
                '<li><a class="dropdown-item{}" href="{}">{}</a></li>',
                mark_safe(' active" aria-current="page') if item["active"] else "",
                item["url"],
                item["label"],
            )
            for item in entry["children"]
        )
        return html_format(
            '<li class="nav-item dropdown">\n'
            '<button class="nav-link dropdown-toggle{}" type="button" id="{}" data-bs-toggle="dropdown" '
            'aria-expanded="false">{}</button>\n<ul class="dropdown-menu" aria-labelledby="{}">\n{}\n</ul>\n</li>',
            " active" if entry["active"] else "",
            entry["menu_id"],
            entry["label"],
            entry["menu_id"],
            mark_safe(items),
        )
    return html_format(
        '<li class="nav-item"><a class="nav-link{}" href="{}">{}</a></li>',
        mark_safe(' active" aria-current="page') if entry["active"] else "",
        entry["url"],
        entry["label"],
    )


@register.simple_tag(takes_context=True)
def main_nav(context) -> str:
    """The bar's menus and the user's menu for a signed-in user (`base.html`), written in Python: through
    the template's loops and conditionals they were a twentieth of a list page (issue 14)."""
    user, csrf_token = context["user"], context.get("csrf_token")
    entries = "\n".join(_entry_html(entry) for entry in context.get("nav_entries", ()))
    admin = (
        html_format(
            '<li class="nav-item"><a class="nav-link" href="{}">{}</a></li>', link_to("admin:index"), _("Quản trị")
        )
        if user.is_staff
        else ""
    )
    position = (
        html_format(
            '<li><span class="dropdown-item-text small text-body-secondary text-nowrap">{}</span></li>', user.position
        )
        if user.position
        else ""
    )
    csrf = ""
    if csrf_token and csrf_token != "NOTPROVIDED":  # as `{% csrf_token %}`
        csrf = html_format('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', csrf_token)
    return html_format(
        '<button class="navbar-toggler" type="button" data-bs-toggle="collapse" data-bs-target="#mainNav" '
        'aria-controls="mainNav" aria-expanded="false" aria-label="{}">\n<span class="navbar-toggler-icon"></span>\n'
        '</button>\n<div class="collapse navbar-collapse" id="mainNav">\n'
        '<ul class="navbar-nav me-auto">\n{}\n{}\n</ul>\n'
        '<ul class="navbar-nav">\n<li class="nav-item dropdown">\n'
        '<button class="nav-link dropdown-toggle nav-user" type="button" id="nav-user-menu" data-bs-toggle="dropdown" '
        'aria-expanded="false" data-testid="current-user">{}</button>\n'
        '<ul class="dropdown-menu dropdown-menu-end" aria-labelledby="nav-user-menu">\n{}\n'
        '<li><a class="dropdown-item" href="{}" data-testid="password-change-link">{}</a></li>\n'
        '<li><hr class="dropdown-divider"></li>\n'
        '<li><form method="post" action="{}">{}<button class="dropdown-item" type="submit">{}</button></form></li>\n'
        "</ul>\n</li>\n</ul>\n</div>",
        _("Mở menu"),
        mark_safe(entries),
        admin,
        user.full_name or user.username,
        position,
        link_to("password_change"),
        _("Đổi mật khẩu"),
        link_to("logout"),
        csrf,
        _("Đăng xuất"),
    )
