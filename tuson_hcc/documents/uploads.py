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


# Seal specimens and other scans that may come as an image: judged by their content, like PDFs.
IMAGE_FORMATS = {"PNG": "png", "JPEG": "jpg"}


def scan_upload_check(
    upload, *, field: str, max_bytes: int = DEFAULT_MAX_BYTES, missing: str = "Chọn tệp PDF hoặc ảnh."
) -> str:
    """Raise BusinessRuleError unless `upload` is a readable PDF, PNG or JPEG; return its extension.

    A PDF goes through `pdf_upload_check`; an image must be decoded by Pillow as PNG or JPEG.
    """
    if upload is None or not upload.size:
        raise BusinessRuleError(missing, field=field)
    upload.seek(0)
    head = upload.read(1024)
    upload.seek(0)
    if head.lstrip(b"\r\n\t ").startswith(b"%PDF-"):
        pdf_upload_check(upload, field=field, max_bytes=max_bytes, missing=missing)
        return "pdf"
    if upload.size > max_bytes:
        raise BusinessRuleError(
            f"Tệp quá lớn ({upload.size / 1024 / 1024:.1f} MB): tối đa {max_bytes // (1024 * 1024)} MB.", field=field
        )
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(upload.read())) as image:
            image_format = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        logger.info("refused an unreadable scan: %s", exc)
        raise BusinessRuleError(
            "Tệp không phải PDF hay ảnh PNG/JPEG: nội dung cho thấy tệp không đọc được (không dựa vào tên tệp).",
            field=field,
        ) from exc
    finally:
        upload.seek(0)
    if image_format not in IMAGE_FORMATS:
        raise BusinessRuleError("Chỉ nhận tệp PDF hoặc ảnh PNG/JPEG.", field=field)
    return IMAGE_FORMATS[image_format]
