"""Reads of the history (DESIGN.md section 5): the merged list, one record's timeline, exports.

No UNION and no COUNT: each historical table is asked for its own newest rows after the cursor
(`ORDER BY history_date DESC, history_id DESC LIMIT n+1`, an index seek), and the tables are
merged in Python. The order is (history_date desc, model label asc, history_id desc), total and
stable, so a cursor names an exact place. Diffs need each row's previous version: one query per
model on the page; related objects are then loaded in one query per related model.
"""

import datetime as dt
import heapq
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db.models import OuterRef, Q, Subquery
from django.urls import reverse

from tuson_hcc.core.keyset import Cursor, keyset_after
from tuson_hcc.workdays.calendar import day_start

from .catalog import HISTORY_TYPES, TrackedModel, tracked_model, tracked_models
from .display import EMPTY, RelatedCache, record_label, value_display

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
        return HISTORY_TYPES.get(self.row.history_type, self.row.history_type)

    @property
    def reason(self) -> str:
        return self.row.history_change_reason or ""

    @property
    def timeline_url(self) -> str:
        return reverse("history:timeline", args=[self.tracked.label, self.object_id])

    @property
    def cursor(self) -> Cursor:
        return Cursor(at=self.at, label=self.tracked.label, id=self.history_id)

    def changes_text(self) -> str:
        return "; ".join(f"{c.label}: {c.old} → {c.new}" for c in self.changes)


@dataclass
class HistoryPage:
    entries: list[HistoryEntry]
    next_cursor: Cursor | None


# --- filtering --------------------------------------------------------------------------------


def _filter_q(tracked: TrackedModel, criteria: HistoryFilter) -> Q | None:
    """The WHERE clause for one table, or None when the criteria rule the whole table out."""
    q = Q()
    if criteria.object_id:
        try:
            q &= Q(**{tracked.pk_attname: tracked.model._meta.pk.to_python(criteria.object_id)})
        except Exception:
            return None
    if criteria.user_id:
        q &= Q(history_user_id=criteria.user_id)
    if criteria.reason:
        q &= Q(history_change_reason=criteria.reason)
    if criteria.history_type:
        q &= Q(history_type=criteria.history_type)
    if criteria.date_from:
        q &= Q(history_date__gte=day_start(criteria.date_from))
    if criteria.date_to:
        q &= Q(history_date__lt=day_start(criteria.date_to + dt.timedelta(days=1)))
    return q


def _after(tracked: TrackedModel, cursor: Cursor | None) -> Q:
    """Rows of `tracked` that come after `cursor` in the list's order."""
    if cursor is None:
        return Q()
    if tracked.label > cursor.label:
        return Q(history_date__lte=cursor.at)
    if tracked.label < cursor.label:
        return Q(history_date__lt=cursor.at)
    return keyset_after(cursor, at_field="history_date", id_field="history_id")


def _newest_rows(tracked: TrackedModel, where: Q, cursor: Cursor | None, limit: int) -> list:
    return list(
        tracked.history_model._base_manager.filter(where & _after(tracked, cursor)).order_by(
            "-history_date", "-history_id"
        )[:limit]
    )


def _sort_key(ranks: dict[str, int]):
    # heapq.merge(reverse=True): date descending, label ascending (negated rank), id descending.
    return lambda pair: (pair[1].history_date, -ranks[pair[0].label], pair[1].history_id)


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
                label=str(f.verbose_name),
                old=value_display(f, old, related) if previous is not None else EMPTY,
                new=shown_new,
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
        entry.user = related.label(User, row.history_user_id) if row.history_user_id else "(hệ thống)"
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
    sources = criteria.sources()
    ranks = {t.label: i for i, t in enumerate(tracked_models())}
    streams = []
    for tracked in sources:
        where = _filter_q(tracked, criteria)
        if where is not None:
            streams.append([(tracked, row) for row in _newest_rows(tracked, where, cursor, size + 1)])
    merged = list(heapq.merge(*streams, key=_sort_key(ranks), reverse=True))
    shown = merged[:size]
    entries = _enrich_with_previous(shown)
    return HistoryPage(entries=entries, next_cursor=entries[-1].cursor if len(merged) > size else None)


def history_stream(*, criteria: HistoryFilter, chunk: int = EXPORT_CHUNK) -> Iterator[HistoryEntry]:
    """Every entry matching `criteria`, in the list's order, in bounded memory (for exports)."""
    ranks = {t.label: i for i, t in enumerate(tracked_models())}

    def rows_of(tracked: TrackedModel, where: Q):
        cursor = None
        while True:
            rows = _newest_rows(tracked, where, cursor, chunk)
            for row in rows:
                yield tracked, row
            if len(rows) < chunk:
                return
            cursor = Cursor(at=rows[-1].history_date, label=tracked.label, id=rows[-1].history_id)

    streams = []
    for tracked in criteria.sources():
        where = _filter_q(tracked, criteria)
        if where is not None:
            streams.append(rows_of(tracked, where))
    batch = []
    for pair in heapq.merge(*streams, key=_sort_key(ranks), reverse=True):
        batch.append(pair)
        if len(batch) == chunk:
            yield from _enrich_with_previous(batch)
            batch = []
    if batch:
        yield from _enrich_with_previous(batch)


def history_timeline(
    *, tracked: TrackedModel, object_id, cursor: Cursor | None = None, size: int = PAGE_SIZE
) -> HistoryPage:
    """Every version of one record, newest first; each version's diff is against the next row."""
    where = Q(**{tracked.pk_attname: object_id})
    rows = _newest_rows(tracked, where, cursor, size + 1)
    shown = rows[:size]
    previous = {(tracked.label, row.history_id): older for row, older in zip(shown, rows[1:], strict=False)}
    entries = _enrich([(tracked, row) for row in shown], previous)
    return HistoryPage(entries=entries, next_cursor=entries[-1].cursor if len(rows) > size else None)


def history_count_since(*, since: dt.datetime) -> int:
    """Changes recorded since `since` across every table: an index range per table, for the dashboard."""
    return sum(t.history_model._base_manager.filter(history_date__gte=since).count() for t in tracked_models())
