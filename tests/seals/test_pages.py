"""The desk, the register and its exports, seen through the views (issue 3)."""

import csv
import io
import subprocess
from datetime import timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from seals.models import StampingEntry
from seals.services.stamping import stamping_record

pytestmark = pytest.mark.django_db


def test_desk_records_a_stamping_and_the_clerk_comes_from_the_session(client_for, desk_post, demo_users):
    client = client_for("vanthu")
    response = client.post("/seals/stamp/", desk_post(clerk=demo_users["giamdoc"].pk))
    assert response.status_code == 302
    entry = StampingEntry.objects.get()
    assert entry.clerk == demo_users["vanthu"]
    page = client.get("/seals/stamp/")
    assert "Trích lục khai sinh" in page.content.decode()


def test_desk_refusal_shows_the_rule_on_the_form_and_writes_nothing(client_for, desk_post, catalogue):
    response = client_for("vanthu").post("/seals/stamp/", desk_post(procedure=catalogue["household"].code))
    assert response.status_code == 200
    assert "không phải cơ quan của con dấu" in response.content.decode()
    assert not StampingEntry.objects.exists()


def test_desk_unsigned_document_message(client_for, desk_post):
    data = desk_post()
    del data["is_signed"]
    response = client_for("vanthu").post("/seals/stamp/", data)
    assert "chưa có chữ ký" in response.content.decode()
    assert not StampingEntry.objects.exists()


def test_desk_double_submit_records_once(client_for, desk_post):
    client = client_for("vanthu")
    data = desk_post(form_token="same-token")
    client.post("/seals/stamp/", data)
    client.post("/seals/stamp/", data)
    assert StampingEntry.objects.count() == 1


@pytest.mark.parametrize("username", ["congchuc", "giamdoc", "truongphong", "tiepnhan", "kiemtra"])
def test_only_the_van_thu_opens_the_desk(client_for, desk_post, username):
    client = client_for(username)
    assert client.get("/seals/stamp/").status_code == 403
    assert client.post("/seals/stamp/", desk_post()).status_code == 403
    assert not StampingEntry.objects.exists()


@pytest.fixture
def stamped(seal, catalogue, document, demo_users):
    clerk = demo_users["vanthu"]
    entries = [
        stamping_record(
            seal=seal, procedure=catalogue["birth"], document=document(requested_by="Nguyễn Thu"), actor=clerk
        ),
        stamping_record(
            seal=seal, procedure=catalogue["copy"], document=document(dossier_code="HCCTS-261124-0002"), actor=clerk
        ),
        stamping_record(
            seal=seal, procedure=catalogue["birth"], document=document(copies=1, impressions=1), actor=clerk
        ),
    ]
    return entries


def test_register_lists_the_day_with_totals_in_bounded_queries(client_for, stamped, django_assert_max_num_queries):
    client = client_for("giamdoc")
    with django_assert_max_num_queries(12):
        response = client.get("/seals/register/")
    body = response.content.decode()
    assert response.status_code == 200
    assert response.context["totals"]["entries"] == 3
    assert response.context["totals"]["copies"] == 5
    assert "Cấp bản sao từ sổ gốc" in body


def test_register_filters_combine(client_for, stamped, catalogue):
    client = client_for("kiemtra")
    rows = client.get("/seals/register/", {"procedure": catalogue["birth"].code, "requester": "thu"}).context["rows"]
    assert [r.pk for r in rows] == [stamped[0].pk]
    rows = client.get("/seals/register/", {"dossier_code": "HCCTS-261124-0002"}).context["rows"]
    assert [r.pk for r in rows] == [stamped[1].pk]


def test_register_keyset_pages_cover_every_entry_once(client_for, stamped, monkeypatch):
    from seals.views import register

    monkeypatch.setattr(register, "PAGE_SIZE", 2)
    client = client_for("vanthu")
    first = client.get("/seals/register/")
    assert len(first.context["rows"]) == 2 and first.context["next_cursor"]
    second = client.get("/seals/register/", {"after": first.context["next_cursor"]})
    seen = [r.pk for r in first.context["rows"]] + [r.pk for r in second.context["rows"]]
    assert sorted(seen) == sorted(e.pk for e in stamped) and not second.context["next_cursor"]


