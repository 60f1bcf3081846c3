"""The intake desk's pages: thin views that parse a form, call one service and redirect."""

from django.conf import settings
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Exists
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tuson_hcc.accounts.permissions import role_required
from tuson_hcc.accounts.roles import Role
from tuson_hcc.core.counting import page_count
from tuson_hcc.core.errors import BusinessRuleError
from tuson_hcc.core.exports import FORMATS as EXPORT_FORMATS
from tuson_hcc.core.exports import export_response, local_text
from tuson_hcc.core.keyset import Cursor, keyset_page
from tuson_hcc.core.models import IssuingBody
from tuson_hcc.documents.models import IssuedDocument
from tuson_hcc.documents.services import document_file_response
from tuson_hcc.documents.serving import private_file_response
from tuson_hcc.notifications.selectors import failed_not_resent, messages_about

from . import handover, notify, paperwork, rating, result, services
from .choices import DocumentKind, DossierStatus
from .filters import DossierFilterSet
from .forms import ApologyForm, CheckForm, IntakeForm, PeriodForm, RatingForm, ResultForm, ReturnForm
from .lookup_secret import lookup_secret_renew
from .models import Dossier, Rating, ScanVersion
from .selectors import (
    LIST_VIEWS,
    dossier_documents,
    dossier_timeline,
    handover_entries_between,
    organisation_types_active,
    required_documents_for,
)

PAGE_SIZE = 50
# The Director reads the dossiers too: their first screen counts the late ones and links to them.
READERS = (Role.TIEP_NHAN, Role.KIEM_TRA, Role.GIAM_DOC)


def _form_error(form, error: BusinessRuleError) -> None:
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


# What the counter's list shows, for a spreadsheet; never ID numbers nor the lookup secret.
EXPORT_COLUMNS = [
    ("Mã hồ sơ", lambda d: d.code),
    ("Nhận lúc", lambda d: local_text(d.received_at)),
    ("Hình thức nộp", lambda d: d.get_channel_display()),
    ("Loại cơ quan, tổ chức", lambda d: d.organisation_type.name),
    ("Tên cơ quan, tổ chức", lambda d: d.organisation_name),
    ("Địa chỉ trụ sở", lambda d: d.organisation_address),
    ("Người được cử đến", lambda d: d.applicant_name),
    ("Điện thoại", lambda d: d.applicant_phone),
    ("Tình trạng", lambda d: d.get_status_display()),
    ("Hẹn trả", lambda d: local_text(d.due_at)),
    ("Nội dung hướng dẫn", lambda d: d.guidance_note),
    ("Lý do từ chối", lambda d: d.refusal_reason),
    ("Số Giấy chứng nhận", lambda d: d.result_certificate_number),
]


@require_GET
@role_required(*READERS)
def dossier_list_view(request):
    filters = DossierFilterSet(request.GET, request=request)
    view = filters.current_view()
    dossiers = filters.qs if filters.is_valid() else Dossier.objects.none()
    if request.GET.get("format") in EXPORT_FORMATS:
        ordered = dossiers.select_related("organisation_type").order_by("received_at", "id").iterator(chunk_size=2000)
        return export_response(
            request.GET["format"],
            name="ho-so-dang-ky-mau-dau",
            header=[title for title, _ in EXPORT_COLUMNS],
            rows=([value(d) for _, value in EXPORT_COLUMNS] for d in ordered),
        )
    before = request.GET.get("before", "")
    cursor = Cursor.decode_or_first(before)
    rows, next_cursor = keyset_page(dossiers, at_field="received_at", cursor=cursor, size=PAGE_SIZE)
    query = request.GET.copy()
    query.pop("before", None)
    return render(
        request,
        "registrations/dossier_list.html",
        {
            "rows": rows,
            "view": view,
            "views": LIST_VIEWS,
            "filter": filters,
            "count": page_count(dossiers, rows, cursor, next_cursor, at_field="received_at"),
            "next_cursor": next_cursor.encode() if next_cursor else "",
            "query": query.urlencode(),
            "first_page": not before,
            "now": timezone.now(),
        },
    )


