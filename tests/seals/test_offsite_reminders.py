"""Reminders about an overdue seal repeat until it is back (issue 11, point 2), sent by the worker.

Quy chế 157, Điều 7.2 (the Văn thư answers for the seal's safe keeping) and Điều 8.4 (it leaves only with
written consent, so it must come back): the carrier who holds it is told, and so are the Director(s),
who permitted it and answer for it (Điều 5.2), and the Head of the owning agency (Điều 6.2).
"""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from django_q.scheduler import scheduler

from seals.models import SealCheckout
from seals.services.offsite import offsite_check_out, offsite_return
from seals.services.reminders import overdue_remind, reminders_send
from tuson_hcc.jobs.schedules import schedules_ensure
from tuson_hcc.notifications.models import OutboundMessage
from tuson_hcc.notifications.selectors import messages_about

from .test_offsite import PASSWORD, _approve_all

OVERDUE = "quá hạn trả"


def _overdue_mails() -> list:
    return [m for m in mail.outbox if OVERDUE in m.subject]


@pytest.fixture
def out_late(make_request, users, time_machine, settings):  # noqa: F811
    """A permitted request whose seal went out on time and is now one minute overdue."""
    settings.OVERDUE_REMINDER_INTERVAL_MINUTES = 60
    request = _approve_all(make_request(), users)
    time_machine.move_to(request.starts_at, tick=False)
    checkout = offsite_check_out(request=request, carrier_password=PASSWORD, actor=users["vanthu"])
    time_machine.move_to(checkout.due_back_at + timedelta(minutes=1), tick=False)
    mail.outbox.clear()
    return request, checkout


def test_the_worker_reminds_carrier_director_and_head_once_per_interval_until_the_seal_is_back(
    out_late,
    users,  # noqa: F811
    time_machine,
    settings,
):
    request, checkout = out_late
    schedules_ensure()  # what `migrate` leaves behind; then only the worker's scheduler runs, no command

    scheduler()
    first_at = timezone.now()
    first = _overdue_mails()
    assert sorted(m.to[0] for m in first) == sorted(
        ["congchuc@tuson.example.vn", "giamdoc@tuson.example.vn", "truongphong@tuson.example.vn"]
    )  # the carrier (congchuc) among them: Điều 8.4; the Director: Điều 5.2
    assert all(checkout.seal.code in m.subject and "Điều 7.2 và 8.4" in m.body for m in first)

    for minutes in (10, 30, 59):
        time_machine.move_to(first_at + timedelta(minutes=minutes), tick=False)
        scheduler()
        assert len(_overdue_mails()) == 3  # within the interval: nothing more

    # The schedule looks every REMINDERS_EVERY_MINUTES, so the next round goes out within that after the interval.
    time_machine.move_to(first_at + timedelta(minutes=60 + settings.REMINDERS_EVERY_MINUTES), tick=False)
    scheduler()
    assert len(_overdue_mails()) == 6  # the next interval: everyone again

    time_machine.move_to(timezone.now() + timedelta(minutes=5), tick=False)
    offsite_return(request=request, condition="Nguyên vẹn", stampings=[], actor=users["vanthu"])
    time_machine.move_to(timezone.now() + timedelta(hours=3), tick=False)
    scheduler()
    assert len(_overdue_mails()) == 6  # back: reminders stop


def test_every_reminder_is_on_the_requests_timeline_and_its_page(out_late, client_for):
    request, _checkout = out_late
    reminders_send()
    recorded = [m for m in messages_about(request) if OVERDUE in m.subject]
    assert len(recorded) == 3 and {m.status for m in recorded} == {OutboundMessage.Status.SENT}
    # the deciders' notices of each step are on it too
    assert any("chờ ý kiến" in m.subject for m in messages_about(request))
    page = client_for("giamdoc").get(f"/seals/offsite/{request.pk}/").content.decode()
    assert page.count("congchuc@tuson.example.vn: [HCC Từ Sơn] Con dấu") == 1
    assert "Đã gửi" in page


def test_two_runs_in_the_same_interval_send_one_reminder(out_late):
    _request, checkout = out_late
    assert reminders_send()["overdue"] == 1
    assert reminders_send()["overdue"] == 0
    assert overdue_remind(checkout.pk) is False
    assert len(_overdue_mails()) == 3


def test_the_interval_is_a_setting(out_late, settings, time_machine):
    settings.OVERDUE_REMINDER_INTERVAL_MINUTES = 15
    reminders_send()
    time_machine.move_to(timezone.now() + timedelta(minutes=15), tick=False)
    assert reminders_send()["overdue"] == 1
    assert len(_overdue_mails()) == 6


def test_a_seal_not_yet_due_is_not_reminded(make_request, users, time_machine):  # noqa: F811
    request = _approve_all(make_request(), users)
    time_machine.move_to(request.starts_at, tick=False)
    checkout = offsite_check_out(request=request, carrier_password=PASSWORD, actor=users["vanthu"])
    time_machine.move_to(checkout.due_back_at - timedelta(minutes=1), tick=False)
    mail.outbox.clear()
    assert reminders_send()["overdue"] == 0 and _overdue_mails() == []


@pytest.mark.django_db(transaction=True)
def test_two_overlapping_runs_remind_once_under_the_row_lock(postgres_only, request):
    import threading

    from django.db import connection

    checkout = request.getfixturevalue("out_late")[1]
    barrier, results = threading.Barrier(2), []
    now = timezone.now()

    def run():
        try:
            barrier.wait()
            results.append(overdue_remind(checkout.pk, now=now))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [False, True]
    assert OutboundMessage.objects.filter(subject__contains=OVERDUE).count() == 3
    assert SealCheckout.objects.get(pk=checkout.pk).overdue_notified_at == now
