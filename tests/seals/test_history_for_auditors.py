"""What the seal desk does appears in the auditors' history with the right user and reason (issue 6)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from seals.services.offsite import offsite_decide, offsite_request_create, offsite_request_submit
from seals.services.stamping import stamping_record

pytestmark = pytest.mark.django_db


def test_auditor_sees_a_stamping_with_the_clerk_and_the_action(client_for, seal, catalogue, document, demo_users):
    entry = stamping_record(seal=seal, procedure=catalogue["birth"], document=document(), actor=demo_users["vanthu"])
    page = client_for("kiemtra").get("/history/", {"model": "seals.stampingentry"})
    assert page.status_code == 200
    (row,) = [e for e in page.context["page"].entries if e.object_id == entry.pk]
    assert row.reason == "đóng dấu" and row.row.history_user == demo_users["vanthu"]
    timeline = client_for("kiemtra").get(f"/history/seals.stampingentry/{entry.pk}/")
    assert "Trích lục khai sinh cho Nguyễn Văn An" in timeline.content.decode()


def test_auditor_sees_an_approval_with_the_director_and_the_step(client_for, seal, catalogue, demo_users):
    now = timezone.now()
    request = offsite_request_create(
        seal=seal,
        requested_by=demo_users["congchuc"],
        purpose="Cấp bách",
        procedures=[catalogue["birth"]],
        documents="01 trích lục",
        destination="Phường Đình Bảng",
        carrier=demo_users["congchuc"],
        starts_at=now + timedelta(hours=1),
        due_back_at=now + timedelta(hours=3),
        urgency="urgent",
        actor=demo_users["congchuc"],
    )
    offsite_request_submit(request=request, actor=demo_users["congchuc"])
    offsite_decide(request=request, step="director_opinion", approved=True, version=1, actor=demo_users["giamdoc"])
    page = client_for("kiemtra").get("/history/", {"model": "seals.offsiterequest", "user": demo_users["giamdoc"].pk})
    reasons = [e.reason for e in page.context["page"].entries]
    assert reasons == ["Ý kiến của Giám đốc Trung tâm: đồng ý"]
    changes = page.context["page"].entries[0].changes_text()
    assert "Chờ ý kiến Giám đốc → Chờ Thủ trưởng quyết định" in changes  # labels, not codes


def test_reports_count_standing_stampings_per_agency(seal, catalogue, document, demo_users, client_for):
    from seals.selectors import stampings_per_month
    from seals.services.stamping import stamping_correct

    entries = [
        stamping_record(seal=seal, procedure=catalogue["birth"], document=document(), actor=demo_users["vanthu"])
        for _ in range(3)
    ]
    stamping_correct(entry=entries[0], correction="void", reason="ghi nhầm", actor=demo_users["vanthu"])
    today = timezone.localdate()
    assert stampings_per_month(start=today.replace(day=1), end=today) == [(today.replace(day=1), "PTP", 2)]
    body = client_for("kiemtra").get("/history/reports/").content.decode()
    assert "Số lần đóng dấu theo tháng" in body


def test_reports_name_each_offsite_outcome_per_month_of_filing(make_request):
    from seals.models import OffsiteRequest
    from seals.selectors import offsite_per_month

    S = OffsiteRequest.Status
    requests = [make_request() for _ in range(5)]
    for request, status in zip(requests, [S.PERMITTED, S.RETURNED, S.DENIED, S.EXPIRED], strict=False):
        OffsiteRequest.objects.filter(pk=request.pk).update(status=status)  # the fifth waits (submitted)
    today = timezone.localdate()
    this_month = today.replace(day=1)
    last_month = (this_month - timedelta(days=1)).replace(day=1)
    OffsiteRequest.objects.filter(pk=requests[2].pk).update(created_at=timezone.now() - timedelta(days=today.day))
    assert offsite_per_month(start=last_month, end=today) == [
        (last_month, "không đồng ý", 1),
        (this_month, "rút / hết hạn", 1),
        (this_month, "đang xử lý", 1),
        (this_month, "được phép", 2),
    ]
