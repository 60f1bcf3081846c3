"""No off-site request waits for a decider who does not exist (Quy chế 157, Điều 5.2, 6.2): it is refused with
the name of whom to appoint, and the gap shows to the administrator (system check, admin) before anyone asks."""

import io
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from seals.checks import seal_agencies_have_a_head
from seals.models import OffsiteRequest, Seal
from seals.selectors import agencies_owning_seals_without_head
from seals.services.offsite import offsite_decide, offsite_request_create, offsite_request_submit
from tuson_hcc.accounts.models import Agency
from tuson_hcc.core.demo import DEMO_HEADS, DEMO_USERS
from tuson_hcc.core.errors import BusinessRuleError

pytestmark = pytest.mark.django_db


def _create(seal, catalogue, demo_users):
    now = timezone.now()
    return offsite_request_create(
        seal=seal,
        requested_by=demo_users["congchuc"],
        purpose="Đóng dấu tại nhà dân",
        procedures=[catalogue["birth"]],
        documents="01 trích lục",
        destination="Phường Đình Bảng",
        carrier=demo_users["congchuc"],
        starts_at=now + timedelta(minutes=10),
        due_back_at=now + timedelta(hours=3),
        urgency="urgent",
        actor=demo_users["congchuc"],
    )


def _no_head(agency):
    agency.head = None
    agency.save()


def test_a_request_for_a_seal_whose_agency_has_no_head_is_refused_naming_who_to_appoint_dieu_6_2(
    seal, catalogue, demo_users
):
    _no_head(seal.agency)
    with pytest.raises(BusinessRuleError, match=r"Phòng Tư pháp chưa có Thủ trưởng.*Điều 6.2.*gán Thủ trưởng"):
        _create(Seal.objects.select_related("agency").get(pk=seal.pk), catalogue, demo_users)
    assert not OffsiteRequest.objects.exists()


def test_a_head_without_the_role_or_inactive_cannot_decide_so_the_request_is_refused_dieu_6_2(
    seal, catalogue, demo_users
):
    head = demo_users["truongphong"]
    head.is_active = False
    head.save()
    with pytest.raises(BusinessRuleError, match="chưa có Thủ trưởng"):
        _create(Seal.objects.select_related("agency").get(pk=seal.pk), catalogue, demo_users)


def test_without_a_director_the_request_is_refused_dieu_5_2(seal, catalogue, demo_users):
    director = demo_users["giamdoc"]
    director.is_active = False
    director.save()
    with pytest.raises(BusinessRuleError, match=r"Chưa có Giám đốc Trung tâm.*Điều 5.2"):
        _create(seal, catalogue, demo_users)


def test_forwarding_to_a_head_who_left_meanwhile_is_refused_and_the_request_stays_put_dieu_6_2(
    seal, catalogue, demo_users
):
    request = _create(seal, catalogue, demo_users)
    offsite_request_submit(request=request, actor=demo_users["congchuc"])
    _no_head(seal.agency)
    with pytest.raises(BusinessRuleError, match="chưa có Thủ trưởng"):
        offsite_decide(
            request=request,
            step="director_opinion",
            approved=True,
            version=request.version,
            actor=demo_users["giamdoc"],
        )
    request.refresh_from_db()
    assert request.status == OffsiteRequest.Status.SUBMITTED and not request.decisions.exists()


def test_the_form_shows_the_refusal_on_the_seal_field(seal, catalogue, client_for):
    _no_head(seal.agency)
    start = timezone.localtime() + timedelta(minutes=10)
    response = client_for("congchuc").post(
        "/seals/offsite/new/",
        {
            "seal": seal.pk,
            "purpose": "x",
            "procedures": [catalogue["birth"].pk],
            "documents": "x",
            "destination": "x",
            "carrier": client_for("congchuc").session["_auth_user_id"],
            "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "due_back_at": (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            "urgency": "urgent",
        },
    )
    assert response.status_code == 400
    assert "chưa có Thủ trưởng" in response.content.decode()
    assert not OffsiteRequest.objects.exists()


def test_the_system_check_names_each_seal_owning_agency_without_a_head(seal, catalogue):
    assert seal_agencies_have_a_head() == []
    _no_head(seal.agency)
    finance = catalogue["finance"]
    _no_head(finance)
    Seal.objects.create(code="PTCKH-02", agency=finance)
    Seal.objects.create(code="PTCKH-OLD", agency=finance, status=Seal.Status.RETIRED)
    warnings = seal_agencies_have_a_head()
    assert [w.id for w in warnings] == ["seals.W001", "seals.W001"]
    assert {w.obj for w in warnings} == {seal.agency, finance}
    assert "Điều 6.2" in warnings[0].msg
    out = io.StringIO()
    call_command("check", "--tag", "tuson_hcc", stdout=out, stderr=out)
    assert "seals.W001" in out.getvalue()


def test_the_admin_warns_on_the_agency_and_seal_lists(seal, admin_client):
    _no_head(seal.agency)
    for url in ("/admin/accounts/agency/", "/admin/seals/seal/"):
        page = admin_client.get(url).content.decode()
        assert "chưa có Thủ trưởng: Phòng Tư pháp" in page, url


def test_every_seal_owning_agency_in_the_demo_has_a_head_with_a_demo_login(demo_users):
    from seals.demo import seed_seals

    seed_seals(scale="small", stdout=io.StringIO())
    assert Seal.objects.count() >= 12
    assert not agencies_owning_seals_without_head().exists()
    heads = {agency.head.username for agency in Agency.objects.filter(seals__isnull=False).distinct()}
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    listed = set(re.findall(r"^\| `([a-z_]+)` \|", readme, flags=re.M))
    assert heads <= listed and {u.username for u in (*DEMO_USERS, *DEMO_HEADS)} <= listed
    for username in heads:
        assert demo_users[username].check_password("test-pass-2026")
