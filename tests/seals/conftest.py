"""A small real catalogue and one seal per test, built through the real models and services."""

from datetime import timedelta

import pytest
from django.utils import timezone

from seals.services.offsite import offsite_request_create, offsite_request_submit

from .factories import build_catalogue, build_seal


@pytest.fixture
def catalogue(demo_users):
    return build_catalogue()


@pytest.fixture
def seal(catalogue, demo_users):
    return build_seal(catalogue, demo_users["vanthu"])


@pytest.fixture
def document():
    """A signed document, as the desk form hands it to the service."""

    def make(**overrides):
        data = {
            "dossier_code": "HCCTS-261124-0001",
            "document_type": "Trích lục",
            "document_number": "123/TLKS",
            "document_date": timezone.localdate(),
            "summary": "Trích lục khai sinh cho Nguyễn Văn An",
            "signer_name": "Lê Thị Lan",
            "signer_position": "Trưởng phòng Tư pháp",
            "is_signed": True,
            "copies": 2,
            "impressions": 2,
            "kind": "signature",
            "sheets": None,
            "requested_by": "Phạm Đức Anh",
        }
        data.update(overrides)
        return data

    return make


@pytest.fixture
def desk_post(document, catalogue, seal):
    """The desk form's POST data for one stamping."""

    def make(**overrides):
        data = {k: v for k, v in document().items() if v is not None}
        data.update(
            {
                "form_token": overrides.pop("form_token", "tok-" + str(timezone.now().timestamp())),
                "seal": seal.pk,
                "procedure": catalogue["birth"].code,
                "is_signed": "on",
            }
        )
        data["document_date"] = data["document_date"].isoformat()
        data.update(overrides)
        return data

    return make


@pytest.fixture
def users(demo_users):
    from tuson_hcc.accounts.models import Agency

    # Phòng Tư pháp's Head is truongphong; the Chairman heads UBND.
    assert Agency.objects.get(short_name="PTP").head == demo_users["truongphong"]
    for user in demo_users.values():
        user.email = f"{user.username}@tuson.example.vn"
        user.save()
    return demo_users


@pytest.fixture
def make_request(seal, catalogue, users):
    def make(*, submit=True, starts_in=timedelta(minutes=10), actor="congchuc", carrier="congchuc"):
        now = timezone.now()
        request = offsite_request_create(
            seal=seal,
            requested_by=users["congchuc"],
            purpose="Đóng dấu giấy chứng tử tại nhà dân (cấp bách)",
            procedures=[catalogue["birth"]],
            documents="02 trích lục",
            destination="Phường Đình Bảng",
            carrier=users[carrier],
            starts_at=now + starts_in,
            due_back_at=now + starts_in + timedelta(hours=3),
            urgency="urgent",
            actor=users[actor],
        )
        if submit:
            offsite_request_submit(request=request, actor=users[actor])
        return request

    return make
