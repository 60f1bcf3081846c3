"""Reads of the catalogue: what was in force on a date, and which decisions shaped it."""

from datetime import date, datetime

from django.core.paginator import Page, Paginator
from django.db.models import Count, F, Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.lookups import In

from tuson_hcc.core.kept_lists import kept_list

from .models import CatalogueChange, Procedure

_IN_FORCE = [str(a) for a in CatalogueChange.IN_FORCE_ACTIONS]
_ENDED = [str(a) for a in CatalogueChange.Action if a not in CatalogueChange.IN_FORCE_ACTIONS]


def _in_force() -> Q:
    """In force on the date: the last change is an addition or an amendment. Written as "neither a
    replacement nor an abolition" (no change yet, NULL, is neither): PostgreSQL then expects most
    procedures to pass and walks the list's index in order, where `IN` made it expect one in a hundred
    and sort two thousand names by collation, 2-3 ms of the catalogue page (issue 14)."""
    return ~Q(In(F("action_on"), _ENDED))


def _latest_change_on(on: date) -> QuerySet:
    return CatalogueChange.objects.filter(procedure=OuterRef("pk"), effective_on__lte=on).order_by(
        "-effective_on", "-id"
    )


def procedures_with_status(*, on: date) -> QuerySet:
    """Every procedure, annotated with `action_on` (its last change effective on or before `on`)
    and `replaced_by_on`; one query."""
    latest = _latest_change_on(on)
    return Procedure.objects.select_related("implementing_agency").annotate(
        action_on=Subquery(latest.values("action")[:1]),
        replaced_by_on=Subquery(latest.values("replaced_by")[:1]),
    )


def procedures_in_force(*, on: date) -> QuerySet:
    """The "5 tại chỗ" catalogue in force on `on` (Quy chế 157, Điều 3): one query."""
    return procedures_with_status(on=on).filter(_in_force())


def procedure_is_in_force(*, procedure: Procedure, on: date) -> bool:
    """Whether a seal may be used for this procedure on `on` (Điều 2.4, 7.3): one query."""
    action = (
        CatalogueChange.objects.filter(procedure=procedure, effective_on__lte=on)
        .order_by("-effective_on", "-id")
        .values_list("action", flat=True)
        .first()
    )
    return action in _IN_FORCE


def procedure_change_on(*, procedure: Procedure, on: date) -> CatalogueChange | None:
    """The change in effect on `on`: its snapshot is the procedure as it then stood."""
    return (
        CatalogueChange.objects.filter(procedure=procedure, effective_on__lte=on)
        .select_related("decision", "replaced_by")
        .order_by("-effective_on", "-id")
        .first()
    )


def procedure_decision_chain(*, procedure: Procedure) -> QuerySet:
    """Every decision that added, amended, replaced or abolished this procedure, oldest first."""
    return procedure.catalogue_changes.select_related("decision", "replaced_by").order_by("effective_on", "id")


def procedure_replacement_of(*, procedure: Procedure) -> QuerySet:
    """The procedures this one replaced."""
    return Procedure.objects.filter(catalogue_changes__replaced_by=procedure).distinct()


def procedure_search(*, text: str = "", field: str = "", agency=None, status: str = "in_force", on: date) -> QuerySet:
    """The catalogue list: diacritic-insensitive search ("dang ky con dau" finds "Đăng ký con dấu")."""
    from .models import search_key

    procedures = procedures_with_status(on=on)
    if status == "in_force":
        procedures = procedures.filter(_in_force())
    elif status == "not_in_force":
        procedures = procedures.exclude(action_on__in=_IN_FORCE)
    for word in search_key(text).split():
        procedures = procedures.filter(search_text__contains=word)
    if field:
        procedures = procedures.filter(field=field)
    if agency is not None:
        procedures = procedures.filter(implementing_agency=agency)
    return procedures.order_by("field", "name", "id")


def procedure_page(procedures: QuerySet, number, *, size: int, kept_as: str = "", token: str | None = None) -> Page:
    """A page of the catalogue list (`procedure_search`'s order): the matching ids first, in one query,
    counted by their length, then only the page's procedures with their status. A COUNT and then the
    page each worked out every procedure's status on the date (a subquery a procedure): twice the work.
    `kept_as`: the ids are kept by the process under that name while `token` holds (`core.kept_lists`)."""
    ids = procedures.values_list("id", flat=True)
    page = Paginator(kept_list(kept_as, ids, token) if kept_as else list(ids), size).get_page(number)
    shown = procedures.in_bulk(page.object_list)
    page.object_list = [shown[pk] for pk in page.object_list]
    return page


def catalogue_changes_per_month(*, start: date, end: date) -> list[tuple[date, str, int]]:
    """Catalogue changes taking effect each month, per action: the report series of issue 6."""
    from django.db.models import Count
    from django.db.models.functions import TruncMonth

    labels = dict(CatalogueChange.Action.choices)
    rows = (
        CatalogueChange.objects.filter(effective_on__gte=start, effective_on__lte=end)
        .annotate(month=TruncMonth("effective_on"))
        .values("month", "action")
        .annotate(count=Count("id"))
        .order_by("month", "action")
    )
    return [(row["month"], str(labels.get(row["action"], row["action"])), row["count"]) for row in rows]


def catalogue_last_change() -> tuple[str, datetime | None]:
    """A tag that changes with any change to the catalogue (a decision's entries, a procedure's wording),
    and when it last changed: for HTTP caching of lists built from it. Three small indexed queries."""
    changes = CatalogueChange.objects.aggregate(count=Count("id"), last=Max("id"))
    worded = Procedure.history.aggregate(at=Max("history_date"), last=Max("history_id"))
    decided = CatalogueChange.history.aggregate(at=Max("history_date"), last=Max("history_id"))
    tag = f"{changes['count']}.{changes['last']}.{worded['last']}.{decided['last']}"
    return tag, max((at for at in (worded["at"], decided["at"]) if at is not None), default=None)
