"""Errors answer in Vietnamese in the site's layout; every request has an id, in its logs and its response."""

import logging

import pytest
from django.test import RequestFactory
from django.views.defaults import server_error


def test_the_500_page_is_vietnamese_and_needs_no_database():
    # No django_db mark: any query would fail the test. The page is what a broken database still shows.
    response = server_error(RequestFactory().get("/"))
    page = response.content.decode()
    assert response.status_code == 500
    assert "Lỗi hệ thống" in page and "bootstrap" in page and 'class="navbar' in page


@pytest.mark.django_db
def test_the_404_page_is_vietnamese_in_the_layout(client_for):
    response = client_for("vanthu").get("/seals/999999/")
    page = response.content.decode()
    assert response.status_code == 404
    assert "Không tìm thấy" in page and 'data-testid="current-user"' in page


@pytest.mark.django_db
def test_the_403_page_is_vietnamese_in_the_layout(client_for):
    response = client_for("tiepnhan").get("/seals/exceptions/new/")
    assert response.status_code == 403
    assert "Không có quyền truy cập" in response.content.decode()


@pytest.mark.django_db
def test_a_csrf_failure_says_what_to_do_in_vietnamese(demo_users):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post("/accounts/login/", {"username": "vanthu", "password": "x"})
    assert response.status_code == 403
    assert "Phiên làm việc đã hết hạn" in response.content.decode()


@pytest.mark.django_db
def test_the_429_page_is_vietnamese_in_the_layout(client, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    from registrations.online import LOOKUP_ATTEMPTS

    for attempt in range(LOOKUP_ATTEMPTS + 1):
        response = client.post("/lookup/", {"code": "HS-1", "secret": f"X{attempt}"}, REMOTE_ADDR="192.0.2.44")
    page = response.content.decode()
    assert response.status_code == 429
    assert "Quá nhiều yêu cầu" in page and "Bạn đã tra cứu quá nhiều lần" in page and 'class="navbar' in page


@pytest.mark.django_db
def test_each_request_gets_an_id_in_its_response_and_log_lines_with_the_user(client_for, caplog):
    client = client_for("vanthu")
    with caplog.at_level(logging.INFO, logger="tuson_hcc.requests"):
        response = client.get("/seals/")
    request_id = response["X-Request-ID"]
    assert len(request_id) == 32
    record = next(r for r in caplog.records if r.name == "tuson_hcc.requests")
    assert "GET /seals/ 200" in record.getMessage()
    assert (record.request_id, record.user_id) == (request_id, str(response.wsgi_request.user.pk))


@pytest.mark.django_db
def test_a_request_id_from_the_proxy_is_kept_and_a_forged_one_replaced(client):
    assert client.get("/accounts/login/", HTTP_X_REQUEST_ID="a1b2c3d4e5f60718")["X-Request-ID"] == "a1b2c3d4e5f60718"
    forged = client.get("/accounts/login/", HTTP_X_REQUEST_ID="x\nSet-Cookie: a=b")["X-Request-ID"]
    assert "\n" not in forged and len(forged) == 32


def test_log_lines_carry_the_request_and_user_fields():
    from django.conf import settings

    config = settings.LOGGING
    assert "%(request_id)s" in config["formatters"]["line"]["format"]
    assert "%(user_id)s" in config["formatters"]["line"]["format"]
    assert config["handlers"]["console"]["stream"] == "ext://sys.stdout"


@pytest.mark.django_db
def test_the_navigation_offers_each_user_only_pages_their_roles_open(client_for, demo_users):
    # The production smoke walk found the superuser offered pages that answered 403.
    for username in demo_users:
        client = client_for(username)
        nav = client.get("/").context["nav_items"]
        for item in nav:
            assert client.get(item["url"]).status_code == 200, (username, item["url"])
