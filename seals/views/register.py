"""The stamping register (sổ đóng dấu): filtered list, totals, CSV/XLSX export, PDF for a day or range."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from tuson_hcc.accounts.permissions import role_required
from tuson_hcc.accounts.roles import Role
from tuson_hcc.core.errors import BusinessRuleError
from tuson_hcc.core.exports import FORMATS as EXPORT_FORMATS
from tuson_hcc.core.exports import export_response
from tuson_hcc.core.keyset import Cursor
from tuson_hcc.documents.services import document_file_response, document_preview_response

from ..filters import RegisterFilterSet
from ..register_page import stamping_register_rows
from ..selectors import RegisterFilter, stamping_totals
from ..services.papers import paper_find, register_document_issue, register_paper
from .common import REGISTER_READERS

PAGE_SIZE = 50
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


@role_required(*REGISTER_READERS)
@require_GET
def register(request):
    filters = RegisterFilterSet(request.GET, request=request)
    if not filters.is_valid():
        return render(request, "seals/register.html", {"filter": filters, "rows": []}, status=400)
    criteria = filters.register_filter()
    if request.GET.get("format") in EXPORT_FORMATS:
        return _export(request.GET["format"], filters.qs, criteria)
    cursor = Cursor.decode_or_first(request.GET.get("after"))
    rows, next_cursor, count = stamping_register_rows(criteria=criteria, cursor=cursor, size=PAGE_SIZE)
    query = request.GET.copy()
    query.pop("after", None)
    return render(
        request,
        "seals/register.html",
        {
            "filter": filters,
            "criteria": criteria,
            "rows": rows,
            "count": count,
            "totals": stamping_totals(criteria=criteria),
            "query": query.urlencode(),
            "next_cursor": next_cursor.encode() if next_cursor else "",
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
@require_http_methods(["GET", "POST"])
def register_pdf(request):
    """The register for a day or range (filters in the query string).

    GET opens what was issued for exactly these rows, or an unnumbered preview: reading never issues.
    POST, by the Văn thư only, issues it and then opens it.
    """
    filters = RegisterFilterSet(request.GET, request=request)
    if not filters.is_valid():
        return render(request, "seals/register.html", {"filter": filters, "rows": []}, status=400)
    criteria = filters.register_filter()
    printing = request.GET.get("print") == "1"
    if request.method == "POST":
        if not request.user.has_role(Role.VAN_THU):
            raise PermissionDenied(_("Chỉ Văn thư được phát hành sổ đóng dấu."))
        try:
            register_document_issue(criteria=criteria, actor=request.user)
        except BusinessRuleError as error:
            raise PermissionDenied(error.message) from error
        return redirect(f"{reverse('seals:register_pdf')}?{request.GET.urlencode()}")
    paper = register_paper(criteria=criteria, prepared_by=request.user)
    document = paper_find(paper)
    if document is None:
        return document_preview_response(
            request,
            kind=paper.kind,
            title=paper.title,
            template_name=paper.template_name,
            context=paper.context,
            download=not printing,
        )
    return document_file_response(request, document, download=not printing, printing=printing)
