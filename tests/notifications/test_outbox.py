"""The outbox (CONTRACTS.md): every message is a row, delivered by the worker with retries and backoff."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.db import transaction
from django.utils import timezone

from tuson_hcc.accounts.models import Agency
from tuson_hcc.core.errors import BusinessRuleError
from tuson_hcc.notifications import sms
from tuson_hcc.notifications.models import OutboundMessage
from tuson_hcc.notifications.selectors import messages_about
from tuson_hcc.notifications.services import message_queue, message_resend
from tuson_hcc.notifications.tasks import messages_deliver_due, retry_delay

Status = OutboundMessage.Status


@pytest.fixture(autouse=True)
def _empty_outboxes():
    mail.outbox.clear()
    sms.outbox.clear()


@pytest.fixture
def agency(db):
    return Agency.objects.create(name="Phòng Thử nghiệm", short_name="TN")


def test_an_email_with_its_attachment_goes_out_after_commit_and_is_recorded(agency, demo_users):
    pdf = b"%PDF-1.4 test %%EOF"
    with transaction.atomic():
        message = message_queue(
            channel="email",
            recipient=" nguoinhan@example.vn ",
            subject="Giấy biên nhận",
            body="Kính gửi ông/bà",
            about=agency,
            attachments=[("bien-nhan.pdf", pdf, "application/pdf")],
            actor=demo_users["tiepnhan"],
        )
        assert mail.outbox == []
    message.refresh_from_db()
    assert (message.status, message.attempts, message.recipient) == (Status.SENT, 1, "nguoinhan@example.vn")
    assert message.sent_at is not None and message.created_by == demo_users["tiepnhan"]
    (sent,) = mail.outbox
    assert sent.to == ["nguoinhan@example.vn"] and sent.subject == "Giấy biên nhận"
    assert sent.attachments == [("bien-nhan.pdf", pdf, "application/pdf")]
    assert [a.succeeded for a in message.delivery_attempts.all()] == [True]
    assert list(messages_about(agency)) == [message]


def test_nobody_to_tell_means_nothing_recorded(db):
    assert message_queue(channel="email", recipient="", subject="x", body="y") is None
    assert message_queue(channel="sms", recipient=None, subject="", body="y") is None
    assert not OutboundMessage.objects.exists()


def test_an_sms_goes_through_the_configured_backend(db):
    message = message_queue(channel="sms", recipient="0912345678", subject="", body="Hồ sơ đã được tiếp nhận")
    message.refresh_from_db()
    assert message.status == Status.SENT
    assert sms.outbox == [{"to": "0912345678", "body": "Hồ sơ đã được tiếp nhận"}]


def test_a_failed_attempt_is_recorded_and_retried_with_growing_delays_then_given_up(db, failing_mail, settings):
    settings.MESSAGE_MAX_ATTEMPTS = 3
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        message = message_queue(channel="email", recipient="a@example.vn", subject="s", body="b")
        message.refresh_from_db()
        assert (message.status, message.attempts) == (Status.QUEUED, 1)
        assert "SMTP server down" in message.last_error
        assert message.next_attempt_at == start + retry_delay(1)

        clock.shift(retry_delay(1) - dt.timedelta(seconds=1))
        assert messages_deliver_due() == 0  # not due yet: no second attempt early
        assert OutboundMessage.objects.get().attempts == 1

        clock.shift(dt.timedelta(seconds=1))
        messages_deliver_due()
        message.refresh_from_db()
        assert message.attempts == 2 and message.status == Status.QUEUED
        assert retry_delay(2) == 2 * retry_delay(1)

        clock.shift(retry_delay(2))
        messages_deliver_due()
        message.refresh_from_db()
    assert (message.status, message.attempts) == (Status.FAILED, 3)
    assert "SMTP server down" in message.last_error and message.next_attempt_at is None
    assert [a.succeeded for a in message.delivery_attempts.all()] == [False, False, False]
    assert mail.outbox == []
    assert messages_deliver_due() == 0  # failed for good: the sweeper leaves it alone


def test_a_retry_succeeds_once_the_server_is_back(db, failing_mail):
    message = message_queue(channel="email", recipient="a@example.vn", subject="s", body="b")
    failing_mail["up"] = True
    with time_machine.travel(timezone.now() + retry_delay(1)):
        assert messages_deliver_due() == 1
    message.refresh_from_db()
    assert (message.status, message.attempts, len(mail.outbox)) == (Status.SENT, 2, 1)


def test_the_one_resend_service_refuses_the_wrong_role_and_keeps_the_failure_on_record(
    db, failing_mail, settings, demo_users, agency
):
    settings.MESSAGE_MAX_ATTEMPTS = 1
    message = message_queue(channel="email", recipient="a@example.vn", subject="s", body="b", about=agency)
    message.refresh_from_db()
    assert message.status == Status.FAILED
    # At the service level, not only behind a view: no role is registered for an agency's messages.
    for name in ("vanthu", "tiepnhan", "kiemtra", "giamdoc"):
        with pytest.raises(BusinessRuleError, match="không có quyền gửi lại"):
            message_resend(message=message, actor=demo_users[name])
    assert OutboundMessage.objects.count() == 1  # nothing written by a refusal
    failing_mail["up"] = True
    admin = type(demo_users["vanthu"]).objects.create_superuser("quantri-test", "q@example.vn", "x")
    copy = message_resend(message=message, actor=admin)
    message.refresh_from_db()
    copy.refresh_from_db()
    assert (message.status, message.attempts) == (Status.FAILED, 1)  # the failure stays recorded
    assert copy.resend_of == message and (copy.status, copy.attempts, len(mail.outbox)) == (Status.SENT, 1, 1)
    assert (copy.recipient, copy.subject, copy.body, copy.about) == ("a@example.vn", "s", "b", agency)
    with pytest.raises(BusinessRuleError, match="đã được gửi lại"):
        message_resend(message=message, actor=admin)  # one copy per failure
    with pytest.raises(BusinessRuleError, match="đã gửi không được"):
        message_resend(message=copy, actor=admin)  # sent: nothing to resend


def test_the_admin_action_resends_through_the_service(db, failing_mail, settings, demo_users, client):
    settings.MESSAGE_MAX_ATTEMPTS = 1
    message = message_queue(channel="email", recipient="a@example.vn", subject="s", body="b")
    failing_mail["up"] = True
    admin = type(demo_users["vanthu"]).objects.create_superuser("quantri-test", "q@example.vn", "x")
    client.force_login(admin)
    from django.urls import reverse

    response = client.post(
        reverse("admin:notifications_outboundmessage_changelist"),
        {"action": "resend", "_selected_action": [message.pk]},
    )
    assert response.status_code == 302
    copy = OutboundMessage.objects.get(resend_of=message)
    assert copy.status == Status.SENT and OutboundMessage.objects.get(pk=message.pk).status == Status.FAILED


def test_a_message_that_carried_a_secret_is_not_resent_without_a_new_one(db, failing_mail, settings, demo_users):
    from tuson_hcc.notifications.models import SECRET_MASK

    settings.MESSAGE_MAX_ATTEMPTS = 1
    message = message_queue(
        channel="email", recipient="a@example.vn", subject="s", body=f"mã: {SECRET_MASK}", secret="BÍMẬT123"
    )
    message.refresh_from_db()
    assert message.status == Status.FAILED and message.sealed_secret == "" and message.secret_wiped_at
    admin = type(demo_users["vanthu"]).objects.create_superuser("quantri-test", "q@example.vn", "x")
    with pytest.raises(BusinessRuleError, match="cấp mã mới"):
        message_resend(message=message, actor=admin)
    failing_mail["up"] = True
    copy = message_resend(message=message, actor=admin, secret="MỚI456")
    assert copy.carries_secret and [m.body for m in mail.outbox] == ["mã: MỚI456"]
    assert not OutboundMessage.objects.filter(body__contains="MỚI456").exists()


def test_a_message_is_never_sent_twice_when_the_sweeper_meets_a_fresh_job(db):
    message = message_queue(channel="email", recipient="a@example.vn", subject="s", body="b")
    from tuson_hcc.notifications.tasks import message_deliver

    assert message_deliver(message.pk) is False  # already sent by its own job
    assert messages_deliver_due() == 0
    assert len(mail.outbox) == 1
