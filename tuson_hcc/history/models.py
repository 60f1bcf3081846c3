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


class HistoryIndex(models.Model):
    """One row per version of every history-tracked record, across all their tables.

    Written by a database trigger on each historical table (`schema.ensure_history_index`), so
    every path that writes history — the ORM, bulk_history_create, COPY in the seeders — is
    indexed. The auditors' list and its filters read this one table with a keyset, so their cost
    does not grow with the number of tracked models (issue 14); the page then loads only the
    versions it shows. The app only fills in `changes` once, after the version's transaction commits.
    """

    at = models.DateTimeField("thời điểm")
    label = models.CharField("loại bản ghi", max_length=100)
    history_id = models.BigIntegerField()
    object_id = models.CharField("mã bản ghi", max_length=64)
    # No foreign key: the list keeps working, and the user's id stays, if a user row goes.
    user_id = models.BigIntegerField(null=True)
    history_type = models.CharField(max_length=1)
    reason = models.CharField("lý do", max_length=100, blank=True)
    # The version's diff, stored after its transaction commits (`diffs.py`); NULL for a creation (read
    # from its own version) and, until `stored_diffs_backfill` runs, for versions written in bulk.
    changes = models.JSONField(null=True, blank=True)

    class Meta:
        verbose_name = "mục lục lịch sử"
        constraints = [models.UniqueConstraint(fields=["label", "history_id"], name="history_index_version")]
        indexes = [
            models.Index(models.F("at").desc(), models.F("id").desc(), name="history_index_at"),
            models.Index("user_id", models.F("at").desc(), models.F("id").desc(), name="history_index_user"),
            models.Index("label", "object_id", models.F("at").desc(), name="history_index_record"),
            models.Index("label", models.F("at").desc(), models.F("id").desc(), name="history_index_label"),
            models.Index("reason", models.F("at").desc(), models.F("id").desc(), name="history_index_reason"),
            models.Index("history_type", models.F("at").desc(), models.F("id").desc(), name="history_index_type"),
        ]

    def __str__(self):
        return f"{self.label} #{self.object_id} ({self.history_type}) {self.at:%Y-%m-%d %H:%M:%S}"
