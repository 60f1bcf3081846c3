"""A small real catalogue and one seal per test, built through the real models and services."""

import pytest
from django.utils import timezone

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
