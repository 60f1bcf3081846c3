"""The Director's pages: exception authorisations (Điều 5.3) and inspections (Điều 5.4)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from tuson_hcc.accounts.permissions import role_required
from tuson_hcc.accounts.roles import Role
from tuson_hcc.documents.serving import private_file_response

from ..forms import ExceptionForm, InspectionForm
from ..models import ExceptionAuthorisation, Inspection
from ..services.oversight import exception_record, inspection_start
from .common import REGISTER_READERS, run_service


@role_required(*REGISTER_READERS)
@require_GET
def exception_list(request):
    authorisations = ExceptionAuthorisation.objects.select_related("seal__agency", "recorded_by")
    return render(request, "seals/exception_list.html", {"authorisations": authorisations[:200]})


@role_required(Role.GIAM_DOC)
@require_http_methods(["GET", "POST"])
def exception_create(request):
    form = ExceptionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        created = run_service(form, lambda: exception_record(**form.cleaned_data, actor=request.user))
        if created is not None:
            messages.success(
                request, _("Đã ghi nhận văn bản cho phép số {number}.").format(number=created.document_number)
            )
            return redirect("seals:exception_list")
    return render(
        request,
        "seals/form_page.html",
        {
            "form": form,
            "title": _("Ghi nhận văn bản cho phép đóng dấu ngoài danh mục (Quy chế 157, Điều 5.3)"),
            "multipart": True,
        },
        status=400 if form.errors else 200,
    )


@role_required(*REGISTER_READERS)
@require_GET
def exception_scan(request, pk: int):
    authorisation = get_object_or_404(ExceptionAuthorisation, pk=pk)
    return private_file_response(
        request,
        authorisation.scan,
        about=authorisation,
        filename=f"văn-bản-cho-phép-{pk}.pdf",
        content_type="application/pdf",
        detail=f"Văn bản cho phép đóng dấu ngoài danh mục {pk}",
    )


@role_required(*REGISTER_READERS)
@require_GET
def inspection_list(request):
    inspections = Inspection.objects.select_related("inspector").prefetch_related("seals")[:200]
    return render(request, "seals/inspection_list.html", {"inspections": inspections})


@role_required(Role.GIAM_DOC)
@require_http_methods(["GET", "POST"])
def inspection_create(request):
    form = InspectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        run = run_service(
            form,
            lambda: inspection_start(
                seals=list(data["seals"]),
                condition=data["condition"],
                findings=data["findings"],
                actions=data["actions"],
                actor=request.user,
            ),
        )
        if run is not None:  # the worker verifies the chains; the page follows it and shows the verdict
            return redirect("jobs:run", pk=run.pk)
    return render(
        request,
        "seals/form_page.html",
        {"form": form, "title": _("Kiểm tra con dấu (Quy chế 157, Điều 5.4)")},
        status=400 if form.errors else 200,
    )
