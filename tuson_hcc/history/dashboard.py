"""The auditor's dashboard panel: today's changes and the last ledger check."""

import datetime as dt

from django.utils import timezone

from .ledgers import ledger_verification_last
from .selectors import history_count_since


def auditor_panel_context(user) -> dict:
    today = timezone.make_aware(dt.datetime.combine(timezone.localdate(), dt.time.min))
    return {
        "changes_today": history_count_since(since=today),
        "today": timezone.localdate(),
        "last_verification": ledger_verification_last(),
    }
