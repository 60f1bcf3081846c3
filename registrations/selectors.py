"""Reads of the intake: checklists, the dossier lists, the dashboard and the timeline."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tuson_hcc.documents.models import IssuedDocument
from tuson_hcc.notifications.models import OutboundMessage
from tuson_hcc.workdays.calendar import day_start

from .choices import DossierStatus
from .models import Dossier, HandoverEntry, OrganisationType, RequiredDocument, dossier_due_today, dossier_overdue

LIST_VIEWS = {
    "today": _("Nhận hôm nay"),
    "due_today": _("Đến hạn trả hôm nay"),
    "overdue": _("Quá hạn"),
    "open": _("Đang giải quyết"),
    "all": _("Tất cả"),
}


def organisation_types_active() -> QuerySet:
    return OrganisationType.objects.filter(is_active=True).order_by("order", "code")


def required_documents_for(organisation_type: OrganisationType) -> list[RequiredDocument]:
    """The dossier list for one type (Thủ tục mục c): the person sent's papers, then the type's own."""
    return list(
        RequiredDocument.objects.filter(is_active=True)
        .filter(Q(organisation_type__isnull=True) | Q(organisation_type=organisation_type))
        .order_by(F("organisation_type_id").asc(nulls_first=True), "order", "id")
    )


def _day_bounds(day: date) -> tuple[datetime, datetime]:
    start = day_start(day)
    return start, start + timedelta(days=1)


def dossier_list(*, view: str = "all", status: str = "", text: str = "", now: datetime | None = None) -> QuerySet:
    """Dossiers for the list page, newest first; each filter is served by an index (received_at, status+due_date)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    dossiers = Dossier.objects.select_related("organisation_type")
    if view == "today":
        start, end = _day_bounds(today)
        dossiers = dossiers.filter(received_at__gte=start, received_at__lt=end)
    elif view == "due_today":
        dossiers = dossiers.filter(dossier_due_today(now))
    elif view == "overdue":
        dossiers = dossiers.filter(dossier_overdue(now))
    elif view == "open":
        dossiers = dossiers.filter(
            status__in=[
                DossierStatus.RECEIVED,
                DossierStatus.INCOMPLETE,
                DossierStatus.ACCEPTED,
                DossierStatus.RESULT_READY,
            ]
        )
    if status in DossierStatus.values:
        dossiers = dossiers.filter(status=status)
    text = text.strip()
    if text:
        # Mã hồ sơ is the usual search at the counter (exact or prefix); else the organisation's name.
        dossiers = dossiers.filter(Q(code__istartswith=text) | Q(organisation_name__icontains=text))
    return dossiers.order_by("-id")