@require_http_methods(["GET", "POST"])
@role_required(Role.TIEP_NHAN)
def dossier_intake(request):
    """The counter's one-page intake (Thủ tục bước 2–3)."""
    form = IntakeForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            outcome = services.dossier_receive(
                data=form.dossier_data(),
                checklist=form.checklist_results(),
                refusal_reason=form.cleaned_data["refusal_reason"],
                guidance_note=form.cleaned_data["guidance_note"],
                idempotency_key=form.cleaned_data["idempotency_key"],
                actor=request.user,
            )
        except BusinessRuleError as error:
            _form_error(form, error)
        else:
            _announce(request, outcome)
            if outcome.secret:
                return _secret_slip(request, outcome.dossier, outcome.secret, issuing_body=outcome.issuing_body)
            return redirect("registrations:detail", pk=outcome.dossier.pk)
    return render(request, "registrations/dossier_intake.html", {"form": form})


def _secret_slip(request, dossier, secret: str, *, issuing_body=None):
    """The lookup-secret slip, rendered from this response only: the secret is in no file, column or session."""
    response = render(
        request,
        "registrations/secret_slip.html",
        {
            "dossier": dossier,
            "secret": secret,
            "issuing_body": issuing_body or IssuingBody.current(),
            "lookup_url": settings.PUBLIC_BASE_URL + reverse("registrations_public:lookup"),
        },
    )
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@role_required(Role.TIEP_NHAN)
def dossier_secret_renew_view(request, pk: int):
    """The applicant lost the slip: a new secret (the old one stops working), printed on a new slip."""
    dossier = _dossier(pk)
    try:
        secret = lookup_secret_renew(dossier=dossier, actor=request.user)
    except BusinessRuleError as error:
        messages.error(request, error.message)
        return redirect("registrations:detail", pk=dossier.pk)
    return _secret_slip(request, dossier, secret)


def _when(moment) -> str:
    return f"{timezone.localtime(moment):%H:%M %d/%m/%Y}" if moment else ""


def _announce(request, outcome) -> None:
    dossier = outcome.dossier
    if not outcome.created:
        messages.info(
            request, _("Hồ sơ {code} đã được ghi nhận trước đó (biểu mẫu gửi hai lần).").format(code=dossier.code)
        )
    text = {
        DossierStatus.ACCEPTED: _("Đã tiếp nhận hồ sơ {code}: hẹn trả {due}.").format(
            code=dossier.code, due=_when(dossier.due_at)
        ),
        DossierStatus.INCOMPLETE: _("Hồ sơ {code} chưa đầy đủ: đã lập phiếu hướng dẫn hoàn thiện.").format(
            code=dossier.code
        ),
        DossierStatus.REFUSED: _("Đã từ chối tiếp nhận hồ sơ {code}.").format(code=dossier.code),
        DossierStatus.RECEIVED: _("Đã nhận hồ sơ {code}, chờ kiểm tra.").format(code=dossier.code),
    }.get(dossier.status, _("Đã cập nhật hồ sơ {code}.").format(code=dossier.code))
    messages.success(request, text)
    if outcome.document is None and paperwork.outcome_document_missing(dossier):
        messages.warning(request, _("Chưa phát hành được văn bản: bấm “Phát hành văn bản” trên trang hồ sơ."))


@require_GET
@role_required(Role.TIEP_NHAN)
def checklist_partial(request):
    """htmx: the checklist rows for the chosen organisation type (Thủ tục mục c)."""
    raw = request.GET.get("organisation_type", "")
    org_type = organisation_types_active().filter(pk=raw).first() if raw.isdigit() else None
    form = IntakeForm()
    if org_type is not None:
        form.add_checklist(required_documents_for(org_type))
    return render(request, "registrations/_checklist.html", {"form": form, "org_type": org_type})


def _dossier(pk: int) -> Dossier:
    return get_object_or_404(Dossier.objects.select_related("organisation_type", "received_by", "procedure"), pk=pk)


