"""The history list, one record's timeline, and their exports (issue 6). Auditors only read here."""

from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import render
from django.views.decorators.http import require_GET

from tuson_hcc.accounts.permissions import role_required
from tuson_hcc.accounts.roles import Role
from tuson_hcc.core.exports import FORMATS, export_response, local_text
from tuson_hcc.core.keyset import BadCursor, Cursor

from .catalog import tracked_model
from .filters import HistoryFilterSet
from .selectors import HistoryFilter, HistoryPage, history_page, history_stream, history_timeline

AUDITORS = (Role.KIEM_TRA, Role.GIAM_DOC)

HISTORY_HEADER = [
    "Thời điểm",
    "Loại bản ghi",
    "Mã loại",
    "Mã bản ghi",
    "Bản ghi",
    "Thay đổi",
    "Người thực hiện",
    "Lý do / thao tác",
    "Nội dung thay đổi",
]


def _cursor(request) -> Cursor | None:
    try:
        return Cursor.decode(request.GET.get("after"))
    except BadCursor as error:
        raise Http404("Con trỏ trang không hợp lệ.") from error


def _query_without(request, *names) -> str:
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


def _refuse_invalid(filters):
    errors = "; ".join(f"{k}: {' '.join(v)}" for k, v in filters.form.errors.items())
    return HttpResponseBadRequest(f"Bộ lọc không hợp lệ: {errors}", content_type="text/plain; charset=utf-8")


def _rows(entries):
    for e in entries:
        yield [
            local_text(e.at),
            e.tracked.verbose_name,
            e.tracked.label,
            str(e.object_id),
            e.record,
            e.action,
            e.user,
            e.reason,
            e.changes_text(),
        ]


@require_GET
@role_required(*AUDITORS)
def history_list(request):
    """`/history/`: every change to every business record, filtered, newest first."""
    filters = HistoryFilterSet(request.GET, request=request)
    # An invalid filter shows its errors, never unfiltered rows.
    valid = filters.is_valid()
    page = (
        history_page(criteria=filters.history_filter(), cursor=_cursor(request), people=filters.people())
        if valid
        else HistoryPage([], None)
    )
    return render(
        request,
        "history/history_list.html",
        {
            "filter": filters,
            "page": page,
            "query": _query_without(request, "after"),
            "is_first_page": not request.GET.get("after"),
        },
    )


@require_GET
@role_required(*AUDITORS)
def history_export(request, fmt: str):
    """The history list's filter, every matching row, as CSV or XLSX."""
    if fmt not in FORMATS:
        raise Http404
    filters = HistoryFilterSet(request.GET, request=request)
    if not filters.is_valid():
        return _refuse_invalid(filters)
    return export_response(
        fmt, name="lich-su", header=HISTORY_HEADER, rows=_rows(history_stream(criteria=filters.history_filter()))
    )


def _timeline_target(label: str, pk: str):
    tracked = tracked_model(label)
    if tracked is None:
        raise Http404("Không có loại bản ghi này.")
    try:
        object_id = tracked.model._meta.pk.to_python(pk)
    except Exception as error:
        raise Http404("Mã bản ghi không hợp lệ.") from error
    return tracked, object_id


@require_GET
@role_required(*AUDITORS)
def timeline(request, label: str, pk: str):
    """`/history/<app_label>.<model>/<pk>/`: every version of one record with its diff."""
    tracked, object_id = _timeline_target(label, pk)
    page = history_timeline(tracked=tracked, object_id=object_id, cursor=_cursor(request))
    record = None
    if not page.entries and not request.GET.get("after"):
        # A record loaded in bulk (demo data, an import) exists without versions: its page links here,
        # so the timeline says so instead of "not found". A record that does not exist is still a 404.
        record = tracked.model._base_manager.filter(pk=object_id).first()
        if record is None:
            raise Http404("Không có bản ghi này.")
    return render(
        request,
        "history/timeline.html",
        {
            "tracked": tracked,
            "object_id": object_id,
            "title": page.entries[0].record if page.entries else str(record or f"#{object_id}"),
            "page": page,
            "query": _query_without(request, "after"),
            "is_first_page": not request.GET.get("after"),
        },
    )


@require_GET
@role_required(*AUDITORS)
def timeline_export(request, label: str, pk: str, fmt: str):
    if fmt not in FORMATS:
        raise Http404
    tracked, object_id = _timeline_target(label, pk)
    criteria = HistoryFilter(model_label=tracked.label, object_id=str(object_id))
    name = f"lich-su-{tracked.label.replace('.', '-')}-{object_id}"
    return export_response(fmt, name=name, header=HISTORY_HEADER, rows=_rows(history_stream(criteria=criteria)))
