"""Keyset ("seek") cursors: the next page starts after the last row shown, never at an OFFSET.

An OFFSET into 3,000,000 history rows reads and throws away every row before it; a cursor
seeks straight to its place through the `history_date` index (DESIGN.md section 7).
"""

import base64
import datetime as dt
from dataclasses import dataclass


class BadCursor(ValueError):
    pass


@dataclass(frozen=True)
class Cursor:
    """The position after a row: its time, its model label (history list only) and its id."""

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
