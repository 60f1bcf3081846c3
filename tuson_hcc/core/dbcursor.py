"""The PostgreSQL cursor: statements are prepared (settings), except those whose best plan hangs on the values.

A prepared statement is planned once, for any parameters, after five executions (PostgreSQL's generic
plan). That saves planning the joins of a record's page on every request (issue 14), where a key picks
the rows whatever its value. It is wrong where the values decide which index to walk:

- a list that orders and cuts (`ORDER BY … LIMIT`): for a username typed every day, walking the time
  index finds 51 rows at once; for one never typed, that walk reads all 1,000,000 access events
  (12 ms planned for the value, 184 ms with the generic plan at the five-year volume);
- a `LIKE` pattern: `%2511%` wants the trigram index, a word in every entry a walk in order
  (searches that match nothing: 10-17 ms, 88-129 ms with the generic plan).

Those statements are planned for their own parameters every time.

Its timestamps are read by psycopg's C loader (`use_the_c_timestamp_loader`).
"""

import datetime

from django.db.backends.postgresql.base import ServerBindingCursor
from psycopg import _cmodule
from psycopg.pq import Format

_PATTERN_OPERATORS = (" LIKE ", " ILIKE ", " SIMILAR TO ", " ~")


def plan_hangs_on_values(sql: str) -> bool:
    return any(op in sql for op in _PATTERN_OPERATORS) or (" ORDER BY " in sql and " LIMIT " in sql)


class PlannedForTheirValues(ServerBindingCursor):
    def execute(self, query, params=None, *, prepare=None, **kwargs):
        if prepare is None and isinstance(query, str) and plan_hangs_on_values(query):
            prepare = False
        return super().execute(query, params, prepare=prepare, **kwargs)


class _UtcTimestampLoader:
    """psycopg's C loader of `timestamptz`, under the name Django's cursor checks (`timezone`).

    Django registers a Python subclass of psycopg's loader to put its time zone on every value; a
    subclass of the C loader cannot be made, so every timestamp was parsed in Python: 3.8 µs a value,
    a tenth of some list pages (fifty rows of two timestamps, issue 14). The C loader gives the
    session's zone, which Django sets to UTC: the same values, `tzinfo=datetime.timezone.utc`."""

    timezone = datetime.UTC  # what `DatabaseWrapper.create_cursor` compares with its own
    format = Format.TEXT

    def __new__(cls, oid, context=None):
        return _cmodule._psycopg.TimestamptzLoader(oid, context)


def use_the_c_timestamp_loader(sender, connection, **kwargs) -> None:
    """`connection_created`: a PostgreSQL connection in UTC reads timestamps with psycopg's C loader."""
    if connection.vendor == "postgresql" and _cmodule._psycopg and connection.timezone == datetime.UTC:
        connection.connection.adapters.register_loader("timestamptz", _UtcTimestampLoader)
