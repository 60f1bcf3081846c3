"""Logins and reads of documents are logged (DESIGN.md section 5)."""

import pytest
from django.urls import reverse

from tuson_hcc.audit.models import AccessEvent, AccessLogImmutableError

pytestmark = pytest.mark.django_db


def test_a_failed_login_is_logged_with_the_attempted_username_and_ip(client, demo_users):
    client.post(reverse("login"), {"username": "vanthu", "password": "wrong"}, REMOTE_ADDR="10.0.0.7")
    event = AccessEvent.objects.get(kind=AccessEvent.Kind.LOGIN_FAILURE)
    assert (event.username, event.ip, event.user_id) == ("vanthu", "10.0.0.7", None)


def test_a_successful_login_and_logout_are_logged(client, demo_users):
    response = client.post(
        reverse("login"), {"username": "vanthu", "password": "test-pass-2026"}, REMOTE_ADDR="10.0.0.8"
    )
    assert response.status_code == 302
    event = AccessEvent.objects.get(kind=AccessEvent.Kind.LOGIN_SUCCESS)
    assert (event.username, event.ip, event.user) == ("vanthu", "10.0.0.8", demo_users["vanthu"])
    client.post(reverse("logout"))
    assert AccessEvent.objects.filter(kind=AccessEvent.Kind.LOGOUT, username="vanthu").exists()


def test_a_document_download_is_logged(client_for, settings, tmp_path):
    from tuson_hcc.core.models import IssuingBody
    from tuson_hcc.documents.services import document_file_response, document_issue

    settings.MEDIA_ROOT = tmp_path
    client = client_for("tiepnhan")
    user = client.get(reverse("dashboard")).wsgi_request.user
    document = document_issue(
        kind="mau_03",
        title="Phiếu từ chối",
        template_name="ledger_testapp/sample_document.html",
        context={"organisation": "X"},
        subject=IssuingBody.current(),
        actor=user,
        public_summary={},
    )
    request = client.get(reverse("dashboard")).wsgi_request
    document_file_response(request, document, download=True)
    event = AccessEvent.objects.get(kind=AccessEvent.Kind.DOCUMENT_DOWNLOAD)
    assert (event.user, event.object_id) == (user, str(document.pk))


def test_the_access_log_cannot_be_changed(client, demo_users):
    client.post(reverse("login"), {"username": "nobody", "password": "x"})
    event = AccessEvent.objects.get()
    with pytest.raises(AccessLogImmutableError):
        event.save()
    with pytest.raises(AccessLogImmutableError):
        event.delete()
    with pytest.raises(AccessLogImmutableError):
        AccessEvent.objects.update(detail="x")
