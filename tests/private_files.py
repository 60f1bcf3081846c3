"""What every served private file must carry (tuson_hcc/documents/serving.py), for the tests of each view."""

from tuson_hcc.audit.models import AccessEvent


def assert_served_privately(response, *, about, user, body_starts: bytes = b"") -> bytes:
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Disposition"].startswith(("inline;", "attachment;"))
    body = b"".join(response.streaming_content)
    assert body.startswith(body_starts)
    event = AccessEvent.objects.filter(object_id=str(about.pk)).latest("at")
    assert event.kind in {AccessEvent.Kind.DOCUMENT_VIEW, AccessEvent.Kind.DOCUMENT_DOWNLOAD}
    assert (event.user, event.content_type.model_class()) == (user, type(about))
    return body
