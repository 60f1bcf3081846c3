"""The Văn thư's desk: record a stamping from the keyboard, see the last ones, correct one."""

import hashlib

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import http_date, quote_etag
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from procedures.selectors import catalogue_last_change
from tuson_hcc.accounts.permissions import role_required
from tuson_hcc.accounts.roles import Role
from tuson_hcc.workdays.calendar import day_start

from ..forms import DOCUMENT_TYPES, CorrectionForm, StampingForm, procedure_label
from ..models import Seal, StampingEntry
from ..selectors import (
    STAMPING_DETAIL_RELATED,
    exceptions_usable,
    seal_procedure_options,
    stamping_corrections,
    stamping_recent_for,
)
from ..services.common import seals_in_custody_of
from ..services.stamping import stamping_correct, stamping_record
from .common import REGISTER_READERS, run_service


@role_required(Role.VAN_THU)
@require_http_methods(["GET", "POST"])
def stamping_desk(request):
    """The desk page stays small: procedure suggestions come per seal from `seal_procedures`, cached by the browser."""
    form = StampingForm(request.POST or None, initial=_defaults(request))
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
            remembered = _remembered(data)
            if request.session.get("desk_last") != remembered:  # a batch at one seal writes no session
                request.session["desk_last"] = remembered
            messages.success(
                request,
                _("Đã ghi sổ: {seal}, năm {year}, số {sequence}.").format(
                    seal=data["seal"].code, year=entry.year, sequence=entry.sequence
                ),
            )
            return redirect("seals:desk")
    seal_list = list(seals_in_custody_of(request.user))
    form.offer(seals=seal_list, exceptions=exceptions_usable(seals=seal_list, on=timezone.localdate()))
    return render(
        request,
        "seals/desk.html",
        {
            "form": form,
            "seals": seal_list,
            "document_types": DOCUMENT_TYPES,
            "recent": stamping_recent_for(clerk=request.user),
        },
    )


def _remembered(data: dict) -> dict:
    """What the next stamping starts from: the seal and requester; the signer too for a batch ("same signer")."""
    last = {"seal": data["seal"].pk, "requested_by": data["requested_by"]}
    if data.get("keep_signer"):
        last.update(keep_signer=True, signer_name=data["signer_name"], signer_position=data["signer_position"])
    return last


def _defaults(request) -> dict:
    last = request.session.get("desk_last") or {}
    keys = ("seal", "requested_by", "keep_signer", "signer_name", "signer_position")
    return {key: last[key] for key in keys if key in last}


@role_required(Role.VAN_THU, Role.CONG_CHUC)
@require_GET
def seal_procedures(request, pk: int):
    """The catalogue procedures one seal may stamp today, as JSON for the desk and the off-site form.

    Revalidated on every use (no-cache) and answered 304 while the catalogue, the day and the seal's agencies
    are unchanged: the desk no longer re-sends every suggestion after each stamping.
    """
    seal = get_object_or_404(Seal.objects.prefetch_related("serves_agencies"), pk=pk)
    today = timezone.localdate()
    tag, changed_at = catalogue_last_change()
    served = sorted(seal.agency_ids_served())
    etag = hashlib.sha256(f"{seal.pk}|{served}|{today.isoformat()}|{tag}".encode()).hexdigest()[:24]
    # In force "today": the list may change at midnight without any new row.
    last_modified = max(filter(None, (changed_at, day_start(today)))).timestamp()
    etag = quote_etag(etag)
    headers = {"ETag": etag, "Last-Modified": http_date(last_modified), "Cache-Control": "private, no-cache"}
    not_modified = get_conditional_response(request, etag=etag, last_modified=int(last_modified))
    if not_modified is not None:
        for name, value in headers.items():
            not_modified[name] = value
        return not_modified
    rows = seal_procedure_options(seal=seal, on=today)
    procedures = [{"id": id_, "label": procedure_label(code, name)} for id_, code, name in rows]
    response = JsonResponse(
        {"seal": seal.pk, "procedures": procedures},
        json_dumps_params={"ensure_ascii": False, "separators": (",", ":")},
    )
    for name, value in headers.items():
        response[name] = value
    return response


@role_required(*REGISTER_READERS)
@require_GET
def stamping_detail(request, pk: int):
    entry = get_object_or_404(StampingEntry.objects.select_related(*STAMPING_DETAIL_RELATED), pk=pk)
    corrections = stamping_corrections(entry=entry)
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
    corrections = stamping_corrections(entry=entry)
    return render(
        request, "seals/stamping_detail.html", {"entry": entry, "corrections": corrections, "form": form}, status=400
    )
