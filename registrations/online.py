"""The online channel's upload checks and the public lookup (DESIGN.md section 6: /submit/, /lookup/).

Thủ tục mục b: the applicant scans the originals into one PDF file. Only a real PDF is kept:
judged by its content (header, end marker and a successful parse), never by its name or the
browser's content type, and no larger than `REGISTRATION_UPLOAD_MAX_BYTES`.
"""

import hashlib

from django.conf import settings

from tuson_hcc.core.ratelimit import rate_limit_allows
from tuson_hcc.documents.uploads import DEFAULT_MAX_BYTES, pdf_upload_check

LOOKUP_ATTEMPTS = 20  # per client address …
LOOKUP_WINDOW_SECONDS = 600  # … per 10 minutes


def upload_max_bytes() -> int:
    return int(getattr(settings, "REGISTRATION_UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES))


def pdf_upload_validate(upload) -> None:
    """Raise BusinessRuleError unless `upload` is one readable PDF within the size limit."""
    pdf_upload_check(upload, field="scan", max_bytes=upload_max_bytes(), missing="Chọn tệp PDF bản scan hồ sơ.")


def scan_sha256(upload) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def lookup_allowed(client_key: str) -> bool:
    """A small per-address budget of lookups, so secrets cannot be guessed by brute force."""
    return rate_limit_allows(
        f"registrations:lookup:{client_key}", limit=LOOKUP_ATTEMPTS, window_seconds=LOOKUP_WINDOW_SECONDS
    )


def dossier_lookup(*, code: str, secret: str) -> dict | None:
    """What /lookup/ shows for `code` if `secret` is its secret (`completion.lookup_view`); never personal data."""
    from .completion import dossier_for_secret, lookup_view

    dossier = dossier_for_secret(code=code, secret=secret)
    return None if dossier is None else lookup_view(dossier)
