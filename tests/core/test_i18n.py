"""Vietnamese first, English available (issue 2)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_login_page_is_vietnamese_by_default(client):
    assert "Đăng nhập" in client.get(reverse("login")).content.decode()


def test_a_user_can_switch_to_english(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/accounts/login/"})
    page = client.get(reverse("login")).content.decode()
    assert "Sign in" in page
    assert "Username" in page


def test_an_english_browser_still_gets_vietnamese_until_the_user_switches(client):
    page = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "Đăng nhập" in page and "Sign in" not in page
