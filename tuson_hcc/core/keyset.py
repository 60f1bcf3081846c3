"""Keyset ("seek") pages, the one paginator of every long list (register, dossiers, history, access log).

The next page starts after the last row shown, never at an OFFSET: an OFFSET into 3,000,000
rows reads and throws away every row before it; a cursor seeks straight to its place through
the (time, id) index (DESIGN.md section 7). Lists are newest first: (time, id) descending.
"""

import base64
import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet


class BadCursor(ValueError):
    pass


@dataclass(frozen=True)
class Cursor:
    """The position after a row: its time, its model label (the merged history list only) and its id."""

    at: dt.datetime
    label: str
    id: int

    def encode(self) -> str:
        raw = f"{self.at.isoformat()}|{self.label}|{self.id}"
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")

    @classmethod
    def decode(cls, text: str | None) -> "Cursor | None":
        if not text:
            return None
        try:
            raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)).decode()
            at, label, pk = raw.split("|")
            moment = dt.datetime.fromisoformat(at)
            if moment.tzinfo is None:
                raise BadCursor(text)
            return cls(at=moment, label=label, id=int(pk))
        except (ValueError, UnicodeDecodeError) as error:
            raise BadCursor(text) from error

    @classmethod
    def decode_or_first(cls, text: str | None) -> "Cursor | None":
        """A list's `?after=`: a damaged cursor shows the first page rather than an error."""
        try:
            return cls.decode(text)
        except BadCursor:
            return None


def keyset_after(cursor: Cursor | None, *, at_field: str, id_field: str = "id") -> Q:
    """Rows after `cursor` in (`at_field`, `id_field`) descending order.

    The redundant `lte` bound lets the database seek the time index.
    """
    if cursor is None:
        return Q()
    return Q(**{f"{at_field}__lte": cursor.at}) & (
        Q(**{f"{at_field}__lt": cursor.at}) | Q(**{at_field: cursor.at, f"{id_field}__lt": cursor.id})
    )


def keyset_page(
    queryset: QuerySet, *, at_field: str, cursor: Cursor | None, size: int, label: str = ""
) -> tuple[list, Cursor | None]:
    """One page of `queryset`, newest first, after `cursor`, without COUNT: (rows, next cursor or None)."""
    rows = list(queryset.filter(keyset_after(cursor, at_field=at_field)).order_by(f"-{at_field}", "-id")[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    return rows, (Cursor(at=getattr(rows[-1], at_field), label=label, id=rows[-1].pk) if more else None)