@require_GET
@role_required(*READERS)
def dossier_detail(request, pk: int):
    dossier = _dossier(pk)
    documents = dossier_documents(dossier)
    handovers = list(dossier.handovers.select_related("handed_by"))
    about = list(messages_about(dossier).select_related("created_by"))
    can_act = request.user.has_role(Role.TIEP_NHAN)
    context = {
        "dossier": dossier,
        "checklist": list(dossier.checklist.all()),
        "documents": documents,
        "timeline": dossier_timeline(dossier, documents, handovers, about),
        "can_act": can_act,
        "document_missing": paperwork.outcome_document_missing(dossier, documents),
        "handovers": handovers,
        "failed_messages": failed_not_resent(about),
    }
    if can_act and dossier.status in (DossierStatus.RECEIVED, DossierStatus.INCOMPLETE):
        context["check_form"] = CheckForm(dossier=dossier)
    if can_act and dossier.status == DossierStatus.ACCEPTED:
        context["result_form"] = ResultForm()
        if result.apology_due(dossier):
            context["apology_form"] = ApologyForm()
    context["timeliness"] = result.timeliness(dossier)
    context["scan_versions"] = list(dossier.scan_versions.select_related("checklist_item", "scanned_by"))
    return render(request, "registrations/dossier_detail.html", context)


@require_POST
@role_required(Role.TIEP_NHAN)
def dossier_result_view(request, pk: int):
    """The result arrived: record the certificate and the specimen's scan; the dossier becomes returnable."""
    dossier = _dossier(pk)
    form = ResultForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            result.dossier_result_record(
                dossier=dossier,
                certificate_number=form.cleaned_data["certificate_number"],
                certificate_date=form.cleaned_data["certificate_date"],
                issuing_authority=form.cleaned_data["issuing_authority"],
                specimen=form.cleaned_data["specimen"],
                actor=request.user,
            )
        except BusinessRuleError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Đã ghi nhận kết quả hồ sơ {code}: sẵn sàng trả.").format(code=dossier.code))
    else:
        messages.error(
            request, _("Ghi nhận kết quả: ") + "; ".join(str(e) for errors in form.errors.values() for e in errors)
        )
    return redirect("registrations:detail", pk=dossier.pk)


@require_GET
@role_required(*READERS)
def dossier_specimen(request, pk: int):
    """The seal specimen's scan: private storage, readers of the dossier only."""
    dossier = get_object_or_404(Dossier.objects.only("pk", "result_specimen", "code"), pk=pk)
    if not dossier.result_specimen:
        raise Http404("Hồ sơ chưa có bản scan mẫu con dấu.")
    extension = dossier.result_specimen.name.rsplit(".", 1)[-1]
    content_type = {"pdf": "application/pdf", "png": "image/png", "jpg": "image/jpeg"}.get(extension)
    if content_type is None:
        raise Http404("Tệp không xác định.")
    return private_file_response(
        request,
        dossier.result_specimen,
        about=dossier,
        filename=f"{dossier.code}-mẫu-dấu.{extension}",
        content_type=content_type,
        detail=f"Bản scan mẫu con dấu của hồ sơ {dossier.code}",
    )


@require_POST
@role_required(Role.TIEP_NHAN)
def dossier_check_view(request, pk: int):
    dossier = _dossier(pk)
    form = CheckForm(request.POST, request.FILES, dossier=dossier)
    if form.is_valid():
        try:
            outcome = services.dossier_check(
                dossier=dossier,
                checklist=form.checklist_results(),
                refusal_reason=form.cleaned_data["refusal_reason"],
                guidance_note=form.cleaned_data["guidance_note"],
                actor=request.user,
            )
        except BusinessRuleError as error:
            messages.error(request, error.message)
        else:
            _announce(request, outcome)
            if outcome.secret:
                return _secret_slip(request, outcome.dossier, outcome.secret, issuing_body=outcome.issuing_body)
    else:
        messages.error(
            request,
            _("Kiểm tra lại danh mục giấy tờ: ") + "; ".join(str(e) for errors in form.errors.values() for e in errors),
        )
    return redirect("registrations:detail", pk=dossier.pk)


