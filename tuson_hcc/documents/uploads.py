"""Uploaded scans: only a real PDF is kept (DESIGN.md section 3; Thủ tục mục b).

Judged by content (header, end marker and a successful parse), never by the file name or the
browser's content type. Used by the registrations' online channel and by the seal desk's
written authorisations and signed decisions.
"""

import io
import logging

from pypdf import PdfReader
from pypdf.errors import PdfReadError

from tuson_hcc.core.errors import BusinessRuleError

logger = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 10 * 1024 * 1024


def pdf_upload_check(upload, *, field: str, max_bytes: int = DEFAULT_MAX_BYTES, missing: str = "Chọn tệp PDF.") -> None:
    """Raise BusinessRuleError (on `field`) unless `upload` is one readable PDF of at most `max_bytes`."""
    if upload is None or not upload.size:
        raise BusinessRuleError(missing, field=field)
    if upload.size > max_bytes:
        raise BusinessRuleError(
            f"Tệp quá lớn ({upload.size / 1024 / 1024:.1f} MB): tối đa {max_bytes // (1024 * 1024)} MB.", field=field
        )
    upload.seek(0)
    head = upload.read(1024)
    upload.seek(max(0, upload.size - 2048))
    tail = upload.read()
    upload.seek(0)
    if not head.lstrip(b"\r\n\t ").startswith(b"%PDF-") or b"%%EOF" not in tail:
        raise BusinessRuleError(
            "Tệp không phải PDF: nội dung cho thấy đây không phải là tệp PDF (không dựa vào tên tệp).", field=field
        )
    try:
        reader = PdfReader(io.BytesIO(upload.read()), strict=False)
        pages = len(reader.pages)
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        logger.info("refused an unreadable PDF: %s", exc)
        raise BusinessRuleError("Tệp PDF bị hỏng hoặc không đọc được.", field=field) from exc
    finally:
        upload.seek(0)
    if pages < 1:
        raise BusinessRuleError("Tệp PDF không có trang nào.", field=field)
