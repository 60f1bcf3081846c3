"""Object scope on every page with an object id (Quy chế 157, Điều 6.2, 7; NĐ 30/2020, Điều 32): the stamping log
is read by the Văn thư, the Director and auditors only; a custody minute by them and the parties to it; a Head
of another agency, or an official who is no party, finds nothing of another agency's seal.

The walker visits every route of the project that carries an object id, as every demo role and as the Head of
another agency, with real objects for the seal pages."""

import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from seals.models import CustodyEntry, Seal, StampingEntry
from seals.services.offsite import offsite_check_out, offsite_decide
from seals.services.oversight import exception_record, incident_report
from seals.services.stamping import stamping_record
from tuson_hcc.accounts.models import User

from .factories import tiny_pdf

pytestmark = pytest.mark.django_db
PASSWORD = "test-pass-2026"
# Every demo role, the Head of another agency (Tài chính - Kế hoạch) and an official who is party to nothing.
WALKERS = [
    "vanthu",
    "giamdoc",
    "chutich",
    "truongphong",
    "congchuc",
    "tiepnhan",
    "kiemtra",
    "admin",
    "truongphong_tckh",
    "congchuc_khac",
]
OUTSIDERS = ["chutich", "truongphong_tckh", "congchuc_khac"]
SUMMARY = "Trích lục khai sinh cho Nguyễn Văn An"


def _routes(patterns=None, prefix=""):
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern) and "<" in route and not route.startswith("admin/"):
            yield route, pattern.callback


OBJECT_ROUTES = sorted(set(_routes()), key=lambda r: r[0])


@pytest.fixture
def world(seal, catalogue, document, users, make_request):
    """One of every object a seal page can show: a stamping, an off-site trip with its minute and a signed
    decision scan, an exception authorisation, an incident."""
    clerk = users["vanthu"]
    other = User.objects.create(username="congchuc_khac", full_name="Công chức khác", agency=catalogue["finance"])
    other.set_password(PASSWORD)
    other.save()
    other.groups.add(*users["congchuc"].groups.all())
    entry = stamping_record(seal=seal, procedure=catalogue["birth"], document=document(summary=SUMMARY), actor=clerk)
    request = make_request()
    request.refresh_from_db()
    decision = offsite_decide(
        request=request,
        step="director_opinion",
        approved=True,
        version=request.version,
        actor=users["giamdoc"],
        scan=SimpleUploadedFile("y-kien.pdf", tiny_pdf(), content_type="application/pdf"),
    )
    for step, username in (("head_decision", "truongphong"), ("director_permission", "giamdoc")):
        request.refresh_from_db()
        offsite_decide(request=request, step=step, approved=True, version=request.version, actor=users[username])
    request.refresh_from_db()
    offsite_check_out(request=request, carrier_password=PASSWORD, actor=clerk)
    exception = exception_record(
        seal=seal,
        document_number="15/UBND-VP",
        document_date=timezone.localdate(),
        signed_by="Chủ tịch",
        scan=SimpleUploadedFile("cho-phep.pdf", tiny_pdf(), content_type="application/pdf"),
        purpose="Giấy mời",
        valid_from=timezone.localdate(),
        valid_until=timezone.localdate() + timedelta(days=5),
        max_uses=3,
        actor=users["giamdoc"],
    )
    spare = Seal.objects.create(code="PTP-03", agency=seal.agency, custodian=clerk)
    incident = incident_report(seal=spare, kind="damaged", description="Mòn", actor=clerk)
    return {
        "seal": seal,
        "entry": entry,
        "request": request,
        "decision": decision,
        "minute": CustodyEntry.objects.get(),
        "exception": exception,
        "incident": incident,
        "procedure": catalogue["birth"],
        "users": {**users, "congchuc_khac": other},
    }


def _url(route: str, world: dict) -> str:
    """The route with real ids: the seal pages get the world's objects; other apps an id that may not exist."""
    ids = {
        "seals/<int:pk>/": world["seal"].pk,
        "seals/incidents/": world["incident"].pk,
        "seals/custody/": world["minute"].pk,
        "seals/stampings/": world["entry"].pk,
        "seals/exceptions/": world["exception"].pk,
        "seals/offsite/": world["request"].pk,
        "procedures/<int:pk>/": world["procedure"].pk,
    }
    pk = next((value for prefix, value in ids.items() if route.startswith(prefix)), 1)
    url = route.replace("<modellabel:label>", "seals.seal").replace("<str:fmt>", "csv")
    url = url.replace("<int:decision_pk>", str(world["decision"].pk)).replace("<int:document_pk>", "1")
    url = re.sub(r"<(?:int|str):pk>", str(world["seal"].pk if "modellabel" in route else pk), url)
    url = re.sub(r"<\w+:\w+>", "1", url)
    return "/" + url


def test_the_walker_finds_every_seal_route_with_an_object_id():
    seal_routes = [route for route, _ in OBJECT_ROUTES if route.startswith("seals/")]
    assert len(seal_routes) >= 20


