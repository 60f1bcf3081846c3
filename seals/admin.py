from django.contrib import admin, messages

from tuson_hcc.accounts.models import Agency
from tuson_hcc.core.admin_reason import ReasonedHistoryAdmin
from tuson_hcc.ledgers.admin import ReadOnlyLedgerAdmin

from .models import CustodyEntry, ExceptionAuthorisation, Inspection, Seal, SealIncident, StampingEntry
from .selectors import agencies_owning_seals_without_head


def warn_agencies_without_head(request) -> None:
    """The same gap as the system check seals.W001, where the administrator fixes it (Quy chế 157, Điều 6.2)."""
    if request.method != "GET":
        return
    names = [agency.name for agency in agencies_owning_seals_without_head()]
    if names:
        messages.warning(
            request,
            "Cơ quan sở hữu con dấu nhưng chưa có Thủ trưởng: "
            + "; ".join(names)
            + ". Không ai quyết định được đề nghị mang con dấu của các cơ quan này ra ngoài (Quy chế 157, Điều 6.2): "
            "hãy gán Thủ trưởng trong mục Cơ quan.",
        )


class AgencyAdminWithHeadWarning(type(admin.site._registry[Agency])):
    """The core's agency admin, warning about seal-owning agencies with no Head (the core knows no seals)."""

    def changelist_view(self, request, extra_context=None):
        warn_agencies_without_head(request)
        return super().changelist_view(request, extra_context)


admin.site.unregister(Agency)
admin.site.register(Agency, AgencyAdminWithHeadWarning)


@admin.register(Seal)
class SealAdmin(ReasonedHistoryAdmin):
    """The administrator registers seals; status and custodian change only through the desk's services."""

    list_display = ["code", "agency", "kind", "status", "custodian"]
    list_filter = ["status", "kind", "agency"]
    search_fields = ["code", "agency__name"]
    filter_horizontal = ["serves_agencies"]

    def get_readonly_fields(self, request, obj=None):
        return ["status", "custodian"] if obj else ["status"]

    def changelist_view(self, request, extra_context=None):
        warn_agencies_without_head(request)
        return super().changelist_view(request, extra_context)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(StampingEntry)
class StampingEntryAdmin(ReadOnlyLedgerAdmin):
    list_display = ["chain_key", "sequence", "seal", "procedure", "stamped_at", "clerk", "correction"]
    list_select_related = ["seal", "procedure", "clerk"]
    list_filter = ["seal", "place", "correction"]
    show_full_result_count = False


@admin.register(CustodyEntry)
class CustodyEntryAdmin(ReadOnlyLedgerAdmin):
    list_display = ["chain_key", "sequence", "seal", "movement", "giver", "receiver", "occurred_at"]
    list_select_related = ["seal", "giver", "receiver"]


class ReadOnlyHistoryAdmin(ReasonedHistoryAdmin):
    """Records of business written by services: visible in the admin, changed only through the app."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


admin.site.register(ExceptionAuthorisation, ReadOnlyHistoryAdmin)
admin.site.register(SealIncident, ReadOnlyHistoryAdmin)
admin.site.register(Inspection, ReadOnlyHistoryAdmin)
