"""The lookup secret sealed while its message waits in the outbox (issue 11 point 9).

Fernet (AES-128-CBC + HMAC-SHA256, from `cryptography`) with a key derived from SECRET_KEY under its own
label, so the database alone never yields the secret; the sealed value is wiped once the message is
delivered or has failed for good.
"""

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings


class SealBroken(Exception):
    """The sealed value cannot be opened (SECRET_KEY changed, or the value was altered)."""


def _fernet() -> Fernet:
    digest = hashlib.sha256(b"tuson_hcc.notifications.sealed_secret\0" + settings.SECRET_KEY.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def seal(secret: str) -> str:
    return _fernet().encrypt(secret.encode()).decode("ascii")


def unseal(sealed: str) -> str:
    try:
        return _fernet().decrypt(sealed.encode("ascii")).decode()
    except (InvalidToken, ValueError) as exc:
        raise SealBroken("không mở được mã tra cứu đã niêm phong") from exc
