"""Reads of the history (DESIGN.md section 5): the merged list, one record's timeline, exports.

The list reads `HistoryIndex` (one row per version of every tracked model, kept by triggers):
one keyset query, `ORDER BY at DESC, id DESC LIMIT n+1` on the index that matches the filter,
whatever the number of tracked models (issue 14). Each index row carries its version's diff,
stored when the version was written (`diffs.py`). Only the versions shown are then loaded: one
query per model present on the page for the rows (their names), one per related model for the
names of related records, and — only for changes still without a stored diff — one per
model for their previous versions; a creation's diff is its own filled-in fields. No OFFSET and no COUNT.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import quote

from django.db import connections, router
from django.db.models import OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from tuson_hcc.core.html_rows import clip, escaped
from tuson_hcc.core.keyset import Cursor, keyset_after
from tuson_hcc.workdays.calendar import day_start

from .catalog import HISTORY_TYPES, TrackedModel, tracked_model, tracked_models
from .display import (
    EMPTY,
    RelatedCache,
    diff_fields,
    field_labels,
    record_label,
    stored_display,
    tr,
    value_display,
)
from .models import HistoryIndex

# Twenty versions a page, not fifty: a version is as tall as its diff — a dossier's creation lists its
# ~27 filled-in fields — so fifty made a page of ~1,350 lines (230 KB at the five-year volume), more
# than an auditor reads before filtering or going on to "Cũ hơn ›", and each costs the same to build.
PAGE_SIZE = 20
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


SHOWN_CHARS = 200  # a value longer than this is cut on the page (the exports keep it whole)


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
    has_previous: bool = False
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
        return timeline_url(self.tracked.label, self.object_id)

    @property
    def badge(self) -> str:
        return {"+": "text-bg-success", "-": "text-bg-danger"}.get(self.row.history_type, "text-bg-secondary")

    def diff_html(self) -> str:
        """The "what changed" cell: label, old value struck through, new value; long values cut.

        Written here rather than looped in the template, each value escaped once with `escaped`: a page
        of fifty versions holds hundreds of values, and a template loop, then `format_html` over them,
        were a third, then half, of the page's cost (issue 14).
        """
        if not self.changes:
            return f'<span class="text-muted">{escaped(gettext("không có trường nào thay đổi"))}</span>'
        technical = None
        cells = []
        for c in self.changes:
            if self.has_previous:
                old, new = _shown(c, c.old, c.new)
                value = f"<del>{escaped(old)}</del> → <ins>{escaped(new)}</ins>"
            else:
                value = f"<ins>{escaped(_shown(c, c.new)[0])}</ins>"
            if c.technical:
                # A hash stays for auditors behind a "details" toggle, out of the running text (issue 13).
                technical = technical or escaped(gettext("Mã kiểm tra"))
                value = TECHNICAL_HTML.format(technical, value)
            cells.append(
                f'<dt class="col-sm-4 fw-normal text-muted">{escaped(c.label)}</dt>'
                f'<dd class="col-sm-8 mb-1">{value}</dd>'
            )
        return f'<dl class="row mb-0 history-diff">{"".join(cells)}</dl>'

    def row_html(self, *, single_record: bool, list_url: str) -> str:
        """The entry's table row. Written here, not in `_entries.html`: fifty rows of template lookups
        were most of the page's cost once the diffs were stored (issue 14); the markup is unchanged."""
        record = ""
        if not single_record:
            record = (
                f'<td class="small"><span class="text-muted">{escaped(tr(self.tracked.model._meta.verbose_name))} '
                f'#{escaped(self.object_id)}</span><br><a href="{escaped(self.timeline_url)}">'
                f"{escaped(clip(self.record, 80))}</a></td>"
            )
        reason = (
            f'<a href="{escaped(list_url)}?reason={escaped(quote(self.reason, safe="/"))}">{escaped(self.reason)}</a>'
            if self.reason
            else "—"
        )
        return (
            f'<tr data-testid="history-entry"><td class="text-nowrap small">'
            f"{timezone.localtime(self.at).strftime('%d/%m/%Y %H:%M:%S')}</td>{record}"
            f'<td><span class="badge {self.badge}">{escaped(self.action)}</span></td>'
            f'<td class="small">{escaped(self.user)}</td>'
            f'<td class="small">{reason}</td><td class="small">{self.diff_html()}</td></tr>'
        )

    cursor: Cursor | None = None

    def changes_text(self) -> str:
        return "; ".join(f"{c.label}: {c.old} → {c.new}" for c in self.changes)


