"""The seal pages and the stamping action in the project's benchmark (DESIGN.md section 7)."""

import uuid

from django.utils import timezone

from tuson_hcc.core import registry


def _seal_url() -> str:
    from .models import Seal

    return f"/seals/{Seal.objects.order_by('id').values_list('id', flat=True).first()}/"


def _offsite_url() -> str:
    from .models import OffsiteRequest

    return f"/seals/offsite/{OffsiteRequest.objects.order_by('-id').values_list('id', flat=True).first()}/"


def _register_filtered() -> str:
    from .models import Seal

    seal = Seal.objects.order_by("id").values_list("id", flat=True).first()
    year = timezone.localdate().year - 1
    return f"/seals/register/?seal={seal}&date_from={year}-03-01&date_to={year}-03-31"


def _stamp_data(i: int) -> dict:
    from procedures.selectors import procedures_in_force

    from .models import Seal

    seal = Seal.objects.filter(custodian__username="vanthu", status=Seal.Status.IN_CUSTODY).order_by("id").first()
    procedure = (
        procedures_in_force(on=timezone.localdate())
        .filter(implementing_agency_id__in=seal.agency_ids_served())
        .exclude(code="")
        .first()
    )
    return {
        "form_token": uuid.uuid4().hex,
        "seal": seal.pk,
        "procedure": procedure.code,
        "document_type": "Quyết định",
        "document_number": f"{i}/QĐ-BENCH",
        "document_date": timezone.localdate().isoformat(),
        "summary": "Đo hiệu năng ghi sổ",
        "signer_name": "Người ký",
        "signer_position": "Trưởng phòng",
        "is_signed": "on",
        "copies": 1,
        "impressions": 1,
        "kind": "signature",
        "requested_by": "Đo hiệu năng",
    }


def register() -> None:
    cases = [
        registry.BenchCase(name="seals: list", username="vanthu", path="/seals/"),
        registry.BenchCase(name="seals: detail", username="vanthu", path=_seal_url),
        # DESIGN.md section 7: the desk page under 30 ms and 30 KB; its suggestions come per seal, revalidated.
        registry.BenchCase(name="seals: desk", username="vanthu", path="/seals/stamp/", budget_ms=30),
        registry.BenchCase(
            name="seals: procedures of one seal (desk suggestions, JSON)",
            username="vanthu",
            path=lambda: _seal_url() + "procedures/",
        ),
        registry.BenchCase(name="seals: register today", username="vanthu", path="/seals/register/"),
        registry.BenchCase(name="seals: register one seal, one month", username="giamdoc", path=_register_filtered),
        registry.BenchCase(
            name="seals: register requester search, 1 year",
            username="kiemtra",
            path=lambda: f"/seals/register/?requester=Thu&date_from={timezone.localdate().year - 1}-01-01",
        ),
        registry.BenchCase(
            name="seals: record a stamping (POST)",
            username="vanthu",
            path="/seals/stamp/",
            method="post",
            data=_stamp_data,
            expect_status=(302,),
            budget_ms=30,
        ),
    ]
    cases += [
        registry.BenchCase(name="offsite: all requests", username="giamdoc", path="/seals/offsite/"),
        registry.BenchCase(
            name="offsite: returned, filtered", username="kiemtra", path="/seals/offsite/?status=returned"
        ),
        registry.BenchCase(name="offsite: my requests", username="congchuc", path="/seals/offsite/?mine=1"),
        registry.BenchCase(name="offsite: detail", username="giamdoc", path=_offsite_url),
        registry.BenchCase(name="dashboard: Director", username="giamdoc", path="/"),
        registry.BenchCase(name="dashboard: Head", username="truongphong", path="/"),
    ]
    for case in cases:
        registry.register_bench(case)
