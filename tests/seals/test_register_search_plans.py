"""The register's page for a word search reads the newest entries or the trigram index by what it finds
there, never by PostgreSQL's estimates (issue 14, DESIGN.md section 7: a search stays fast at a million
entries whatever the statistics say). Whichever way a page is read, it holds exactly what the plain
definition (`stamping_register`: every word in the search key, newest first) holds.

The probe's window and the gathering's limit are shrunk here so that a dozen entries take each path.
"""

from dataclasses import replace
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from seals import register_page
from seals.models import StampingEntry
from seals.register_page import stamping_register_rows
from seals.selectors import RegisterFilter, stamping_register
from tuson_hcc.ledgers.services import ledger_bulk_load

pytestmark = pytest.mark.django_db

SUMMARIES = [
    "Giấy chứng nhận quyền sử dụng đất",
    "Kết quả giải quyết: trích lục khai sinh",
    "Giấy chứng nhận đăng ký hộ kinh doanh",
    "Kết quả giải quyết: chứng thực bản sao",
    "Giấy chứng nhận quyền sử dụng đất, cấp đổi",
    "Kết quả giải quyết: đăng ký kết hôn",
    "Giấy chứng nhận đăng ký hộ kinh doanh, thay đổi",
    "Kết quả giải quyết: trích lục khai tử",
]

PATHS = {
    # (newest entries the probe reads, matches the trigram index may hand over)
    "newest entries": (1_000, 5_000),
    "trigram index": (1, 5_000),
    "walk after the trigram index": (1, 2),
}

SEARCHES = {
    "a phrase": "giay chung nhan",
    "words in any order": "nhan giay",
    "one word": "khai",
    "a short word beside a long one": "ho kinh",
    "a mã hồ sơ inside the search key": "hccts-2411",
    "a whole mã hồ sơ, the index asked for its digits": "hccts-241103-0001",
    "digits found where the word is not": "xx-241103-0001",
    "nothing": "khong co van ban nao nhu the nay",
}


@pytest.fixture
def entries(seal, catalogue, demo_users):
    """Eight entries, two of them in one minute (the cursor's id breaks the tie), over two years."""
    now = timezone.now()
    moments = [now - timedelta(days=90 * i) for i in range(8)]
    moments[3] = moments[2]
    for at, summary, i in zip(moments, SUMMARIES, range(8), strict=True):
        ledger_bulk_load(
            StampingEntry,
            chain_key=f"seal:{seal.pk}:{timezone.localtime(at).year}:{i}",
            rows=[
                {
                    "seal": seal,
                    "procedure": catalogue["birth"],
                    "dossier_code": f"HCCTS-24110{i}-0001",
                    "document_type": "Giấy chứng nhận",
                    "document_number": f"{i}/GCN",
                    "document_date": at.date(),
                    "summary": summary,
                    "signer_name": "Lê Thị Lan",
                    "signer_position": "Trưởng phòng",
                    "requested_by": "Vũ Minh Châu",
                    "clerk": demo_users["vanthu"],
                    "stamped_at": at,
                    "recorded_at": at,
                }
            ],
        )
    return StampingEntry.objects.all()


def _criteria(text: str) -> RegisterFilter:
    today = timezone.localdate()
    return RegisterFilter(date_from=today - timedelta(days=3660), date_to=today, text=text)


def _every_page(criteria: RegisterFilter, size: int) -> tuple[list[int], list]:
    ids, counts, cursor = [], [], None
    while True:
        rows, cursor, count = stamping_register_rows(criteria=criteria, cursor=cursor, size=size)
        ids += [row.pk for row in rows]
        counts.append(count)
        if cursor is None:
            return ids, counts


@pytest.mark.parametrize("search", SEARCHES.values(), ids=SEARCHES.keys())
@pytest.mark.parametrize("path", PATHS.values(), ids=PATHS.keys())
def test_every_page_of_a_search_holds_what_the_plain_definition_holds(entries, monkeypatch, path, search):
    monkeypatch.setattr(register_page, "PROBE_ROWS", path[0])
    monkeypatch.setattr(register_page, "GATHER_MAX", path[1])
    criteria = _criteria(search)
    plain = list(stamping_register(criteria=criteria).order_by("-stamped_at", "-id").values_list("id", flat=True))
    ids, counts = _every_page(criteria, size=2)
    assert ids == plain
    # The count is exact wherever every match was seen; past GATHER_MAX it is an estimate, never below it.
    assert all(count.value == len(plain) or (not count.exact and count.value > path[1]) for count in counts)


