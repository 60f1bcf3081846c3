"""Exports: the view's filter, every row, streamed CSV or a write-only XLSX (issue 6)."""

import csv
import io
from decimal import Decimal

import pytest
from django.http import FileResponse, StreamingHttpResponse
from openpyxl import load_workbook

from procedures.models import Procedure
from tests.export_checks import PAYLOADS, assert_csv_is_inert, assert_xlsx_is_inert, csv_rows, xlsx_cells
from tests.ledger_testapp.models import SampleEntry
from tuson_hcc.accounts.models import Agency
from tuson_hcc.audit.models import AccessEvent
from tuson_hcc.core.history import tracked_save
from tuson_hcc.history.selectors import PAGE_SIZE
from tuson_hcc.ledgers.services import ledger_append

pytestmark = pytest.mark.django_db


def _csv(response):
    assert isinstance(response, StreamingHttpResponse)
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def _xlsx(response):
    assert isinstance(response, FileResponse)
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    return [[("" if v is None else str(v)) for v in row] for row in workbook.active.iter_rows(values_only=True)]


@pytest.fixture
def edits(demo_users):
    justice = Agency.objects.get(short_name="PTP")
    for i in range(30):
        procedure = tracked_save(
            Procedure(name=f"TTHC {i}", implementing_agency=justice), actor=demo_users["congchuc"], reason="nhập"
        )
        procedure.processing_days = i + 1
        tracked_save(procedure, actor=demo_users["giamdoc"], reason="sửa thời hạn giải quyết")


def test_an_export_of_a_filtered_view_matches_the_view(auditor, edits, demo_users, settings):
    query = {"model": "procedures.procedure", "user": demo_users["giamdoc"].pk}
    shown = auditor.get("/history/", query).context["page"].entries
    rows = _csv(auditor.get("/history/export.csv", query))
    header, body = rows[0], rows[1:]
    # Every matching row, the view's first page first (the view shows PAGE_SIZE a page).
    assert header[0] == "Thời điểm" and len(body) == 30 and len(shown) == min(30, PAGE_SIZE)
    assert [(r[3], r[7]) for r in body[: len(shown)]] == [(str(e.object_id), e.reason) for e in shown]
    assert all(r[6] == "Trần Văn Minh" for r in body)
    assert "thời hạn giải quyết (ngày làm việc): — → 30" in body[0][8]
    xlsx = _xlsx(auditor.get("/history/export.xlsx", query))
    assert xlsx[0] == header and [r[3] for r in xlsx[1:]] == [r[3] for r in body]


def test_the_export_streams_past_one_chunk_in_the_merged_order(auditor, edits, monkeypatch):
    from tuson_hcc.history import selectors

    monkeypatch.setattr(selectors, "EXPORT_CHUNK", 7)
    everything = selectors.history_page(criteria=selectors.HistoryFilter(), size=10_000).entries
    streamed = list(selectors.history_stream(criteria=selectors.HistoryFilter(), chunk=7))
    assert [(e.tracked.label, e.history_id) for e in streamed] == [(e.tracked.label, e.history_id) for e in everything]
    assert [e.changes_text() for e in streamed] == [e.changes_text() for e in everything]


def test_a_timeline_exports_as_csv_and_xlsx(auditor, procedure):
    rows = _csv(auditor.get(f"/history/procedures.procedure/{procedure.pk}/export.csv"))
    assert [r[7] for r in rows[1:]] == ["sửa thời hạn giải quyết", "nhập danh mục TTHC"]
    assert len(_xlsx(auditor.get(f"/history/procedures.procedure/{procedure.pk}/export.xlsx"))) == 3


def test_the_access_log_exports_its_filter(auditor, demo_users):
    AccessEvent.objects.create(kind="login_failure", username="=cmd()", ip="10.9.9.9")
    AccessEvent.objects.create(kind="login_success", username="vanthu", ip="10.9.9.9")
    rows = _csv(auditor.get("/history/access/export.csv", {"kind": "login_failure"}))
    assert [(r[1], r[2], r[3]) for r in rows[1:]] == [("Đăng nhập thất bại", "'=cmd()", "10.9.9.9")]
    assert len(_xlsx(auditor.get("/history/access/export.xlsx", {"ip": "10.9.9.9"}))) == 3


def test_a_ledger_chain_exports_oldest_first_with_hashes(auditor, demo_users):
    entries = [
        ledger_append(
            SampleEntry, chain_key="seal:1:2026", note=f"lần {i}", amount=Decimal("2"), actor=demo_users["vanthu"]
        )
        for i in range(3)
    ]
    rows = _csv(
        auditor.get("/history/ledgers/export.csv", {"ledger": "ledger_testapp.sampleentry", "chain": "seal:1:2026"})
    )
    assert [r[0] for r in rows[1:]] == ["1", "2", "3"]
    assert rows[1][-1] == entries[0].entry_hash and "Nguyễn Thị Hoa" in rows[1]
    assert auditor.get("/history/ledgers/export.csv", {"ledger": "nope.nope", "chain": "x"}).status_code == 404
    assert auditor.get("/history/export.pdf").status_code == 404


def test_exports_are_for_auditors_only(client_for):
    for url in ("/history/export.csv", "/history/access/export.csv", "/history/ledgers/export.csv?ledger=x&chain=y"):
        assert client_for("vanthu").get(url).status_code == 403


# --- formula injection (issue 11, point 5): every free-text column of every export ----------------


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_history_exports_write_every_free_text_column_as_text(auditor, demo_users, fmt):
    # Free text here: the record's name (Bản ghi), the actor's name, the reason; the change text follows a label.
    justice = Agency.objects.get(short_name="PTP")
    for payload in PAYLOADS:
        actor = demo_users["giamdoc"]
        actor.full_name = payload
        actor.save()
        procedure = tracked_save(Procedure(name=payload, implementing_agency=justice), actor=actor, reason=payload)
    query = {"model": "procedures.procedure"}
    _assert_inert(fmt, auditor.get(f"/history/export.{fmt}", query))
    timeline = auditor.get(f"/history/procedures.procedure/{procedure.pk}/export.{fmt}")
    _assert_inert(fmt, timeline, payloads=PAYLOADS[-1:])


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_access_log_export_writes_username_user_agent_and_detail_as_text(auditor, fmt):
    for payload in PAYLOADS:
        AccessEvent.objects.create(kind="login_failure", username=payload, user_agent=payload, detail=payload)
    _assert_inert(fmt, auditor.get(f"/history/access/export.{fmt}", {"kind": "login_failure"}))


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_ledger_export_writes_the_entries_text_as_text(auditor, fmt):
    for payload in PAYLOADS:
        ledger_append(SampleEntry, chain_key="seal:1:2026", note=payload)
    query = {"ledger": "ledger_testapp.sampleentry", "chain": "seal:1:2026"}
    _assert_inert(fmt, auditor.get(f"/history/ledgers/export.{fmt}", query))


def _assert_inert(fmt, response, payloads=PAYLOADS):
    if fmt == "csv":
        assert_csv_is_inert(csv_rows(response), payloads)
    else:
        assert_xlsx_is_inert(xlsx_cells(response), payloads)
