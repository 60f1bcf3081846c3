import tempfile
from pathlib import Path

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import path

from tuson_hcc.core.admin_reason import ReasonedHistoryAdmin

from .forms import CatalogueUploadForm
from .importer import CatalogueImportError, import_catalogue
from .models import CatalogueChange, Decision, Procedure
from .services import PUBLISHED_FIELDS


@admin.register(Procedure)
class ProcedureAdmin(ReasonedHistoryAdmin):
    """What a decision published is read-only here (Quy chế 157, Điều 3.2): its wording changes only by
    importing the amending decision, with its number and date (Quyết định công bố → Nhập danh mục TTHC).
    The Centre's own settings (the cut-off hour, the working notes) stay editable, with a reason."""

    list_display = ["code", "name", "field", "implementing_agency", "processing_days"]
    list_filter = ["implementing_agency", "field"]
    search_fields = ["code", "name", "search_text"]
    readonly_fields = [*PUBLISHED_FIELDS, "implementing_agency", "search_text"]

    def has_add_permission(self, request):
        return False  # a procedure enters the catalogue only with the decision that publishes it

    def has_delete_permission(self, request, obj=None):
        return False


class CatalogueChangeInline(admin.TabularInline):
    model = CatalogueChange
    fk_name = "decision"
    extra = 0
    fields = ["procedure", "action", "effective_on", "replaced_by", "note"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Decision)
class DecisionAdmin(ReasonedHistoryAdmin):
    """Decisions enter by import (number, date and their rows together); only the title and scan are completed here."""

    list_display = ["number", "signed_on", "effective_on", "issuer"]
    readonly_fields = ["number", "signed_on", "effective_on", "issuer"]
    search_fields = ["number", "title"]
    inlines = [CatalogueChangeInline]
    change_list_template = "admin/procedures/decision/change_list.html"

    def has_add_permission(self, request):
        return False  # through "Nhập danh mục TTHC" (import_view), which records the rows with the decision

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        extra = [path("import/", self.admin_site.admin_view(self.import_view), name="procedures_decision_import")]
        return extra + super().get_urls()

    def import_view(self, request):
        """The same import as `manage.py import_catalogue`, for a superuser."""
        if not request.user.is_superuser:
            raise PermissionDenied
        form = CatalogueUploadForm(request.POST or None, request.FILES or None)
        errors: list[str] = []
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            suffix = Path(upload.name).suffix.lower()
            with tempfile.NamedTemporaryFile(suffix=suffix) as handle:
                for chunk in upload.chunks():
                    handle.write(chunk)
                handle.flush()
                try:
                    report = import_catalogue(
                        Path(handle.name),
                        decision_number=form.cleaned_data["decision"],
                        decision_date=form.cleaned_data["date"],
                        actor=request.user,
                        dry_run=form.cleaned_data["dry_run"],
                    )
                except CatalogueImportError as error:
                    errors = error.errors
                else:
                    prefix = "Kiểm tra (chưa ghi): " if form.cleaned_data["dry_run"] else ""
                    messages.success(
                        request,
                        f"{prefix}{report.created} TTHC mới, {report.updated} cập nhật, "
                        f"{report.unchanged} không đổi, {report.changes} thay đổi danh mục.",
                    )
                    if not form.cleaned_data["dry_run"]:
                        return redirect("admin:procedures_decision_changelist")
        context = {
            **self.admin_site.each_context(request),
            "form": form,
            "errors": errors,
            "title": "Nhập danh mục TTHC",
        }
        return render(request, "admin/procedures/decision/import.html", context)


@admin.register(CatalogueChange)
class CatalogueChangeAdmin(ReasonedHistoryAdmin):
    """Read-only: a catalogue change is what a decision did; deleting or editing it would rewrite which
    procedures were in force on past dates. A correction is a new, amending decision."""

    list_display = ["decision", "procedure", "action", "effective_on"]
    list_filter = ["action", "decision"]
    search_fields = ["procedure__name", "procedure__code"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
