"""The eSMS.vn adapter, with a fake transport: nothing leaves the machine in tests."""

import pytest

from tuson_hcc.notifications.sms import EsmsBackend, SmsDeliveryError


@pytest.fixture
def esms_settings(settings):
    settings.ESMS_API_KEY = "key-123"
    settings.ESMS_SECRET_KEY = "secret-456"
    settings.ESMS_BRANDNAME = "HCCTUSON"
    settings.ESMS_UNICODE = False
    return settings


def test_the_request_carries_credentials_brandname_and_text_without_diacritics(esms_settings):
    seen = []

    def transport(url, payload, timeout):
        seen.append((url, payload, timeout))
        return {"CodeResult": "100", "SMSID": "abc"}

    EsmsBackend(transport=transport).send("0912345678", "Hồ sơ số 12 đã được tiếp nhận")
    ((url, payload, timeout),) = seen
    assert url.startswith("https://") and timeout == esms_settings.SMS_TIMEOUT_SECONDS
    assert payload == {
        "ApiKey": "key-123",
        "SecretKey": "secret-456",
        "Phone": "0912345678",
        "Content": "Ho so so 12 da duoc tiep nhan",
        "SmsType": "2",
        "IsUnicode": "0",
        "Brandname": "HCCTUSON",
    }


def test_unicode_mode_keeps_the_vietnamese_text(esms_settings):
    esms_settings.ESMS_UNICODE = True
    seen = []
    EsmsBackend(transport=lambda url, payload, timeout: seen.append(payload) or {"CodeResult": 100}).send(
        "0912345678", "Đã tiếp nhận"
    )
    assert seen[0]["Content"] == "Đã tiếp nhận" and seen[0]["IsUnicode"] == "1"


def test_a_refusal_by_the_provider_is_an_error_the_outbox_records(esms_settings):
    backend = EsmsBackend(transport=lambda *a: {"CodeResult": "104", "ErrorMessage": "Brandname chưa đăng ký"})
    with pytest.raises(SmsDeliveryError, match="104 Brandname"):
        backend.send("0912345678", "x")


def test_without_credentials_nothing_is_sent(settings):
    settings.ESMS_API_KEY = ""
    with pytest.raises(SmsDeliveryError):
        EsmsBackend(transport=lambda *a: pytest.fail("must not call the provider")).send("0912345678", "x")


def test_an_sms_through_the_outbox_records_the_providers_refusal(db, settings, monkeypatch):
    from tuson_hcc.notifications import sms
    from tuson_hcc.notifications.models import OutboundMessage
    from tuson_hcc.notifications.services import message_queue

    settings.SMS_BACKEND = "tuson_hcc.notifications.sms.EsmsBackend"
    settings.ESMS_API_KEY, settings.ESMS_SECRET_KEY = "k", "s"
    monkeypatch.setattr(sms, "_post_json", lambda url, payload, timeout: {"CodeResult": "99", "ErrorMessage": "lỗi"})
    message = message_queue(channel="sms", recipient="0912345678", subject="", body="x")
    message.refresh_from_db()
    assert message.status == OutboundMessage.Status.QUEUED and "CodeResult=99" in message.last_error