def test_every_object_route_answers_each_role_by_its_roles_and_never_fails(client, world):
    """A role the view does not name is refused (403, or 405 where the method is checked first) whatever the
    object; no page errors for anyone."""
    failures = []
    for username in WALKERS:
        user = world["users"].get(username) or User.objects.get(username=username)
        client.force_login(user)
        for route, view in OBJECT_ROUTES:
            url = _url(route, world)
            status = client.get(url).status_code
            allowed = getattr(view, "required_roles", None) or getattr(
                getattr(view, "view_class", None), "required_roles", None
            )
            if status >= 500:
                failures.append((username, url, status))
            elif allowed and not user.has_role(*allowed) and status not in (403, 405):
                failures.append((username, url, status, "expected 403"))
    assert failures == []


# The seal pages as seen from outside: (url key, what an outsider gets).
OUTSIDE = {
    "stamping": 403,
    "minute": 404,
    "offsite": 404,
    "offsite_pdf": 404,
    "decision_scan": 404,
    "exception_scan": 403,
}


def _seal_urls(world):
    request = world["request"]
    return {
        "stamping": f"/seals/stampings/{world['entry'].pk}/",
        "minute": f"/seals/custody/{world['minute'].pk}/minute/",
        "offsite": f"/seals/offsite/{request.pk}/",
        "offsite_pdf": f"/seals/offsite/{request.pk}/pdf/",
        "decision_scan": f"/seals/offsite/{request.pk}/decisions/{world['decision'].pk}/scan/",
        "exception_scan": f"/seals/exceptions/{world['exception'].pk}/scan/",
    }


@pytest.mark.parametrize("username", OUTSIDERS)
def test_a_head_of_another_agency_or_an_unrelated_official_finds_nothing_of_this_seal_dieu_6_2(client, world, username):
    client.force_login(world["users"].get(username) or User.objects.get(username=username))
    page = client.get(f"/seals/{world['seal'].pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert SUMMARY not in html and "/seals/stampings/" not in html and "/minute/" not in html
    for key, url in _seal_urls(world).items():
        assert client.get(url).status_code == OUTSIDE[key], (username, key)


def test_the_seal_page_shows_stamping_lines_only_to_readers_of_the_register(client, world):
    for username in ("vanthu", "giamdoc", "kiemtra"):
        client.force_login(world["users"][username])
        assert SUMMARY in client.get(f"/seals/{world['seal'].pk}/").content.decode(), username
    for username in ("truongphong", "congchuc"):  # the seal's own Head and official: not register readers
        client.force_login(world["users"][username])
        assert SUMMARY not in client.get(f"/seals/{world['seal'].pk}/").content.decode(), username


def test_a_custody_minute_opens_to_readers_and_to_the_parties_only_nd30_dieu_32(client, world):
    url = _seal_urls(world)["minute"]
    minute = world["minute"]
    assert (minute.giver, minute.receiver) == (world["users"]["vanthu"], world["users"]["congchuc"])
    for username, expected in [
        ("vanthu", 200),
        ("giamdoc", 200),
        ("kiemtra", 200),
        ("congchuc", 200),  # the receiver, who carried the seal
        ("truongphong", 404),  # the Head decided, but is no party to the handover
        ("chutich", 404),
    ]:
        client.force_login(world["users"][username])
        assert client.get(url).status_code == expected, username


def test_the_minute_link_shows_exactly_to_whom_the_minute_opens_nd30_dieu_32(client, world):
    """The seal and off-site pages mark each custody line readable in Python (`custody_lines`); the minute
    itself is guarded in SQL (`custody_visible_to`): both must say the same for every role."""
    minute_url = _seal_urls(world)["minute"]
    pages = (f"/seals/{world['seal'].pk}/", f"/seals/offsite/{world['request'].pk}/")
    for username in ("vanthu", "giamdoc", "kiemtra", "congchuc", "truongphong", "chutich", "congchuc_khac"):
        client.force_login(world["users"][username])
        opens = client.get(minute_url).status_code == 200
        for page in pages:
            response = client.get(page)
            if response.status_code == 200:
                assert (minute_url in response.content.decode()) == opens, (username, page)


def test_off_site_stamping_lines_show_only_to_readers_of_the_register(client, world, catalogue):
    from seals.services.offsite import offsite_return

    request = world["request"]
    offsite_return(
        request=request,
        condition="Nguyên vẹn",
        actor=world["users"]["vanthu"],
        stampings=[
            {
                "procedure": catalogue["birth"],
                "stamped_at": timezone.now(),
                "document": {
                    "document_type": "Trích lục",
                    "document_date": timezone.localdate(),
                    "summary": "Đóng ngoài Trung tâm cho bà Lý",
                    "signer_name": "Lê Thị Lan",
                    "signer_position": "Trưởng phòng",
                    "is_signed": True,
                    "copies": 1,
                    "impressions": 1,
                    "kind": "signature",
                },
            }
        ],
    )
    assert StampingEntry.objects.filter(place="offsite").count() == 1
    client.force_login(world["users"]["truongphong"])
    html = client.get(f"/seals/offsite/{request.pk}/").content.decode()
    assert "bà Lý" not in html and "1 lần đóng dấu ngoài Trung tâm" in html
    client.force_login(world["users"]["kiemtra"])
    assert "bà Lý" in client.get(f"/seals/offsite/{request.pk}/").content.decode()
