"""Reads for the ledgers page: every ledger, each chain's length and last hash, past checks."""

from collections import defaultdict
from dataclasses import dataclass, field

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
    return LedgerVerification.objects.select_related("ran_by").order_by("-recorded_at", "-id").first()


def ledger_model(label: str):
    return next((m for m in ledger_models() if ledger_label(m) == label.lower()), None)
