"""How many rows a list's filters match, without an unbounded COUNT over a million-row table."""

import json
from dataclasses import dataclass

from django.db import connections
from django.db.models import QuerySet

# Exact up to a thousand: enough for any page an official reads through, and cheap to stop at. A
# contains-search matching a fifth of a two-year range reached 10,000 only by bitmap-scanning 200,000
# rows (55-80 ms); 1,000 in the list's own index order are found in about 5,000 rows (13 ms).
COUNT_CAP = 1_000


@dataclass(frozen=True)
class MatchCount:
    value: int
    exact: bool


def match_count(queryset: QuerySet, *, cap: int = COUNT_CAP, order_by: tuple[str, ...] = ()) -> MatchCount:
    """Exact up to `cap` (a COUNT over a LIMITed subquery, so it stops early); above it, the planner's
    estimate on PostgreSQL, else the cap itself. Pages label anything not exact as an estimate.
    `order_by`: the list's own order, so the subquery can walk the list's index and stop at `cap`.
    """
    bare = queryset.order_by(*order_by).values("pk")
    counted = bare[: cap + 1].count()
    if counted <= cap:
        return MatchCount(counted, exact=True)
    return MatchCount(max(planner_estimate(bare.order_by()) or 0, cap), exact=False)


def page_count(queryset: QuerySet, rows: list, cursor, next_cursor, *, at_field: str) -> MatchCount:
    """The count a keyset list page shows (`at_field`: the list's keyset field, newest first). A first
    page with no next one holds every match, so it is its own count, without a second pass over the
    filter's index (a search that finds nothing costs one scan).
    """
    if cursor is None and next_cursor is None:
        return MatchCount(len(rows), exact=True)
    return match_count(queryset, order_by=(f"-{at_field}", "-id"))


def planner_estimate(queryset: QuerySet) -> int | None:
    """The rows PostgreSQL expects `queryset` to return (None on other databases)."""
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return None
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    return int(plan[0]["Plan"]["Plan Rows"])
