from django.contrib import admin, messages

from tuson_hcc.core.errors import BusinessRuleError

from .models import DeliveryAttempt, MessageAttachment, OutboundMessage
from .services import message_resend


class _ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class AttachmentInline(_ReadOnlyInline):
    model = MessageAttachment
    fields = readonly_fields = ("filename", "mimetype")


class AttemptInline(_ReadOnlyInline):
    model = DeliveryAttempt
    fields = readonly_fields = ("at", "succeeded", "error")


@admin.register(OutboundMessage)
class OutboundMessageAdmin(admin.ModelAdmin):
    """Browse only: a message is a record of what was said to whom. Failed ones may be queued again."""

    list_display = ("created_at", "channel", "recipient", "subject", "status", "attempts", "sent_at")
    list_filter = ("status", "channel")
    search_fields = ("recipient", "subject")
    date_hierarchy = "created_at"
    show_full_result_count = False
    inlines = [AttachmentInline, AttemptInline]
    actions = ["resend"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="Gửi lại các thư/tin nhắn đã gửi không được")
    def resend(self, request, queryset):
        done = 0
        for message in queryset:
            try:
                message_resend(message=message, actor=request.user)
                done += 1
            except BusinessRuleError as exc:
                self.message_user(request, f"{message}: {exc.message}", messages.WARNING)
        if done:
            self.message_user(request, f"Đã đưa {done} thư/tin nhắn vào hàng đợi gửi lại.", messages.SUCCESS)
