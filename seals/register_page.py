"""One page of the stamping register and its count, on plans that hold whatever PostgreSQL's statistics say.

A word search (`q`) has two good plans, and PostgreSQL cannot tell which one a search needs: it
estimates `LIKE '%word%'` from a sample of a hundred entries and counts words typed together as
independent ("giay chung nhan", in one entry of twenty, was expected in 186 of 1,000,000 entries, and
in 40,000 after another ANALYZE). Walking the newest entries finds fifty of a common phrase in a
thousand rows; the trigram index finds a rare number among a million in a millisecond; each plan is a
disaster in the other's case (ten years walked to find nothing; a bitmap of every entry, sorted). So
the page decides by what it sees, never by the estimates (issue 14):

1. it reads the newest PROBE_ROWS entries of the range in order; if the page fills there, those are
   the page; the count is the share of matches seen times the entries in the range when that is well
   above COUNT_CAP, else it walks on in the same order (1,001 matches at the density just seen);
2. otherwise the trigram index, given every word, hands over at most GATHER_MAX matches (bitmap
   scans only, so the planner cannot trade them for a scan of the table); if that is every match,
   they are ordered and counted exactly (a search that matches nothing reads no entry at all);
3. more matches than that, yet fewer than the newest entries showed: the page walks the newest
   entries until it fills (at most about size × entries / GATHER_MAX rows), and the count is an estimate.

A page and its count come in one statement (`_rows_and_count`), a first page's from one walk, with or
without words. SQLite uses the plain definition (`stamping_register`).
"""

import re
from dataclasses import dataclass, replace
from functools import cache

from django.db import connections, router, transaction
from django.db.models import BooleanField, Case, Q, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import StrIndex
from django.db.models.lookups import Exact, GreaterThan
from django.db.models.utils import create_namedtuple_class

from tuson_hcc.core.counting import COUNT_CAP, MatchCount, page_count, planner_estimate
from tuson_hcc.core.keyset import Cursor, keyset_after, keyset_page
from tuson_hcc.core.text import search_key

from .models import StampingEntry
from .selectors import (
    STAMPING_ROW_FIELDS,
    RegisterFilter,
    containing_every_word,
    for_stamping_rows,
    register_bounds,
    register_filtered,
    register_matching,
    stamping_register,
    with_superseded,
)

PROBE_ROWS = 2_000  # newest entries read before the trigram index is asked
GATHER_MAX = 5_000  # matches the trigram index may hand over to be ordered
ORDER = ("-stamped_at", "-id")


def stamping_register_rows(
    *, criteria: RegisterFilter, cursor: Cursor | None, size: int
) -> tuple[list, Cursor | None, MatchCount]:
    """The rows after `cursor` (newest first, at most `size`), the next page's cursor, and the count."""
    words = sorted(set(search_key(criteria.text).split()))
    postgresql = connections[router.db_for_read(StampingEntry)].vendor == "postgresql"
    if postgresql and any(len(word) >= 3 for word in words):
        return _searched_page(criteria, words, cursor, size)
    if postgresql:
        matching = register_matching(criteria).order_by()
        return _rows_and_count(matching, size, cursor, estimate=lambda: planner_estimate(matching.values("pk")))
    entries = stamping_register(criteria=criteria)
    rows, next_cursor = keyset_page(for_stamping_rows(entries), at_field="stamped_at", cursor=cursor, size=size)
    return rows, next_cursor, page_count(entries, rows, cursor, next_cursor, at_field="stamped_at")


