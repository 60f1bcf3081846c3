"""Walking the chains: `verify_ledger(model)` and `verify_all_ledgers()` (DESIGN.md section 5).

Each chain is read in blocks of consecutive sequences, streamed as tuples (no model instances);
every entry's hash is recomputed and every link checked, and the blocks are stitched back in
order, so the first broken entry is exact. Each chain's end is compared with its `LedgerHead`,
so a deleted last entry is caught too. On PostgreSQL the database does the hashing and the
linking (sqlverify.py, DESIGN.md section 7: 250,000 entries a second in one process); elsewhere
Python does, as follows. Blocks run in forked worker processes when the ledger
is large, `workers` > 1 (the command's default) and the data is visible to other connections
(DESIGN.md section 7 asks for 100,000 entries a second); otherwise, as in tests, in this process.
"""

import hashlib
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

from django.apps import apps
from django.db import connections

from .hashing import GENESIS_HASH
from .models import LedgerEntry, LedgerHead
from .services import ledger_label
from .sqlverify import canonical_sql, database_chain_results
from .streaming import stream_fragments

BLOCK_SIZE = 50_000
# From this many entries PostgreSQL checks the links and the hashes at once, on two connections.
CONCURRENT_MIN_ENTRIES = 2 * BLOCK_SIZE


class Reason:
    HASH = "hash mismatch"
    PREVIOUS = "previous hash mismatch"
    GAP = "sequence gap"
    HEAD = "head mismatch"


@dataclass
class ChainReport:
    """The result for one chain. When `ok` is False, `broken_*` name the first broken entry."""

    ledger: str
    chain_key: str
    entries: int = 0
    last_sequence: int = 0
    last_hash: str = GENESIS_HASH
    ok: bool = True
    broken_sequence: int | None = None
    broken_pk: int | None = None
    reason: str = ""
    detail: str = ""

    def mark_broken(self, sequence, pk, reason, detail=""):
        if self.ok:
            self.ok = False
            self.broken_sequence, self.broken_pk, self.reason, self.detail = sequence, pk, reason, detail


@dataclass
class _Block:
    """What one worker found in sequences [start, stop] of one chain; links into it are checked by the caller."""

    chain_key: str
    start: int
    count: int = 0
    first: tuple | None = None  # (sequence, pk, previous_hash)
    last: tuple | None = None  # (sequence, entry_hash)
    broken: tuple | None = None  # (sequence, pk, reason, detail)


def ledger_models() -> list[type[LedgerEntry]]:
    """Every concrete ledger model of the installed apps."""
    return [m for m in apps.get_models() if issubclass(m, LedgerEntry) and not m._meta.abstract]


def _verify_block(label: str, chain_key: str, start: int, stop: int | None) -> _Block:
    model = apps.get_model(label)
    template, plan = model.hash_plan()
    attnames = [attname for _, attname, _ in plan]
    fields = [model._meta.get_field(key) for key, _, _ in plan]
    sequence_at = attnames.index("sequence") + 3
    queryset = model.objects.filter(chain_key=chain_key, sequence__gte=start)
    if stop is not None:
        queryset = queryset.filter(sequence__lte=stop)
    block = _Block(chain_key=chain_key, start=start)
    sha256 = hashlib.sha256
    broken = None
    count = 0
    expected_sequence = expected_previous = sequence = entry_hash = None
    # The hot loop of DESIGN.md section 7's 100,000 entries a second: locals only, hash inlined.
    for row, fragments in stream_fragments(queryset, attnames, fields):
        pk, previous_hash, entry_hash, sequence = row[0], row[1], row[2], row[sequence_at]
        if broken is None:
            if count == 0:
                block.first = (sequence, pk, previous_hash)
            elif sequence != expected_sequence:
                broken = (sequence, pk, Reason.GAP, f"expected {expected_sequence}, found {sequence}")
            elif previous_hash != expected_previous:
                broken = (sequence, pk, Reason.PREVIOUS, "")
            if broken is None and sha256((previous_hash + template % fragments).encode()).hexdigest() != entry_hash:
                broken = (sequence, pk, Reason.HASH, "")
        expected_sequence, expected_previous = sequence + 1, entry_hash
        count += 1
    block.count, block.broken = count, broken
    if count:
        block.last = (sequence, entry_hash)
    return block


def _verify_block_in_worker(*args) -> _Block:
    try:
        return _verify_block(*args)
    finally:
        connections.close_all()


def _forget_inherited_connections():
    # A forked worker must never use (or close) the parent's database sockets: open its own.
    for connection in connections.all(initialized_only=True):
        connection.connection = None


def _can_fork(model, rows: int, workers: int) -> bool:
    # Workers open their own connections: the data must be committed and not in a private memory DB.
    connection = connections[model.objects.db]
    in_memory = getattr(connection, "is_in_memory_db", lambda: False)()
    return workers > 1 and rows >= 2 * BLOCK_SIZE and not connection.in_atomic_block and not in_memory


