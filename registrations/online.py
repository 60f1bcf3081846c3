"""The online channel's upload checks and the public lookup (DESIGN.md section 6: /submit/, /lookup/).

Thủ tục mục b: the applicant scans the originals into one PDF file. Only a real PDF is kept:
judged by its content (header, end marker and a successful parse), never by its name or the
browser's content type, and no larger than `REGISTRATION_UPLOAD_MAX_BYTES`.
"""

import hashlib
import io
import logging

from django.conf import settings
from django.core.cache import cache
from pypdf import PdfReader
from pypdf.errors import PdfReadError

from tuson_hcc.core.errors import BusinessRuleError

from .choices import DossierStatus
from .models import Dossier
from .numbering import lookup_secret_matches

logger = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
LOOKUP_ATTEMPTS = 20  # per client address …
LOOKUP_WINDOW_SECONDS = 600  # … per 10 minutes


def upload_max_bytes() -> int:
    return int(getattr(settings, "REGISTRATION_UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES))


def pdf_upload_validate(upload) -> None:
    """Raise BusinessRuleError unless `upload` is one readable PDF within the size limit."""
    limit = upload_max_bytes()
    if upload is None or not upload.size:
        raise BusinessRuleError("Chọn tệp PDF bản scan hồ sơ.", field="scan")
    if upload.size > limit:
        raise BusinessRuleError(
            f"Tệp quá lớn ({upload.size / 1024 / 1024:.1f} MB): tối đa {limit // (1024 * 1024)} MB.", field="scan"
        )
    upload.seek(0)
    head = upload.read(1024)
    upload.seek(max(0, upload.size - 2048))
    tail = upload.read()
    upload.seek(0)
    if not head.lstrip(b"\r\n\t ").startswith(b"%PDF-") or b"%%EOF" not in tail:
        raise BusinessRuleError(
            "Tệp không phải là tệp PDF (đã kiểm tra nội dung tệp, không dựa vào tên).", field="scan"
        )
    try:
        reader = PdfReader(io.BytesIO(upload.read()), strict=False)
        pages = len(reader.pages)
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        logger.info("refused an unreadable PDF: %s", exc)
        raise BusinessRuleError("Tệp PDF bị hỏng hoặc không đọc được.", field="scan") from exc
    finally:
        upload.seek(0)
    if pages < 1:
        raise BusinessRuleError("Tệp PDF không có trang nào.", field="scan")


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
        "due_at": dossier.due_at if dossier.status == DossierStatus.ACCEPTED else None,
        "returned": dossier.status == DossierStatus.RETURNED,
    }
