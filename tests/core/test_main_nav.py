# ruff: noqa: E501 -- the template quoted as base.html held it, long lines and all
"""The navigation bar written in Python (`{% main_nav %}`, tuson_hcc/core/templatetags/nav.py) is the
markup the template wrote: compared for every demo user, with a menu entry active, tag for tag."""

import re

import pytest
from django.template import RequestContext, Template
from django.test import RequestFactory
from django.urls import resolve

# base.html's bar before it moved to Python (the whole block inside `{% if user.is_authenticated %}`).
TEMPLATE_NAV = """{% load i18n %}    <button class="navbar-toggler" type="button" data-bs-toggle="collapse" data-bs-target="#mainNav" aria-controls="mainNav" aria-expanded="false" aria-label="{% translate "Mở menu" %}">
      <span class="navbar-toggler-icon"></span>
    </button>
    <div class="collapse navbar-collapse" id="mainNav">
      <ul class="navbar-nav me-auto">
        {% for entry in nav_entries %}
        {% if entry.children %}
        <li class="nav-item dropdown">
          <button class="nav-link dropdown-toggle{% if entry.active %} active{% endif %}" type="button" id="{{ entry.menu_id }}" data-bs-toggle="dropdown" aria-expanded="false">{{ entry.label }}</button>
          <ul class="dropdown-menu" aria-labelledby="{{ entry.menu_id }}">
            {% for item in entry.children %}<li><a class="dropdown-item{% if item.active %} active" aria-current="page{% endif %}" href="{{ item.url }}">{{ item.label }}</a></li>{% endfor %}
          </ul>
        </li>
        {% else %}
        <li class="nav-item"><a class="nav-link{% if entry.active %} active" aria-current="page{% endif %}" href="{{ entry.url }}">{{ entry.label }}</a></li>
        {% endif %}
        {% endfor %}
        {% if user.is_staff %}<li class="nav-item"><a class="nav-link" href="{% url 'admin:index' %}">{% translate "Quản trị" %}</a></li>{% endif %}
      </ul>
      <ul class="navbar-nav">
        <li class="nav-item dropdown">
          <button class="nav-link dropdown-toggle nav-user" type="button" id="nav-user-menu" data-bs-toggle="dropdown" aria-expanded="false" data-testid="current-user">{{ user.full_name|default:user.username }}</button>
          <ul class="dropdown-menu dropdown-menu-end" aria-labelledby="nav-user-menu">
            {% if user.position %}<li><span class="dropdown-item-text small text-body-secondary text-nowrap">{{ user.position }}</span></li>{% endif %}
            <li><a class="dropdown-item" href="{% url 'password_change' %}" data-testid="password-change-link">{% translate "Đổi mật khẩu" %}</a></li>
            <li><hr class="dropdown-divider"></li>
            <li><form method="post" action="{% url 'logout' %}">{% csrf_token %}<button class="dropdown-item" type="submit">{% translate "Đăng xuất" %}</button></form></li>
          </ul>
        </li>
      </ul>
    </div>
"""


def _tags(html: str) -> str:
    """Whitespace between tags aside, and the CSRF token's mask (new at every render)."""
    html = re.sub(r'(name="csrfmiddlewaretoken" value=")\w+"', r'\1…"', html)
    return re.sub(r">\s+<", "><", html.strip())


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/seals/register/", "/seals/offsite/", "/history/"])
def test_the_bar_is_the_markup_the_template_wrote(demo_users, path, settings):
    for username, user in demo_users.items():
        request = RequestFactory().get(path)
        request.user, request.resolver_match = user, resolve(path)
        written = Template(TEMPLATE_NAV).render(RequestContext(request))
        drawn = Template("{% load nav %}{% main_nav %}").render(RequestContext(request))
        assert _tags(drawn) == _tags(written), username