def test_voided_entry_is_not_counted_in_the_totals(client_for, stamped, demo_users):
    from seals.services.stamping import stamping_correct

    stamping_correct(entry=stamped[0], correction="void", reason="ghi nhầm", actor=demo_users["vanthu"])
    totals = client_for("vanthu").get("/seals/register/").context["totals"]
    assert totals["entries"] == 2


def test_csv_and_xlsx_exports_match_the_filtered_view(client_for, stamped, catalogue):
    client = client_for("kiemtra")
    response = client.get("/seals/register/", {"procedure": catalogue["birth"].code, "format": "csv"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][0] == "Năm" and len(rows) == 3
    assert {r[1] for r in rows[1:]} == {str(stamped[0].sequence), str(stamped[2].sequence)}
    response = client.get("/seals/register/", {"procedure": catalogue["birth"].code, "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert sheet.max_row == 3 and sheet["L2"].value == "Trích lục khai sinh cho Nguyễn Văn An"


def test_register_pdf_is_issued_once_and_reads_in_vietnamese(client_for, stamped, tmp_path):
    client = client_for("vanthu")
    client.post("/seals/register/pdf/")
    client.post("/seals/register/pdf/")  # the same rows: the same document, not a second number
    first = client.get("/seals/register/pdf/")
    pdf = b"".join(first.streaming_content)
    again = b"".join(client.get("/seals/register/pdf/").streaming_content)
    assert first["Content-Type"] == "application/pdf" and pdf == again
    path = tmp_path / "register.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "SỔ ĐÓNG DẤU" in text and "Trích lục khai sinh" in text
    assert timezone.localdate().strftime("%d/%m/%Y") in text


def test_register_is_closed_to_roles_without_business_there(client_for, stamped):
    for username in ("tiepnhan", "congchuc", "truongphong"):
        assert client_for(username).get("/seals/register/").status_code == 403


def test_bad_date_range_is_refused_with_a_message(client_for, stamped):
    response = client_for("vanthu").get("/seals/register/", {"date_from": "2026-05-02", "date_to": "2026-05-01"})
    assert response.status_code == 400 and "Từ ngày" in response.content.decode()


def test_seal_pages_show_the_timeline(client_for, seal, stamped, django_assert_max_num_queries):
    client = client_for("giamdoc")
    with django_assert_max_num_queries(15):
        response = client.get(f"/seals/{seal.pk}/")
    assert response.status_code == 200 and "Trích lục khai sinh" in response.content.decode()
    assert client.get("/seals/").status_code == 200
    assert client_for("tiepnhan").get(f"/seals/{seal.pk}/").status_code == 403


def test_desk_takes_the_procedure_by_code_or_by_name(client_for, desk_post, catalogue):
    client = client_for("vanthu")
    for text in (catalogue["copy"].code, "Cấp bản sao từ sổ gốc", f"{catalogue['copy'].code} — Cấp bản sao từ sổ gốc"):
        assert client.post("/seals/stamp/", desk_post(procedure=text, form_token=text)).status_code == 302
    assert set(StampingEntry.objects.values_list("procedure", flat=True)) == {catalogue["copy"].pk}
    response = client.post("/seals/stamp/", desk_post(procedure="không có thủ tục này"))
    assert "Không tìm thấy thủ tục" in response.content.decode()


def test_desk_page_queries_do_not_grow_with_the_entries(client_for, stamped, django_assert_max_num_queries):
    client = client_for("vanthu")
    client.get("/seals/stamp/")
    with django_assert_max_num_queries(12):
        assert client.get("/seals/stamp/").status_code == 200


def test_register_filter_bar_takes_dates_day_first_says_tat_ca_and_counts_the_matches(client_for, stamped):
    client = client_for("kiemtra")
    today = timezone.localdate()
    response = client.get("/seals/register/", {"date_from": today.strftime("%d/%m/%Y"), "date_to": ""})
    body = response.content.decode()
    assert response.status_code == 200 and len(response.context["rows"]) == 3
    assert response.context["count"].value == 3 and response.context["count"].exact
    assert 'data-testid="filter-bar"' in body and "---------" not in body and ">Tất cả</option>" in body
    assert f'value="{today:%d/%m/%Y}"' in body
    refused = client.get("/seals/register/", {"date_from": "12/31/2026"})
    assert refused.status_code == 400 and "dd/mm/yyyy" in refused.content.decode()


def test_offsite_list_has_the_same_filter_bar_and_keeps_my_requests_on_reset(client_for, seal):
    response = client_for("giamdoc").get("/seals/offsite/", {"mine": "1", "date_from": "01/01/2026"})
    body = response.content.decode()
    assert response.status_code == 200 and 'data-testid="filter-bar"' in body and "---------" not in body
    assert 'href="?mine=1"' in body and response.context["count"].exact


def test_register_rows_cross_out_a_voided_entry_and_name_its_correction(client_for, stamped, demo_users):
    """The rows are written in Python (issue 14): same cells, links, badges and crossing-out as before."""
    from seals.services.stamping import stamping_correct

    void = stamping_correct(entry=stamped[0], correction="void", reason="ghi nhầm", actor=demo_users["vanthu"])
    body = client_for("vanthu").get("/seals/register/").content.decode()
    original = f'<a href="/seals/stampings/{stamped[0].pk}/">{stamped[0].year}/{stamped[0].sequence}</a>'
    assert f'<tr class="text-decoration-line-through text-muted"><td class="text-nowrap">{original}</td>' in body
    assert f'<a href="/seals/stampings/{void.pk}/">' in body and '<span class="badge text-bg-warning">' in body
    assert timezone.localtime(stamped[1].stamped_at).strftime("%d/%m/%Y %H:%M") in body
    assert body.count('data-testid="stamping-rows"') == 1 and "Chưa có lần đóng dấu nào" not in body


def test_an_entry_page_names_its_corrections_and_a_correction_page_the_entry_it_corrects(
    client_for, stamped, demo_users, django_assert_max_num_queries
):
    """The entry it corrects comes in the query of its corrections (issue 14: one table less to plan)."""
    from seals.services.stamping import stamping_correct

    original = stamped[0]
    void = stamping_correct(entry=original, correction="void", reason="ghi nhầm", actor=demo_users["vanthu"])
    client = client_for("kiemtra")
    with django_assert_max_num_queries(4):
        corrected = client.get(f"/seals/stampings/{original.pk}/").content.decode()
    assert (
        f'Mục này đã được đính chính bởi <a href="/seals/stampings/{void.pk}/">mục số {void.sequence}</a>' in corrected
    )
    assert "ghi nhầm" in corrected and "alert-warning" not in corrected
    with django_assert_max_num_queries(4):
        correction = client.get(f"/seals/stampings/{void.pk}/").content.decode()
    assert f'<a href="/seals/stampings/{original.pk}/">mục số {original.sequence}</a>. Lý do: ghi nhầm' in correction
    assert "Mục này đã được đính chính" not in correction


@pytest.mark.parametrize("closed_since", [0, 25])
def test_a_seal_page_shows_its_open_incident_among_the_newest_or_behind_them(
    client_for, seal, demo_users, closed_since
):
    """The open incident is found among the twenty newest the page lists, else looked for (issue 14: a query less)."""
    from seals.models import SealIncident

    now = timezone.now()
    SealIncident.objects.create(
        seal=seal,
        kind="damaged",
        description="Mặt dấu bị mòn",
        reported_by=demo_users["vanthu"],
        reported_at=now - timedelta(days=60),
        status_before=seal.status,
    )
    SealIncident.objects.bulk_create(
        SealIncident(
            seal=seal,
            kind="damaged",
            description=f"Sự cố {i}",
            reported_by=demo_users["vanthu"],
            reported_at=now - timedelta(days=i + 1),
            status_before=seal.status,
            closed_by=demo_users["giamdoc"],
            closed_at=now - timedelta(days=i),
            outcome="restored",
            resolution="Đã sửa",
        )
        for i in range(closed_since)
    )
    body = client_for("giamdoc").get(f"/seals/{seal.pk}/").content.decode()
    assert "Sự cố đang mở: " in body and "Mặt dấu bị mòn" in body and "Kết thúc sự cố" in body