@require_POST
@role_required(Role.TIEP_NHAN)
def dossier_apology_view(request, pk: int):
    dossier = _dossier(pk)
    form = ApologyForm(request.POST)
    if form.is_valid():
        try:
            services.dossier_apologise_late(
                dossier=dossier, new_due_at=form.new_due_at(), reason=form.cleaned_data["reason"], actor=request.user
            )
        except BusinessRuleError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Đã hẹn lại ngày trả kết quả và lập Phiếu xin lỗi (Mẫu 04)."))
    else:
        messages.error(request, _("Nhập ngày, giờ hẹn mới và lý do chậm trả."))
    return redirect("registrations:detail", pk=dossier.pk)


@require_POST
@role_required(Role.TIEP_NHAN)
def dossier_paper_view(request, pk: int):
    """Issue the outcome's document if it is missing, or the control sheet (Mẫu 05) on request."""
    dossier = _dossier(pk)
    try:
        if request.POST.get("kind") == DocumentKind.CONTROL_SHEET:
            document = paperwork.control_sheet_issue(dossier=dossier, actor=request.user)
        else:
            document = paperwork.dossier_paper_issue(dossier=dossier, actor=request.user)
    except BusinessRuleError as error:
        messages.error(request, error.message)
    else:
        if document is not None:
            messages.success(
                request, _("Đã phát hành {title} số {number}.").format(title=document.title, number=document.number)
            )
    return redirect("registrations:detail", pk=dossier.pk)


@require_http_methods(["GET", "POST"])
@role_required(Role.TIEP_NHAN)
def dossier_return_view(request, pk: int):
    """Thủ tục bước 4: hand over the seal and certificate, after the checks, into the handover book."""
    dossier = _dossier(pk)
    form = ReturnForm(request.POST or None, dossier=dossier)
    if request.method == "POST" and form.is_valid():
        try:
            entry = handover.dossier_return(dossier=dossier, data=form.return_data(), actor=request.user)
        except BusinessRuleError as error:
            _form_error(form, error)
        else:
            messages.success(
                request,
                _("Đã trả kết quả hồ sơ {code}; ghi sổ giao nhận {book} số {sequence}.").format(
                    code=dossier.code, book=entry.chain_key, sequence=entry.sequence
                ),
            )
            # The counter tablet asks the recipient to rate the service (DESIGN.md section 10).
            return redirect("registrations:rate", pk=dossier.pk)
    return render(request, "registrations/dossier_return.html", {"dossier": dossier, "form": form})


@require_GET
@role_required(*READERS)
def dossier_document(request, pk: int, document_pk: int):
    """A stored document of this dossier, byte-identical, logged (documents.services)."""
    # One query: the document, of this dossier, which exists.
    document = get_object_or_404(
        IssuedDocument.objects.filter(Exists(Dossier.objects.filter(pk=pk))),
        pk=document_pk,
        content_type=ContentType.objects.get_for_model(Dossier),
        object_id=str(pk),
    )
    return document_file_response(
        request, document, download=request.GET.get("download") == "1", printing=request.GET.get("print") == "1"
    )


@require_GET
@role_required(Role.TIEP_NHAN)
def dossier_scan(request, pk: int):
    """The online dossier's scanned PDF: private storage, intake staff only."""
    dossier = get_object_or_404(Dossier.objects.only("pk", "scan", "code"), pk=pk)
    if not dossier.scan:
        raise Http404("Hồ sơ không có bản scan.")
    return private_file_response(
        request,
        dossier.scan,
        about=dossier,
        filename=f"{dossier.code}-bản-scan.pdf",
        content_type="application/pdf",
        detail=f"Bản scan hồ sơ {dossier.code}",
    )


