"""Writing to a ledger: the only way in (DESIGN.md section 5)."""

from django.db import transaction
from django.utils import timezone

from tuson_hcc.core.errors import BusinessRuleError

from .models import LedgerEntry, LedgerHead


def ledger_label(model: type[LedgerEntry]) -> str:
    """The name a ledger goes by in `LedgerHead` and in `verify_ledgers`: e.g. "seals.stampingentry"."""
    return model._meta.label_lower


def ledger_append(model: type[LedgerEntry], *, chain_key: str, **fields) -> LedgerEntry:
    """Append one entry to the chain `chain_key` of ledger `model` and return it.

    `fields` are the entry's business fields (and `corrects=<entry>` for a correction). Appends
    to one chain are serialised by a row lock on its `LedgerHead`, so sequences are 1, 2, 3…
    without gaps and the chain never forks, even under concurrent requests. Call it inside the
    caller's own `transaction.atomic()` to make the entry part of a larger business write.
    """
    if not chain_key:
        raise BusinessRuleError("Thiếu phạm vi chuỗi của sổ.")
    for reserved in ("sequence", "previous_hash", "entry_hash", "recorded_at", "chain_key"):
        if reserved in fields:
            raise TypeError(f"ledger_append() sets {reserved} itself")
    corrected = fields.get("corrects")
    if corrected is not None and not isinstance(corrected, model):
        raise BusinessRuleError("Mục đính chính phải thuộc cùng một sổ.")

    label = ledger_label(model)
    with transaction.atomic():
        # Race-free creation of the head, then a row lock held until commit.
        LedgerHead.objects.bulk_create([LedgerHead(ledger=label, chain_key=chain_key)], ignore_conflicts=True)
        head = LedgerHead.objects.select_for_update().get(ledger=label, chain_key=chain_key)
        entry = model(
            chain_key=chain_key,
            sequence=head.last_sequence + 1,
            previous_hash=head.last_hash,
            recorded_at=timezone.now(),
            entry_hash="0" * 64,
            **fields,
        )
        # full_clean() normalises values (Decimal places, str) before they are hashed.
        entry.full_clean(validate_unique=False, validate_constraints=False)
        entry.entry_hash = entry.compute_hash()
        entry.save()
        LedgerHead.objects.filter(pk=head.pk).update(last_sequence=entry.sequence, last_hash=entry.entry_hash)
    return entry
