"""Benchmark cases of the intake (DESIGN.md section 7), registered with the project's `bench` command."""

import uuid

from tuson_hcc.core.registry import BenchCase

USER = "tiepnhan"


def _latest_dossier_url() -> str:
    from .models import Dossier

    pk = Dossier.objects.order_by("-id").values_list("pk", flat=True).first()
    return f"/registrations/{pk}/"


def _code_prefix() -> str:
    """The first part of the newest mã hồ sơ, as a clerk types it to find one dossier among 50,000."""
    from .models import Dossier

    code = Dossier.objects.order_by("-id").values_list("code", flat=True).first()
    return code[: max(len(code) - 2, 1)]


def _stored_receipt_url() -> str:
    from django.contrib.contenttypes.models import ContentType

    from tuson_hcc.documents.models import IssuedDocument

    from .choices import DocumentKind
    from .models import Dossier

    document = (
        IssuedDocument.objects.filter(
            content_type=ContentType.objects.get_for_model(Dossier), kind=DocumentKind.RECEIPT
        )
        .order_by("-id")
        .values("pk", "object_id")
        .first()
    )
    return f"/registrations/{document['object_id']}/documents/{document['pk']}/"


def _intake_data(i: int) -> dict:
    """A complete dossier of type h) (an enterprise): accepted, with its Mẫu 01 rendered in the request."""
    from .models import OrganisationType
    from .selectors import required_documents_for

    org_type = OrganisationType.objects.get(code="h")
    data = {
        "idempotency_key": uuid.uuid4().hex,
        "organisation_type": org_type.pk,
        "organisation_name": f"Công ty TNHH Đo hiệu năng {i}",
        "organisation_address": "Phường Đông Ngàn, thành phố Từ Sơn",
        "founding_document": "Giấy chứng nhận đăng ký doanh nghiệp số 2301234567",
        "applicant_name": "Nguyễn Văn Đo",
        "applicant_id_kind": "cccd",
        "applicant_id_number": "027090001234",
        "authorisation_kind": "gioi_thieu",
        "channel": "truc_tiep",
        "delivery_place": "quay",
    }
    for document in required_documents_for(org_type):
        data[f"doc_{document.pk}_state"] = "co"
        data[f"doc_{document.pk}_form"] = "ban_chinh"
    return data


def cases() -> list[BenchCase]:
    return [
        BenchCase(name="registrations: list (today)", username=USER, path="/registrations/"),
        BenchCase(name="registrations: list (all, newest)", username=USER, path="/registrations/?view=all"),
        BenchCase(name="registrations: overdue", username=USER, path="/registrations/?view=overdue"),
        BenchCase(
            name="registrations: filtered (returned, search 'Công ty')",
            username=USER,
            path="/registrations/?view=all&status=returned&q=C%C3%B4ng+ty",
        ),
        BenchCase(
            name="registrations: a mã hồ sơ prefix",
            username=USER,
            path=lambda: f"/registrations/?view=all&q={_code_prefix()}",
        ),
        BenchCase(
            name="registrations: a name that matches nothing",
            username="kiemtra",
            path="/registrations/?view=all&q=Kh%C3%B4ng+c%C3%B3+t%E1%BB%95+ch%E1%BB%A9c+n%C3%A0y",
        ),
        BenchCase(name="registrations: detail", username=USER, path=_latest_dossier_url),
        BenchCase(name="registrations: intake form", username=USER, path="/registrations/new/"),
        BenchCase(
            name="registrations: receive complete dossier + render Mẫu 01 (POST)",
            username=USER,
            path="/registrations/new/",
            method="post",
            data=_intake_data,
            expect_status=(200,),  # the desk shows the receipt with the one-time lookup-secret slip
            budget_ms=300,  # DESIGN.md section 7: a new receipt under 300 ms
            ratio_budget=None,  # a PDF render: held to a bare WeasyPrint render of the same HTML instead
            render_ratio_budget=1.5,  # DESIGN.md section 7
            first_request_budget_ms=500,  # the first receipt after a restart (issue 14)
        ),
        BenchCase(name="registrations: re-serve stored receipt", username=USER, path=_stored_receipt_url, budget_ms=20),
        BenchCase(name="registrations: handover book, this month", username=USER, path="/registrations/handover-book/"),
        BenchCase(name="registrations: service quality, 12 months", username="kiemtra", path="/registrations/quality/"),
    ]
