"""The counts on `/` that answer "what awaits me today"; each links to its list, filtered by the filter bar's query."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.utils.formats import localize
from django.utils.safestring import SafeString, mark_safe

from .context_processors import link_to, may_open
from .html_rows import html_format


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


def today_counts_html(counts: list[TodayCount]) -> SafeString:
    """The counts as tiles, written in Python: the Director's twenty-odd tiles through the template loop
    and its conditionals were a tenth of the dashboard (issue 14). A tile links only when `url` is set."""
    tiles = []
    for c in counts:
        tag, href = ("a", html_format(' href="{}"', c.url)) if c.url else ("span", "")
        testid = html_format(' data-testid="{}"', c.testid) if c.testid else ""
        tiles.append(
            html_format(
                '<li><{} class="today-count today-count--{}"{}{}><span class="today-count__value">{}</span> '
                '<span class="today-count__label">{}</span></{}></li>',
                mark_safe(tag),
                c.tone,
                href,
                testid,
                localize(c.value),
                c.label,
                mark_safe(tag),
            )
        )
    return mark_safe(f'<ul class="today-counts" role="list">{"".join(tiles)}</ul>')
