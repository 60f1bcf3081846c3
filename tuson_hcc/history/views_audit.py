"""The access log, the ledgers page with "verify now", and the monthly reports (issue 6)."""

import datetime as dt

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tuson_hcc.accounts.permissions import role_required
from tuson_hcc.core.errors import BusinessRuleError
from tuson_hcc.core.exports import FORMATS, export_response, local_text

from .access import AccessPage, access_event_page, access_event_stream
from .display import RelatedCache, value_display
from .filters import AccessFilterSet
from .forms import PeriodForm, VerifyForm
from .ledgers import ledger_model, ledger_overview, ledger_verifications_recent
from .reports import reports_for
from .services import ledger_verification_start
from .views import AUDITORS, _cursor, _query_without, _refuse_invalid

ACCESS_HEADER = ["Thời điểm", "Loại sự kiện", "Tên đăng nhập", "Địa chỉ IP", "Trình duyệt", "Đối tượng", "Chi tiết"]


@require_GET
@role_required(*AUDITORS)
def access_log(request):
    """`/history/access/`: logins (success, failure, IP), document reads, QR verifications."""
    filters = AccessFilterSet(request.GET, request=request)
    valid = filters.is_valid()
    page = (
        access_event_page(criteria=filters.access_filter(), cursor=_cursor(request)) if valid else AccessPage([], None)
    )
    return render(
        request,
        "history/access_log.html",
        {
            "filter": filters,
            "page": page,
            "query": _query_without(request, "after"),
            "is_first_page": not request.GET.get("after"),
        },
    )


def _object_text(event) -> str:
    if not event.content_type_id:
        return ""
    model = event.content_type.model_class()
    kind = _(str(model._meta.verbose_name)) if model else event.content_type.model
    return f"{kind} #{event.object_id}"


@require_GET
@role_required(*AUDITORS)
def access_export(request, fmt: str):
    if fmt not in FORMATS:
        raise Http404
    filters = AccessFilterSet(request.GET, request=request)
    if not filters.is_valid():
        return _refuse_invalid(filters)
    rows = (
        [local_text(e.at), e.get_kind_display(), e.username, e.ip or "", e.user_agent, _object_text(e), e.detail]
        for e in access_event_stream(criteria=filters.access_filter())
    )
    return export_response(fmt, name="nhat-ky-truy-cap", header=ACCESS_HEADER, rows=rows)


@require_GET
@role_required(*AUDITORS)
def ledgers(request):
    """`/history/ledgers/`: every ledger and chain (length, last hash) and the past checks."""
    return render(
        request,
        "history/ledgers.html",
        {"ledgers": ledger_overview(), "verifications": ledger_verifications_recent(), "form": VerifyForm()},
    )


@require_POST
@role_required(*AUDITORS)
def ledger_verify(request):
    """ "Kiểm tra ngay": the same check as `manage.py verify_ledgers`, run by the worker and recorded
    with who ran it; the page follows its progress."""
    form = VerifyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Sổ không hợp lệ."))
        return redirect("history:ledgers")
    try:
        run = ledger_verification_start(actor=request.user, ledger=form.cleaned_data["ledger"])
    except BusinessRuleError as error:
        messages.error(request, error.message)
        return redirect("history:ledgers")
    return redirect("jobs:run", pk=run.pk)


def _chain_rows(model, chain_key: str):
    fields = [model._meta.get_field(name) for name in model.chained_fields]
    relations = [f for f in fields if f.many_to_one or f.one_to_one]
    batch = []

    def flush(entries):
        related = RelatedCache()
        for entry in entries:
            related.want_row(relations, entry)
        related.load()
        for entry in entries:
            yield [
                entry.sequence,
                local_text(entry.recorded_at),
                entry.corrects_id or "",
                *[value_display(f, getattr(entry, f.attname), related) for f in fields],
                entry.previous_hash,
                entry.entry_hash,
            ]

    for entry in model.objects.filter(chain_key=chain_key).order_by("sequence").iterator(chunk_size=2000):
        batch.append(entry)
        if len(batch) == 2000:
            yield from flush(batch)
            batch = []
    yield from flush(batch)


@require_GET
@role_required(*AUDITORS)
def ledger_export(request, fmt: str):
    """One chain (`?ledger=<label>&chain=<key>`) as CSV or XLSX, oldest entry first."""
    model = ledger_model(request.GET.get("ledger", ""))
    chain_key = request.GET.get("chain", "")
    if fmt not in FORMATS or model is None or not chain_key:
        raise Http404("Không có sổ hoặc chuỗi này.")
    header = [
        "Số thứ tự",
        "Thời điểm ghi",
        "Đính chính cho mục",
        *[str(model._meta.get_field(n).verbose_name) for n in model.chained_fields],
        "Mã băm mục trước",
        "Mã băm",
    ]
    name = f"so-{model._meta.label_lower.replace('.', '-')}-{chain_key.replace(':', '-')}"[:80]
    return export_response(fmt, name=name, header=header, rows=_chain_rows(model, chain_key))


@require_GET
@role_required(*AUDITORS)
def reports(request):
    """`/history/reports/`: the registered monthly series, a table and a bar chart each."""
    form = PeriodForm(request.GET or None)
    today = timezone.localdate()
    data = form.cleaned_data if form.is_valid() else {}
    end = data.get("date_to") or today
    start = data.get("date_from") or (end.replace(day=1) - dt.timedelta(days=335)).replace(day=1)
    if (end - start).days > 366 * 5:
        start = end - dt.timedelta(days=366 * 5)
    return render(
        request,
        "history/reports.html",
        {"form": form, "start": start, "end": end, "reports": reports_for(request.user, start=start, end=end)},
    )
