"""The one write of the auditor pages: running the chain check and recording it (issue 6)."""

import time

from tuson_hcc.accounts.permissions import require_role
from tuson_hcc.accounts.roles import Role
from tuson_hcc.ledgers.services import ledger_append
from tuson_hcc.ledgers.verify import ChainReport, verify_all_ledgers

from .models import CHAIN, LedgerVerification


def broken_text(report: ChainReport) -> str:
    """The same words as `manage.py verify_ledgers` for the first broken entry of a chain."""
    where = f"sequence {report.broken_sequence}" + (f" (pk {report.broken_pk})" if report.broken_pk else "")
    detail = f": {report.detail}" if report.detail else ""
    return f"{report.ledger} {report.chain_key}: first broken entry: {where}: {report.reason}{detail}"


def ledger_verification_run(*, actor, ledger: str = "") -> tuple[LedgerVerification, list[ChainReport]]:
    """Walk every chain (or those of `ledger`), then append who ran it and what it found.

    A read-only check, so auditors may run it (DESIGN.md section 1: kiem_tra reads everything).
    The web request runs in one process (no fork); the command uses workers for big ledgers.
    """
    require_role(actor, Role.KIEM_TRA, Role.GIAM_DOC)
    started = time.perf_counter()
    reports = verify_all_ledgers(ledger or None)
    elapsed_ms = int((time.perf_counter() - started) * 1000)
    broken = [r for r in reports if not r.ok]
    record = ledger_append(
        LedgerVerification,
        chain_key=CHAIN,
        ran_by=actor,
        scope=ledger,
        chains=len(reports),
        entries=sum(r.entries for r in reports),
        broken_chains=len(broken),
        ok=not broken,
        summary="\n".join(broken_text(r) for r in broken),
        duration_ms=elapsed_ms,
    )
    return record, reports
