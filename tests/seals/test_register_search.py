"""The register's search and totals at volume (issues 13 and 14, DESIGN.md section 7).

An auditor finds a stamping by its số ký hiệu, trích yếu or người đề nghị typed without
diacritics, in any case, across the years the register keeps; the page says how many entries
match; the totals are read from per-day rows kept in step with every stamping and correction.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from seals.models import StampingDayTotal, StampingEntry
from seals.services.stamping import stamping_correct, stamping_record
from seals.services.totals import stamping_totals_rebuild
from tuson_hcc.ledgers.services import ledger_bulk_load

pytestmark = pytest.mark.django_db


@pytest.fixture
def stamped(seal, catalogue, document, demo_users):
    clerk = demo_users["vanthu"]
    return [
        stamping_record(
            seal=seal,
            procedure=catalogue["birth"],
            document=document(document_number="15/QĐ-UBND", summary="Trích lục khai sinh cho Đỗ Thị Hường"),
            actor=clerk,
        ),
        stamping_record(
            seal=seal,
            procedure=catalogue["copy"],
            document=document(document_number="16/GCN-PTP", requested_by="Trần Quốc Bảo", copies=3),
            actor=clerk,
        ),
    ]


@pytest.fixture
def two_years_ago(seal, demo_users, catalogue):
    """An entry of an earlier year's chain, loaded as a past year would be."""
    at = timezone.now() - timedelta(days=730)
    ledger_bulk_load(
        StampingEntry,
        chain_key=f"seal:{seal.pk}:{timezone.localtime(at).year}",
        rows=[
            {
                "seal": seal,
                "procedure": catalogue["birth"],
                "dossier_code": "HCCTS-241120-0007",
                "document_type": "Giấy chứng nhận",
                "document_number": "88/GCN-ĐKKD",
                "document_date": at.date(),
                "summary": "Giấy chứng nhận đăng ký hộ kinh doanh",
                "signer_name": "Lê Thị Lan",
                "signer_position": "Trưởng phòng",
                "requested_by": "Vũ Minh Châu",
                "clerk": demo_users["vanthu"],
                "stamped_at": at,
                "recorded_at": at,
            }
        ],
    )
    return StampingEntry.objects.get(document_number="88/GCN-ĐKKD")


@pytest.mark.parametrize("typed", ["15/qd-ubnd", "15/QD-UBND", "do thi huong", "DO THI HƯỜNG", "huong"])
def test_a_stamping_is_found_by_number_or_summary_typed_without_diacritics(client_for, stamped, typed):
    response = client_for("kiemtra").get("/seals/register/", {"q": typed})
    assert [r.pk for r in response.context["rows"]] == [stamped[0].pk]
    assert response.context["count"].value == 1 and response.context["count"].exact


def test_the_search_covers_the_requester_and_every_year(client_for, stamped, two_years_ago):
    client = client_for("kiemtra")
    assert [r.pk for r in client.get("/seals/register/", {"q": "tran quoc bao"}).context["rows"]] == [stamped[1].pk]
    # No "Từ ngày": the search looks through every year, not only today.
    rows = client.get("/seals/register/", {"q": "88/gcn-dkkd"}).context["rows"]
    assert [r.pk for r in rows] == [two_years_ago.pk]
    # Every word must match, in any order.
    assert client.get("/seals/register/", {"q": "ho kinh doanh chau"}).context["rows"][0].pk == two_years_ago.pk
    assert client.get("/seals/register/", {"q": "kinh doanh huong"}).context["rows"] == []


def test_a_search_of_only_short_words_is_refused_with_a_message(client_for, stamped):
    response = client_for("kiemtra").get("/seals/register/", {"q": "qd 15"})
    assert response.status_code == 400
    assert "3 ký tự" in response.content.decode()


def test_the_search_key_is_written_with_every_entry(stamped, two_years_ago):
    assert StampingEntry.objects.get(pk=stamped[0].pk).search_text == (
        "15/qd-ubnd trich luc khai sinh cho do thi huong pham duc anh hccts-261124-0001"
    )
    assert "88/gcn-dkkd" in two_years_ago.search_text


def test_day_totals_follow_stampings_voids_and_amendments(stamped, seal, catalogue, demo_users):
    clerk = demo_users["vanthu"]
    stamping_correct(entry=stamped[0], correction="void", reason="ghi nhầm", actor=clerk)
    stamping_correct(
        entry=stamped[1],
        correction="amend",
        reason="sai số bản",
        actor=clerk,
        procedure=catalogue["copy"],
        document={"copies": 5},
    )
    (today,) = StampingDayTotal.objects.filter(seal=seal)
    assert (today.entries, today.copies, today.impressions) == (1, 5, 2)
    # What the services kept is exactly what a recount from the log gives.
    kept = list(StampingDayTotal.objects.values_list("seal", "day", "entries", "copies", "impressions", "offsite"))
    stamping_totals_rebuild()
    assert list(StampingDayTotal.objects.values_list("seal", "day", "entries", "copies", "impressions", "offsite")) == (
        kept
    )


def test_register_totals_come_from_the_day_rows_over_any_range(client_for, stamped, two_years_ago):
    stamping_totals_rebuild()  # the bulk-loaded past entry, as seed_demo does
    client = client_for("kiemtra")
    start = (timezone.localdate() - timedelta(days=1000)).isoformat()
    totals = client.get("/seals/register/", {"date_from": start}).context["totals"]
    assert totals["entries"] == 3 and totals["copies"] == 2 + 3 + 1
    # With a filter the day rows cannot answer, the totals are counted from the entries (up to 92 days).
    today = timezone.localdate().isoformat()
    filtered = client.get("/seals/register/", {"requester": "Trần", "date_from": today}).context["totals"]
    assert filtered["entries"] == 1 and filtered["copies"] == 3
    assert client.get("/seals/register/", {"requester": "Trần", "date_from": start}).context["totals"] is None


def test_only_the_longest_word_is_a_like_so_postgres_estimates_a_phrase_of_common_words(stamped):
    """Issue 14: one LIKE per word made PostgreSQL multiply the words' frequencies ("giay chung nhan",
    always together, estimated at 186 of 1,000,000 entries against 51,482), so it sorted every match
    instead of walking the newest entries. The other words are checked by position (STRPOS / INSTR).
    This is the plain definition (totals, exports, papers, SQLite); the page of a search on PostgreSQL
    decides its plan by what it finds (test_register_search_plans.py)."""
    from seals.selectors import RegisterFilter, stamping_register

    today = timezone.localdate()
    criteria = RegisterFilter(date_from=today - timedelta(days=3660), date_to=today, text="thi huong do")
    entries = stamping_register(criteria=criteria).order_by("-stamped_at", "-id")
    assert [r.pk for r in entries] == [stamped[0].pk]
    page = str(entries.query)
    assert page.count("LIKE") == 1 and "%huong%" in page  # the longest word
    assert page.count("STRPOS") + page.count("INSTR") == 2  # "thi" and "do"
