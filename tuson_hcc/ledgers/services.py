"""Writing to a ledger: the only way in (DESIGN.md section 5)."""

import heapq
from collections.abc import Iterable
from contextlib import contextmanager

from django.db import connections, models, transaction
from django.db.models.base import ModelState
from django.utils import timezone
from psycopg.copy import QueuedLibpqWriter

from tuson_hcc.core.errors import BusinessRuleError

from .models import LedgerEntry, LedgerHead


def ledger_label(model: type[LedgerEntry]) -> str:
    """The name a ledger goes by in `LedgerHead` and in `verify_ledgers`: e.g. "seals.stampingentry"."""
    return model._meta.label_lower


def ledger_append(
    model: type[LedgerEntry], *, chain_key: str, history_user=None, history_reason: str = "", **fields
) -> LedgerEntry:
    """Append one entry to the chain `chain_key` of ledger `model` and return it.

    `fields` are the entry's business fields (and `corrects=<entry>` for a correction);
    `history_user` and `history_reason` name the actor and the action in simple-history when the
    ledger model has it. Appends
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
        # full_clean() normalises values (Decimal places, str) before they are hashed. Related rows handed over
        # as saved instances were read (often locked) by the caller: checking they exist would cost a query each.
        given = [
            f.name
            for f in model._meta.concrete_fields
            if f.is_relation and getattr(fields.get(f.name), "pk", None) is not None
        ]
        entry.full_clean(exclude=given, validate_unique=False, validate_constraints=False)
        entry.entry_hash = entry.compute_hash()
        # For ledgers that also keep simple-history (so auditors see them in /history/): who and why.
        entry._history_user, entry._change_reason = history_user, history_reason or None
        entry.save()
        LedgerHead.objects.filter(pk=head.pk).update(last_sequence=entry.sequence, last_hash=entry.entry_hash)
    return entry


def ledger_bulk_load(model: type[LedgerEntry], *, chain_key: str, rows: Iterable[dict], batch_size: int = 5000) -> int:
    """Append many entries to one chain at once, hashed exactly as `ledger_append` would.

    For `seed_demo --scale large` and the benchmark only: it skips the per-entry validation
    that the business services do, so it must never serve a user action. Entries are built
    without `Model.__init__` (its keyword handling was most of the Python cost of a million
    entries); on PostgreSQL they go in with one COPY.
    """
    return ledger_bulk_load_chains(model, chains={chain_key: rows}, batch_size=batch_size)


def ledger_bulk_load_chains(
    model: type[LedgerEntry], *, chains: dict[str, Iterable[dict]], order_by: str = "", batch_size: int = 5000
) -> int:
    """`ledger_bulk_load` for several chains in one stream: with `order_by` (a field each chain's rows are
    sorted by), the entries of all chains are written in that order, as a live ledger appends them (the
    table's rows then lie in time order, as in production, and a walk of the newest entries reads
    adjacent pages); each chain keeps its own sequence and hashes."""
    label = ledger_label(model)
    build = _entry_builder(model)
    with transaction.atomic():
        new_heads = [LedgerHead(ledger=label, chain_key=key) for key in chains]
        LedgerHead.objects.bulk_create(new_heads, ignore_conflicts=True)
        heads = {
            head.chain_key: head
            for head in LedgerHead.objects.select_for_update().filter(ledger=label, chain_key__in=list(chains))
        }
        tips = {key: (head.last_sequence, head.last_hash) for key, head in heads.items()}
        if order_by:
            tagged = [_tagged(rows, key, order_by) for key, rows in chains.items()]
            stream = ((key, row) for _at, _n, key, row in heapq.merge(*tagged))
        else:
            stream = ((key, row) for key, rows in chains.items() for row in rows)
        batch = []
        with _inserter(model) as insert:
            for key, fields in stream:
                sequence, previous = tips[key]
                entry = build(fields)
                entry.chain_key, entry.sequence, entry.previous_hash = key, sequence + 1, previous
                if entry.recorded_at is None:
                    entry.recorded_at = timezone.now()
                entry.entry_hash = entry.compute_hash()
                tips[key] = (entry.sequence, entry.entry_hash)
                entry.derive()
                batch.append(entry)
                if len(batch) >= batch_size:
                    insert(batch)
                    batch = []
            if batch:
                insert(batch)
        for key, head in heads.items():
            if tips[key][0] != head.last_sequence:
                LedgerHead.objects.filter(pk=head.pk).update(last_sequence=tips[key][0], last_hash=tips[key][1])
    return sum(tips[key][0] - head.last_sequence for key, head in heads.items())


def _tagged(rows: Iterable[dict], key: str, order_by: str):
    """`rows` of chain `key` as (order value, position, key, row): merged, ties keep each chain's order."""
    for n, row in enumerate(rows):
        yield row[order_by], n, key, row


def _entry_builder(model: type[LedgerEntry]):
    """A function turning one row of field values (related rows as instances or None) into an unsaved entry.

    It fills `__dict__` by attname as `Model.from_db` does, with each missing field's default, so
    `compute_hash()`, `derive()` and the insert read exactly what `model(**fields)` would hold.
    """
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    by_name = {**{f.attname: f for f in fields}, **{f.name: f for f in fields}}

    def build(values: dict) -> LedgerEntry:
        entry = model.__new__(model)
        entry._state = ModelState()
        data = entry.__dict__
        data["id"] = None
        for name, value in values.items():
            field = by_name[name]
            if field.is_relation and name == field.name:
                data[field.attname] = None if value is None else value.pk
            else:
                data[field.attname] = value
        for field in fields:
            if field.attname not in data:
                data[field.attname] = field.get_default()
        return entry

    return build


@contextmanager
def _inserter(model: type[LedgerEntry]):
    """A function inserting a batch of entries. On PostgreSQL the batches of one call go into one
    COPY, sent by a background thread, so the server stores a batch while the next one is hashed."""
    connection = connections[model.objects.db]
    if connection.vendor != "postgresql":
        yield models.QuerySet(model).bulk_create
        return
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    attnames = [f.attname for f in fields]
    table = connection.ops.quote_name(model._meta.db_table)

    def insert(entries: list[LedgerEntry]) -> None:
        # COPY's text format, written by hand: psycopg's per-value adaptation cost more than the hashing.
        copy.write("".join("\t".join([_copy_value(e.__dict__[name]) for name in attnames]) + "\n" for e in entries))

    with connection.cursor() as cursor:
        statement = f"COPY {table} ({columns}) FROM STDIN"
        with cursor.cursor.copy(statement, writer=QueuedLibpqWriter(cursor.cursor)) as copy:
            yield insert


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(value: str) -> str:
    # str.translate looks up every character of a Vietnamese string in a dict: only escape when needed.
    if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
        return value.translate(_COPY_ESCAPES)
    return value


def _copy_value(value) -> str:
    if value is None:
        return "\\N"
    if type(value) is str:
        return _copy_text(value)
    if type(value) is bool:
        return "t" if value else "f"
    if type(value) is int:
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return _copy_text(str(value))
