"""SMS backends, chosen by `settings.SMS_BACKEND` (a dotted path), like Django's e-mail backends.

- `ConsoleSmsBackend` (default): writes the message to stdout, for the demo and development.
- `EsmsBackend`: eSMS.vn's HTTPS JSON API (brand-name or notification SMS), configured by ESMS_* variables.
- `LocmemSmsBackend`: keeps messages in `sms.outbox`, for tests.
"""

import json
import sys
import urllib.request

from django.conf import settings
from django.utils.module_loading import import_string
from unidecode import unidecode

outbox: list[dict] = []


class SmsDeliveryError(Exception):
    pass


class BaseSmsBackend:
    def send(self, recipient: str, body: str) -> None:
        raise NotImplementedError


class ConsoleSmsBackend(BaseSmsBackend):
    def send(self, recipient: str, body: str) -> None:
        sys.stdout.write(f"SMS to {recipient}:\n{body}\n{'-' * 40}\n")
        sys.stdout.flush()


class LocmemSmsBackend(BaseSmsBackend):
    def send(self, recipient: str, body: str) -> None:
        outbox.append({"to": recipient, "body": body})


def _post_json(url: str, payload: dict, timeout: float) -> dict:
    request = urllib.request.Request(
        url,
        data=json.dumps(payload).encode(),
        headers={"Content-Type": "application/json", "Accept": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (https URL from settings)
        return json.loads(response.read().decode() or "{}")


class EsmsBackend(BaseSmsBackend):
    """eSMS.vn `SendMultipleMessage_V4_post_json`: CodeResult "100" means accepted.

    `transport(url, payload, timeout) -> dict` is injectable so tests never touch the network.
    Without ESMS_UNICODE the text goes out without diacritics (one SMS holds 160 such characters, 70 with them).
    """

    def __init__(self, transport=None):
        self.transport = transport or _post_json
        self.url = settings.ESMS_URL
        self.api_key = settings.ESMS_API_KEY
        self.secret_key = settings.ESMS_SECRET_KEY
        self.brandname = settings.ESMS_BRANDNAME
        self.sms_type = settings.ESMS_SMS_TYPE
        self.unicode = settings.ESMS_UNICODE

    def send(self, recipient: str, body: str) -> None:
        if not (self.api_key and self.secret_key):
            raise SmsDeliveryError("ESMS_API_KEY/ESMS_SECRET_KEY chưa được cấu hình.")
        payload = {
            "ApiKey": self.api_key,
            "SecretKey": self.secret_key,
            "Phone": recipient,
            "Content": body if self.unicode else unidecode(body),
            "SmsType": self.sms_type,
            "IsUnicode": "1" if self.unicode else "0",
        }
        if self.brandname:
            payload["Brandname"] = self.brandname
        answer = self.transport(self.url, payload, settings.SMS_TIMEOUT_SECONDS)
        if str(answer.get("CodeResult")) != "100":
            raise SmsDeliveryError(
                f"eSMS từ chối: CodeResult={answer.get('CodeResult')} {answer.get('ErrorMessage', '')}".strip()
            )


def get_sms_backend() -> BaseSmsBackend:
    return import_string(settings.SMS_BACKEND)()
