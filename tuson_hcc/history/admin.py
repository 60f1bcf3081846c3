from django.contrib import admin

from tuson_hcc.ledgers.admin import ReadOnlyLedgerAdmin

from .models import LedgerVerification


@admin.register(LedgerVerification)
class LedgerVerificationAdmin(ReadOnlyLedgerAdmin):
    """Browse only: a recorded check is evidence (DESIGN.md section 5)."""

    list_display = ("recorded_at", "ran_by", "scope", "chains", "entries", "ok", "sequence")
    list_filter = ("ok",)
