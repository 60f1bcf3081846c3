"""Reads of the access log (nhật ký truy cập, DESIGN.md section 5): filtered, keyset-paged, streamed.

`AccessEvent` is indexed on `at`, (`kind`, `at`) and (`user`, `at`): each filter seeks one of
them and the page is `ORDER BY at DESC, id DESC LIMIT n+1`; no COUNT.
"""

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from tuson_hcc.audit.models import AccessEvent
from tuson_hcc.core.keyset import Cursor, keyset_page
from tuson_hcc.workdays.calendar import day_start

PAGE_SIZE = 50
EXPORT_CHUNK = 2000
LABEL = "audit.accessevent"


@dataclass
class AccessPage:
    events: list[AccessEvent]
    next_cursor: Cursor | None


def access_events_filtered(
    *,
    kind: str = "",
    user_id: int | None = None,
    username: str = "",
    ip: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
):
    events = AccessEvent.objects.select_related("content_type")
    if kind:
        events = events.filter(kind=kind)
    if user_id:
        events = events.filter(user_id=user_id)
    if username:
        events = events.filter(username=username)
    if ip:
        events = events.filter(ip=ip)
    if date_from:
        events = events.filter(at__gte=day_start(date_from))
    if date_to:
        events = events.filter(at__lt=day_start(date_to + dt.timedelta(days=1)))
    return events.order_by("-at", "-id")


def access_event_page(*, criteria: dict, cursor: Cursor | None = None, size: int = PAGE_SIZE) -> AccessPage:
    events, next_cursor = keyset_page(
        access_events_filtered(**criteria), at_field="at", cursor=cursor, size=size, label=LABEL
    )
    return AccessPage(events=events, next_cursor=next_cursor)


def access_event_stream(*, criteria: dict) -> Iterator[AccessEvent]:
    """Every event of the filter, newest first, streamed from a server-side cursor."""
    return access_events_filtered(**criteria).iterator(chunk_size=EXPORT_CHUNK)
