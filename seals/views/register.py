"""The stamping register (sổ đóng dấu): filtered list, totals, CSV/XLSX export, PDF for a day or range."""

import hashlib
from datetime import UTC, datetime

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from tuson_hcc.accounts.permissions import role_required
from tuson_hcc.accounts.roles import Role
from tuson_hcc.core.exports import FORMATS as EXPORT_FORMATS
from tuson_hcc.core.exports import export_response
from tuson_hcc.core.models import IssuingBody
from tuson_hcc.documents.services import document_file_response, document_issue

from ..forms import RegisterFilterForm
from ..selectors import RegisterFilter, stamping_page, stamping_register, stamping_totals
from .common import REGISTER_READERS

PAGE_SIZE = 50
PDF_MAX_ROWS = 5000
EXPORT_COLUMNS = [
    ("Năm", lambda e: e.year),
    ("Số", lambda e: e.sequence),
    ("Thời gian", lambda e: timezone.localtime(e.stamped_at).strftime("%d/%m/%Y %H:%M")),
    ("Con dấu", lambda e: e.seal.code),
    ("Mã TTHC", lambda e: e.procedure.code if e.procedure else ""),
    ("Thủ tục", lambda e: e.procedure.name if e.procedure else ""),
    ("Văn bản cho phép", lambda e: e.exception.document_number if e.exception else ""),
    ("Mã hồ sơ", lambda e: e.dossier_code),
    ("Loại văn bản", lambda e: e.document_type),
    ("Số, ký hiệu", lambda e: e.document_number),
    ("Ngày văn bản", lambda e: e.document_date.strftime("%d/%m/%Y")),
    ("Trích yếu", lambda e: e.summary),
    ("Người ký", lambda e: f"{e.signer_name} ({e.signer_position})"),
    ("Số bản", lambda e: e.copies),
    ("Số lần đóng dấu", lambda e: e.impressions),
    ("Hình thức", lambda e: e.get_kind_display() + (f", {e.sheets} tờ" if e.sheets else "")),
    ("Người đề nghị", lambda e: e.requested_by),
    ("Văn thư", lambda e: e.clerk.full_name or e.clerk.username),
    ("Nơi đóng dấu", lambda e: e.get_place_display()),
    (
        "Đính chính",
        lambda e: f"{e.get_correction_display()} mục #{e.corrects_id}: {e.correction_reason}" if e.correction else "",
    ),
    ("Mã băm", lambda e: e.entry_hash),
]


def _criteria(form: RegisterFilterForm) -> RegisterFilter:
    data = form.cleaned_data
    return RegisterFilter(
        date_from=data["date_from"],
        date_to=data["date_to"],
        seal=data.get("seal"),
        procedure=data.get("procedure"),
        clerk=data.get("clerk"),
        requester=(data.get("requester") or "").strip(),
        dossier_code=(data.get("dossier_code") or "").strip(),
    )


def _cursor(text: str | None):
    try:
        micros, pk = (text or "").split("_")
        return datetime.fromtimestamp(int(micros) / 1_000_000, tz=UTC), int(pk)
    except ValueError:
        return None


def _cursor_text(cursor) -> str:
    at, pk = cursor
    return f"{int(at.timestamp() * 1_000_000)}_{pk}"


@role_required(*REGISTER_READERS)
@require_GET
def register(request):
    form = RegisterFilterForm(request.GET or {"date_from": "", "date_to": ""})
    if not form.is_valid():
        return render(request, "seals/register.html", {"form": form, "rows": []}, status=400)
    criteria = _criteria(form)
    entries = stamping_register(criteria=criteria)
    if request.GET.get("format") in EXPORT_FORMATS:
        return _export(request.GET["format"], entries, criteria)
    rows, next_cursor = stamping_page(entries, after=_cursor(request.GET.get("after")), size=PAGE_SIZE)
    query = request.GET.copy()
    query.pop("after", None)
    return render(
        request,
        "seals/register.html",
        {
            "form": form,
            "criteria": criteria,
            "rows": rows,
            "totals": stamping_totals(criteria=criteria),
            "query": query.urlencode(),
            "next_cursor": _cursor_text(next_cursor) if next_cursor else "",
            "is_first_page": not request.GET.get("after"),
            "user_can_stamp": request.user.has_role(Role.VAN_THU),
        },
    )


def _export(fmt: str, entries, criteria: RegisterFilter):
    ordered = entries.order_by("stamped_at", "id").iterator(chunk_size=2000)
    return export_response(
        fmt,
        name="so-dong-dau",
        stamp=f"{criteria.date_from:%Y%m%d}-{criteria.date_to:%Y%m%d}",
        header=[title for title, _ in EXPORT_COLUMNS],
        rows=([value(entry) for _, value in EXPORT_COLUMNS] for entry in ordered),
    )


@role_required(*REGISTER_READERS)
@require_GET
def register_pdf(request):
    """The register for a day or a range as an issued PDF; the same content is re-served, not re-rendered."""
    form = RegisterFilterForm(request.GET or {"date_from": "", "date_to": ""})
    if not form.is_valid():
        return render(request, "seals/register.html", {"form": form, "rows": []}, status=400)
    criteria = _criteria(form)
    entries = list(stamping_register(criteria=criteria).order_by("stamped_at", "id")[: PDF_MAX_ROWS + 1])
    truncated = len(entries) > PDF_MAX_ROWS
    entries = entries[:PDF_MAX_ROWS]
    last = max((e.pk for e in entries), default=0)
    # The key names exactly what is printed, so a later entry makes a new document.
    key = f"{hashlib.sha256(request.GET.urlencode().encode()).hexdigest()[:40]}|{len(entries)}|{last}"
    body = IssuingBody.current()
    document = document_issue(
        kind="so_dong_dau",
        title="Sổ đóng dấu",
        template_name="seals/documents/register.html",
        context={
            "entries": entries,
            "criteria": criteria,
            "totals": stamping_totals(criteria=criteria),
            "truncated": truncated,
            "body": body,
            "generated_by": request.user,
        },
        subject=body,
        actor=request.user,
        key=key,
        page_size="A4",
        public_summary={
            "Sổ đóng dấu": f"{criteria.date_from:%d/%m/%Y} – {criteria.date_to:%d/%m/%Y}",
            "Số mục": str(len(entries)),
        },
    )
    return document_file_response(
        request, document, download=request.GET.get("print") != "1", printing=request.GET.get("print") == "1"
    )
