"""Off-site requests: Director's opinion → Head's decision → Director's permission, in writing and in order
(Quy chế 157, Điều 5.2, 6.2, 8.4), then check-out and return through the Văn thư (Điều 7)."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from seals.models import CustodyEntry, OffsiteRequest, Seal, SealCheckout, StampingEntry
from seals.services.offsite import (
    offsite_check_out,
    offsite_decide,
    offsite_request_update,
    offsite_request_withdraw,
    offsite_return,
)
from seals.services.reminders import reminders_send
from tests.private_files import assert_served_privately
from tuson_hcc.core.errors import BusinessRuleError
from tuson_hcc.documents.models import IssuedDocument

pytestmark = pytest.mark.django_db
PASSWORD = "test-pass-2026"  # tests/conftest.py's demo_users password
Status = OffsiteRequest.Status


def _decide(request, step, username, users, approved=True, comment="Đồng ý"):
    request.refresh_from_db()
    return offsite_decide(
        request=request, step=step, approved=approved, version=request.version, comment=comment, actor=users[username]
    )


def _approve_all(request, users):
    _decide(request, "director_opinion", "giamdoc", users)
    _decide(request, "head_decision", "truongphong", users)
    _decide(request, "director_permission", "giamdoc", users)
    request.refresh_from_db()
    return request


def test_full_journey_ends_with_the_seal_back_in_custody(make_request, users, seal, catalogue):
    request = _approve_all(make_request(), users)
    assert request.status == Status.PERMITTED
    checkout = offsite_check_out(request=request, carrier_password=PASSWORD, actor=users["vanthu"])
    seal.refresh_from_db()
    assert (seal.status, seal.custodian) == (Seal.Status.OFF_SITE, users["congchuc"])
    offsite_return(
        request=request,
        condition="Nguyên vẹn",
        actor=users["vanthu"],
        stampings=[
            {
                "procedure": catalogue["birth"],
                "stamped_at": timezone.now(),
                "document": {
                    "document_type": "Trích lục",
                    "document_number": "5/TL",
                    "document_date": timezone.localdate(),
                    "summary": "Trích lục khai tử",
                    "signer_name": "Lê Thị Lan",
                    "signer_position": "Trưởng phòng",
                    "is_signed": True,
                    "copies": 1,
                    "impressions": 1,
                    "kind": "signature",
                    "sheets": None,
                },
            }
        ],
    )
    seal.refresh_from_db()
    request.refresh_from_db()
    checkout.refresh_from_db()
    assert (seal.status, seal.custodian, request.status) == (Seal.Status.IN_CUSTODY, users["vanthu"], Status.RETURNED)
    entry = StampingEntry.objects.get()
    assert (entry.place, entry.checkout, entry.requested_by) == ("offsite", checkout, users["congchuc"].full_name)
    movements = list(CustodyEntry.objects.order_by("sequence").values_list("movement", flat=True))
    assert movements == ["check_out", "return"]
    assert IssuedDocument.objects.filter(kind="bien_ban_giao_nhan_con_dau").count() == 2
    reasons = list(request.history.order_by("history_date").values_list("history_change_reason", flat=True))
    assert reasons[0] == "lập đề nghị mang con dấu ra ngoài" and reasons[-1] == "trả con dấu"


def test_steps_cannot_be_skipped(make_request, users):
    request = make_request()
    with pytest.raises(BusinessRuleError, match="chưa đến hoặc đã qua"):
        _decide(request, "head_decision", "truongphong", users)
    with pytest.raises(BusinessRuleError, match="chưa đến hoặc đã qua"):
        _decide(request, "director_permission", "giamdoc", users)
    _decide(request, "director_opinion", "giamdoc", users)
    with pytest.raises(BusinessRuleError, match="chưa đến hoặc đã qua"):
        _decide(request, "director_permission", "giamdoc", users)


def test_a_step_cannot_be_repeated(make_request, users):
    request = make_request()
    _decide(request, "director_opinion", "giamdoc", users)
    with pytest.raises(BusinessRuleError, match="chưa đến hoặc đã qua"):
        _decide(request, "director_opinion", "giamdoc", users)


def test_only_the_head_of_the_seals_agency_decides_dieu_6_2(make_request, users):
    request = make_request()
    _decide(request, "director_opinion", "giamdoc", users)
    with pytest.raises(BusinessRuleError, match="Chỉ Thủ trưởng Phòng Tư pháp"):
        _decide(request, "head_decision", "chutich", users)  # a Head, but of another agency
    with pytest.raises(BusinessRuleError, match="Thủ trưởng"):
        _decide(request, "head_decision", "giamdoc", users)  # wrong role
    request.refresh_from_db()
    assert request.status == Status.FORWARDED


def test_only_the_director_gives_opinion_and_permission(make_request, users):
    request = make_request()
    for username in ("vanthu", "truongphong", "kiemtra"):
        with pytest.raises(BusinessRuleError):
            _decide(request, "director_opinion", username, users)


def test_the_requester_or_carrier_cannot_decide_on_their_own_request(make_request, users):
    # A deputy acting as Director who is also the carrier of the request.
    request = make_request(carrier="giamdoc")
    with pytest.raises(BusinessRuleError, match="không được tự quyết định"):
        _decide(request, "director_opinion", "giamdoc", users)
    request.refresh_from_db()
    assert request.status == Status.SUBMITTED and not request.decisions.exists()


def test_refusals_end_the_request_and_need_a_reason(make_request, users):
    request = make_request()
    with pytest.raises(BusinessRuleError, match="lý do"):
        _decide(request, "director_opinion", "giamdoc", users, approved=False, comment="")
    _decide(request, "director_opinion", "giamdoc", users)
    _decide(request, "head_decision", "truongphong", users, approved=False, comment="Không cần thiết")
    request.refresh_from_db()
    assert request.status == Status.REFUSED
    with pytest.raises(BusinessRuleError):
        _decide(request, "director_permission", "giamdoc", users)


def test_a_decision_on_an_outdated_version_is_refused(make_request, users, catalogue):
    request = make_request()
    seen_version = request.version
    offsite_request_update(request=request, actor=users["congchuc"], destination="Phường Tân Hồng")
    with pytest.raises(BusinessRuleError, match="đã được sửa"):
        offsite_decide(
            request=request, step="director_opinion", approved=True, version=seen_version, actor=users["giamdoc"]
        )


def test_decision_on_a_withdrawn_request_is_refused(make_request, users):
    request = make_request()
    offsite_request_withdraw(request=request, actor=users["congchuc"])
    with pytest.raises(BusinessRuleError):
        _decide(request, "director_opinion", "giamdoc", users)


def test_decision_on_an_expired_request_is_refused(make_request, users, time_machine):
    request = _approve_all(make_request(), users)
    time_machine.move_to(request.starts_at + timedelta(hours=5))
    with pytest.raises(BusinessRuleError, match="hết hạn"):
        offsite_check_out(request=request, carrier_password=PASSWORD, actor=users["vanthu"])
    request.refresh_from_db()
    assert request.status == Status.EXPIRED


def test_check_out_needs_full_permission_dieu_8_4(make_request, users):
    request = make_request()
    _decide(request, "director_opinion", "giamdoc", users)
    _decide(request, "head_decision", "truongphong", users)
    with pytest.raises(BusinessRuleError, match="Điều 8.4"):
        offsite_check_out(request=request, carrier_password=PASSWORD, actor=users["vanthu"])
    assert not SealCheckout.objects.exists()


def test_check_out_only_to_the_named_carrier_who_confirms_with_their_password(make_request, users, seal):
    request = _approve_all(make_request(), users)
    with pytest.raises(BusinessRuleError, match="Mật khẩu xác nhận"):
        offsite_check_out(request=request, carrier_password="not-theirs", actor=users["vanthu"])
    seal.refresh_from_db()
    assert seal.status == Seal.Status.IN_CUSTODY and not SealCheckout.objects.exists()


def test_check_out_and_return_only_by_the_van_thu(make_request, users):
    request = _approve_all(make_request(), users)
    with pytest.raises(BusinessRuleError, match="Văn thư"):
        offsite_check_out(request=request, carrier_password=PASSWORD, actor=users["giamdoc"])
    offsite_check_out(request=request, carrier_password=PASSWORD, actor=users["vanthu"])
    with pytest.raises(BusinessRuleError, match="Văn thư"):
        offsite_return(request=request, condition="x", stampings=[], actor=users["congchuc"])


def test_second_check_out_of_the_same_seal_is_refused(make_request, users):
    first = _approve_all(make_request(), users)
    second = _approve_all(make_request(), users)
    offsite_check_out(request=first, carrier_password=PASSWORD, actor=users["vanthu"])
    with pytest.raises(BusinessRuleError):
        offsite_check_out(request=second, carrier_password=PASSWORD, actor=users["vanthu"])
    assert SealCheckout.objects.count() == 1


def test_database_allows_one_open_check_out_per_seal(make_request, users, seal):
    from django.db import IntegrityError, transaction

    first = _approve_all(make_request(), users)
    second = _approve_all(make_request(), users)
    offsite_check_out(request=first, carrier_password=PASSWORD, actor=users["vanthu"])
    with pytest.raises(IntegrityError), transaction.atomic():
        SealCheckout.objects.create(
            request=second,
            seal=seal,
            carrier=users["congchuc"],
            checked_out_by=users["vanthu"],
            checked_out_at=timezone.now(),
            due_back_at=timezone.now(),
        )


def test_off_site_stamping_must_be_for_an_allowed_procedure(make_request, users, catalogue):
    request = _approve_all(make_request(), users)
    offsite_check_out(request=request, carrier_password=PASSWORD, actor=users["vanthu"])
    with pytest.raises(BusinessRuleError, match="đã được cho phép"):
        offsite_return(
            request=request,
            condition="x",
            actor=users["vanthu"],
            stampings=[{"procedure": catalogue["copy"], "stamped_at": timezone.now(), "document": {}}],
        )
    request.refresh_from_db()
    assert request.status == Status.CHECKED_OUT and not StampingEntry.objects.exists()


def test_overdue_shows_on_dashboards_and_reminders_are_sent_once(make_request, users, client_for, time_machine):
    request = _approve_all(make_request(), users)
    offsite_check_out(request=request, carrier_password=PASSWORD, actor=users["vanthu"])
    time_machine.move_to(request.due_back_at + timedelta(hours=2, minutes=5))
    for username in ("giamdoc", "vanthu", "truongphong"):
        page = client_for(username).get("/").content.decode()
        assert "Quá hạn trả" in page and "2 giờ 5 phút" in page, username
    mail.outbox.clear()
    assert reminders_send()["overdue"] == 1
    assert {"giamdoc@tuson.example.vn", "truongphong@tuson.example.vn"} <= {m.to[0] for m in mail.outbox}
    assert reminders_send()["overdue"] == 0  # safe to run every few minutes (repeats: test_offsite_reminders.py)


def test_the_request_page_flags_a_seal_out_past_its_time_until_it_is_back(
    make_request, users, client_for, time_machine
):
    """Quy chế 157, Điều 7: a seal out past its due-back time is flagged at once, on the request's page as on
    the lists (`checkout_overdue`, one meaning), and no longer once the Văn thư has taken it back."""
    request = _approve_all(make_request(), users)
    offsite_check_out(request=request, carrier_password=PASSWORD, actor=users["vanthu"])
    client = client_for("giamdoc")

    def flagged() -> bool:
        return "Quá hạn trả con dấu." in client.get(f"/seals/offsite/{request.pk}/").content.decode()

    time_machine.move_to(request.due_back_at - timedelta(minutes=1))
    assert not flagged()
    time_machine.move_to(request.due_back_at + timedelta(minutes=1))
    assert flagged()
    offsite_return(request=request, condition="Nguyên vẹn", stampings=[], actor=users["vanthu"])
    assert not flagged()


def test_reminders_reach_whoever_must_decide_next(make_request, users):
    request = make_request()
    assert mail.outbox[-1].to == ["giamdoc@tuson.example.vn"]  # told when the step was committed
    OffsiteRequest.objects.filter(pk=request.pk).update(reminded_at=None)  # as if that had not happened
    mail.outbox.clear()
    assert reminders_send()["awaiting"] == 1
    assert mail.outbox[0].to == ["giamdoc@tuson.example.vn"]
    assert reminders_send()["awaiting"] == 0
    _decide(request, "director_opinion", "giamdoc", users)
    reminders_send()
    assert mail.outbox[-1].to == ["truongphong@tuson.example.vn"]


def test_pages_by_role_and_object(make_request, users, client_for, django_assert_max_num_queries):
    request = make_request()
    director = client_for("giamdoc")
    with django_assert_max_num_queries(12):
        assert director.get("/seals/offsite/").status_code == 200
    assert client_for("giamdoc").get(f"/seals/offsite/{request.pk}/").status_code == 200
    # The Chairman heads another agency: the request looks missing to him.
    assert client_for("chutich").get(f"/seals/offsite/{request.pk}/").status_code == 404
    assert client_for("tiepnhan").get("/seals/offsite/").status_code == 403
    response = client_for("truongphong").post(
        f"/seals/offsite/{request.pk}/decide/", {"step": "director_opinion", "version": 1, "approved": "1"}
    )
    assert response.status_code == 400 and "Giám đốc" in response.content.decode()
    pdf = client_for("congchuc").get(f"/seals/offsite/{request.pk}/pdf/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"


@pytest.mark.django_db(transaction=True)
def test_two_check_outs_of_one_seal_at_the_same_instant_exactly_one_succeeds(postgres_only, request):
    import threading

    from django.db import connection

    users, make_request = request.getfixturevalue("users"), request.getfixturevalue("make_request")
    requests = [_approve_all(make_request(), users) for _ in range(2)]
    barrier, outcomes = threading.Barrier(2), []

    def desk(offsite):
        try:
            barrier.wait()
            offsite_check_out(request=offsite, carrier_password=PASSWORD, actor=users["vanthu"])
            outcomes.append("ok")
        except BusinessRuleError as error:
            outcomes.append(error.message)
        finally:
            connection.close()

    threads = [threading.Thread(target=desk, args=(r,)) for r in requests]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes, key=lambda o: o != "ok")[0] == "ok" and outcomes.count("ok") == 1
    assert SealCheckout.objects.count() == 1
    assert CustodyEntry.objects.count() == 1


def test_official_creates_and_submits_through_the_form_and_the_van_thu_can_write_it_for_them(
    client_for, users, seal, catalogue
):
    now = timezone.localtime() + timedelta(hours=1)
    data = {
        "seal": seal.pk,
        "requested_by": users["truongphong"].pk,
        "purpose": "Cấp bách",
        "procedures": [catalogue["birth"].pk],
        "documents": "01 quyết định",
        "destination": "UBND phường",
        "carrier": users["congchuc"].pk,
        "starts_at": now.strftime("%Y-%m-%dT%H:%M"),
        "due_back_at": (now + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "urgency": "urgent",
        "submit_now": "1",
    }
    response = client_for("congchuc").post("/seals/offsite/new/", data)
    assert response.status_code == 302
    created = OffsiteRequest.objects.get()
    # The official's own name stands, whatever the form said.
    assert (created.requested_by, created.status) == (users["congchuc"], Status.SUBMITTED)
    response = client_for("vanthu").post("/seals/offsite/new/", {**data, "requested_by": users["congchuc"].pk})
    assert response.status_code == 302 and OffsiteRequest.objects.latest("id").entered_by == users["vanthu"]
    bad = client_for("congchuc").post("/seals/offsite/new/", {**data, "due_back_at": data["starts_at"]})
    assert bad.status_code == 400 and "Hạn trả con dấu phải sau" in bad.content.decode()
    assert client_for("kiemtra").post("/seals/offsite/new/", data).status_code == 403


def test_the_next_decider_is_mailed_as_soon_as_a_step_is_committed(
    make_request, users, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        request = make_request()
    assert [m.to for m in mail.outbox] == [["giamdoc@tuson.example.vn"]]
    with django_capture_on_commit_callbacks(execute=True):
        _decide(request, "director_opinion", "giamdoc", users)
    assert mail.outbox[-1].to == ["truongphong@tuson.example.vn"]
    assert reminders_send()["awaiting"] == 0  # already told: the command does not mail again


def test_a_signed_decision_scan_is_stored_privately_and_served_to_the_parties(make_request, client_for, users):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .factories import tiny_pdf

    request = make_request()
    director = client_for("giamdoc")
    bad = director.post(
        f"/seals/offsite/{request.pk}/decide/",
        {
            "step": "director_opinion",
            "version": 1,
            "approved": "1",
            "scan": SimpleUploadedFile("y.pdf", b"GIF89a"),
        },
    )
    assert bad.status_code == 400 and not request.decisions.exists()
    good = director.post(
        f"/seals/offsite/{request.pk}/decide/",
        {
            "step": "director_opinion",
            "version": 1,
            "approved": "1",
            "comment": "Đồng ý",
            "scan": SimpleUploadedFile("y.pdf", tiny_pdf()),
        },
    )
    assert good.status_code == 302
    decision = request.decisions.get()
    url = f"/seals/offsite/{request.pk}/decisions/{decision.pk}/scan/"
    response = client_for("congchuc").get(url)
    assert_served_privately(response, about=decision, user=response.wsgi_request.user, body_starts=b"%PDF-")
    assert client_for("chutich").get(url).status_code == 404  # another agency's Head: the request looks missing


def test_the_specimen_image_is_served_only_to_signed_in_readers(client_for, seal, client):
    from django.core.files.base import ContentFile

    seal.specimen.save("mau.png", ContentFile(b"\x89PNG\r\n\x1a\nfake"), save=True)
    response = client_for("kiemtra").get(f"/seals/{seal.pk}/specimen/")
    assert_served_privately(response, about=seal, user=response.wsgi_request.user, body_starts=b"\x89PNG")
    assert response["Content-Type"] == "image/png"
    assert client_for("tiepnhan").get(f"/seals/{seal.pk}/specimen/").status_code == 403
    assert 'src="/seals/' in client_for("vanthu").get(f"/seals/{seal.pk}/").content.decode()


def test_a_request_cannot_be_edited_once_a_decision_rests_on_it(make_request, users):
    request = make_request()
    _decide(request, "director_opinion", "giamdoc", users)
    with pytest.raises(BusinessRuleError, match="không sửa được"):
        offsite_request_update(request=request, actor=users["congchuc"], destination="Nơi khác")
    request.refresh_from_db()
    assert (request.destination, request.version) == ("Phường Đình Bảng", 1)


def test_nothing_to_return_before_a_check_out(make_request, users):
    request = _approve_all(make_request(), users)
    with pytest.raises(BusinessRuleError, match="không có con dấu đang ở ngoài"):
        offsite_return(request=request, condition="x", stampings=[], actor=users["vanthu"])


def test_the_decision_form_is_offered_only_to_whoever_may_decide_now(make_request, users):
    from seals.services.offsite import offsite_next_step

    request = make_request(carrier="giamdoc")  # the Director carries it: someone else must decide
    request.refresh_from_db()
    assert request.status == "submitted"
    assert offsite_next_step(request=request, user=users["giamdoc"]) is None
    other = make_request()
    other.refresh_from_db()
    assert offsite_next_step(request=other, user=users["giamdoc"]) == "director_opinion"
    assert offsite_next_step(request=other, user=users["truongphong"]) is None
    _decide(other, "director_opinion", "giamdoc", users)
    other.refresh_from_db()
    assert offsite_next_step(request=other, user=users["truongphong"]) == "head_decision"
    assert offsite_next_step(request=other, user=users["chutich"]) is None


def test_the_list_filters_combine_within_the_users_scope(make_request, users, client_for):
    from django.utils import timezone as tz

    submitted = make_request()
    draft = make_request(submit=False)
    today = tz.localdate().isoformat()
    director = client_for("giamdoc")
    rows = list(
        director.get("/seals/offsite/", {"status": "submitted", "date_from": today, "date_to": today}).context["page"]
    )
    assert [r.pk for r in rows] == [submitted.pk]
    rows = list(director.get("/seals/offsite/", {"date_to": "2020-01-01"}).context["page"])
    assert rows == []
    assert {r.pk for r in client_for("congchuc").get("/seals/offsite/", {"mine": "1"}).context["page"]} == {
        submitted.pk,
        draft.pk,
    }


def test_a_request_keeps_its_printed_number_when_a_decision_makes_a_new_print(make_request, users, client_for):
    from tuson_hcc.documents.models import IssuedDocument

    request = make_request()
    client_for("vanthu").post(f"/seals/offsite/{request.pk}/pdf/")
    _decide(request, "director_opinion", "giamdoc", users)
    client_for("vanthu").post(f"/seals/offsite/{request.pk}/pdf/")
    prints = IssuedDocument.objects.filter(kind="de_nghi_mang_dau", object_id=str(request.pk))
    # One request, one "Số" (NĐ 30/2020 Phụ lục I): a new print after a decision is not a new document number.
    assert prints.count() == 2 and len(set(prints.values_list("number", flat=True))) == 1
