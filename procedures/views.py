from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from tuson_hcc.documents.serving import private_file_response

from .filters import ProcedureFilterSet
from .forms import AsOfForm
from .models import CatalogueChange, Decision, Procedure
from .selectors import (
    procedure_change_on,
    procedure_decision_chain,
    procedure_page,
    procedure_replacement_of,
)

PAGE_SIZE = 50


@require_GET
def procedure_list(request):
    filters = ProcedureFilterSet(request.GET, request=request)
    criteria = filters.criteria()
    kept_as, token = filters.kept_page()
    page = procedure_page(filters.qs, request.GET.get("page"), size=PAGE_SIZE, kept_as=kept_as, token=token)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "procedures/procedure_list.html",
        {
            "filter": filters,
            "page": page,
            "on": criteria["on"],
            "query": query.urlencode(),
            "in_force_actions": [str(a) for a in CatalogueChange.IN_FORCE_ACTIONS],
        },
    )


@require_GET
def procedure_detail(request, pk: int):
    procedure = get_object_or_404(Procedure.objects.select_related("implementing_agency"), pk=pk)
    form = AsOfForm(request.GET or None)
    on = form.cleaned_data.get("on") if form.is_valid() else None
    on = on or timezone.localdate()
    change_on = procedure_change_on(procedure=procedure, on=on)
    in_force = change_on is not None and change_on.action in CatalogueChange.IN_FORCE_ACTIONS
    return render(
        request,
        "procedures/procedure_detail.html",
        {
            "procedure": procedure,
            "form": form,
            "on": on,
            "change_on": change_on,
            "in_force": in_force,
            "chain": procedure_decision_chain(procedure=procedure),
            "replaces": procedure_replacement_of(procedure=procedure),
        },
    )


@require_GET
def decision_list(request):
    decisions = Decision.objects.order_by("-effective_on", "-id")
    page = Paginator(decisions, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "procedures/decision_list.html", {"page": page})


@require_GET
def decision_detail(request, pk: int):
    decision = get_object_or_404(Decision, pk=pk)
    changes = decision.changes.select_related("procedure", "procedure__implementing_agency", "replaced_by").order_by(
        "action", "procedure__name"
    )
    page = Paginator(changes, 100).get_page(request.GET.get("page"))
    return render(request, "procedures/decision_detail.html", {"decision": decision, "page": page})


@require_GET
def decision_scan(request, pk: int):
    """The scanned decision, only to signed-in users (never a public media URL)."""
    decision = get_object_or_404(Decision, pk=pk)
    if not decision.scan:
        raise Http404("Quyết định chưa có bản scan.")
    return private_file_response(
        request,
        decision.scan,
        about=decision,
        filename=decision.scan.name.rsplit("/", 1)[-1],
        detail=f"Bản scan quyết định {decision}",
    )
