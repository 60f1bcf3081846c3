"""Every edit in the admin asks for a reason, and the history row records it (issue 11, point 7).

`ReasonedHistoryAdmin` is the base of every editable ModelAdmin of the project: its add and change
forms carry a required "Lý do thay đổi" field whose value becomes the history row's change reason
(simple-history's `_change_reason`), for the record and for its inline rows. The changelist's
bulk delete and inline list editing are switched off: they would change records without a reason.
The reason is also written into the admin's own log entry (the admin's "Lịch sử" of the object),
which is where it is kept for the few third-party models without simple-history.

`BrowseOnlyAdminMixin` is the other choice: an admin that changes nothing (no add, change, delete or
action). `tests/core/test_admin_reasons.py` walks every registered ModelAdmin: each is one or the other.
"""

import json

from django import forms
from django.contrib import messages
from django.contrib.admin.models import DELETION, LogEntry
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.http import HttpResponseRedirect
from simple_history.admin import SimpleHistoryAdmin

REASON_FIELD = "change_reason"
REASON_LABEL = "Lý do thay đổi"


def _reason_field() -> forms.CharField:
    return forms.CharField(
        label=REASON_LABEL,
        max_length=100,  # simple-history's history_change_reason column
        required=True,
        help_text="Bắt buộc: ghi vào lịch sử thay đổi của bản ghi (ví dụ: số văn bản chỉ đạo).",
        error_messages={"required": "Hãy ghi lý do thay đổi."},
    )


def _log_message_with_reason(message, reason: str) -> str:
    """The admin's change message (text or its JSON list) with the reason after it, as readable text."""
    if isinstance(message, list):
        message = LogEntry(change_message=json.dumps(message)).get_change_message() if message else ""
    return f"{message} {REASON_LABEL}: {reason}".strip()


class ReasonRequiredAdminMixin:
    """Adds the required reason to the admin form and writes it to the history of what is saved."""

    list_editable = ()
    delete_confirmation_template = "admin/delete_confirmation_reason.html"

    def _may_edit(self, request, obj) -> bool:
        return self.has_change_permission(request, obj) if obj else self.has_add_permission(request)

    def get_fieldsets(self, request, obj=None):
        fieldsets = [
            (name, {**options, "fields": [f for f in options.get("fields", ()) if f != REASON_FIELD]})
            for name, options in super().get_fieldsets(request, obj)
        ]
        if self._may_edit(request, obj):
            fieldsets.append((REASON_LABEL, {"fields": [REASON_FIELD]}))
        return fieldsets

    def get_form(self, request, obj=None, change=False, **kwargs):
        # The admin passes the fieldsets' fields (ours included), or None to learn the model's fields.
        fields = kwargs["fields"] if "fields" in kwargs else flatten_fieldsets(self.get_fieldsets(request, obj))
        if fields is not None:
            kwargs["fields"] = [f for f in fields if f != REASON_FIELD]
        form = super().get_form(request, obj, change=change, **kwargs)
        if fields is None or not self._may_edit(request, obj):
            return form
        return type(form.__name__, (form,), {REASON_FIELD: _reason_field()})

    def save_model(self, request, obj, form, change):
        obj._change_reason = request._admin_change_reason = form.cleaned_data[REASON_FIELD]
        super().save_model(request, obj, form, change)

    def log_addition(self, request, obj, message):
        return super().log_addition(request, obj, self._logged(request, message))

    def log_change(self, request, obj, message):
        return super().log_change(request, obj, self._logged(request, message))

    def log_deletions(self, request, queryset):
        reason = getattr(request, "_admin_change_reason", "")
        return LogEntry.objects.log_actions(
            user_id=request.user.pk,
            queryset=queryset,
            action_flag=DELETION,
            change_message=_log_message_with_reason("", reason) if reason else "",
        )

    @staticmethod
    def _logged(request, message):
        reason = getattr(request, "_admin_change_reason", "")
        return _log_message_with_reason(message, reason) if reason else message

    def save_formset(self, request, form, formset, change):
        reason = form.cleaned_data[REASON_FIELD]
        for inline_form in formset.forms:
            inline_form.instance._change_reason = reason
            inline_form.instance._history_user = request.user
        super().save_formset(request, form, formset, change)

    def delete_view(self, request, object_id, extra_context=None):
        request._admin_change_reason = request.POST.get(REASON_FIELD, "").strip()[:100]
        missing = request.method == "POST" and not request.POST.get(REASON_FIELD, "").strip()
        # Refusals for permission or a missing object stay the admin's own (403, 404).
        if missing and self.has_delete_permission(request, self.get_object(request, unquote(object_id))):
            messages.error(request, "Hãy ghi lý do thay đổi trước khi xóa.")
            return HttpResponseRedirect(request.get_full_path())
        return super().delete_view(request, object_id, extra_context)

    def delete_model(self, request, obj):
        obj._change_reason = request.POST.get(REASON_FIELD, "").strip()[:100]
        obj._history_user = request.user
        super().delete_model(request, obj)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # a bulk delete would leave no reason
        return actions


class ReasonedHistoryAdmin(ReasonRequiredAdminMixin, SimpleHistoryAdmin):
    """The project's editable ModelAdmin: history view, required reason."""


class BrowseOnlyAdminMixin:
    """An admin that shows records and changes none: no add, change, delete, and no action."""

    actions = None

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
