"""Reads of the history (DESIGN.md section 5): the merged list, one record's timeline, exports.

The list reads `HistoryIndex` (one row per version of every tracked model, kept by triggers):
one keyset query, `ORDER BY at DESC, id DESC LIMIT n+1` on the index that matches the filter,
whatever the number of tracked models (issue 14). Only the versions shown are then loaded:
one query per model present on the page for the rows, one for their previous versions, and
one per related model for the names. No OFFSET and no COUNT.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db.models import OuterRef, Q, Subquery
from django.urls import reverse
from django.utils.translation import gettext

from tuson_hcc.core.keyset import Cursor, keyset_after
from tuson_hcc.workdays.calendar import day_start

from .catalog import HISTORY_TYPES, TrackedModel, tracked_model, tracked_models
from .display import EMPTY, RelatedCache, record_label, value_display
from .models import HistoryIndex

PAGE_SIZE = 50
EXPORT_CHUNK = 1000


@dataclass(frozen=True)
class HistoryFilter:
    """What the auditor asked for; every part is optional and they combine (AND)."""

    model_label: str = ""
    object_id: str = ""
    user_id: int | None = None
    reason: str = ""
    history_type: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None

    def sources(self) -> list[TrackedModel]:
        if self.model_label:
            tracked = tracked_model(self.model_label)
            return [tracked] if tracked else []
        return tracked_models()


@dataclass
class FieldChange:
    label: str
    old: str
    new: str
    technical: bool = False  # a hash: shown to auditors behind a "details" toggle, not in the running text


@dataclass
class HistoryEntry:
    """One row of the history list: who, when, why, what changed, human-readable."""

    tracked: TrackedModel
    row: object
    previous: object | None = None
    record: str = ""
    user: str = ""
    changes: list[FieldChange] = field(default_factory=list)

    @property
    def at(self) -> dt.datetime:
        return self.row.history_date

    @property
    def history_id(self) -> int:
        return self.row.history_id

    @property
    def object_id(self):
        return getattr(self.row, self.tracked.pk_attname)

    @property
    def history_type(self) -> str:
        return self.row.history_type

    @property
    def action(self) -> str:
        return str(HISTORY_TYPES.get(self.row.history_type, self.row.history_type))

    @property
    def reason(self) -> str:
        return self.row.history_change_reason or ""

    @property
    def timeline_url(self) -> str:
        return reverse("history:timeline", args=[self.tracked.label, self.object_id])

    cursor: Cursor | None = None

    def changes_text(self) -> str:
        return "; ".join(f"{c.label}: {c.old} → {c.new}" for c in self.changes)


@dataclass
class HistoryPage:
    entries: list[HistoryEntry]
    next_cursor: Cursor | None


# --- filtering --------------------------------------------------------------------------------


def _index_rows(criteria: HistoryFilter, cursor: Cursor | None, limit: int) -> list[HistoryIndex]:
    """The index rows matching `criteria` after `cursor`, newest first."""
    rows = HistoryIndex.objects.all()
    if criteria.model_label:
        if tracked_model(criteria.model_label) is None:
            return []
        rows = rows.filter(label=criteria.model_label.lower())
    if criteria.object_id:
        rows = rows.filter(object_id=criteria.object_id)
    if criteria.user_id:
        rows = rows.filter(user_id=criteria.user_id)
    if criteria.reason:
        rows = rows.filter(reason=criteria.reason)
    if criteria.history_type:
        rows = rows.filter(history_type=criteria.history_type)
    if criteria.date_from:
        rows = rows.filter(at__gte=day_start(criteria.date_from))
    if criteria.date_to:
        rows = rows.filter(at__lt=day_start(criteria.date_to + dt.timedelta(days=1)))
    return list(rows.filter(keyset_after(cursor, at_field="at")).order_by("-at", "-id")[:limit])


def _versions(index_rows: list[HistoryIndex]) -> list[tuple[TrackedModel, object, HistoryIndex]]:
    """The historical rows behind `index_rows`, in their order: one query per model present."""
    wanted = defaultdict(list)
    for row in index_rows:
        wanted[row.label].append(row.history_id)
    found = {}
    for label, ids in wanted.items():
        tracked = tracked_model(label)
        if tracked is None:
            continue
        for version in tracked.history_model._base_manager.filter(history_id__in=ids):
            found[(label, version.history_id)] = (tracked, version)
    return [(*found[(r.label, r.history_id)], r) for r in index_rows if (r.label, r.history_id) in found]


# --- diffs ------------------------------------------------------------------------------------


def _previous_versions(tracked: TrackedModel, rows: list) -> dict[int, object]:
    """history_id -> the version just before it of the same record, in one query."""
    history = tracked.history_model._base_manager
    pk = tracked.pk_attname
    older = (
        history.filter(**{pk: OuterRef(pk)}, history_date__lte=OuterRef("history_date"))
        .filter(
            Q(history_date__lt=OuterRef("history_date"))
            | Q(history_date=OuterRef("history_date"), history_id__lt=OuterRef("history_id"))
        )
        .order_by("-history_date", "-history_id")
        .values("history_id")[:1]
    )
    ids = [row.history_id for row in rows]
    previous_ids = history.filter(history_id__in=ids).annotate(previous=Subquery(older)).values("previous")
    by_record = defaultdict(list)
    for candidate in history.filter(history_id__in=previous_ids):
        by_record[getattr(candidate, pk)].append(candidate)
    found = {}
    for row in rows:
        position = (row.history_date, row.history_id)
        earlier = [c for c in by_record.get(getattr(row, pk), ()) if (c.history_date, c.history_id) < position]
        if earlier:
            found[row.history_id] = max(earlier, key=lambda c: (c.history_date, c.history_id))
    return found


def _changes(tracked: TrackedModel, row, previous, related: RelatedCache) -> list[FieldChange]:
    changes = []
    for f in tracked.diff_fields:
        new = getattr(row, f.attname)
        old = getattr(previous, f.attname) if previous is not None else None
        if previous is not None and old == new:
            continue
        if previous is None and (new is None or new == "" or row.history_type == "-"):
            continue
        shown_new = value_display(f, new, related)
        changes.append(
            FieldChange(
                label=gettext(str(f.verbose_name)),
                old=value_display(f, old, related) if previous is not None else EMPTY,
                new=shown_new,
                technical=f.attname.endswith(("sha256", "_hash")),
            )
        )
    return changes


def _enrich(pairs: list[tuple[TrackedModel, object]], previous: dict[tuple[str, int], object]) -> list[HistoryEntry]:
    """Turn (model, historical row) pairs into entries: related objects loaded in bulk, diffs computed."""
    related = RelatedCache()
    from tuson_hcc.accounts.models import User

    for tracked, row in pairs:
        related.want(User, row.history_user_id)
        related.want_row(tracked.relation_fields, row)
        before = previous.get((tracked.label, row.history_id))
        if before is not None:
            related.want_row(tracked.relation_fields, before)
    related.load()
    entries = []
    for tracked, row in pairs:
        before = previous.get((tracked.label, row.history_id))
        entry = HistoryEntry(tracked=tracked, row=row, previous=before)
        entry.record = record_label(tracked, row, related)
        entry.user = related.label(User, row.history_user_id) if row.history_user_id else gettext("(hệ thống)")
        entry.changes = _changes(tracked, row, before, related)
        entries.append(entry)
    return entries


def _enrich_with_previous(pairs: list[tuple[TrackedModel, object]]) -> list[HistoryEntry]:
    by_model = defaultdict(list)
    for tracked, row in pairs:
        by_model[tracked].append(row)
    previous = {}
    for tracked, rows in by_model.items():
        for history_id, before in _previous_versions(tracked, rows).items():
            previous[(tracked.label, history_id)] = before
    return _enrich(pairs, previous)


# --- public reads -----------------------------------------------------------------------------


def history_page(*, criteria: HistoryFilter, cursor: Cursor | None = None, size: int = PAGE_SIZE) -> HistoryPage:
    """One page of the history list, newest first, after `cursor`."""
    index_rows = _index_rows(criteria, cursor, size + 1)
    shown = _versions(index_rows[:size])
    entries = _enrich_with_previous([(tracked, version) for tracked, version, _ in shown])
    for entry, (_, _, index_row) in zip(entries, shown, strict=True):
        entry.cursor = Cursor(at=index_row.at, label="", id=index_row.id)
    if len(index_rows) <= size:
        return HistoryPage(entries=entries, next_cursor=None)
    last = index_rows[size - 1]
    return HistoryPage(entries=entries, next_cursor=Cursor(at=last.at, label="", id=last.id))


def history_stream(*, criteria: HistoryFilter, chunk: int = EXPORT_CHUNK) -> Iterator[HistoryEntry]:
    """Every entry matching `criteria`, in the list's order, in bounded memory (for exports)."""
    cursor = None
    while True:
        index_rows = _index_rows(criteria, cursor, chunk)
        shown = _versions(index_rows)
        yield from _enrich_with_previous([(tracked, version) for tracked, version, _ in shown])
        if len(index_rows) < chunk:
            return
        cursor = Cursor(at=index_rows[-1].at, label="", id=index_rows[-1].id)


def history_timeline(
    *, tracked: TrackedModel, object_id, cursor: Cursor | None = None, size: int = PAGE_SIZE
) -> HistoryPage:
    """Every version of one record, newest first; each version's diff is against the next row."""
    where = Q(**{tracked.pk_attname: object_id}) & keyset_after(cursor, at_field="history_date", id_field="history_id")
    rows = list(tracked.history_model._base_manager.filter(where).order_by("-history_date", "-history_id")[: size + 1])
    shown = rows[:size]
    previous = {(tracked.label, row.history_id): older for row, older in zip(shown, rows[1:], strict=False)}
    entries = _enrich([(tracked, row) for row in shown], previous)
    last = entries[-1] if entries else None
    next_cursor = Cursor(at=last.at, label=tracked.label, id=last.history_id) if last and len(rows) > size else None
    return HistoryPage(entries=entries, next_cursor=next_cursor)


def history_count_since(*, since: dt.datetime) -> int:
    """Changes recorded since `since` across every table: one index range, for the dashboard."""
    return HistoryIndex.objects.filter(at__gte=since).count()
