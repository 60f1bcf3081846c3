"""Serving a stored private file (a scan, a specimen, an issued PDF): the one way every view does it.

The caller checks permission on the record the file belongs to, exactly as for the record's page;
this adds what every such response needs: the read in the access log, `nosniff`, no copy kept by
the browser or a proxy (`private, no-store`), and a Content-Disposition that is safe whatever the
name (RFC 6266: an ASCII `filename` for old clients plus the Vietnamese one as `filename*`).
"""

import mimetypes
import re
from urllib.parse import quote

from django.http import FileResponse, HttpResponseNotModified
from unidecode import unidecode

from tuson_hcc.audit.models import AccessEvent
from tuson_hcc.audit.services import access_event_record

_UNSAFE = re.compile(r'[\x00-\x1f\x7f"\\/:*?<>|;]+')


def content_disposition(filename: str, *, download: bool) -> str:
    name = _UNSAFE.sub("-", filename).strip(" .-") or "tep"
    ascii_name = re.sub(r"[^A-Za-z0-9._-]+", "-", unidecode(name)).strip("-.") or "tep"
    disposition = "attachment" if download else "inline"
    if ascii_name == name:
        return f'{disposition}; filename="{name}"'
    return f"{disposition}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"


def private_file_response(
    request,
    file,
    *,
    about,
    filename: str,
    download: bool = False,
    content_type: str | None = None,
    kind: str | None = None,
    detail: str = "",
    etag: str | None = None,
):
    """Stream `file` (a FieldFile of private storage) of the record `about`, and log the read.

    `kind` defaults to a view or a download (AccessEvent.Kind); `etag` (a quoted value) answers a
    matching If-None-Match with 304, still logged: the user opened the file again.
    """
    if kind is None:
        kind = AccessEvent.Kind.DOCUMENT_DOWNLOAD if download else AccessEvent.Kind.DOCUMENT_VIEW
    access_event_record(kind=kind, request=request, obj=about, detail=detail or filename)
    if etag and request.headers.get("If-None-Match") == etag:
        response = HttpResponseNotModified()
    else:
        guessed = mimetypes.guess_type(filename)[0] or mimetypes.guess_type(file.name)[0]
        response = FileResponse(file.open("rb"), content_type=content_type or guessed or "application/octet-stream")
        response["Content-Disposition"] = content_disposition(filename, download=download)
    if etag:
        response["ETag"] = etag
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
