"""The online channel's upload checks and the public lookup (DESIGN.md section 6: /submit/, /lookup/).

Thủ tục mục b: the applicant scans the originals into one PDF file. Only a real PDF is kept:
judged by its content (header, end marker and a successful parse), never by its name or the
browser's content type, and no larger than `REGISTRATION_UPLOAD_MAX_BYTES`.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache

from tuson_hcc.documents.uploads import DEFAULT_MAX_BYTES, pdf_upload_check

from .choices import DossierStatus
from .models import Dossier
from .numbering import lookup_secret_matches

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
    key = f"registrations:lookup:{client_key}"
    cache.add(key, 0, LOOKUP_WINDOW_SECONDS)
    try:
        attempts = cache.incr(key)
    except ValueError:
        cache.set(key, 1, LOOKUP_WINDOW_SECONDS)
        attempts = 1
    return attempts <= LOOKUP_ATTEMPTS


def dossier_lookup(*, code: str, secret: str) -> dict | None:
    """Status and appointment of the dossier `code`, if `secret` is its secret; nothing else, never personal data."""
    dossier = (
        Dossier.objects.filter(code=code.strip().upper())
        .only("code", "status", "due_at", "secret_hash", "returned_at")
        .first()
    )
    if dossier is None or not lookup_secret_matches(code=dossier.code, secret=secret, stored_hash=dossier.secret_hash):
        return None
    return {
        "code": dossier.code,
        "status": DossierStatus(dossier.status).label,
        "due_at": dossier.due_at if dossier.status in (DossierStatus.ACCEPTED, DossierStatus.RESULT_READY) else None,
        "returned": dossier.status == DossierStatus.RETURNED,
    }