def _searched_page(criteria: RegisterFilter, words: list[str], cursor: Cursor | None, size: int):
    criteria_words_aside = replace(criteria, text="")
    others = register_matching(criteria_words_aside)  # the days and every filter but the words
    after = keyset_after(cursor, at_field="stamped_at")
    probe = _newest_matching(others.filter(after), words, limit=size + 1)
    if len(probe.ids) > size:
        # The entries in the range are the planner's estimate: good for days, a seal, a clerk or a procedure,
        # not for a requester's or a mã hồ sơ's pattern, where the count walks as before.
        patterned = bool(criteria.requester or criteria.dossier_code)
        count = _count_from_density(probe, others, first_page=cursor is None, estimable=not patterned)
        if count is not None:
            return (*_page(probe.ids, size), count)
        if cursor is None:
            return _rows_and_count(
                others.filter(_every_word_by_position(words)),
                size,
                None,
                estimate=lambda: planner_estimate(containing_every_word(others, words).order_by()),
            )
        return (*_page(probe.ids, size), _walked_count(others, words))
    # The days as a containment no btree index serves: left to the planner (with no statistics, say),
    # the time index's bitmap of ten years was ANDed with the trigram index's few rows (87 ms for 2).
    days = RawSQL('tstzrange(%s, %s) @> "seals_stampingentry"."stamped_at"', register_bounds(criteria), BooleanField())
    total, ids = _gathered(
        register_filtered(StampingEntry.objects.filter(days), criteria_words_aside), words, cursor, limit=size + 1
    )
    if total <= GATHER_MAX:
        return (*_page(ids, size), MatchCount(total, exact=True))
    walked = others.filter(after).filter(_every_word_by_position(words)).order_by(*ORDER)
    ids = list(walked.values_list("id", flat=True)[: size + 1])
    estimate = planner_estimate(containing_every_word(others, words).order_by()) or 0
    return (*_page(ids, size), MatchCount(max(estimate, total), exact=False))


def _every_word_by_position(words: list[str]):
    """Every word found by STRPOS, as one condition: the trigram index cannot serve it (so a walk stays a
    walk) and PostgreSQL gives it one fixed guess however many words there are. A CASE stops at the first
    word missing, the longest first (usually the rarest): 13 ms for 1,001 of a phrase in a twentieth of
    a million entries where LEAST, which computes every position, took 20-24."""
    first, *others = [StrIndex("search_text", Value(word)) for word in sorted(words, key=len, reverse=True)]
    if not others:
        return GreaterThan(first, 0)
    missing = [When(Exact(position, 0), then=Value(False)) for position in (first, *others[:-1])]
    return Case(*missing, default=GreaterThan(others[-1], 0), output_field=BooleanField())


@dataclass(frozen=True)
class Probe:
    """What the newest PROBE_ROWS entries of a search's range showed: the first matches' ids (newest
    first), how many of those entries were read (fewer than PROBE_ROWS: the whole range) and matched."""

    ids: list[int]
    read: int
    matched: int


def _newest_matching(entries, words: list[str], *, limit: int) -> Probe:
    """The first `limit` matches among the newest PROBE_ROWS of `entries`, and how many of them matched."""
    newest = entries.order_by(*ORDER).values("id", "stamped_at", "search_text")[:PROBE_ROWS]
    sql, params = newest.query.sql_with_params()
    checks = " AND ".join(["STRPOS(newest.search_text, %s) > 0"] * len(words))
    query = (
        f"WITH newest AS MATERIALIZED ({sql}), hits AS (SELECT newest.id, newest.stamped_at FROM newest "
        f"WHERE {checks}) SELECT (SELECT COUNT(*) FROM newest), (SELECT COUNT(*) FROM hits), "
        "ARRAY(SELECT hits.id FROM hits ORDER BY hits.stamped_at DESC, hits.id DESC LIMIT %s)"
    )
    with connections[entries.db].cursor() as db:
        db.execute(query, (*params, *words, limit))
        read, matched, ids = db.fetchone()
    return Probe(ids=list(ids), read=read, matched=matched)


def _count_from_density(probe: Probe, others, *, first_page: bool, estimable: bool = True) -> MatchCount | None:
    """The count a dense search shows without walking on: exact when a first page's probe read the whole range;
    an estimate (the probe's share of matches times the entries in the range) when even the low end of
    that share puts it well above COUNT_CAP; None when it may be near or under the cap (walk and count).

    A phrase in one entry of twenty, over ten years: the exact count to 1,001 walked 19,000 entries
    (7-10 ms of a 22 ms page) only to show an estimate; the probe had already seen 105 of 2,000 (issue
    14). The share is the newest entries', so a burst of recent matches is where it errs; it is shown
    as an estimate ("khoảng"), as every count past the cap is. `estimable`: whether PostgreSQL's estimate
    of the entries in the range can be trusted (not under a LIKE pattern's filter)."""
    if probe.read < PROBE_ROWS:
        return MatchCount(probe.matched, exact=True) if first_page else None
    if not estimable:
        return None
    in_range = planner_estimate(others.order_by().values("pk")) or 0
    low_share = max(probe.matched - 2 * probe.matched**0.5, 0) / probe.read  # about two standard errors
    if low_share * in_range <= 2 * COUNT_CAP:
        return None
    return MatchCount(round(probe.matched / probe.read * in_range), exact=False)


