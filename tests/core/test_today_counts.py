"""The dashboard's count tiles (`core.dashboard.today_counts_html`): a link only where the list opens,
the tone, the test id, and every text escaped."""

from tuson_hcc.core.dashboard import TodayCount, today_counts_html


def test_a_tile_links_to_its_list_or_stays_a_plain_count():
    html = today_counts_html(
        [
            TodayCount(label="Chờ bạn cho phép", value=3, url="/seals/offsite/?status=head_agreed", tone="attention"),
            TodayCount(label="Lần đóng dấu hôm nay", value=1200, testid="today"),
        ]
    )
    assert html == (
        '<ul class="today-counts" role="list">'
        '<li><a class="today-count today-count--attention" href="/seals/offsite/?status=head_agreed">'
        '<span class="today-count__value">3</span> <span class="today-count__label">Chờ bạn cho phép</span></a></li>'
        '<li><span class="today-count today-count--neutral" data-testid="today">'
        '<span class="today-count__value">1200</span> <span class="today-count__label">Lần đóng dấu hôm nay</span>'
        "</span></li></ul>"
    )


def test_every_text_of_a_tile_is_escaped():
    html = today_counts_html([TodayCount(label="<b>PTP</b> & co", value=0, url='/x/?a=1&b="2"', testid='t"1')])
    assert "<b>" not in html
    assert "&lt;b&gt;PTP&lt;/b&gt; &amp; co" in html
    assert 'href="/x/?a=1&amp;b=&quot;2&quot;"' in html
    assert 'data-testid="t&quot;1"' in html


def test_no_tiles_is_an_empty_list():
    assert today_counts_html([]) == '<ul class="today-counts" role="list"></ul>'
