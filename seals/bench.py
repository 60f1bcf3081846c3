"""The seal pages and the stamping action in the project's benchmark (DESIGN.md section 7)."""

import uuid
from collections.abc import Callable
from datetime import timedelta
from urllib.parse import urlencode

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


def _years_ago(years: int) -> str:
    return (timezone.localdate() - timedelta(days=365 * years)).isoformat()


def _register(**params) -> Callable[[], str]:
    """A register URL; callables among `params` are resolved when the case runs (after the seed)."""

    def path() -> str:
        query = {key: value() if callable(value) else value for key, value in params.items()}
        return f"/seals/register/?{urlencode(query)}"

    return path


def _first_seal_id() -> int:
    from .models import Seal

    return Seal.objects.order_by("id").values_list("id", flat=True).first()


def _clerk_id() -> int:
    from tuson_hcc.accounts.models import User

    return User.objects.get(username="vanthu").pk


def _busiest_procedure_code() -> str:
    from .models import StampingEntry

    codes = StampingEntry.objects.exclude(procedure=None).exclude(procedure__code="").order_by("-id")
    return codes.values_list("procedure__code", flat=True).first()


def _a_document_number_without_diacritics() -> str:
    """The newest entry's number as typed on a keyboard without Vietnamese: "123/QĐ-PTP" → "123/qd-ptp"."""
    from tuson_hcc.core.text import search_key

    from .models import StampingEntry

    number = StampingEntry.objects.exclude(document_number="").order_by("-id").values_list("document_number", flat=True)
    return search_key(number.first())


def _register_second_page() -> str:
    from tuson_hcc.core.keyset import keyset_page

    from .selectors import RegisterFilter, stamping_register

    today = timezone.localdate()
    criteria = RegisterFilter(date_from=today - timedelta(days=365), date_to=today)
    _, cursor = keyset_page(stamping_register(criteria=criteria), at_field="stamped_at", cursor=None, size=50)
    after = f"&after={cursor.encode()}" if cursor else ""
    return f"/seals/register/?date_from={criteria.date_from}&date_to={today}{after}"


def _stamping_url() -> str:
    from .models import StampingEntry

    return f"/seals/stampings/{StampingEntry.objects.order_by('-id').values_list('id', flat=True).first()}/"


def register() -> None:
    auditor = "kiemtra"
    cases = [
        registry.BenchCase(name="seals: list", username="vanthu", path="/seals/"),
        registry.BenchCase(name="seals: detail", username="vanthu", path=_seal_url),
        # DESIGN.md section 7: the desk page under 30 ms and 30 KB; its suggestions come per seal, revalidated.
        registry.BenchCase(name="seals: desk", username="vanthu", path="/seals/stamp/", budget_ms=30, max_bytes=30_000),
        registry.BenchCase(
            name="seals: procedures of one seal (desk suggestions, JSON)",
            username="vanthu",
            path=lambda: _seal_url() + "procedures/",
        ),
        registry.BenchCase(name="seals: stamping detail", username=auditor, path=_stamping_url),
        registry.BenchCase(name="seals: register today", username="vanthu", path="/seals/register/"),
        registry.BenchCase(name="seals: register one seal, one month", username="giamdoc", path=_register_filtered),
        registry.BenchCase(
            name="seals: register requester search, 1 year",
            username=auditor,
            path=lambda: f"/seals/register/?requester=Thu&date_from={timezone.localdate().year - 1}-01-01",
        ),
        # The auditor's worst searches (issue 14): nothing matches, over ten years.
        registry.BenchCase(
            name="seals: register, a requester that matches nothing, 10 years",
            username=auditor,
            path=_register(requester="Không Có Người Này", date_from=lambda: _years_ago(10)),
        ),
        registry.BenchCase(
            name="seals: register, a mã hồ sơ prefix that matches nothing, 10 years",
            username=auditor,
            path=_register(dossier_code="HCCTS-000", date_from=lambda: _years_ago(10)),
        ),
        registry.BenchCase(
            name="seals: register, a mã hồ sơ prefix (one month's dossiers), 10 years",
            username=auditor,
            path=_register(
                dossier_code=lambda: f"HCCTS-{timezone.localdate() - timedelta(days=400):%y%m}",
                date_from=lambda: _years_ago(10),
            ),
        ),
        registry.BenchCase(
            name="seals: register search, a document number without diacritics, all years",
            username=auditor,
            path=_register(q=_a_document_number_without_diacritics),
        ),
        registry.BenchCase(
            name="seals: register search, common words without diacritics, all years",
            username=auditor,
            path=_register(q="ket qua giai quyet"),
        ),
        registry.BenchCase(
            # Words always found together: one LIKE per word made PostgreSQL expect a handful of matches.
            name="seals: register search, a phrase in a twentieth of the entries, all years",
            username=auditor,
            path=_register(q="giay chung nhan"),
        ),
        registry.BenchCase(
            name="seals: register search that matches nothing, all years",
            username=auditor,
            path=_register(q="khong co van ban nao nhu the nay"),
        ),
        registry.BenchCase(
            name="seals: register totals over 92 days",
            username=auditor,
            path=_register(date_from=lambda: (timezone.localdate() - timedelta(days=91)).isoformat()),
        ),
        registry.BenchCase(
            name="seals: register totals over 92 days, one seal",
            username=auditor,
            path=_register(
                seal=_first_seal_id, date_from=lambda: (timezone.localdate() - timedelta(days=91)).isoformat()
            ),
        ),
        registry.BenchCase(
            name="seals: register by clerk, one month",
            username=auditor,
            path=_register(clerk=_clerk_id, date_from=lambda: (timezone.localdate() - timedelta(days=30)).isoformat()),
        ),
        registry.BenchCase(
            name="seals: register by procedure, one year",
            username=auditor,
            path=_register(procedure=_busiest_procedure_code, date_from=lambda: _years_ago(1)),
        ),
        registry.BenchCase(name="seals: register, second page of a year", username=auditor, path=_register_second_page),
        registry.BenchCase(
            name="seals: record a stamping (POST)",
            username="vanthu",
            path="/seals/stamp/",
            method="post",
            data=_stamp_data,
            expect_status=(302,),
            budget_ms=30,
            ratio_budget=None,
        ),
    ]
    cases += [
        registry.BenchCase(name="seals: exception authorisations", username=auditor, path="/seals/exceptions/"),
        registry.BenchCase(name="seals: inspections", username=auditor, path="/seals/inspections/"),
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
