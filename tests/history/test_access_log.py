"""`/history/access/`: logins (with IP), document reads and QR visits, filtered and keyset-paged."""

import pytest

from tuson_hcc.audit.models import AccessEvent

pytestmark = pytest.mark.django_db


def test_a_failed_login_is_logged_with_its_ip_and_shown_to_the_auditor(client, client_for, settings):
    settings.AXES_ENABLED = False
    client.post("/accounts/login/", {"username": "vanthu", "password": "sai"}, REMOTE_ADDR="10.1.2.3")
    auditor = client_for("kiemtra")
    response = auditor.get("/history/access/", {"kind": "login_failure"})
    (event,) = response.context["page"].events
    assert (event.username, event.ip) == ("vanthu", "10.1.2.3")
    assert "Đăng nhập thất bại" in response.content.decode() and "10.1.2.3" in response.content.decode()


def test_access_log_filters_combine_and_pages_by_cursor(client_for, demo_users):
    for _ in range(7):
        AccessEvent.objects.create(kind="login_success", user=demo_users["vanthu"], username="vanthu", ip="10.0.0.1")
        AccessEvent.objects.create(kind="document_download", user=demo_users["tiepnhan"], username="tiepnhan")
    auditor = client_for("kiemtra")
    response = auditor.get("/history/access/", {"user": demo_users["vanthu"].pk, "kind": "login_success"})
    assert len(response.context["page"].events) == 7
    assert auditor.get("/history/access/", {"ip": "10.0.0.1", "kind": "document_download"}).context["page"].events == []

    from tuson_hcc.history.access import access_event_page

    criteria = {"kind": "", "user_id": None, "username": "", "ip": "", "date_from": None, "date_to": None}
    seen, cursor = [], None
    while True:
        page = access_event_page(criteria=criteria, cursor=cursor, size=3)
        seen += [e.id for e in page.events]
        if not page.next_cursor:
            break
        cursor = page.next_cursor
    assert seen == list(AccessEvent.objects.order_by("-at", "-id").values_list("id", flat=True))


def test_access_log_is_for_auditors_only_and_costs_few_queries(client_for, demo_users, django_assert_max_num_queries):
    for _ in range(60):
        AccessEvent.objects.create(kind="verification_visit", username="")
    assert client_for("vanthu").get("/history/access/").status_code == 403
    auditor = client_for("kiemtra")
    with django_assert_max_num_queries(6):
        response = auditor.get("/history/access/")
    assert len(response.context["page"].events) == 50 and response.context["page"].next_cursor
