"""Walking the chains: `verify_ledger(model)` and `verify_all_ledgers()` (DESIGN.md section 5).

Streams tuples (no model instances) ordered by (chain_key, sequence) and recomputes every hash;
then compares each chain's end with its `LedgerHead`, so a deleted last entry is caught too.
"""

from dataclasses import dataclass

from django.apps import apps
from django.db import models
from django.db.models.sql.constants import MULTI

from .hashing import GENESIS_HASH, compute_hash, fragment_for, sqlite_raw_datetime_fragment
from .models import LedgerEntry, LedgerHead
from .services import ledger_label

CHUNK_SIZE = 5000


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

    def _break(self, sequence, pk, reason, detail=""):
        if self.ok:
            self.ok, self.broken_sequence, self.broken_pk, self.reason, self.detail = (
                False,
                sequence,
                pk,
                reason,
                detail,
            )


def ledger_models() -> list[type[LedgerEntry]]:
    """Every concrete ledger model of the installed apps."""
    return [m for m in apps.get_models() if issubclass(m, LedgerEntry) and not m._meta.abstract]


def _column_functions(compiler, fields, vendor) -> list:
    """Per selected column: raw database value -> canonical JSON fragment (converters applied lazily)."""
    converters = compiler.get_converters([select[0] for select in compiler.select])
    connection = compiler.connection
    functions = []
    for position, field in enumerate(fields, start=3):
        fragment = fragment_for(field)
        convs = [c for c in converters.get(position, ((), None))[0]]
        expression = compiler.select[position][0]

        def convert(raw, convs=convs, expression=expression, fragment=fragment):
            for converter in convs:
                raw = converter(raw, expression, connection)
            return fragment(raw)

        if vendor == "sqlite" and isinstance(field, models.DateTimeField):

            def fast(raw, convert=convert):
                return sqlite_raw_datetime_fragment(raw) or convert(raw)

            functions.append(fast)
        else:
            functions.append(convert if convs else fragment)
    return functions


def _stream(queryset, attnames, fields):
    """Yield (pk, previous_hash, entry_hash, canonical JSON) ordered by chain and sequence, no model instances."""
    queryset = queryset.order_by("chain_key", "sequence").values_list("pk", "previous_hash", "entry_hash", *attnames)
    compiler = queryset.query.get_compiler(using=queryset.db)
    chunks = compiler.execute_sql(MULTI, chunked_fetch=True, chunk_size=CHUNK_SIZE)
    functions = _column_functions(compiler, fields, compiler.connection.vendor)
    for chunk in chunks:
        for row in chunk:
            yield row, [function(value) for function, value in zip(functions, row[3:], strict=True)]


def verify_ledger(model: type[LedgerEntry], chain_key: str | None = None) -> list[ChainReport]:
    """Check every chain of `model` (or only `chain_key`); one report per chain, by chain_key."""
    label = ledger_label(model)
    template, plan = model.hash_plan()
    attnames = [attname for _, attname, _ in plan]
    fields = [model._meta.get_field(key) for key, _, _ in plan]
    chain_at = attnames.index("chain_key") + 3
    sequence_at = attnames.index("sequence") + 3
    queryset = model.objects.all()
    heads = LedgerHead.objects.filter(ledger=label)
    if chain_key is not None:
        queryset = queryset.filter(chain_key=chain_key)
        heads = heads.filter(chain_key=chain_key)

    reports: dict[str, ChainReport] = {}
    report = None
    expected_previous = GENESIS_HASH
    for row, fragments in _stream(queryset, attnames, fields):
        pk, previous_hash, entry_hash, chain, sequence = row[0], row[1], row[2], row[chain_at], row[sequence_at]
        if report is None or chain != report.chain_key:
            report = reports[chain] = ChainReport(ledger=label, chain_key=chain)
            expected_previous = GENESIS_HASH
        report.entries += 1
        if report.ok:
            if sequence != report.last_sequence + 1:
                report._break(sequence, pk, Reason.GAP, f"expected {report.last_sequence + 1}, found {sequence}")
            elif previous_hash != expected_previous:
                report._break(sequence, pk, Reason.PREVIOUS)
            elif compute_hash(previous_hash, template % tuple(fragments)) != entry_hash:
                report._break(sequence, pk, Reason.HASH)
        report.last_sequence = sequence
        report.last_hash = expected_previous = entry_hash

    for head in heads:
        report = reports.get(head.chain_key)
        if report is None:
            report = reports[head.chain_key] = ChainReport(ledger=label, chain_key=head.chain_key)
        if head.last_sequence != report.last_sequence or head.last_hash != report.last_hash:
            report._break(
                report.last_sequence + 1 if head.last_sequence > report.last_sequence else head.last_sequence,
                None,
                Reason.HEAD,
                f"head records #{head.last_sequence}, chain ends at #{report.last_sequence}",
            )
    head_keys = {h.chain_key for h in heads}
    for chain, report in reports.items():
        if chain not in head_keys:
            report._break(1, None, Reason.HEAD, "chain has no head: entries written outside ledger_append()")
    return [reports[key] for key in sorted(reports)]


def verify_all_ledgers(label: str | None = None) -> list[ChainReport]:
    """Reports for every chain of every ledger (or only the ledger named `label`)."""
    results = []
    for model in ledger_models():
        if label is None or ledger_label(model) == label.lower():
            results.extend(verify_ledger(model))
    return results