def test_a_superseded_entry_is_marked_on_a_searched_page(entries, demo_users, monkeypatch):
    from seals.services.stamping import stamping_correct

    entry = entries.get(document_number="0/GCN")
    stamping_correct(entry=entry, correction="void", reason="ghi nhầm", actor=demo_users["vanthu"])
    monkeypatch.setattr(register_page, "PROBE_ROWS", 1)
    rows, _, _ = stamping_register_rows(criteria=_criteria("giay chung nhan"), cursor=None, size=50)
    assert {row.pk: row.is_superseded for row in rows}[entry.pk] is True


def test_a_search_that_finds_nothing_asks_the_trigram_index_once_with_every_word(entries, postgres_only):
    """Issue 14: the longest word alone ("khong", in one entry of forty) made PostgreSQL check 23,000 rows
    for the others; every word in one bitmap finds nothing without reading an entry."""
    with CaptureQueriesContext(connection) as sent:
        rows, cursor, count = stamping_register_rows(
            criteria=_criteria("khong co van ban nao nhu the nay"), cursor=None, size=50
        )
    assert (rows, cursor, count.value, count.exact) == ([], None, 0, True)
    (gathered,) = [q["sql"] for q in sent.captured_queries if q["sql"].startswith("WITH g AS")]
    assert gathered.count("LIKE") == 7 and "'%khong%'" in gathered  # every word of three letters or more
    assert "STRPOS" in gathered and "'co'" in gathered  # "co" has no trigram: checked on the rows found
    # The days as a containment: no bitmap of the time index ANDed in, whatever the statistics say.
    assert "tstzrange" in gathered and '"stamped_at" >=' not in gathered
    assert any("enable_seqscan" in q["sql"] for q in sent.captured_queries)  # the index, whatever the estimates
    assert not any(q["sql"].startswith("SELECT COUNT") for q in sent.captured_queries)


def test_a_common_phrase_in_a_short_range_is_paged_and_counted_from_the_newest_entries_alone(entries, postgres_only):
    with CaptureQueriesContext(connection) as sent:
        rows, _, count = stamping_register_rows(criteria=_criteria("ket qua giai quyet"), cursor=None, size=2)
    assert len(rows) == 2 and (count.value, count.exact) == (4, True)
    sql = [q["sql"] for q in sent.captured_queries]
    assert not any("enable_seqscan" in q or "LIKE" in q for q in sql)  # neither the trigram index nor a LIKE
    # The probe read every entry of the range: its matches are the count, with nothing walked again.
    assert not any(q.startswith('WITH w AS MATERIALIZED (SELECT "seals_stampingentry"') for q in sql)


def test_a_common_phrase_whose_count_may_be_under_the_cap_is_counted_by_walking_on(entries, postgres_only, monkeypatch):
    monkeypatch.setattr(register_page, "PROBE_ROWS", 4)  # the newest four of eight: two match
    with CaptureQueriesContext(connection) as sent:
        rows, _, count = stamping_register_rows(criteria=_criteria("ket qua giai quyet"), cursor=None, size=1)
    assert len(rows) == 1 and (count.value, count.exact) == (4, True)
    # The page and its count in one walk of the newest entries (`_rows_and_count`).
    assert any(
        q.startswith("WITH w AS MATERIALIZED") and "CASE WHEN STRPOS" in q and "COUNT(*) AS matches FROM w" in q
        for q in (q["sql"] for q in sent.captured_queries)
    )


@pytest.mark.parametrize(
    ("read", "matched", "in_range", "first_page", "estimable", "expected"),
    [
        # 105 of the newest 2,000 in a million entries: well above the cap, estimated, nothing walked.
        (2_000, 105, 1_000_000, True, True, (52_500, False)),
        (2_000, 105, 1_000_000, False, True, (52_500, False)),
        # The same share in 20,000 entries: its low end (about 845) may be under twice the cap: walk.
        (2_000, 105, 20_000, True, True, None),
        # A handful seen: the share is too uncertain to stand for a count, however large the range.
        (2_000, 4, 1_000_000, True, True, None),
        # Under a requester's or a mã hồ sơ's pattern the entries in the range are a guess: walk.
        (2_000, 105, 1_000_000, True, False, None),
        # The whole range was read: exact on a first page; a later page's window is not the whole search.
        (1_500, 300, 1_500, True, True, (300, True)),
        (1_500, 300, 1_500, True, False, (300, True)),
        (1_500, 300, 1_500, False, True, None),
    ],
)
def test_a_dense_search_is_counted_from_the_share_the_probe_saw_only_when_well_above_the_cap(
    monkeypatch, read, matched, in_range, first_page, estimable, expected
):
    """DESIGN.md section 7 (issue 14): past COUNT_CAP a count is an estimate; under it, exact."""
    monkeypatch.setattr(register_page, "planner_estimate", lambda queryset: in_range)
    probe = register_page.Probe(ids=[], read=read, matched=matched)
    entries = StampingEntry.objects.none()
    count = register_page._count_from_density(probe, entries, first_page=first_page, estimable=estimable)
    assert (count and (count.value, count.exact)) == expected


def test_a_dense_search_under_a_requester_is_counted_by_walking_on(entries, postgres_only, monkeypatch):
    """The planner's guess of a pattern's entries must not make a count of a few hundred an estimate."""
    monkeypatch.setattr(register_page, "PROBE_ROWS", 6)  # six of eight read, six match: a dense share
    monkeypatch.setattr(register_page, "planner_estimate", lambda queryset: 10_000_000)
    rows, _, count = stamping_register_rows(criteria=_criteria("chau"), cursor=None, size=1)
    assert (count.value, count.exact) == (10_000_000, False)  # no pattern: the share times the range
    criteria = replace(_criteria("chau"), requester="Minh")
    rows, _, count = stamping_register_rows(criteria=criteria, cursor=None, size=1)
    assert len(rows) == 1 and (count.value, count.exact) == (8, True)


FILTERS = {
    "no filter": {},
    "a seal": {"seal": True},
    "a requester": {"requester": "Minh"},
    "a mã hồ sơ prefix": {"dossier_code": "HCCTS-24110"},
    "a clerk": {"clerk": True},
    "a requester nobody is": {"requester": "Không Có Người Này"},
}


@pytest.mark.parametrize("size", [2, 3, 50])
@pytest.mark.parametrize("filters", FILTERS.values(), ids=FILTERS.keys())
def test_every_page_and_its_count_hold_what_the_plain_definition_holds(
    entries, seal, demo_users, monkeypatch, filters, size
):
    """A page and its count are read in one statement on PostgreSQL (`_rows_and_count`), a first page's
    from one walk: same rows, same order (ties broken by id), same next cursor and same count, page after
    page, as the page and the count read apart; past the count's cap, an estimate never below the cap."""
    from seals.selectors import for_stamping_rows
    from tuson_hcc.core.counting import match_count, page_count
    from tuson_hcc.core.keyset import keyset_page

    values = {**filters}
    values["seal"] = seal if filters.get("seal") else None
    values["clerk"] = demo_users["vanthu"] if filters.get("clerk") else None
    today = timezone.localdate()
    criteria = RegisterFilter(date_from=today - timedelta(days=3660), date_to=today, **values)
    plain = stamping_register(criteria=criteria)
    for cap in (None, 2):
        if cap is not None:
            if connection.vendor != "postgresql":
                return  # SQLite reads the page and the count apart, with the core's cap
            monkeypatch.setattr(register_page, "COUNT_CAP", cap)
        cursor, pages = None, 0
        while True:
            rows, next_cursor, count = stamping_register_rows(criteria=criteria, cursor=cursor, size=size)
            plain_rows, plain_next = keyset_page(
                for_stamping_rows(plain), at_field="stamped_at", cursor=cursor, size=size
            )
            assert rows == plain_rows and next_cursor == plain_next
            if cap is None:
                assert count == page_count(plain, plain_rows, cursor, plain_next, at_field="stamped_at")
            elif cursor is not None or plain_next is not None:
                plain_count = match_count(plain, cap=cap, order_by=("-stamped_at", "-id"))
                assert count.exact == plain_count.exact and count.value >= min(cap, plain.count())
                assert count.value == plain_count.value or not count.exact
            pages += 1
            cursor = next_cursor
            if cursor is None:
                break
        assert pages == max(1, -(-plain.count() // size))


def test_a_first_page_is_one_statement_with_its_count(entries, postgres_only):
    with CaptureQueriesContext(connection) as sent:
        rows, cursor, count = stamping_register_rows(criteria=_criteria(""), cursor=None, size=2)
    (statement,) = sent.captured_queries
    assert statement["sql"].startswith("WITH w AS MATERIALIZED") and "COUNT(*) AS matches FROM w" in statement["sql"]
    assert len(rows) == 2 and cursor is not None and (count.value, count.exact) == (8, True)


def test_a_word_with_a_number_asks_the_trigram_index_for_its_digits_and_checks_the_word_on_what_it_finds(
    entries, postgres_only
):
    """Issue 14: the trigrams of "qd" or "hccts" are in nearly every entry, and the index read their posting
    lists for every document number searched (18 ms at a million entries); the number's digits are rare."""
    with CaptureQueriesContext(connection) as sent:
        rows, _, count = stamping_register_rows(criteria=_criteria("hccts-241103-0001"), cursor=None, size=50)
    assert [row.pk for row in rows] == [entries.get(dossier_code="HCCTS-241103-0001").pk]
    assert (count.value, count.exact) == (1, True)
    (gathered,) = [q["sql"] for q in sent.captured_queries if q["sql"].startswith("WITH g AS")]
    assert "'%241103%'" in gathered and "'%hccts-241103-0001%'" not in gathered
    assert "STRPOS" in gathered and "'hccts-241103-0001'" in gathered
