"""The counts on `/` that answer "what awaits me today"; each links to its list, filtered by the filter bar's query."""

from dataclasses import dataclass
from urllib.parse import urlencode

from .context_processors import link_to, may_open


@dataclass(frozen=True)
class TodayCount:
    label: str
    value: int
    url: str = ""  # empty when the user may not open the list: a count, never a link to a 403
    tone: str = "neutral"  # neutral | attention | alarm (CSS classes today-count--*)
    testid: str = ""


def today_count(user, *, label, value: int, url_name: str, query: dict | None = None, tone="neutral", testid=""):
    url = ""
    if may_open(user, url_name):
        url = link_to(url_name) + (f"?{urlencode(query)}" if query else "")
    if tone != "neutral" and not value:
        tone = "neutral"  # nothing late: no alarm colour
    return TodayCount(label=label, value=value, url=url, tone=tone, testid=testid)