@lru_cache(maxsize=256)
def _timeline_prefix(label: str) -> str:
    return reverse("history:timeline", args=[label, "0"])[: -len("0/")]


def timeline_url(label: str, object_id) -> str:
    """`reverse("history:timeline", …)` at the cost of a string join (fifty per page)."""
    return f"{_timeline_prefix(label)}{quote(str(object_id), safe='')}/"


@dataclass
class HistoryPage:
    entries: list[HistoryEntry]
    next_cursor: Cursor | None


# --- filtering --------------------------------------------------------------------------------


def _index_rows(criteria: HistoryFilter, cursor: Cursor | None, limit: int) -> list[HistoryIndex]:
    """The index rows matching `criteria` after `cursor`, newest first."""
    if criteria.model_label and tracked_model(criteria.model_label) is None:
        return []
    equal = {
        column: value
        for column, value in (
            ("label", criteria.model_label.lower()),
            ("object_id", criteria.object_id),
            ("user_id", criteria.user_id),
            ("reason", criteria.reason),
            ("history_type", criteria.history_type),
        )
        if value
    }
    order = ["-at", "-id"]
    if len(equal) == 1 and "object_id" not in equal and not (criteria.date_from or criteria.date_to):
        # One filter alone reads its own `(column, at DESC, id DESC)` index from its first row. Written
        # `column = v`, PostgreSQL may walk the time index instead, filtering: for a model holding 98% of
        # the rows, past the ~50,000 newest rows of other models (24 ms; issue 14). As the range
        # `v <= column <= v`, ordered by the column first, only that index gives the order: 0.1 ms.
        # Same rows, same order (the column is one value). With a date range it stays `=`, so the scan
        # can stop at the range's start.
        ((column, value),) = equal.items()
        rows = HistoryIndex.objects.filter(**{f"{column}__gte": value, f"{column}__lte": value})
        order.insert(0, column)
    else:
        rows = HistoryIndex.objects.filter(**equal)
    if criteria.date_from:
        rows = rows.filter(at__gte=day_start(criteria.date_from))
    if criteria.date_to:
        rows = rows.filter(at__lt=day_start(criteria.date_to + dt.timedelta(days=1)))
    return list(rows.filter(keyset_after(cursor, at_field="at")).order_by(*order)[:limit])


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
        for version in _versions_by_id(tracked, ids):
            found[(label, version.history_id)] = (tracked, version)
    return [(*found[(r.label, r.history_id)], r) for r in index_rows if (r.label, r.history_id) in found]


@lru_cache(maxsize=1024)
def _versions_statement(tracked: TrackedModel, db: str, count: int):
    """`SELECT <every column> … WHERE history_id IN (<count> ids)`, compiled once per process and count:
    compiling a historical table's forty-odd columns was ~0.5 ms of each of a page's version queries
    (issue 14). No ORDER BY: the index rows give the order. Its parameters are the ids, in their order."""
    versions = tracked.history_model._base_manager.filter(history_id__in=range(count)).order_by()
    compiler = versions.query.get_compiler(using=db)
    sql, params = compiler.as_sql()
    assert list(params) == list(range(count))  # the statement's only parameters are the ids
    attnames = [column.target.attname for column, _sql, _alias in compiler.select]
    return compiler, sql, attnames


def _versions_by_id(tracked: TrackedModel, ids: list[int]) -> list:
    """The versions with these ids, as `_base_manager.filter(history_id__in=ids)` gives them."""
    model = tracked.history_model
    db = router.db_for_read(model)
    compiler, sql, attnames = _versions_statement(tracked, db, len(ids))
    with connections[db].cursor() as cursor:
        cursor.execute(sql, ids)
        rows = cursor.fetchall()
    return [model.from_db(db, attnames, values) for values in compiler.results_iter(results=[rows])]


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


TECHNICAL_HTML = (
    '<details class="audit-details"><summary>{}</summary><span class="font-monospace text-break">{}</span></details>'
)


def _shown(change: FieldChange, *values) -> tuple:
    """Values as shown: long ones cut, except a hash, which is shown whole behind its toggle."""
    return values if change.technical else tuple(clip(v, SHOWN_CHARS) for v in values)


def _technical(attname: str) -> bool:
    """A hash: auditors read it behind a "details" toggle, not in the running text."""
    return attname.endswith(("sha256", "_hash"))


def _values(tracked: TrackedModel, row) -> dict:
    return {f.attname: getattr(row, f.attname) for f in tracked.diff_fields}


