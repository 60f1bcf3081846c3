"""Off-site requests: lists by role, the form, the detail with its timeline and the actions."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.forms.models import model_to_dict
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tuson_hcc.accounts.permissions import role_required
from tuson_hcc.accounts.roles import Role
from tuson_hcc.core.counting import MatchCount
from tuson_hcc.core.errors import BusinessRuleError
from tuson_hcc.documents.services import document_file_response, document_preview_response
from tuson_hcc.documents.serving import private_file_response
from tuson_hcc.notifications.selectors import messages_about

from ..filters import OffsiteFilterSet
from ..models import CustodyEntry, OffsiteDecision, OffsiteRequest
from ..offsite_forms import (
    CheckOutForm,
    DecisionForm,
    OffsiteRequestForm,
    OffsiteStampingFormSet,
    ReturnForm,
)
from ..selectors import (
    custody_lines,
    for_stamping_rows,
    offsite_awaiting,
    offsite_overdue,
    offsite_page,
    offsite_visible_to,
    register_readable_by,
)
from ..services.offsite import (
    offsite_check_out,
    offsite_decide,
    offsite_next_step,
    offsite_party_actions,
    offsite_request_create,
    offsite_request_submit,
    offsite_request_update,
    offsite_request_withdraw,
    offsite_return,
)
from ..services.papers import offsite_document_issue, offsite_document_may_issue, offsite_paper, paper_find
from .common import run_service

PARTIES = (Role.CONG_CHUC, Role.VAN_THU, Role.GIAM_DOC, Role.THU_TRUONG, Role.KIEM_TRA)
Status = OffsiteRequest.Status


@role_required(*PARTIES)
@require_GET
def offsite_list(request):
    filters = OffsiteFilterSet(request.GET, request=request)
    mine = request.GET.get("mine") == "1"
    requests = filters.qs if filters.is_valid() else OffsiteRequest.objects.none()
    page = offsite_page(requests, request.GET.get("page"), size=50)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "seals/offsite_list.html",
        {
            "filter": filters,
            "page": page,
            "count": MatchCount(page.paginator.count, exact=True),
            "query": query.urlencode(),
            "mine": mine,
            "awaiting": list(offsite_awaiting(request.user)[:50]),
            "overdue": offsite_overdue(request.user),
        },
    )


@role_required(Role.CONG_CHUC, Role.VAN_THU)
@require_http_methods(["GET", "POST"])
def offsite_create(request):
    form = OffsiteRequestForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        def create():
            created = offsite_request_create(**data, actor=request.user)
            if request.POST.get("submit_now"):
                offsite_request_submit(request=created, actor=request.user)
            return created

        created = run_service(form, create)
        if created is not None:
            messages.success(request, _("Đã lập đề nghị số {number}.").format(number=created.pk))
            return redirect(created)
    return render(request, "seals/offsite_form.html", {"form": form}, status=400 if form.errors else 200)


@role_required(Role.CONG_CHUC, Role.VAN_THU)
@require_http_methods(["GET", "POST"])
def offsite_edit(request, pk: int):
    """The requester (or the Văn thư who wrote it down) corrects the request before any decision."""
    offsite = _visible(request, pk)
    if not offsite_party_actions(request=offsite, user=request.user)["edit"]:
        raise PermissionDenied(_("Đề nghị đã có ý kiến hoặc không phải của bạn: không sửa được."))
    initial = {**model_to_dict(offsite), "procedures": list(offsite.procedures.all())}
    form = OffsiteRequestForm(request.POST or None, initial=initial, user=request.user)
    form.fields["requested_by"].disabled = True  # the requester stays who asked
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "requested_by"}
        updated = run_service(form, lambda: offsite_request_update(request=offsite, actor=request.user, **data))
        if updated is not None:
            messages.success(request, _("Đã sửa đề nghị số {number}.").format(number=updated.pk))
            return redirect(updated)
    return render(
        request,
        "seals/offsite_form.html",
        {"form": form, "offsite": offsite},
        status=400 if form.errors else 200,
    )


def _visible(request, pk: int) -> OffsiteRequest:
    return get_object_or_404(offsite_visible_to(request.user).select_related("entered_by"), pk=pk)


def _detail_context(request, offsite: OffsiteRequest, **forms) -> dict:
    step = offsite_next_step(request=offsite, user=request.user)
    actions = offsite_party_actions(request=offsite, user=request.user)
    checkout = getattr(offsite, "checkout", None) if offsite.status in (Status.CHECKED_OUT, Status.RETURNED) else None
    return {
        "overdue": checkout is not None and checkout.is_overdue_at(timezone.now()),
        "offsite": offsite,
        "decisions": offsite.decisions.select_related("decided_by").order_by("decided_at", "id"),
        "history": offsite.history.select_related("history_user").order_by("history_date", "history_id"),
        "outbound": messages_about(offsite),
        "procedures": offsite.procedures.select_related("implementing_agency"),
        "checkout": checkout,
        "custody": custody_lines(CustodyEntry.objects.filter(checkout__request=offsite), request.user)
        if checkout
        else [],
        # Stamping lines only to readers of the register (Quy chế 157, Điều 7); others see how many.
        "stampings": list(for_stamping_rows(checkout.stampings.all()).order_by("stamped_at"))
        if checkout and register_readable_by(request.user)
        else [],
        "stamping_count": checkout.stampings.count() if checkout and not register_readable_by(request.user) else 0,
        "decision_form": forms.get("decision_form")
        or (DecisionForm(initial={"step": step, "version": offsite.version}) if step else None),
        "step_label": OffsiteDecision.Step(step).label if step else "",
        "checkout_form": forms.get("checkout_form")
        or (CheckOutForm() if offsite.status == Status.PERMITTED and request.user.has_role(Role.VAN_THU) else None),
        "return_form": forms.get("return_form")
        or (ReturnForm() if offsite.status == Status.CHECKED_OUT and request.user.has_role(Role.VAN_THU) else None),
        "stamping_formset": forms.get("stamping_formset") or OffsiteStampingFormSet(prefix="st"),
        "can_submit": actions["submit"],
        "can_withdraw": actions["withdraw"],
        "can_edit": actions["edit"],
        "can_issue_paper": offsite_document_may_issue(offsite=offsite, actor=request.user),
    }


@role_required(*PARTIES)
@require_GET
def offsite_detail(request, pk: int):
    offsite = _visible(request, pk)
    return render(request, "seals/offsite_detail.html", _detail_context(request, offsite))


def _refuse(request, offsite, error: BusinessRuleError, **forms):
    messages.error(request, error.message)
    return render(request, "seals/offsite_detail.html", _detail_context(request, offsite, **forms), status=400)


@role_required(Role.CONG_CHUC, Role.VAN_THU)
@require_POST
def offsite_submit(request, pk: int):
    offsite = _visible(request, pk)
    try:
        offsite_request_submit(request=offsite, actor=request.user)
    except BusinessRuleError as error:
        return _refuse(request, offsite, error)
    messages.success(request, _("Đã gửi đề nghị tới Giám đốc Trung tâm."))
    return redirect(offsite)


@role_required(Role.CONG_CHUC, Role.VAN_THU)
@require_POST
def offsite_withdraw(request, pk: int):
    offsite = _visible(request, pk)
    try:
        offsite_request_withdraw(request=offsite, actor=request.user)
    except BusinessRuleError as error:
        return _refuse(request, offsite, error)
    messages.success(request, _("Đã rút đề nghị."))
    return redirect(offsite)


@role_required(Role.GIAM_DOC, Role.THU_TRUONG)
@require_POST
def offsite_decide_view(request, pk: int):
    offsite = _visible(request, pk)
    form = DecisionForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(
            request, "seals/offsite_detail.html", _detail_context(request, offsite, decision_form=form), status=400
        )
    data = form.cleaned_data
    try:
        offsite_decide(
            request=offsite,
            step=data["step"],
            approved=data["approved"],
            version=data["version"],
            comment=data["comment"],
            scan=data["scan"],
            actor=request.user,
        )
    except BusinessRuleError as error:
        return _refuse(request, offsite, error, decision_form=form)
    messages.success(request, _("Đã ghi quyết định."))
    return redirect(offsite)


@role_required(Role.VAN_THU)
@require_POST
def offsite_check_out_view(request, pk: int):
    offsite = _visible(request, pk)
    form = CheckOutForm(request.POST)
    if not form.is_valid():
        return render(
            request, "seals/offsite_detail.html", _detail_context(request, offsite, checkout_form=form), status=400
        )
    try:
        offsite_check_out(request=offsite, carrier_password=form.cleaned_data["carrier_password"], actor=request.user)
    except BusinessRuleError as error:
        return _refuse(request, offsite, error)
    messages.success(request, _("Đã giao con dấu và lập biên bản giao nhận."))
    return redirect(offsite)


@role_required(Role.VAN_THU)
@require_POST
def offsite_return_view(request, pk: int):
    offsite = _visible(request, pk)
    form = ReturnForm(request.POST)
    formset = OffsiteStampingFormSet(request.POST, prefix="st")
    if not (form.is_valid() and formset.is_valid()):
        return render(
            request,
            "seals/offsite_detail.html",
            _detail_context(request, offsite, return_form=form, stamping_formset=formset),
            status=400,
        )
    stampings = [s for s in (f.stamping() for f in formset.forms) if s]
    try:
        offsite_return(
            request=offsite, condition=form.cleaned_data["condition"], stampings=stampings, actor=request.user
        )
    except BusinessRuleError as error:
        return _refuse(request, offsite, error, return_form=form, stamping_formset=formset)
    messages.success(request, _("Đã nhận lại con dấu, ghi sổ các lần đóng dấu ngoài Trung tâm và lập biên bản."))
    return redirect(offsite)


@role_required(*PARTIES)
@require_http_methods(["GET", "POST"])
def offsite_pdf(request, pk: int):
    """GET opens the issued paper of this version and decisions, or an unnumbered preview; POST issues it."""
    if request.method == "POST" and not request.user.has_role(Role.CONG_CHUC, Role.VAN_THU):
        raise PermissionDenied(_("Chỉ người đề nghị hoặc Văn thư được phát hành bản in đề nghị."))
    offsite = _visible(request, pk)
    if offsite.status == Status.DRAFT:
        raise Http404
    if request.method == "POST":
        if not offsite_document_may_issue(offsite=offsite, actor=request.user):
            raise PermissionDenied(_("Chỉ người đề nghị hoặc Văn thư được phát hành bản in đề nghị."))
        offsite_document_issue(offsite=offsite, actor=request.user)
        return redirect("seals:offsite_pdf", pk=offsite.pk)
    paper = offsite_paper(offsite=offsite)
    document = paper_find(paper)
    download = request.GET.get("inline") != "1"
    if document is None:
        return document_preview_response(
            request,
            kind=paper.kind,
            title=paper.title,
            template_name=paper.template_name,
            context=paper.context,
            download=download,
        )
    return document_file_response(request, document, download=download)


@role_required(*PARTIES)
@require_GET
def offsite_decision_scan(request, pk: int, decision_pk: int):
    """The scan of a signed decision, to whoever may see the request (private storage, never a public URL)."""
    offsite = _visible(request, pk)
    decision = get_object_or_404(offsite.decisions.exclude(scan=""), pk=decision_pk)
    return private_file_response(
        request,
        decision.scan,
        about=decision,
        filename=f"ý-kiến-{decision.pk}.pdf",
        content_type="application/pdf",
        detail=f"Bản scan ý kiến {decision.pk} của đề nghị {offsite.pk}",
    )


def offsite_urls():
    from django.urls import path

    return [
        path("offsite/", offsite_list, name="offsite_list"),
        path("offsite/new/", offsite_create, name="offsite_create"),
        path("offsite/<int:pk>/", offsite_detail, name="offsite_detail"),
        path("offsite/<int:pk>/edit/", offsite_edit, name="offsite_edit"),
        path("offsite/<int:pk>/submit/", offsite_submit, name="offsite_submit"),
        path("offsite/<int:pk>/withdraw/", offsite_withdraw, name="offsite_withdraw"),
        path("offsite/<int:pk>/decide/", offsite_decide_view, name="offsite_decide"),
        path("offsite/<int:pk>/check-out/", offsite_check_out_view, name="offsite_check_out"),
        path("offsite/<int:pk>/return/", offsite_return_view, name="offsite_return"),
        path("offsite/<int:pk>/pdf/", offsite_pdf, name="offsite_pdf"),
        path("offsite/<int:pk>/decisions/<int:decision_pk>/scan/", offsite_decision_scan, name="offsite_decision_scan"),
    ]
