"""The auditor's dashboard panel: today's changes and the last ledger check."""

from django.utils import timezone

from tuson_hcc.workdays.calendar import day_start

from .ledgers import ledger_verification_last
from .selectors import history_count_since


def auditor_panel_context(user) -> dict:
    today = day_start(timezone.localdate())
    return {
        "changes_today": history_count_since(since=today),
        "today": timezone.localdate(),
        "last_verification": ledger_verification_last(),
    }