def _run(model, tasks: list[tuple], workers: int) -> list[_Block]:
    rows = sum((stop or start + BLOCK_SIZE) - start for _, _, start, stop in tasks)
    if not _can_fork(model, rows, workers):
        return [_verify_block(*task) for task in tasks]
    workers = min(workers, len(tasks))
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_forget_inherited_connections) as pool:
        return list(pool.map(_verify_block_in_worker, *zip(*tasks, strict=True)))


def verify_ledger(model: type[LedgerEntry], chain_key: str | None = None, *, workers: int = 1) -> list[ChainReport]:
    """Check every chain of `model` (or only `chain_key`); one report per chain, by chain_key.

    `workers > 1` forks that many processes for large ledgers (the command does; a web view
    should not fork, so the default is this process only).
    """
    label, heads = ledger_label(model), _heads(model, chain_key)
    if canonical_sql(model) is not None:
        # PostgreSQL hashes and links every entry itself (sqlverify.py): one row per chain back.
        concurrent = sum(head.last_sequence for head in heads.values()) >= CONCURRENT_MIN_ENTRIES
        reports = {}
        for result in database_chain_results(model, chain_key, concurrent=concurrent):
            report = ChainReport(ledger=label, chain_key=result["chain_key"], entries=result["entries"])
            report.last_sequence, report.last_hash = result["last_sequence"], result["last_hash"]
            if result["broken"]:
                report.mark_broken(*result["broken"])
            reports[report.chain_key] = report
        for chain in heads:
            reports.setdefault(chain, ChainReport(ledger=label, chain_key=chain))
        return _compare_heads(reports, heads)
    return verify_ledger_in_python(model, chain_key, workers=workers)


def _heads(model, chain_key: str | None) -> dict[str, LedgerHead]:
    heads = LedgerHead.objects.filter(ledger=ledger_label(model))
    if chain_key is not None:
        heads = heads.filter(chain_key=chain_key)
    return {head.chain_key: head for head in heads}


def verify_ledger_in_python(model, chain_key: str | None = None, *, workers: int = 1) -> list[ChainReport]:
    """Every entry re-hashed in Python, in blocks: SQLite, a ledger whose fields SQL cannot write, and
    the tests that hold the PostgreSQL path to the same results."""
    label, heads = ledger_label(model), _heads(model, chain_key)
    entries = model.objects.all() if chain_key is None else model.objects.filter(chain_key=chain_key)
    headless = set(entries.exclude(chain_key__in=list(heads)).values_list("chain_key", flat=True).distinct())
    tasks = []
    for chain in sorted(set(heads) | headless):
        last = heads[chain].last_sequence if chain in heads else 0
        # Blocks of BLOCK_SIZE up to the head; the last one is open-ended to catch rows past the head.
        starts = [0, *range(BLOCK_SIZE + 1, last + 1, BLOCK_SIZE)]
        for i, start in enumerate(starts):
            tasks.append((label, chain, start, starts[i + 1] - 1 if i + 1 < len(starts) else None))

    reports: dict[str, ChainReport] = {}
    for block in _run(model, tasks, workers):
        report = reports.setdefault(block.chain_key, ChainReport(ledger=label, chain_key=block.chain_key))
        if not block.count:
            continue
        report.entries += block.count
        sequence, pk, previous_hash = block.first
        if sequence != report.last_sequence + 1:
            report.mark_broken(sequence, pk, Reason.GAP, f"expected {report.last_sequence + 1}, found {sequence}")
        elif previous_hash != report.last_hash:
            report.mark_broken(sequence, pk, Reason.PREVIOUS)
        elif block.broken:
            report.mark_broken(*block.broken)
        report.last_sequence, report.last_hash = block.last
    return _compare_heads(reports, heads)


def _compare_heads(reports: dict[str, ChainReport], heads: dict) -> list[ChainReport]:
    """Each chain's end must be its head's: a deleted last entry leaves no other trace."""
    for chain, report in reports.items():
        head = heads.get(chain)
        if head is None:
            report.mark_broken(1, None, Reason.HEAD, "chain has no head: entries written outside ledger_append()")
        elif head.last_sequence != report.last_sequence or head.last_hash != report.last_hash:
            report.mark_broken(
                report.last_sequence + 1 if head.last_sequence > report.last_sequence else head.last_sequence,
                None,
                Reason.HEAD,
                f"head records #{head.last_sequence}, chain ends at #{report.last_sequence}",
            )
    return [reports[key] for key in sorted(reports)]


def verify_all_ledgers(label: str | None = None, *, workers: int = 1) -> list[ChainReport]:
    """Reports for every chain of every ledger (or only the ledger named `label`, e.g. "seals.stampingentry")."""
    results = []
    for model in ledger_models():
        if label is None or ledger_label(model) == label.lower():
            results.extend(verify_ledger(model, workers=workers))
    return results
