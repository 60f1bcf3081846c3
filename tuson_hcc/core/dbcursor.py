"""The PostgreSQL cursor: statements are prepared (settings), except those whose plan hangs on a pattern.

A prepared statement is planned once for any parameters after five executions (PostgreSQL's generic
plan), which saves the planning of every page's joins (issue 14). A `LIKE` pattern's plan, though,
depends on the pattern itself: `%2511%` wants the trigram index, a word in every entry wants a walk in
order. With the generic plan, the searches that match nothing went from 12-19 ms to 88-204 ms at the
five-year volume, so a statement with a pattern is planned for its own parameters every time.
"""

from django.db.backends.postgresql.base import ServerBindingCursor

_PATTERN_OPERATORS = (" LIKE ", " ILIKE ", " SIMILAR TO ", " ~")


class PatternsPlannedEachTime(ServerBindingCursor):
    def execute(self, query, params=None, *, prepare=None, **kwargs):
        if prepare is None and isinstance(query, str) and any(op in query for op in _PATTERN_OPERATORS):
            prepare = False
        return super().execute(query, params, prepare=prepare, **kwargs)
