"""The record of every "verify now" run (lần kiểm tra sổ): itself an append-only, hash-chained ledger.

An auditor's check is evidence too: who ran it, when, on what, and what it found cannot be
edited or deleted afterwards, and `verify_ledgers` checks this chain like any other.
"""

from django.conf import settings
from django.db import models

from tuson_hcc.ledgers.models import LedgerEntry

CHAIN = "verifications"


class LedgerVerification(LedgerEntry):
    """One run of the chain check from the ledgers page, with its result."""

    ran_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="người kiểm tra", on_delete=models.PROTECT, related_name="+"
    )
    scope = models.CharField("phạm vi", max_length=100, blank=True, help_text="Nhãn sổ; để trống là mọi sổ.")
    chains = models.PositiveIntegerField("số chuỗi")
    entries = models.PositiveBigIntegerField("số mục")
    broken_chains = models.PositiveIntegerField("số chuỗi hỏng")
    ok = models.BooleanField("toàn vẹn")
    summary = models.TextField("kết quả", blank=True)
    duration_ms = models.PositiveIntegerField("thời gian (ms)")

    chained_fields = ("ran_by", "scope", "chains", "entries", "broken_chains", "ok", "summary", "duration_ms")

    class Meta(LedgerEntry.Meta):
        verbose_name = "lần kiểm tra sổ"
        verbose_name_plural = "các lần kiểm tra sổ"
        indexes = [models.Index(fields=["-recorded_at"], name="history_verif_recorded")]
