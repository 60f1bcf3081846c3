"""Issuing and serving documents (DESIGN.md section 3). Other apps use only these functions."""

import hashlib
import re

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, transaction
from django.http import HttpResponse
from django.utils import timezone, translation

from tuson_hcc.audit.models import AccessEvent
from tuson_hcc.audit.services import access_event_record
from tuson_hcc.core.history import tracked_save

from .models import DocumentCounter, IssuedDocument, new_verify_token
from .rendering import issuer_label, prepare_context, qr_data_uri, render_pdf
from .serving import content_disposition, private_file_response

ISSUE_REASON = "phát hành văn bản"
PREVIEW_MARK = "BẢN XEM TRƯỚC — không có giá trị pháp lý"


def _find(content_type, object_id, kind, key) -> IssuedDocument | None:
    return IssuedDocument.objects.filter(content_type=content_type, object_id=object_id, kind=kind, key=key).first()


def document_number_for(subject, kind: str) -> str | None:
    """The number first given to a `kind` document of `subject`: a later version of the same paper
    (an off-site request after a decision) is printed under the same "Số", not a new one."""
    return (
        IssuedDocument.objects.filter(
            content_type=ContentType.objects.get_for_model(subject), object_id=str(subject.pk), kind=kind
        )
        .order_by("issued_at", "id")
        .values_list("number", flat=True)
        .first()
    )


def document_find(*, subject, kind: str, key: str = "") -> IssuedDocument | None:
    """The document `kind` issued for `subject` under `key`, or None: what a reader may open."""
    return _find(ContentType.objects.get_for_model(subject), str(subject.pk), kind, key)


def document_preview_response(
    request, *, kind: str, title: str, template_name: str, context: dict, page_size: str = "A4", download: bool
):
    """An unnumbered preview of what `document_issue` would issue: rendered now, never stored.

    Reading never issues: a reader who finds nothing issued gets this instead, with no number, no
    QR code and no verification token, marked on every page as a preview without legal value.
    """
    pdf = render_pdf(
        template_name,
        {
            **context,
            "page_size": page_size,
            "document": {
                "kind": kind,
                "title": title,
                "number": "",
                "verify_token": "",
                "verify_url": "",
                "qr_data_uri": "",
                "issued_at": timezone.now(),
                "preview": PREVIEW_MARK,
            },
        },
    )
    access_event_record(kind=AccessEvent.Kind.DOCUMENT_VIEW, request=request, detail=f"bản xem trước {kind}")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition(f"ban-xem-truoc-{_safe_stem(kind)}.pdf", download=download)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def document_number_allocate(*, kind: str, year: int) -> str:
    """The next number "N/YYYY" of `kind` in `year`, without gaps: call inside the issuing transaction.

    One statement (PostgreSQL and SQLite ≥ 3.35): the counter row is created or incremented and
    stays locked until the caller commits, so concurrent issuers get consecutive numbers and a
    rolled-back issue gives its number back.
    """
    table = connection.ops.quote_name(DocumentCounter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (kind, year, last_number) VALUES (%s, %s, 1) "  # noqa: S608 - table name from _meta
            f"ON CONFLICT (kind, year) DO UPDATE SET last_number = {table}.last_number + 1 RETURNING last_number",
            [kind, year],
        )
        (last_number,) = cursor.fetchone()
    return f"{last_number}/{year}"


def document_issue(
    *,
    kind: str,
    title: str,
    template_name: str,
    context: dict,
    subject,
    actor,
    public_summary: dict,
    key: str = "",
    number: str | None = None,
    page_size: str = "A4",
    known_new: bool = False,
) -> IssuedDocument:
    """Issue the document `kind` for `subject` once and return it.

    If (subject, kind, key) was issued before, the stored document is returned untouched (its
    bytes are never re-rendered). Otherwise the number is allocated ("N/YYYY" per kind and year,
    unless `number` is given), `template_name` is rendered with `context` plus `document`
    (title, number, verify_token, verify_url, qr_data_uri, issued_at, kind) and `page_size`,
    and the PDF is stored with its SHA-256. `public_summary` is what the public verification
    page shows: {label: value}, minimal personal data, never ID numbers.

    `known_new=True`: the caller holds a lock on `subject` and has just found no such document,
    so it is not looked for again (the unique constraint still makes a duplicate impossible).
    """
    with translation.override("vi"):  # official documents are Vietnamese; labels may be lazy translations
        title = str(title)
        public_summary = {str(label): str(value) for label, value in public_summary.items()}
    content_type = ContentType.objects.get_for_model(subject)
    object_id = str(subject.pk)
    if not known_new:
        existing = _find(content_type, object_id, kind, key)
        if existing is not None:
            return existing

    stored_name = None
    try:
        with transaction.atomic():
            issued_at = timezone.now()
            number = number or document_number_allocate(kind=kind, year=timezone.localtime(issued_at).year)
            # Same kind and year: the counter lock serialised us, so look again before rendering.
            existing = None if known_new else _find(content_type, object_id, kind, key)
            if existing is not None:
                transaction.set_rollback(True)
                return existing
            document = IssuedDocument(
                kind=kind,
                title=title,
                number=number,
                content_type=content_type,
                object_id=object_id,
                key=key,
                verify_token=new_verify_token(),
                public_summary=public_summary,
                issued_at=issued_at,
                issued_by=actor,
            )
            verify_url = document.get_verify_url()
            full_context = prepare_context(
                {
                    **context,
                    "page_size": page_size,
                    "document": {
                        "kind": kind,
                        "title": title,
                        "number": number,
                        "verify_token": document.verify_token,
                        "verify_url": verify_url,
                        "qr_data_uri": qr_data_uri(verify_url),
                        "issued_at": issued_at,
                    },
                }
            )
            document.issuer = issuer_label(full_context)
            pdf = render_pdf(template_name, full_context)
            document.sha256 = hashlib.sha256(pdf).hexdigest()
            document.size = len(pdf)
            document.file.save("document.pdf", ContentFile(pdf), save=False)
            stored_name = document.file.name
            tracked_save(document, actor=actor, reason=ISSUE_REASON, db_checks=True)
        return document
    except (IntegrityError, ValidationError):
        # Someone issued the same (subject, kind, key) concurrently: theirs stands.
        _discard(stored_name)
        existing = _find(content_type, object_id, kind, key)
        if existing is None:
            raise
        return existing
    except BaseException:
        _discard(stored_name)
        raise


def _discard(name: str | None) -> None:
    if name:
        IssuedDocument._meta.get_field("file").storage.delete(name)


def _safe_stem(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-")


def _safe_filename(document: IssuedDocument) -> str:
    stem = _safe_stem(f"{document.kind}-{document.number}")
    return f"{stem or 'van-ban'}.pdf"


def document_file_response(request, document: IssuedDocument, *, download: bool, printing: bool = False):
    """Stream the stored PDF unchanged and log the read; the caller has already checked permission.

    `download=True` sends it as an attachment, otherwise inline; `printing=True` logs a print.
    A matching If-None-Match (the ETag is the SHA-256) gets 304.
    """
    return private_file_response(
        request,
        document.file,
        about=document,
        filename=_safe_filename(document),
        download=download,
        content_type="application/pdf",
        kind=AccessEvent.Kind.DOCUMENT_PRINT if printing else None,
        detail=f"{document.kind} số {document.number}",
        etag=f'"{document.sha256}"',
    )
