"""Each role's first screen answers "what awaits me today": counts that link to the filtered list (issue 13)."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from seals.services.offsite import offsite_check_out
from seals.services.stamping import stamping_record
from tests.seals import test_offsite

PASSWORD, _approve_all = test_offsite.PASSWORD, test_offsite._approve_all

pytestmark = pytest.mark.django_db


def _count(page: str, href: str) -> int:
    match = re.search(re.escape(f'href="{href}"') + r'[^>]*>\s*<span class="today-count__value">(\d+)</span>', page)
    assert match, f"no count linking to {href}"
    return int(match.group(1))


def test_director_sees_todays_stampings_per_seal_waiting_requests_and_overdue_seals(
    make_request, users, seal, catalogue, document, client_for, time_machine, django_assert_max_num_queries
):
    time_machine.move_to(datetime(2026, 11, 24, 8, 30, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")))
    for _ in range(2):
        stamping_record(seal=seal, procedure=catalogue["birth"], document=document(), actor=users["vanthu"])
    make_request()  # waits for the Director's opinion
    late = _approve_all(make_request(starts_in=timedelta(minutes=10)), users)
    offsite_check_out(request=late, carrier_password=PASSWORD, actor=users["vanthu"])
    time_machine.move_to(late.due_back_at + timedelta(hours=1))  # the same day, 12:40
    client = client_for("giamdoc")
    client.get("/")
    # Constant, whatever the data: the auditors' history panel counts one query per tracked model.
    with django_assert_max_num_queries(45):
        page = client.get("/").content.decode().replace("&amp;", "&")
    offsite = reverse("seals:offsite_list")
    assert _count(page, f"{reverse('seals:register')}?seal={seal.pk}") == 2
    assert _count(page, f"{offsite}?status=submitted") == 1
    assert _count(page, f"{offsite}?overdue=1") == 1
    assert _count(page, f"{reverse('registrations:list')}?view=overdue") == 0
    # The seal out of the Centre, named with its status and who holds it, links to its page.
    seal.refresh_from_db()
    away = (
        f'<a href="{seal.get_absolute_url()}">{seal.code}</a> ({seal.get_status_display()}, {late.carrier.full_name})'
    )
    assert seal.status == seal.Status.OFF_SITE and away in page
    # The links open the lists they count.
    listed = client.get(offsite, {"overdue": "1"}).context["page"]
    assert [r.pk for r in listed] == [late.pk]
    assert len(client.get(reverse("seals:register"), {"seal": seal.pk}).context["rows"]) == 2


def test_the_dashboard_keeps_its_off_site_lists_yet_a_check_out_turns_overdue_with_no_write(
    make_request, users, client_for, time_machine
):
    """Quy chế Điều 7: a seal out past its due-back time is flagged. The dashboard keeps the requests'
    counts, the open check-outs and what awaits the user while the off-site tables stay unchanged
    (migration core 0006); which check-outs are past due is decided at every view."""
    import uuid

    from tuson_hcc.core.models import ListVersion

    ListVersion.objects.get_or_create(id=1, defaults={"token": uuid.uuid4().hex})  # else nothing is kept
    time_machine.move_to(datetime(2026, 11, 24, 8, 30, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")))
    late = _approve_all(make_request(starts_in=timedelta(minutes=10)), users)
    offsite_check_out(request=late, carrier_password=PASSWORD, actor=users["vanthu"])
    client = client_for("giamdoc")
    offsite = reverse("seals:offsite_list")

    def page():
        return client.get("/").content.decode().replace("&amp;", "&")

    assert _count(page(), f"{offsite}?overdue=1") == 0
    assert _count(page(), f"{offsite}?status=submitted") == 0
    make_request()  # a new request waits for the Director's opinion: the kept counts are read again
    assert _count(page(), f"{offsite}?status=submitted") == 1
    time_machine.move_to(late.due_back_at + timedelta(hours=1))
    assert _count(page(), f"{offsite}?overdue=1") == 1


@pytest.mark.parametrize(
    ("username", "href"),
    [
        ("vanthu", "/seals/offsite/?status=permitted"),
        ("truongphong", "/seals/offsite/?status=forwarded"),
        ("congchuc", "/seals/offsite/?mine=1&status=draft"),
        ("kiemtra", "/seals/register/"),
    ],
)
def test_each_role_sees_its_own_queue_in_bounded_queries(
    username, href, make_request, client_for, django_assert_max_num_queries
):
    make_request()
    make_request(submit=False)
    client = client_for(username)
    client.get("/")
    with django_assert_max_num_queries(45):  # constant; the history panel counts per tracked model
        page = client.get("/").content.decode().replace("&amp;", "&")
    expected = 1 if username == "congchuc" else 0
    assert _count(page, href) == expected


def test_a_count_the_user_may_not_open_is_shown_without_a_link(client_for):
    page = client_for("truongphong").get("/").content.decode()
    assert reverse("registrations:list") not in page and reverse("seals:register") not in page
