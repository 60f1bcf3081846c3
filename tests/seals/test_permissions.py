"""Every write of the seal desk refuses the roles the Quy chế does not name, before anything is written."""

import pytest

from seals.models import (
    CustodyEntry,
    ExceptionAuthorisation,
    HandoverConsent,
    Inspection,
    OffsiteRequest,
    SealIncident,
    StampingEntry,
)

pytestmark = pytest.mark.django_db

USERS = ["vanthu", "giamdoc", "chutich", "truongphong", "congchuc", "tiepnhan", "kiemtra"]
# (url template, roles allowed by the view): Điều 5.2–5.4, 7.3–7.4, 8.3.
WRITES = [
    ("/seals/stamp/", {"vanthu"}),
    ("/seals/{seal}/hand-over/", {"vanthu"}),
    ("/seals/{seal}/take-back/", {"vanthu"}),
    ("/seals/{seal}/consent/", {"giamdoc"}),
    ("/seals/{seal}/incident/", {"vanthu", "giamdoc"}),
    ("/seals/exceptions/new/", {"giamdoc"}),
    ("/seals/inspections/new/", {"giamdoc"}),
    ("/seals/offsite/new/", {"congchuc", "vanthu"}),
]


def _counts():
    return [
        m.objects.count()
        for m in (
            StampingEntry,
            CustodyEntry,
            HandoverConsent,
            SealIncident,
            ExceptionAuthorisation,
            Inspection,
            OffsiteRequest,
        )
    ]


@pytest.mark.parametrize(("url", "allowed"), WRITES, ids=[w[0] for w in WRITES])
def test_write_views_refuse_other_roles(client_for, seal, url, allowed):
    before = _counts()
    for username in USERS:
        if username in allowed:
            continue
        response = client_for(username).post(url.format(seal=seal.pk), {"seal": seal.pk})
        assert response.status_code == 403, (username, url)
    assert _counts() == before


def test_an_official_sees_only_the_requests_they_are_part_of(client_for, seal, catalogue, demo_users):
    from datetime import timedelta

    from django.utils import timezone

    from seals.services.offsite import offsite_request_create

    now = timezone.now()
    request = offsite_request_create(
        seal=seal,
        requested_by=demo_users["congchuc"],
        purpose="x",
        procedures=[catalogue["birth"]],
        documents="x",
        destination="x",
        carrier=demo_users["congchuc"],
        starts_at=now + timedelta(hours=1),
        due_back_at=now + timedelta(hours=2),
        urgency="normal",
        actor=demo_users["vanthu"],
    )
    from tuson_hcc.accounts.models import User
    from tuson_hcc.accounts.roles import Role

    other = User.objects.create(username="congchuc2", full_name="Công chức khác")
    other.groups.add(*User.objects.get(username="congchuc").groups.filter(name=Role.CONG_CHUC))
    client = client_for("congchuc")
    assert client.get(f"/seals/offsite/{request.pk}/").status_code == 200
    client.force_login(other)
    assert client.get(f"/seals/offsite/{request.pk}/").status_code == 404
    assert client.post(f"/seals/offsite/{request.pk}/withdraw/").status_code == 404
