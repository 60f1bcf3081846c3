"""Seal pages: the register of seals, one seal's timeline, custody at the desk, incidents."""

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from tuson_hcc.accounts.permissions import role_required
from tuson_hcc.accounts.roles import Role
from tuson_hcc.documents.models import IssuedDocument
from tuson_hcc.documents.services import document_file_response
from tuson_hcc.documents.serving import private_file_response

from ..forms import ConsentForm, HandOverForm, IncidentCloseForm, IncidentForm, TakeBackForm
from ..models import CustodyEntry, Seal, SealIncident
from ..selectors import custody_visible_to, seal_list, seal_timeline
from ..services.custody import MINUTE_KIND, handover_consent_grant, seal_hand_over, seal_take_back
from ..services.oversight import incident_close, incident_report
from .common import READERS, run_service


@role_required(*READERS)
@require_GET
def seal_index(request):
    return render(request, "seals/seal_list.html", {"seals": seal_list()})


@role_required(*READERS)
@require_GET
def seal_detail(request, pk: int):
    seal = get_object_or_404(Seal.objects.select_related("agency", "custodian"), pk=pk)
    return render(request, "seals/seal_detail.html", {"seal": seal, **seal_timeline(seal=seal, user=request.user)})


def _seal_form_page(request, pk, *, form_class, title, action, success, template="seals/seal_action.html"):
    seal = get_object_or_404(Seal.objects.select_related("agency", "custodian"), pk=pk)
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if run_service(form, lambda: action(seal, form.cleaned_data)) is not None:
            messages.success(request, success)
            return redirect(seal)
    return render(request, template, {"seal": seal, "form": form, "title": title}, status=400 if form.errors else 200)


@role_required(Role.VAN_THU)
@require_http_methods(["GET", "POST"])
def seal_hand_over_view(request, pk: int):
    return _seal_form_page(
        request,
        pk,
        form_class=HandOverForm,
        title=_("Giao con dấu (cần ý kiến đồng ý của Giám đốc, Điều 7.4)"),
        success=_("Đã giao con dấu và lập biên bản giao nhận."),
        action=lambda seal, data: seal_hand_over(
            seal=seal, recipient=data["recipient"], condition=data["condition"], note=data["note"], actor=request.user
        ),
    )


@role_required(Role.VAN_THU)
@require_http_methods(["GET", "POST"])
def seal_take_back_view(request, pk: int):
    return _seal_form_page(
        request,
        pk,
        form_class=TakeBackForm,
        title=_("Nhận lại con dấu"),
        success=_("Đã nhận lại con dấu và lập biên bản giao nhận."),
        action=lambda seal, data: seal_take_back(
            seal=seal, condition=data["condition"], note=data["note"], actor=request.user
        ),
    )


@role_required(Role.GIAM_DOC)
@require_http_methods(["GET", "POST"])
def seal_consent_view(request, pk: int):
    return _seal_form_page(
        request,
        pk,
        form_class=ConsentForm,
        title=_("Đồng ý giao con dấu cho người khác (Điều 7.4)"),
        success=_("Đã ghi ý kiến đồng ý của Giám đốc."),
        action=lambda seal, data: handover_consent_grant(
            seal=seal,
            recipient=data["recipient"],
            purpose=data["purpose"],
            valid_until=data["valid_until"],
            actor=request.user,
        ),
    )


@role_required(Role.VAN_THU, Role.GIAM_DOC)
@require_http_methods(["GET", "POST"])
def incident_report_view(request, pk: int):
    return _seal_form_page(
        request,
        pk,
        form_class=IncidentForm,
        title=_("Báo cáo sự cố con dấu (mất, hỏng…)"),
        success=_("Đã ghi sự cố; con dấu tạm dừng sử dụng cho đến khi Giám đốc kết thúc sự cố."),
        action=lambda seal, data: incident_report(
            seal=seal, kind=data["kind"], description=data["description"], actor=request.user
        ),
    )


@role_required(Role.GIAM_DOC)
@require_http_methods(["GET", "POST"])
def incident_close_view(request, pk: int):
    incident = get_object_or_404(SealIncident.objects.select_related("seal"), pk=pk)
    return _seal_form_page(
        request,
        incident.seal_id,
        form_class=IncidentCloseForm,
        title=_("Kết thúc sự cố: {incident}").format(incident=incident),
        success=_("Đã kết thúc sự cố."),
        action=lambda seal, data: incident_close(
            incident=incident, outcome=data["outcome"], resolution=data["resolution"], actor=request.user
        ),
    )


@role_required(*READERS)
@require_GET
def seal_specimen(request, pk: int):
    """The specimen image, from private storage to signed-in readers only."""
    seal = get_object_or_404(Seal.objects.exclude(specimen=""), pk=pk)
    extension = seal.specimen.name.rsplit(".", 1)[-1].lower() if "." in seal.specimen.name else "bin"
    return private_file_response(
        request,
        seal.specimen,
        about=seal,
        filename=f"mẫu-dấu-{seal.code}.{extension}",
        detail=f"Mẫu dấu {seal.code}",
    )


@role_required(*READERS)
@require_GET
def custody_minute(request, pk: int):
    """The biên bản giao nhận of one custody entry, issued with the entry in the same transaction; to readers of
    the register and the parties to the minute only (anyone else: 404, as if it did not exist)."""
    entry = get_object_or_404(custody_visible_to(request.user), pk=pk)
    document = get_object_or_404(
        IssuedDocument,
        content_type=ContentType.objects.get_for_model(CustodyEntry),
        object_id=str(entry.pk),
        kind=MINUTE_KIND,
    )
    return document_file_response(request, document, download=request.GET.get("inline") != "1")