@require_http_methods(["GET", "POST"])
@role_required(Role.TIEP_NHAN)
def dossier_rate_view(request, pk: int):
    """The counter tablet: the recipient rates the service once, right after return."""
    dossier = _dossier(pk)
    form = RatingForm(request.POST or None)
    done = False
    if request.method == "POST" and form.is_valid():
        try:
            rating.dossier_rate(
                dossier=dossier,
                value=form.cleaned_data["value"],
                comment=form.cleaned_data["comment"],
                via=Rating.Via.COUNTER,
                actor=request.user,
            )
        except BusinessRuleError as error:
            _form_error(form, error)
        else:
            done = True
    already = not done and Rating.objects.filter(dossier=dossier).exists()
    return render(
        request, "registrations/rate.html", {"dossier": dossier, "form": form, "done": done, "already": already}
    )


@require_POST
@role_required(Role.TIEP_NHAN)
def dossier_message_resend_view(request, pk: int, message_pk: int):
    """A failed e-mail or SMS to the applicant, sent again."""
    dossier = _dossier(pk)
    try:
        notify.dossier_message_resend(dossier=dossier, message_id=message_pk, actor=request.user)
    except BusinessRuleError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Đã đưa thư/tin nhắn vào hàng đợi gửi lại."))
    return redirect("registrations:detail", pk=dossier.pk)


@require_GET
@role_required(Role.TIEP_NHAN)
def dossier_scan_version(request, pk: int, number: int):
    """A completed PDF the applicant uploaded through /lookup/: private storage, intake staff only."""
    version = get_object_or_404(ScanVersion.objects.select_related("dossier"), dossier_id=pk, number=number)
    return private_file_response(
        request,
        version.file,
        about=version.dossier,
        filename=f"{version.dossier.code}-bản-scan-v{version.number}.pdf",
        content_type="application/pdf",
        detail=f"Bản scan bổ sung lần {version.number} của hồ sơ {version.dossier.code}",
    )


@require_http_methods(["GET", "POST"])
@role_required(*READERS)
def handover_book(request):
    """The handover book (sổ giao nhận con dấu) for a period, and its PDF."""
    if request.method == "POST" and not request.user.has_role(Role.TIEP_NHAN):
        raise PermissionDenied("Chỉ cán bộ tiếp nhận in sổ.")
    today = timezone.localdate()
    form = PeriodForm(request.POST or request.GET or None, initial={"start": today.replace(day=1), "end": today})
    period = (
        (form.cleaned_data["start"], form.cleaned_data["end"])
        if form.is_bound and form.is_valid()
        else (today.replace(day=1), today)
    )
    if request.method == "POST" and form.is_valid():
        try:
            document = handover.handover_book_issue(start=period[0], end=period[1], actor=request.user)
        except BusinessRuleError as error:
            form.add_error(None, error.message)
        else:
            return redirect("registrations:book_document", document_pk=document.pk)
    entries = list(handover_entries_between(start=period[0], end=period[1])[:500])
    return render(request, "registrations/handover_book.html", {"form": form, "entries": entries, "period": period})


@require_http_methods(["GET", "POST"])
@role_required(Role.TIEP_NHAN)
def register_view(request):
    """Mẫu 06, the register of dossiers, for a period of at most a month."""
    today = timezone.localdate()
    form = PeriodForm(request.POST or None, initial={"start": today.replace(day=1), "end": today})
    if request.method == "POST" and form.is_valid():
        try:
            document = paperwork.register_issue(
                start=form.cleaned_data["start"], end=form.cleaned_data["end"], actor=request.user
            )
        except BusinessRuleError as error:
            form.add_error(None, error.message)
        else:
            return redirect("registrations:book_document", document_pk=document.pk)
    return render(request, "registrations/register.html", {"form": form})


@require_GET
@role_required(*READERS)
def book_document(request, document_pk: int):
    """A stored register (Mẫu 06) or handover book PDF."""
    document = get_object_or_404(
        IssuedDocument,
        pk=document_pk,
        kind__in=[DocumentKind.REGISTER, DocumentKind.HANDOVER_BOOK],
        content_type=ContentType.objects.get_for_model(IssuingBody),
    )
    return document_file_response(request, document, download=request.GET.get("download") == "1")
