from django.contrib import admin

from tuson_hcc.core.admin_reason import ReasonedHistoryAdmin
from tuson_hcc.ledgers.admin import ReadOnlyLedgerAdmin

from .models import ChecklistItem, Dossier, HandoverEntry, OrganisationType, RequiredDocument


class RequiredDocumentInline(admin.TabularInline):
    model = RequiredDocument
    extra = 0
    fields = ["order", "name", "conditional", "is_active"]
    can_delete = False  # nothing is hard-deleted: untick "đang áp dụng" instead


@admin.register(OrganisationType)
class OrganisationTypeAdmin(ReasonedHistoryAdmin):
    """The 11 types of Thủ tục mục c and their documents, edited by the administrator (with history)."""

    list_display = ["code", "name", "order", "is_active"]
    inlines = [RequiredDocumentInline]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RequiredDocument)
class RequiredDocumentAdmin(ReasonedHistoryAdmin):
    list_display = ["name", "organisation_type", "conditional", "order", "is_active"]
    list_filter = ["organisation_type", "is_active"]
    search_fields = ["name"]

    def has_delete_permission(self, request, obj=None):
        return False


class ChecklistInline(admin.TabularInline):
    model = ChecklistItem
    extra = 0
    fields = ["name", "state", "form", "note"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Dossier)
class DossierAdmin(ReasonedHistoryAdmin):
    """Read-only in the admin: dossiers change only through the intake services."""

    list_display = ["code", "organisation_name", "status", "received_at", "due_at"]
    list_filter = ["status", "channel"]
    search_fields = ["code", "organisation_name"]
    show_full_result_count = False
    inlines = [ChecklistInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(HandoverEntry)
class HandoverEntryAdmin(ReadOnlyLedgerAdmin):
    list_display = ("chain_key", "sequence", "recorded_at", "dossier_code", "recipient_name", "handed_by")
