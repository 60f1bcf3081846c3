"""The public verification page (trang xác thực văn bản), reached from the QR code (DESIGN.md section 3)."""

import hashlib

from django import forms
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from tuson_hcc.audit.models import AccessEvent
from tuson_hcc.audit.services import access_event_record
from tuson_hcc.core.models import IssuingBody

from .models import IssuedDocument
from .signing import signature_check

MAX_UPLOAD_BYTES = 10 * 1024 * 1024


class CompareForm(forms.Form):
    """ "Đối chiếu tệp": the uploaded file is hashed in memory or a temp file, never stored."""

    file = forms.FileField(
        label="Tệp PDF cần đối chiếu",
        widget=forms.ClearableFileInput(attrs={"class": "form-control form-control-sm", "accept": "application/pdf"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("Tệp quá lớn (tối đa 10 MB).")
        return upload


def _sha256(upload) -> str:
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    return digest.hexdigest()


@login_not_required
@require_http_methods(["GET", "POST"])
def verify(request, token: str):
    """Show what was issued under `token`; on POST, say whether an uploaded file is that document."""
    document = IssuedDocument.objects.filter(verify_token=token).select_related("issued_by").first()
    if document is None:
        access_event_record(
            kind=AccessEvent.Kind.VERIFICATION_VISIT, request=request, detail=f"không tìm thấy: {token[:60]}"
        )
        return render(request, "documents/verify_not_found.html", status=404)

    form, match, signature = CompareForm(), None, None
    if request.method == "POST":
        form = CompareForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            match = _sha256(upload) == document.sha256
            if not match:
                # A signed electronic copy: the issued bytes are its prefix, the signature covers the rest.
                upload.seek(0)
                signature = signature_check(upload.read(), issued_sha256=document.sha256, issued_size=document.size)
    detail = "xem" if match is None else ("đối chiếu: khớp" if match else "đối chiếu: không khớp")
    if signature is not None and signature.signed:
        detail += f"; chữ ký số: {'hợp lệ' if signature.ok else 'không hợp lệ'}"
    access_event_record(kind=AccessEvent.Kind.VERIFICATION_VISIT, request=request, obj=document, detail=detail)
    if document.issuer:
        issuer = document.issuer
    else:  # issued before the issuer was recorded: the Centre issued those
        body = IssuingBody.current()
        issuer = f"{body.centre_name} – {body.parent_body_name}"
    return render(
        request,
        "documents/verify.html",
        {"document": document, "issuer": issuer, "form": form, "match": match, "signature": signature},
    )