def _changes(tracked: TrackedModel, row, previous, related: RelatedCache) -> list[FieldChange]:
    """A version's diff computed from its row and the row before (versions without a stored diff)."""
    old = _values(tracked, previous) if previous is not None else None
    labels = field_labels(tracked)
    return [
        FieldChange(
            label=labels[f.attname],
            old=value_display(f, before, related) if previous is not None else EMPTY,
            new=value_display(f, value, related),
            technical=_technical(f.attname),
        )
        for f, before, value in diff_fields(tracked, _values(tracked, row), old, row.history_type)
    ]


def _stored_changes(tracked: TrackedModel, stored: dict, related: RelatedCache) -> list[FieldChange]:
    """A stored diff in the reader's language: labels, choice names and related names looked up now."""
    fields = tracked.fields_by_attname
    labels = field_labels(tracked)
    changes = []
    for attname, before, value in stored["fields"]:
        f = fields.get(attname)
        changes.append(
            FieldChange(
                label=labels.get(attname, attname),
                old=stored_display(f, before, related) if stored["previous"] else EMPTY,
                new=stored_display(f, value, related),
                technical=_technical(attname),
            )
        )
    return changes


def _want_stored(tracked: TrackedModel, stored: dict, related: RelatedCache) -> None:
    fields = tracked.fields_by_attname
    for attname, before, value in stored["fields"]:
        f = fields.get(attname)
        if f is not None and (f.many_to_one or f.one_to_one):
            related.want(f.related_model, before)
            related.want(f.related_model, value)


def _enrich(
    pairs: list[tuple[TrackedModel, object]],
    previous: dict[tuple[str, int], object],
    stored: dict[tuple[str, int], dict] | None = None,
    known: Iterable = (),
) -> list[HistoryEntry]:
    """Turn (model, historical row) pairs into entries: related objects loaded in bulk, diffs read or computed."""
    related = RelatedCache()
    related.add(known)
    stored = stored or {}
    from tuson_hcc.accounts.models import User

    for tracked, row in pairs:
        related.want(User, row.history_user_id)
        related.want_row(tracked.relation_fields, row)
        key = (tracked.label, row.history_id)
        if key in stored:
            _want_stored(tracked, stored[key], related)
        elif (before := previous.get(key)) is not None:
            related.want_row(tracked.relation_fields, before)
    related.load()
    entries = []
    for tracked, row in pairs:
        key = (tracked.label, row.history_id)
        entry = HistoryEntry(tracked=tracked, row=row)
        entry.record = record_label(tracked, row, related)
        entry.user = related.label(User, row.history_user_id) if row.history_user_id else gettext("(hệ thống)")
        if key in stored:
            entry.has_previous = stored[key]["previous"]
            entry.changes = _stored_changes(tracked, stored[key], related)
        else:
            before = previous.get(key)
            entry.has_previous = before is not None
            entry.changes = _changes(tracked, row, before, related)
        entries.append(entry)
    return entries


def _entries(shown: list[tuple[TrackedModel, object, HistoryIndex]], known: Iterable = ()) -> list[HistoryEntry]:
    """Entries for the versions behind index rows: stored diffs where kept, else diffed against the version before."""
    stored = {(t.label, v.history_id): i.changes for t, v, i in shown if i.changes is not None}
    by_model = defaultdict(list)
    for tracked, row, _ in shown:
        # A creation has no version before it: its diff is read from its own row.
        if (tracked.label, row.history_id) not in stored and row.history_type != "+":
            by_model[tracked].append(row)
    previous = {}
    for tracked, rows in by_model.items():
        for history_id, before in _previous_versions(tracked, rows).items():
            previous[(tracked.label, history_id)] = before
    return _enrich([(tracked, version) for tracked, version, _ in shown], previous, stored, known)


# --- public reads -----------------------------------------------------------------------------


def history_page(
    *, criteria: HistoryFilter, cursor: Cursor | None = None, size: int = PAGE_SIZE, people: Iterable = ()
) -> HistoryPage:
    """One page of the history list, newest first, after `cursor`. `people`: users the caller has read
    already (the filter bar lists every user), whose names are then not read again (a query a page)."""
    index_rows = _index_rows(criteria, cursor, size + 1)
    shown = _versions(index_rows[:size])
    entries = _entries(shown, people)
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
        yield from _entries(_versions(index_rows))
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


CHANGES_TODAY_CAP = 999  # the dashboard says "more than 999": a busy day's count costs no more than this


def history_count_since(*, since: dt.datetime, cap: int = CHANGES_TODAY_CAP) -> int:
    """Changes recorded since `since` across every table, counted up to `cap` + 1 (one bounded index range)."""
    return HistoryIndex.objects.filter(at__gte=since).order_by().values("pk")[: cap + 1].count()
