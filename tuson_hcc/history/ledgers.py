"""Reads for the ledgers page: every ledger, each chain's length and last hash, past checks."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db import router

from tuson_hcc.core.kept_lists import current_token, kept_list
from tuson_hcc.ledgers.models import LedgerHead
from tuson_hcc.ledgers.services import ledger_label
from tuson_hcc.ledgers.verify import ledger_models

from .models import LedgerVerification


@dataclass
class LedgerOverview:
    label: str
    verbose_name: str
    chains: list[LedgerHead] = field(default_factory=list)

    @property
    def entries(self) -> int:
        return sum(head.last_sequence for head in self.chains)


def ledger_overview() -> list[LedgerOverview]:
    """Every concrete ledger with its chains (from `LedgerHead`: length = last sequence): one query."""
    by_label = defaultdict(list)
    for head in LedgerHead.objects.order_by("ledger", "chain_key"):
        by_label[head.ledger].append(head)
    return [
        LedgerOverview(label=ledger_label(m), verbose_name=str(m._meta.verbose_name), chains=by_label[ledger_label(m)])
        for m in sorted(ledger_models(), key=ledger_label)
    ]


def ledger_verifications_recent(*, limit: int = 20) -> list[LedgerVerification]:
    return list(LedgerVerification.objects.select_related("ran_by").order_by("-recorded_at", "-id")[:limit])


def ledger_verification_last() -> LedgerVerification | None:
    """The newest check, kept while no check is recorded (`core.kept_lists`): the dashboards name it on
    every view; a check is recorded once a night or when an auditor runs one."""
    newest = LedgerVerification.objects.select_related("ran_by").order_by("-recorded_at", "-id")[:1]
    kept = kept_list("ledger-verification:last", newest, current_token(router.db_for_read(LedgerVerification)))
    return kept[0] if kept else None


def ledger_model(label: str):
    return next((m for m in ledger_models() if ledger_label(m) == label.lower()), None)