def dashboard_counts(*, now: datetime | None = None) -> dict:
    """Today's intake, waiting, due later today, overdue and result ready, for the panels on `/`: one query
    over the dossiers received today or still in hand (their indexes; never the returned years)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    start, end = _day_bounds(today)
    received_today = Q(received_at__gte=start, received_at__lt=end)
    in_hand = [DossierStatus.RECEIVED, DossierStatus.ACCEPTED, DossierStatus.RESULT_READY]
    return Dossier.objects.filter(received_today | Q(status__in=in_hand)).aggregate(
        today=Count("pk", filter=received_today),
        due_today=Count("pk", filter=dossier_due_today(now)),
        overdue=Count("pk", filter=dossier_overdue(now)),
        waiting=Count("pk", filter=Q(status=DossierStatus.RECEIVED)),
        result_ready=Count("pk", filter=Q(status=DossierStatus.RESULT_READY)),
    )


def dossier_documents(dossier: Dossier) -> list[IssuedDocument]:
    content_type = ContentType.objects.get_for_model(Dossier)
    return list(
        IssuedDocument.objects.filter(content_type=content_type, object_id=str(dossier.pk))
        .select_related("issued_by")
        .order_by("issued_at", "id")
    )


@dataclass(frozen=True)
class TimelineEvent:
    at: datetime
    what: str
    who: str
    detail: str = ""
    document: IssuedDocument | None = None


def dossier_timeline(
    dossier: Dossier, documents: list[IssuedDocument], handovers: list[HandoverEntry], messages: list[OutboundMessage]
) -> list[TimelineEvent]:
    """The dossier's life from its history (each action and who did it), its documents, the handover book's
    lines and the messages about it (the lists the detail page shows too, read once)."""
    events = [
        TimelineEvent(
            at=row.history_date,
            what=row.history_change_reason or {"+": "tạo", "~": "cập nhật", "-": "xóa"}[row.history_type],
            who=str(row.history_user) if row.history_user else "Người nộp (trực tuyến)",
            detail=DossierStatus(row.status).label,
        )
        for row in dossier.history.select_related("history_user").order_by("history_date", "history_id")
    ]
    events += [
        TimelineEvent(
            at=d.issued_at, what=f"phát hành {d.title}", who=str(d.issued_by), detail=f"số {d.number}", document=d
        )
        for d in documents
    ]
    events += [
        TimelineEvent(
            at=e.recorded_at,
            what="ghi sổ giao nhận con dấu",
            who=str(e.handed_by),
            detail=f"{e.chain_key} #{e.sequence}, người nhận {e.recipient_name}",
        )
        for e in handovers
    ]
    events += [
        TimelineEvent(
            at=m.sent_at or m.created_at,
            what=f"{'gửi thư điện tử' if m.channel == 'email' else 'gửi tin nhắn SMS'} tới {m.recipient}"
            + (" (gửi lại)" if m.resend_of_id else ""),
            who=str(m.created_by) if m.created_by else "hệ thống",
            detail=m.get_status_display() + (f": {m.last_error[:120]}" if m.status == "failed" else ""),
        )
        for m in messages
    ]
    return sorted(events, key=lambda e: e.at)


def handover_entries_between(*, start: date, end: date) -> QuerySet:
    """The handover book's lines recorded from `start` to `end` inclusive, in book order."""
    first, _end = _day_bounds(start)
    _start, last = _day_bounds(end)
    return (
        HandoverEntry.objects.filter(recorded_at__gte=first, recorded_at__lt=last)
        .select_related("handed_by")
        .order_by("chain_key", "sequence")
    )


def register_dossiers_between(*, start: date, end: date) -> QuerySet:
    """Mẫu 06: the dossiers received from `start` to `end` inclusive, one line each."""
    first, _end = _day_bounds(start)
    _start, last = _day_bounds(end)
    return Dossier.objects.filter(received_at__gte=first, received_at__lt=last).order_by("received_at", "id")


def dossiers_per_month(*, start, end) -> list[tuple]:
    """Dossiers per month of receipt: received, refused, returned on time or late, overdue (issue 6 reports)."""
    begin, stop = day_start(start), day_start(end + timedelta(days=1))
    rows = (
        Dossier.objects.filter(
            received_month__gte=start.replace(day=1),
            received_month__lte=end,
            received_at__gte=begin,
            received_at__lt=stop,
        )
        .values("received_month")
        .annotate(
            # From the index `dossier_report_month` alone (issue 14): `returned_on_time` is kept on write
            # as "returned, and not later than due_at" (report_fields).
            received=Count("received_at"),
            refused=Count("received_at", filter=Q(status=DossierStatus.REFUSED)),
            on_time=Count("received_at", filter=Q(returned_on_time=True)),
            late=Count("received_at", filter=Q(returned_on_time=False)),
            overdue=Count("received_at", filter=dossier_overdue(timezone.now())),
        )
        .order_by("received_month")
    )
    return [
        (row["received_month"], label, row[key]) for row in rows for key, label in DOSSIER_FIGURES.items() if row[key]
    ]


DOSSIER_FIGURES = {
    "received": "nhận",
    "refused": "từ chối",
    "on_time": "trả đúng hạn",
    "late": "trả muộn",
    "overdue": "quá hạn, chưa trả",
}
