"""Reading never issues (issue 11, point 6; DESIGN.md section 3): a GET opens what was issued or an
unnumbered preview; only the roles that issue make a numbered document, by a POST."""

import re
import subprocess
from datetime import timedelta

import pytest
from django.utils import timezone

from seals.models import CustodyEntry, StampingEntry
from seals.selectors import RegisterFilter
from seals.services.custody import custody_minute_issue, handover_consent_grant, seal_hand_over
from seals.services.offsite import offsite_decide
from seals.services.papers import offsite_document_issue, register_document_issue
from seals.services.stamping import stamping_record
from tests.core.test_anonymous_access import ALL_ROUTES, _concrete
from tuson_hcc.core.errors import BusinessRuleError
from tuson_hcc.documents.models import IssuedDocument

pytestmark = pytest.mark.django_db

PREVIEW = "BẢN XEM TRƯỚC"


@pytest.fixture
def desk(seal, catalogue, document, demo_users, make_request):
    """A day at the desk: two stampings and an off-site request the Director has given an opinion on."""
    for _ in range(2):
        stamping_record(seal=seal, procedure=catalogue["birth"], document=document(), actor=demo_users["vanthu"])
    offsite = make_request(starts_in=timedelta(minutes=30))  # tests/seals/conftest.py
    offsite.refresh_from_db()
    offsite_decide(
        request=offsite, step="director_opinion", approved=True, version=offsite.version, actor=demo_users["giamdoc"]
    )
    offsite.refresh_from_db()
    return {"seal": seal, "offsite": offsite}


@pytest.fixture
def handed_over(seal, demo_users):
    """The Văn thư hands the seal to an official with the Director's consent: one custody entry, its minute issued."""
    handover_consent_grant(
        seal=seal,
        recipient=demo_users["congchuc"],
        purpose="Kiểm tra mặt dấu",
        valid_until=timezone.now() + timedelta(hours=1),
        actor=demo_users["giamdoc"],
    )
    return seal_hand_over(seal=seal, recipient=demo_users["congchuc"], actor=demo_users["vanthu"])


def _pdf_text(response, tmp_path) -> str:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    path = tmp_path / "read.pdf"
    path.write_bytes(body)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def _url_for(route: str, desk: dict) -> str:
    ids = {"seals/offsite/": desk["offsite"].pk, "seals/stampings/": StampingEntry.objects.first().pk}
    custody = CustodyEntry.objects.first()
    if custody:
        ids["seals/custody/"] = custody.pk
    for prefix, pk in ids.items():
        if route.startswith(prefix):
            return "/" + _concrete(route).lstrip("/").replace("/1/", f"/{pk}/", 1)
    if route.startswith("seals/<int:pk>"):
        return _concrete(route).replace("/1/", f"/{desk['seal'].pk}/", 1)
    return _concrete(route)


READ_ROUTES = [r for r in ALL_ROUTES if not r.startswith(("admin/", "^admin", "static/", "i18n/", "accounts/logout"))]


@pytest.mark.parametrize("username", ["kiemtra", "giamdoc", "truongphong", "congchuc", "vanthu"])
def test_no_get_by_anyone_creates_an_issued_document(client_for, desk, handed_over, username):
    client = client_for(username)
    before = IssuedDocument.objects.count()
    urls = [_url_for(route, desk) for route in READ_ROUTES]
    urls += ["/seals/register/pdf/?print=1", f"/seals/offsite/{desk['offsite'].pk}/pdf/?inline=1"]
    for url in urls:
        client.get(url)
    assert IssuedDocument.objects.count() == before, "a GET issued a document"


@pytest.mark.parametrize("username", ["kiemtra", "giamdoc"])
def test_a_reader_gets_an_unnumbered_preview_where_nothing_was_issued(client_for, desk, username, tmp_path):
    client = client_for(username)
    for url in ("/seals/register/pdf/", f"/seals/offsite/{desk['offsite'].pk}/pdf/"):
        response = client.get(url)
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        assert response["Cache-Control"] == "private, no-store"
        text = _pdf_text(response, tmp_path)
        assert PREVIEW in text and "không có giá trị pháp lý" in text
        assert not re.search(r"Số: \d+/\d{4}", text) and "Mã xác thực" not in text
    assert not IssuedDocument.objects.exists()


def test_the_van_thu_issues_the_register_by_post_and_the_auditor_then_opens_that_document(client_for, desk, tmp_path):
    response = client_for("vanthu").post("/seals/register/pdf/")
    assert response.status_code == 302
    issued = IssuedDocument.objects.get(kind="so_dong_dau")
    assert issued.issued_by.username == "vanthu" and issued.number
    read = client_for("kiemtra").get("/seals/register/pdf/")
    assert b"".join(read.streaming_content) == issued.file.open("rb").read()
    assert PREVIEW not in _pdf_text(client_for("kiemtra").get("/seals/register/pdf/"), tmp_path)
    assert IssuedDocument.objects.count() == 1


@pytest.mark.parametrize("username", ["kiemtra", "giamdoc"])
def test_readers_cannot_issue_the_register_by_post(client_for, desk, username):
    assert client_for(username).post("/seals/register/pdf/").status_code == 403
    assert not IssuedDocument.objects.exists()


def test_the_requester_issues_the_offsite_paper_and_the_director_cannot(client_for, desk):
    url = f"/seals/offsite/{desk['offsite'].pk}/pdf/"
    assert client_for("giamdoc").post(url).status_code == 403
    assert not IssuedDocument.objects.exists()
    assert client_for("congchuc").post(url).status_code == 302
    issued = IssuedDocument.objects.get(kind="de_nghi_mang_dau")
    assert issued.issued_by.username == "congchuc"
    assert b"".join(client_for("giamdoc").get(url).streaming_content) == issued.file.open("rb").read()


# --- the paperwork services refuse the wrong role themselves (issue 11, point 13) ---------------


@pytest.mark.parametrize("username", ["kiemtra", "giamdoc", "congchuc", "truongphong"])
def test_register_issue_service_refuses_every_role_but_the_van_thu(desk, demo_users, username):
    today = timezone.localdate()
    with pytest.raises(BusinessRuleError, match="Văn thư"):
        register_document_issue(criteria=RegisterFilter(date_from=today, date_to=today), actor=demo_users[username])
    assert not IssuedDocument.objects.exists()


@pytest.mark.parametrize("username", ["kiemtra", "giamdoc", "truongphong"])
def test_offsite_paper_service_refuses_who_neither_asked_nor_files(desk, demo_users, username):
    with pytest.raises(BusinessRuleError, match="Điều 7.5 và 8.4"):
        offsite_document_issue(offsite=desk["offsite"], actor=demo_users[username])
    assert not IssuedDocument.objects.exists()


@pytest.mark.parametrize("username", ["kiemtra", "giamdoc", "congchuc"])
def test_custody_minute_service_refuses_every_role_but_the_van_thu(handed_over, demo_users, username):
    entry = handed_over
    before = IssuedDocument.objects.count()
    with pytest.raises(BusinessRuleError, match="Văn thư"):
        custody_minute_issue(entry=entry, actor=demo_users[username])
    assert IssuedDocument.objects.count() == before
