"""The one write of the auditor pages: running the chain check and recording it (issue 6)."""

import time

from django.urls import reverse
from django.utils.translation import gettext as _

from tuson_hcc.accounts.permissions import require_role
from tuson_hcc.accounts.roles import Role
from tuson_hcc.jobs.runs import job_run_start
from tuson_hcc.ledgers.models import LedgerHead
from tuson_hcc.ledgers.services import ledger_append, ledger_label
from tuson_hcc.ledgers.verify import ChainReport, ledger_models, verify_ledger

from .models import CHAIN, LedgerVerification


def broken_text(report: ChainReport) -> str:
    """The same words as `manage.py verify_ledgers` for the first broken entry of a chain."""
    where = f"sequence {report.broken_sequence}" + (f" (pk {report.broken_pk})" if report.broken_pk else "")
    detail = f": {report.detail}" if report.detail else ""
    return f"{report.ledger} {report.chain_key}: first broken entry: {where}: {report.reason}{detail}"


def _verify_with_progress(ledger: str, progress) -> list[ChainReport]:
    """`verify_all_ledgers(ledger)`, one ledger at a time, telling `progress(done, total)` entries after each."""
    models = [m for m in ledger_models() if not ledger or ledger_label(m) == ledger.lower()]
    labels = [ledger_label(m) for m in models]
    total = sum(LedgerHead.objects.filter(ledger__in=labels).values_list("last_sequence", flat=True))
    reports, done = [], 0
    progress(0, total)
    for model in models:
        found = verify_ledger(model)
        reports.extend(found)
        done += sum(r.entries for r in found)
        progress(done, max(total, done))
    return reports


def ledger_verification_run(*, actor, ledger: str = "", progress=None) -> tuple[LedgerVerification, list[ChainReport]]:
    """Walk every chain (or those of `ledger`), then append who ran it and what it found.

    A read-only check, so auditors may run it (DESIGN.md section 1: kiem_tra reads everything).
    Runs in the worker (`ledger_verification_start`), in one process; the command uses workers for big ledgers.
    """
    require_role(actor, Role.KIEM_TRA, Role.GIAM_DOC)
    started = time.perf_counter()
    reports = _verify_with_progress(ledger, progress or (lambda done, total: None))
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


def ledger_verification_start(*, actor, ledger: str = ""):
    """ "Kiểm tra ngay": queue the check for the worker; returns the JobRun the page follows."""
    require_role(actor, Role.KIEM_TRA, Role.GIAM_DOC)
    return job_run_start(
        kind="ledger_verify",
        title=str(_("Kiểm tra toàn vẹn sổ ghi nối tiếp")),
        func="tuson_hcc.history.services.ledger_verification_job",
        actor=actor,
        actor_id=actor.pk,
        ledger=ledger,
    )


def ledger_verification_job(*, progress, actor_id: int, ledger: str) -> dict:
    from tuson_hcc.accounts.models import User

    record, reports = ledger_verification_run(actor=User.objects.get(pk=actor_id), ledger=ledger, progress=progress)
    if record.ok:
        summary = _("Toàn vẹn: {chains} chuỗi, {entries} mục ({ms} ms).").format(
            chains=record.chains, entries=record.entries, ms=record.duration_ms
        )
    else:
        summary = _("HỎNG {count} chuỗi.").format(count=record.broken_chains)
    return {
        "ok": record.ok,
        "summary": str(summary),
        "lines": [broken_text(r) for r in reports if not r.ok],
        "url": reverse("history:ledgers"),
        "url_label": str(_("Về trang sổ ghi nối tiếp")),
    }
