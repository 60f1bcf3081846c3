"""The Văn thư's desk: record a stamping from the keyboard, see the last ones, correct one."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tuson_hcc.accounts.permissions import role_required
from tuson_hcc.accounts.roles import Role

from ..forms import CorrectionForm, StampingForm
from ..models import StampingEntry
from ..selectors import exceptions_usable, procedures_for_seals, stamping_recent_for
from ..services.common import seals_in_custody_of
from ..services.stamping import stamping_correct, stamping_record
from .common import REGISTER_READERS, run_service


@role_required(Role.VAN_THU)
@require_http_methods(["GET", "POST"])
def stamping_desk(request):
    seals = seals_in_custody_of(request.user)
    seal_list = list(seals)
    today = timezone.localdate()
    exceptions = exceptions_usable(seals=seal_list, on=today)
    form = StampingForm(request.POST or None, seals=seals, exceptions=exceptions, initial=_defaults(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        entry = run_service(
            form,
            lambda: stamping_record(
                seal=data["seal"],
                procedure=data["procedure"],
                document=form.document(),
                exception=data["exception"],
                actor=request.user,
                form_token=data["form_token"],
            ),
        )
        if entry is not None:
            request.session["desk_last"] = {"seal": entry.seal_id, "requested_by": entry.requested_by}
            messages.success(
                request,
                _("Đã ghi sổ: {seal}, năm {year}, số {sequence}.").format(
                    seal=entry.seal.code, year=entry.year, sequence=entry.sequence
                ),
            )
            return redirect("seals:desk")
    procedures = procedures_for_seals(seals=seal_list, on=today).select_related(None).values_list("id", "code", "name")
    return render(
        request,
        "seals/desk.html",
        {
            "form": form,
            "seals": seal_list,
            # Built in Python: a template loop over 2,000 options costs tens of milliseconds.
            "procedure_options": format_html_join(
                "", '<option value="{} — {}">', ((code or f"#{pk}", name) for pk, code, name in procedures)
            ),
            "recent": stamping_recent_for(clerk=request.user),
            "today": today,
        },
    )


def _defaults(request) -> dict:
    """Sensible defaults at the desk: the seal and requester of the clerk's last entry."""
    last = request.session.get("desk_last") or {}
    return {"seal": last.get("seal"), "requested_by": last.get("requested_by", "")}


@role_required(*REGISTER_READERS)
@require_GET
def stamping_detail(request, pk: int):
    entry = get_object_or_404(
        StampingEntry.objects.select_related("seal__agency", "procedure", "clerk", "exception", "corrects", "checkout"),
        pk=pk,
    )
    corrections = entry.corrections.select_related("clerk").order_by("sequence")
    form = CorrectionForm() if request.user.has_role(Role.VAN_THU) else None
    return render(request, "seals/stamping_detail.html", {"entry": entry, "corrections": corrections, "form": form})


@role_required(Role.VAN_THU)
@require_POST
def stamping_correct_view(request, pk: int):
    entry = get_object_or_404(StampingEntry.objects.select_related("seal", "procedure"), pk=pk)
    form = CorrectionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        correction = run_service(
            form,
            lambda: stamping_correct(
                entry=entry,
                correction=data["correction"],
                reason=data["reason"],
                procedure=data["procedure"] or entry.procedure,
                document=form.changes(),
                actor=request.user,
            ),
        )
        if correction is not None:
            messages.success(request, _("Đã ghi mục đính chính số {sequence}.").format(sequence=correction.sequence))
            return redirect("seals:stamping_detail", pk=correction.pk)
    corrections = entry.corrections.select_related("clerk").order_by("sequence")
    return render(
        request, "seals/stamping_detail.html", {"entry": entry, "corrections": corrections, "form": form}, status=400
    )
