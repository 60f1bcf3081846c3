"""The requester corrects an off-site request before any decision, from its page (issue 11, point 14)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from seals.models import OffsiteRequest
from seals.services.offsite import offsite_decide

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(make_request):
    offsite = make_request(starts_in=timedelta(hours=1))  # tests/seals/conftest.py
    offsite.refresh_from_db()
    return offsite


def _form(offsite, **changes):
    start = timezone.localtime(offsite.starts_at)
    data = {
        "seal": offsite.seal_id,
        "purpose": offsite.purpose,
        "procedures": [p.pk for p in offsite.procedures.all()],
        "documents": offsite.documents,
        "destination": offsite.destination,
        "carrier": offsite.carrier_id,
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "due_back_at": (start + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
        "urgency": offsite.urgency,
    }
    return {**data, **changes}


def test_the_requester_edits_a_submitted_request_and_its_version_goes_up(client_for, submitted):
    client = client_for("congchuc")
    page = client.get(f"/seals/offsite/{submitted.pk}/")
    assert f"/seals/offsite/{submitted.pk}/edit/" in page.content.decode()
    assert client.get(f"/seals/offsite/{submitted.pk}/edit/").status_code == 200
    response = client.post(f"/seals/offsite/{submitted.pk}/edit/", _form(submitted, destination="Phường Tân Hồng"))
    assert response.status_code == 302
    edited = OffsiteRequest.objects.get(pk=submitted.pk)
    assert (edited.destination, edited.version) == ("Phường Tân Hồng", submitted.version + 1)
    assert edited.history.first().history_change_reason == "sửa đề nghị"


def test_a_bad_edit_shows_the_rule_and_changes_nothing(client_for, submitted):
    start = timezone.localtime(submitted.starts_at).strftime("%Y-%m-%dT%H:%M")
    response = client_for("congchuc").post(f"/seals/offsite/{submitted.pk}/edit/", _form(submitted, due_back_at=start))
    assert response.status_code == 400 and "Hạn trả con dấu phải sau" in response.content.decode()
    assert OffsiteRequest.objects.get(pk=submitted.pk).version == submitted.version


def test_no_edit_by_another_party_or_after_a_decision_dieu_8_4(client_for, submitted, demo_users):
    assert client_for("giamdoc").get(f"/seals/offsite/{submitted.pk}/edit/").status_code == 403
    offsite_decide(
        request=submitted,
        step="director_opinion",
        approved=True,
        version=submitted.version,
        actor=demo_users["giamdoc"],
    )
    client = client_for("congchuc")
    assert client.get(f"/seals/offsite/{submitted.pk}/edit/").status_code == 403
    assert client.post(f"/seals/offsite/{submitted.pk}/edit/", _form(submitted, destination="X")).status_code == 403
    assert OffsiteRequest.objects.get(pk=submitted.pk).destination == "Phường Đình Bảng"
