"""Append-only, hash-chained ledgers (sổ ghi nối tiếp, DESIGN.md section 5).

Declaring a concrete ledger in another app::

    from tuson_hcc.ledgers.models import LedgerEntry

    class StampingEntry(LedgerEntry):
        \"\"\"One stamping (lần đóng dấu) in the seal's register.\"\"\"

        seal = models.ForeignKey(Seal, on_delete=models.PROTECT)   # PROTECT, never CASCADE
        document_title = models.CharField(max_length=255)
        actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)

        chained_fields = ("seal", "document_title", "actor")

        class Meta(LedgerEntry.Meta):   # inherit the (chain_key, sequence) unique constraint
            verbose_name = "lần đóng dấu"

and in its migration, after the CreateModel, two lines::

    from tuson_hcc.ledgers.operations import AppendOnlyTrigger, CoveringChainIndex
    operations = [..., AppendOnlyTrigger("stampingentry"), CoveringChainIndex("stampingentry")]

Entries are only written by `tuson_hcc.ledgers.services.ledger_append`. A correction is a new
entry with `corrects=<the wrong entry>`; the wrong entry itself stays untouched.
"""

from typing import ClassVar

from django.db import models

from tuson_hcc.core.errors import BusinessRuleError

from .hashing import GENESIS_HASH, canonical_template, compute_hash, fragment_for


class LedgerImmutableError(BusinessRuleError):
    """An attempt to change or delete a ledger entry: ledgers only grow."""

    def __init__(self, message: str = "Sổ chỉ được ghi thêm: không được sửa hoặc xóa mục đã ghi."):
        super().__init__(message)


class AppendOnlyQuerySet(models.QuerySet):
    """Refuses bulk writes that would bypass the chain."""

    def update(self, **kwargs):
        raise LedgerImmutableError()

    def delete(self):
        raise LedgerImmutableError()

    def bulk_update(self, objs, fields, batch_size=None):
        raise LedgerImmutableError()

    def bulk_create(self, objs, *args, **kwargs):
        raise LedgerImmutableError("Mục sổ chỉ được ghi qua ledger_append().")

    def update_or_create(self, *args, **kwargs):
        raise LedgerImmutableError()


class LedgerEntry(models.Model):
    """Base of every ledger entry: position in its chain, hashes and an optional correction link.

    Subclasses set `chained_fields`: the names of their business fields that enter the hash.
    """

    chain_key = models.CharField("chuỗi", max_length=100, help_text="Phạm vi của một chuỗi, ví dụ 'seal:12:2026'.")
    sequence = models.PositiveBigIntegerField("số thứ tự")
    previous_hash = models.CharField("mã băm mục trước", max_length=64)
    entry_hash = models.CharField("mã băm", max_length=64)
    recorded_at = models.DateTimeField("thời điểm ghi")
    corrects = models.ForeignKey(
        "self",
        verbose_name="đính chính cho mục",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrections",
    )

    chained_fields: ClassVar[tuple[str, ...]] = ()

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True
        constraints = [
            models.UniqueConstraint(fields=["chain_key", "sequence"], name="%(app_label)s_%(class)s_chain_seq"),
        ]

    def __str__(self) -> str:
        return f"{self.chain_key} #{self.sequence}"

    # --- immutability -------------------------------------------------------------------------

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise LedgerImmutableError()
        self.derive()
        if not self.entry_hash or self.entry_hash != self.compute_hash():
            raise LedgerImmutableError("Mục sổ chỉ được ghi qua ledger_append().")
        kwargs["force_insert"] = True
        return super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise LedgerImmutableError()

    def derive(self) -> None:
        """Fill the columns computed from the entry (search keys): outside the hash, set before every insert."""

    # --- hashing ------------------------------------------------------------------------------

    @classmethod
    def hash_plan(cls) -> tuple[str, list[tuple[str, str, object]]]:
        """(template, [(key, attname, fragment function)]) for the hashed fields, in sorted key order."""
        plan = cls.__dict__.get("_hash_plan_cache")
        if plan is None:
            names = sorted({"chain_key", "sequence", "recorded_at", "corrects", *cls.chained_fields})
            fields = [cls._meta.get_field(name) for name in names]
            plan = (canonical_template(names), [(f.name, f.attname, fragment_for(f)) for f in fields])
            cls._hash_plan_cache = plan
        return plan

    def canonical(self) -> str:
        """The canonical JSON of this entry (what is hashed after the previous hash)."""
        template, columns = self.hash_plan()
        return template % tuple(fragment(getattr(self, attname)) for _, attname, fragment in columns)

    def compute_hash(self) -> str:
        return compute_hash(self.previous_hash, self.canonical())


class LedgerHead(models.Model):
    """The last sequence and hash of one chain; its row lock serialises appends to that chain."""

    ledger = models.CharField("sổ", max_length=100)  # model label, e.g. "seals.stampingentry"
    chain_key = models.CharField("chuỗi", max_length=100)
    last_sequence = models.PositiveBigIntegerField("số thứ tự cuối", default=0)
    last_hash = models.CharField("mã băm cuối", max_length=64, default=GENESIS_HASH)

    class Meta:
        verbose_name = "đầu chuỗi sổ"
        verbose_name_plural = "đầu chuỗi sổ"
        constraints = [models.UniqueConstraint(fields=["ledger", "chain_key"], name="ledgers_head_ledger_chain")]

    def __str__(self) -> str:
        return f"{self.ledger} {self.chain_key} #{self.last_sequence}"