def _rows_and_count(matching, size: int, cursor: Cursor | None, *, estimate) -> tuple[list, Cursor | None, MatchCount]:
    """The rows of `matching` after `cursor` (newest first, at most `size`), the next cursor, and the count
    of every match, in one statement.

    The page's ids come from a walk in the list's order; its rows are then read by id. The count walks the
    first COUNT_CAP + 1 matches (exact up to COUNT_CAP, above it `estimate()`, never less than the cap, as
    `core.counting.match_count`); on a first page that is the same walk, read once. Read apart, the page
    and the count walked the same entries twice (a mã hồ sơ prefix skipped 16,000 newer entries in each),
    and the page's walk, planned with its four joined tables, took 1.6-5.5 ms to plan (issue 14).
    """
    db = matching.db
    ordered = matching.order_by(*ORDER)
    if cursor is None:
        walk = ordered.values("id", "stamped_at")[: max(COUNT_CAP, size) + 1]
        counted_sql, counted_params = "SELECT COUNT(*) AS matches FROM w", ()
    else:
        walk = ordered.filter(keyset_after(cursor, at_field="stamped_at")).values("id", "stamped_at")[: size + 1]
        counted_sql, counted_params = ordered.values("id")[: COUNT_CAP + 1].query.sql_with_params()
        counted_sql = f"SELECT COUNT(*) AS matches FROM ({counted_sql}) AS c"
    walk_sql, walk_params = walk.query.sql_with_params()
    compiler, page_sql, page_params = _page_statement(db, size)
    # The count's row joined to the page's: there even when the page is empty.
    query = (
        f"WITH w AS MATERIALIZED ({walk_sql}) SELECT r.*, n.matches FROM ({counted_sql}) AS n "
        f'LEFT JOIN ({page_sql}) AS r ON TRUE ORDER BY r."stamped_at" DESC, r."pk" DESC'
    )
    with connections[db].cursor() as db_cursor:
        db_cursor.execute(query, (*walk_params, *counted_params, *page_params))
        fetched = db_cursor.fetchall()
    counted = fetched[0][-1]
    Row = create_namedtuple_class(*STAMPING_ROW_FIELDS, "is_superseded")  # as `values_list(named=True)`
    rows = [Row(*values[:-1]) for values in compiler.results_iter(results=[fetched]) if values[0] is not None]
    more = len(rows) > size
    rows = rows[:size]
    next_cursor = Cursor(at=rows[-1].stamped_at, label="", id=rows[-1].pk) if more else None
    if counted <= COUNT_CAP:
        return rows, next_cursor, MatchCount(counted, exact=True)
    return rows, next_cursor, MatchCount(max(estimate() or 0, COUNT_CAP), exact=False)


@cache
def _page_statement(db: str, size: int):
    """The rows of the first `size + 1` ids of the walk `w`, with the compiler that reads them: the same
    statement for every page of every filter, so compiled once per process (its five tables took about
    1 ms of every register page to compile, issue 14). The compiler is only asked to convert rows."""
    # `= ANY(ARRAY(…))`, not `IN (…)`: the page's ids as one value, with no semi-join to plan beside the joins.
    first = RawSQL(
        '"seals_stampingentry"."id" = ANY(ARRAY(SELECT w.id FROM w ORDER BY w.stamped_at DESC, w.id DESC LIMIT %s))',
        (size + 1,),
        BooleanField(),
    )
    page = for_stamping_rows(with_superseded(StampingEntry.objects.filter(first)))
    compiler = page.query.get_compiler(using=db)
    return (compiler, *compiler.as_sql())


