"""The auditor's dashboard panel: today's changes and the last ledger check."""

from django.utils import timezone

from tuson_hcc.workdays.calendar import day_start

from .ledgers import ledger_verification_last
from .selectors import CHANGES_TODAY_CAP, history_count_since


def auditor_panel_context(user) -> dict:
    today = day_start(timezone.localdate())
    changes = history_count_since(since=today, cap=CHANGES_TODAY_CAP)
    return {
        "changes_today": min(changes, CHANGES_TODAY_CAP),
        "more_changes_today": changes > CHANGES_TODAY_CAP,
        "today": timezone.localdate(),
        "last_verification": ledger_verification_last(),
    }
