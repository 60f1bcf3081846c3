"""A dossier's report columns (issue 14): what the monthly series count, kept on every write that changes it.

The monthly series (`quality.quality_between`, `selectors.dossiers_per_month`) judged every dossier of
the span again on each read, the "digitised" figure with a subquery per dossier: 20–35 ms a year at
five-year volume, growing with the dossiers. Each dossier now carries its outcome, and the series are
one GROUP BY over the narrow index `dossier_report_month`, read without the table.

Who keeps what:
- `Dossier.save` fills the dossier's own (`OWN`), from its status and dates;
- a checklist item's or a scan version's save refreshes `digitised` (its papers and their scans);
- a rating's save copies its value into `rating_value`.
`report_fields_recompute` states every column's definition in SQL: the migration's backfill, and the
tests' proof that what was kept equals the definition.
"""

from django.apps import apps as django_apps
from django.db.models import BooleanField, Case, Exists, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce, Greatest, TruncDate, TruncMonth
from django.db.models.lookups import LessThanOrEqual
from django.utils import timezone

from .choices import DossierStatus
from .completion import HANDED_IN


class ReportOutcome:
    """`Dossier.report_outcome`: the report's "on time" (QĐ 766, `quality.on_time`) as far as it is known."""

    NOT_JUDGED = ""  # refused, or no appointment yet
    OPEN = "open"  # not yet ready and returned: late once the appointment day has passed
    ON_TIME = "on_time"
    LATE = "late"


OWN = ("received_month", "report_outcome", "report_due_day", "returned_on_time")
KEPT_BY_OTHER_ROWS = ("digitised", "rating_value")


def _local_day(moment):
    return timezone.localtime(moment, timezone.get_default_timezone()).date()


def own_fields_fill(dossier) -> None:
    """Set the dossier's own report columns from its status and dates (unsaved; `Dossier.save` calls it)."""
    dossier.received_month = _local_day(dossier.received_at).replace(day=1)
    appointment = dossier.original_due_at or dossier.due_at  # the receipt's, not a Mẫu 04 date
    dossier.report_due_day = _local_day(appointment) if appointment else None
    if dossier.status == DossierStatus.REFUSED or appointment is None:
        dossier.report_outcome = ReportOutcome.NOT_JUDGED
    elif dossier.returned_at is not None and dossier.result_ready_at is not None:
        done = _local_day(max(dossier.returned_at, dossier.result_ready_at))
        dossier.report_outcome = ReportOutcome.ON_TIME if done <= dossier.report_due_day else ReportOutcome.LATE
    else:
        dossier.report_outcome = ReportOutcome.OPEN
    returned = dossier.status == DossierStatus.RETURNED and dossier.returned_at and dossier.due_at
    dossier.returned_on_time = (dossier.returned_at <= dossier.due_at) if returned else None


def digitised_condition(apps=django_apps) -> Q:
    """Digitised (QĐ 766 "Số hóa hồ sơ"): the dossier's own PDF (online), or every paper handed in scanned
    at the counter (at least one paper handed in, and a scan of one)."""
    checklist_item = apps.get_model("registrations", "ChecklistItem")
    scan_version = apps.get_model("registrations", "ScanVersion")
    handed_in = checklist_item.objects.filter(dossier=OuterRef("pk"), state__in=HANDED_IN)
    scanned = Exists(scan_version.objects.filter(checklist_item=OuterRef("pk")))
    return Q(scan__gt="") | (
        Exists(scan_version.objects.filter(dossier=OuterRef("pk"), checklist_item__isnull=False))
        & Exists(handed_in)
        & ~Exists(handed_in.filter(~scanned))
    )


def _digitised(apps=django_apps) -> Case:
    return Case(When(digitised_condition(apps), then=Value(True)), default=Value(False), output_field=BooleanField())


def digitised_refresh(dossier_id: int) -> None:
    """After a change of the dossier's papers or scans: its `digitised` again, in one UPDATE.

    A derived column, excluded from the dossier's history (the paper's or the scan's own version records
    the change)."""
    model = django_apps.get_model("registrations", "Dossier")
    model.objects.filter(pk=dossier_id).update(digitised=_digitised())


def rating_copy(dossier_id: int, value: str) -> None:
    """After the dossier's one rating is saved: its value on the dossier (derived, not in its history)."""
    django_apps.get_model("registrations", "Dossier").objects.filter(pk=dossier_id).update(rating_value=value)


def report_fields_recompute(apps=django_apps) -> int:
    """Every dossier's report columns from their definitions, in one UPDATE (the backfill; the tests' check)."""
    dossier, rating = apps.get_model("registrations", "Dossier"), apps.get_model("registrations", "Rating")
    tz = timezone.get_default_timezone()
    due_day = TruncDate(Coalesce("original_due_at", "due_at"), tzinfo=tz)
    done_day = TruncDate(Greatest("returned_at", "result_ready_at"), tzinfo=tz)
    done = Q(returned_at__isnull=False, result_ready_at__isnull=False)
    returned = Q(status=DossierStatus.RETURNED, returned_at__isnull=False, due_at__isnull=False)
    return dossier.objects.update(
        received_month=TruncMonth(TruncDate("received_at", tzinfo=tz)),
        report_due_day=due_day,
        report_outcome=Case(
            When(Q(status=DossierStatus.REFUSED) | Q(original_due_at=None, due_at=None), then=Value("")),
            When(done & LessThanOrEqual(done_day, due_day), then=Value(ReportOutcome.ON_TIME)),
            When(done, then=Value(ReportOutcome.LATE)),
            default=Value(ReportOutcome.OPEN),
        ),
        returned_on_time=Case(
            When(returned & Q(returned_at__lte=F("due_at")), then=Value(True)),
            When(returned, then=Value(False)),
            default=None,
            output_field=BooleanField(null=True),
        ),
        digitised=_digitised(apps),
        rating_value=Coalesce(Subquery(rating.objects.filter(dossier=OuterRef("pk")).values("value")[:1]), Value("")),
    )