def _walked_count(entries, words: list[str]) -> MatchCount:
    """Exact up to COUNT_CAP, walking the newest entries (the probe found them dense); above, the estimate
    PostgreSQL gives the plain definition, never less than the cap."""
    walked = entries.filter(_every_word_by_position(words)).order_by(*ORDER).values("pk")
    counted = walked[: COUNT_CAP + 1].count()
    if counted <= COUNT_CAP:
        return MatchCount(counted, exact=True)
    estimate = planner_estimate(containing_every_word(entries, words).order_by()) or 0
    return MatchCount(max(estimate, COUNT_CAP), exact=False)


def _index_probe(word: str) -> str:
    """What the trigram index is asked for a word: the word, or its longest run of three digits or more
    when it holds other characters too ("7725/qd-pkt" → "7725"). The index reads the posting list of
    every trigram asked, and those of "qd" and "pkt" hold nearly every entry: 18 ms for a document
    number, where its digits' lists hold a few hundred entries (0.6 ms). The word itself is then
    checked on the rows found (STRPOS), so the matches are the same."""
    longest = max(re.findall(r"\d{3,}", word), key=len, default=word)
    return longest


def _gathered(entries, words: list[str], cursor: Cursor | None, *, limit: int) -> tuple[int, list[int]]:
    """How many entries match (counted up to GATHER_MAX + 1) and the ids of the first `limit` after
    `cursor`, newest first, from a bitmap of the trigram index with every word of three letters or more
    (`_index_probe`; shorter words have no trigram: STRPOS checks them, and the probed words, on the
    rows found)."""
    probes = {word: _index_probe(word) for word in words if len(word) >= 3}
    matching = entries.filter(*[Q(search_text__contains=probe) for probe in sorted(set(probes.values()))])
    for word in sorted(word for word in words if probes.get(word) != word):
        matching = matching.filter(GreaterThan(StrIndex("search_text", Value(word)), 0))
    sql, params = matching.order_by().values("id", "stamped_at")[: GATHER_MAX + 1].query.sql_with_params()
    after, after_params = ("WHERE (g.stamped_at, g.id) < (%s, %s)", (cursor.at, cursor.id)) if cursor else ("", ())
    query = (
        f"WITH g AS MATERIALIZED ({sql}) SELECT (SELECT COUNT(*) FROM g), "
        f"ARRAY(SELECT g.id FROM g {after} ORDER BY g.stamped_at DESC, g.id DESC LIMIT %s)"
    )
    with transaction.atomic(using=entries.db), connections[entries.db].cursor() as db:
        # For this statement only (the block is rolled back): the trigram index or nothing.
        db.execute(
            "SELECT set_config('enable_seqscan', 'off', true), set_config('enable_indexscan', 'off', true), "
            "set_config('enable_indexonlyscan', 'off', true)"
        )
        db.execute(query, (*params, *after_params, limit))
        total, ids = db.fetchone()
        transaction.set_rollback(True, using=entries.db)
    return total, ids


def _page(ids: list[int], size: int) -> tuple[list, Cursor | None]:
    """The rows of the first `size` ids (newest first) and, when another id follows, the cursor after them,
    read by the statement every register page shares (`_page_statement`): with `IN` and fifty parameters,
    planning the five tables took 2 ms of a 14 ms page."""
    if not ids:
        return [], None
    db = router.db_for_read(StampingEntry)
    compiler, page_sql, page_params = _page_statement(db, size)
    query = (
        'WITH w AS MATERIALIZED (SELECT e.id, e.stamped_at FROM "seals_stampingentry" e WHERE e.id = ANY(%s)) '
        f'{page_sql} ORDER BY "seals_stampingentry"."stamped_at" DESC, "seals_stampingentry"."id" DESC'
    )
    with connections[db].cursor() as db_cursor:
        db_cursor.execute(query, (list(ids[:size]), *page_params))
        fetched = db_cursor.fetchall()
    Row = create_namedtuple_class(*STAMPING_ROW_FIELDS, "is_superseded")  # as `values_list(named=True)`
    rows = [Row(*values) for values in compiler.results_iter(results=[fetched])]
    more = len(ids) > size and rows
    return rows, (Cursor(at=rows[-1].stamped_at, label="", id=rows[-1].pk) if more else None)
