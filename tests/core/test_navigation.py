"""Navigation shows only what the user may open: no link leads to a 403 (issue 13, Screens)."""

import os
import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command

from tuson_hcc.core.demo import DEMO_USERS

pytestmark = pytest.mark.django_db

# Files and exports are opened by other tests; here only pages.
SKIP = ("/accounts/logout", "format=", "/pdf", "print=", "/document", "/scan", "/file", "/download", "/static/")


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href") if tag == "a" else None
        if href and not href.startswith(("#", "mailto:", "tel:", "http")):
            self.links.append(href)


def _links(response, base: str) -> list[str]:
    parser = _Links()
    parser.feed(response.content.decode())
    out = []
    for href in parser.links:
        url = base.split("?")[0] + href if href.startswith("?") else href
        if not any(s in url for s in SKIP):
            out.append(url)
    return out


def _kind(path: str) -> str:
    """/seals/12/ and /seals/13/ are one kind of page: one of each is opened."""
    return re.sub(r"\d+", "N", path)


def test_every_link_each_user_is_shown_opens_without_403_superuser_included(client):
    from tuson_hcc.accounts.models import User

    call_command("seed_demo", "--scale", "small", stdout=open(os.devnull, "w"))  # noqa: SIM115
    refused, opened = [], 0
    for spec in DEMO_USERS:
        client.force_login(User.objects.get(username=spec.username))
        home = client.get("/")
        assert home.status_code == 200
        kinds = set()
        pages = [("/", link) for link in _links(home, "/")]
        for source, link in pages:
            parts = urlsplit(link)
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            if _kind(path) in kinds:
                continue
            kinds.add(_kind(path))
            response = client.get(path)
            opened += 1
            if response.status_code == 403:
                refused.append(f"{spec.username}: {source} → {path}")
            if source == "/" and response.status_code == 200 and "text/html" in response.get("Content-Type", ""):
                pages.extend((path, more) for more in _links(response, path))  # one level below the home page
    assert not refused, refused
    assert opened > 50
