"""A small real catalogue and one seal per test, built through the real models and services."""

from datetime import date

import pytest
from django.utils import timezone

from procedures.models import CatalogueChange, Decision, Procedure
from seals.models import Seal
from tuson_hcc.accounts.models import Agency

QD_1691 = date(2021, 12, 29)
QD_LATER = date(2024, 3, 15)


def _procedure(code, name, agency, decision, action=CatalogueChange.Action.ADD):
    procedure = Procedure.objects.create(code=code, name=name, implementing_agency=agency, processing_days=3)
    CatalogueChange.objects.create(
        decision=decision, procedure=procedure, action=action, effective_on=decision.effective_on, snapshot={}
    )
    return procedure


@pytest.fixture
def catalogue(demo_users):
    justice = Agency.objects.get(short_name="PTP")
    finance = Agency.objects.get(short_name="PTCKH")
    first = Decision.objects.create(number="1691/QĐ-UBND", signed_on=QD_1691, effective_on=QD_1691)
    later = Decision.objects.create(number="99/QĐ-UBND", signed_on=QD_LATER, effective_on=QD_LATER)
    birth = _procedure("1.001193", "Đăng ký khai sinh", justice, first)
    copy = _procedure("2.000815", "Cấp bản sao từ sổ gốc", justice, first)
    household = _procedure("1.001612", "Đăng ký thành lập hộ kinh doanh", finance, first)
    abolished = _procedure("1.004746", "Chứng thực chữ ký (thủ tục đã bãi bỏ)", justice, first)
    CatalogueChange.objects.create(
        decision=later, procedure=abolished, action=CatalogueChange.Action.ABOLISH, effective_on=QD_LATER, snapshot={}
    )
    return {
        "birth": birth,
        "copy": copy,
        "household": household,
        "abolished": abolished,
        "justice": justice,
        "finance": finance,
    }


@pytest.fixture
def seal(catalogue, demo_users):
    """Phòng Tư pháp's second seal, in the Văn thư's custody at the desk."""
    return Seal.objects.create(code="PTP-02", agency=catalogue["justice"], custodian=demo_users["vanthu"])


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
