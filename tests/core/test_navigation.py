"""Navigation shows only what the user may open: no link leads to a 403 (issue 13, Screens)."""

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


@pytest.fixture
def demo(db):
    call_command("seed_demo", "--scale", "small", stdout=open("/dev/null", "w"))  # noqa: SIM115


@pytest.mark.parametrize("username", [spec.username for spec in DEMO_USERS])
def test_every_link_a_user_is_shown_opens_without_403(client, demo, username):
    from tuson_hcc.accounts.models import User

    client.force_login(User.objects.get(username=username))
    home = client.get("/")
    assert home.status_code == 200
    seen, refused = set(), []
    pages = [("/", link) for link in _links(home, "/")]
    for source, link in pages:
        path = urlsplit(link).path + (f"?{urlsplit(link).query}" if urlsplit(link).query else "")
        if path in seen:
            continue
        seen.add(path)
        response = client.get(path)
        if response.status_code == 403:
            refused.append(f"{source} → {path}")
        if source == "/" and response.status_code == 200 and "text/html" in response.get("Content-Type", ""):
            pages.extend((path, more) for more in _links(response, path))  # one level below the home page
    assert not refused, refused
    assert len(seen) > 3
