"""One way to serve a stored private file (tuson_hcc/documents/serving.py): headers, names, the access log."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from tuson_hcc.audit.models import AccessEvent
from tuson_hcc.documents.serving import content_disposition

ROOT = Path(__file__).resolve().parents[2]


def test_an_ascii_name_is_sent_as_it_is():
    assert content_disposition("mau_01-1-2026.pdf", download=True) == 'attachment; filename="mau_01-1-2026.pdf"'


def test_a_vietnamese_name_has_an_ascii_fallback_and_the_exact_name_in_utf8():
    header = content_disposition("ý-kiến-Giám-đốc.pdf", download=False)
    assert header == (
        "inline; filename=\"y-kien-Giam-doc.pdf\"; filename*=UTF-8''%C3%BD-ki%E1%BA%BFn-Gi%C3%A1m-%C4%91%E1%BB%91c.pdf"
    )


@pytest.mark.parametrize("name", ['a"b.pdf', "a\r\nSet-Cookie: x=1.pdf", "../../etc/passwd", "a;b=c.pdf", '\\x".pdf'])
def test_a_hostile_name_cannot_break_out_of_the_header(name):
    header = content_disposition(name, download=True)
    assert not re.search(r"[\r\n]", header)
    plain = header.split('filename="', 1)[1].split('"', 1)[0]
    assert not set(plain) & set('"\\/;:\r\n')
    assert "/" not in header.split("filename*=", 1)[-1].replace("UTF-8''", "")


@pytest.mark.django_db
def test_an_issued_document_is_served_with_no_store_nosniff_and_logged(client_for, tmp_path, settings):
    from tests.private_files import assert_served_privately
    from tuson_hcc.core.models import IssuingBody
    from tuson_hcc.documents.services import document_file_response, document_issue

    settings.MEDIA_ROOT = tmp_path
    client = client_for("tiepnhan")
    request = client.get(reverse("dashboard")).wsgi_request
    document = document_issue(
        kind="mau_03",
        title="Phiếu từ chối",
        template_name="ledger_testapp/sample_document.html",
        context={"organisation": "X"},
        subject=IssuingBody.current(),
        actor=request.user,
        public_summary={},
    )
    response = document_file_response(request, document, download=False)
    assert_served_privately(response, about=document, user=request.user, body_starts=b"%PDF-")
    assert response["Content-Type"] == "application/pdf"
    assert response["ETag"] == f'"{document.sha256}"'
    # Opened again from the browser's copy: 304, still private, and still in the access log.
    again = client.get(reverse("dashboard"), HTTP_IF_NONE_MATCH=f'"{document.sha256}"').wsgi_request
    assert document_file_response(again, document, download=False).status_code == 304
    assert AccessEvent.objects.filter(object_id=str(document.pk)).count() == 2


def test_no_view_streams_a_stored_file_by_hand():
    """Every private file goes through serving.py; FileResponse elsewhere only streams generated exports."""
    offenders = []
    for path in ROOT.glob("**/*.py"):
        parts = set(path.relative_to(ROOT).parts)
        if parts & {".venv", "tests", "migrations"} or path.name == "serving.py":
            continue
        text = path.read_text(encoding="utf-8")
        if "FileResponse(" in text and '.open("rb")' in text:
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []
