"""Ledgers are append-only hash chains (DESIGN.md section 5)."""

import json
import threading
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from tests.ledger_testapp.models import SampleEntry
from tuson_hcc.ledgers.hashing import GENESIS_HASH, compute_hash
from tuson_hcc.ledgers.models import LedgerHead, LedgerImmutableError
from tuson_hcc.ledgers.services import ledger_append
from tuson_hcc.ledgers.verify import Reason, ledger_models, verify_all_ledgers, verify_ledger

pytestmark = pytest.mark.django_db

CHAIN = "seal:12:2026"


def _append(n, chain=CHAIN):
    return [
        ledger_append(SampleEntry, chain_key=chain, note=f"lần {i}", amount=Decimal("1.5")) for i in range(1, n + 1)
    ]


def _raw(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _allow_raw_tampering():
    """On PostgreSQL, play an attacker with superuser rights who disables the trigger (inside the test transaction)."""
    if connection.vendor == "postgresql":
        _raw("SET CONSTRAINTS ALL IMMEDIATE")  # flush deferred FK checks, or ALTER TABLE refuses
        _raw(f"ALTER TABLE {SampleEntry._meta.db_table} DISABLE TRIGGER USER")


def test_append_assigns_consecutive_sequences_with_chained_hashes():
    first, second, third = _append(3)
    assert [e.sequence for e in (first, second, third)] == [1, 2, 3]
    assert first.previous_hash == GENESIS_HASH
    assert second.previous_hash == first.entry_hash
    assert third.previous_hash == second.entry_hash
    assert first.entry_hash == compute_hash(GENESIS_HASH, first.canonical())
    head = LedgerHead.objects.get(ledger="ledger_testapp.sampleentry", chain_key=CHAIN)
    assert (head.last_sequence, head.last_hash) == (3, third.entry_hash)
    # Another chain starts again at 1.
    assert _append(1, chain="seal:13:2026")[0].sequence == 1


def test_the_stored_entry_hashes_to_what_was_appended():
    entry = ledger_append(SampleEntry, chain_key=CHAIN, note="x", amount=Decimal("2"), happened_on="2026-02-25")
    reloaded = SampleEntry.objects.get(pk=entry.pk)
    assert reloaded.compute_hash() == entry.entry_hash
    assert verify_ledger(SampleEntry)[0].ok


def test_saving_deleting_and_updating_an_entry_is_refused():
    (entry,) = _append(1)
    entry.note = "sửa"
    with pytest.raises(LedgerImmutableError):
        entry.save()
    with pytest.raises(LedgerImmutableError):
        entry.delete()
    with pytest.raises(LedgerImmutableError):
        SampleEntry.objects.filter(pk=entry.pk).update(note="sửa")
    with pytest.raises(LedgerImmutableError):
        SampleEntry.objects.all().delete()
    with pytest.raises(LedgerImmutableError):
        SampleEntry.objects.create(
            chain_key=CHAIN, sequence=2, previous_hash="", entry_hash="", recorded_at=entry.recorded_at
        )
    assert SampleEntry.objects.get(pk=entry.pk).note == "lần 1"


def test_a_correction_is_a_new_entry_and_leaves_the_original_untouched():
    original, _ = _append(2)
    correction = ledger_append(SampleEntry, chain_key=CHAIN, corrects=original, note="đính chính lần 1")
    assert correction.sequence == 3
    assert list(original.corrections.all()) == [correction]
    reloaded = SampleEntry.objects.get(pk=original.pk)
    assert (reloaded.note, reloaded.entry_hash) == ("lần 1", original.entry_hash)
    assert all(r.ok for r in verify_ledger(SampleEntry))


def test_verify_reports_every_chain_ok_and_the_command_exits_zero(capsys):
    _append(3)
    _append(2, chain="seal:13:2026")
    reports = verify_ledger(SampleEntry)
    assert [(r.chain_key, r.entries, r.ok) for r in reports] == [(CHAIN, 3, True), ("seal:13:2026", 2, True)]
    assert SampleEntry in ledger_models()
    call_command("verify_ledgers")
    out = capsys.readouterr().out
    assert f"ledger_testapp.sampleentry {CHAIN}: 3 entries" in out and "OK" in out


def test_a_raw_update_is_reported_as_the_first_broken_entry_and_the_command_exits_1(capsys):
    entries = _append(5)
    _allow_raw_tampering()
    _raw(f"UPDATE {SampleEntry._meta.db_table} SET note = %s WHERE id = %s", ["giả mạo", entries[2].pk])
    (report,) = verify_ledger(SampleEntry)
    assert not report.ok
    assert (report.broken_sequence, report.broken_pk, report.reason) == (3, entries[2].pk, Reason.HASH)
    with pytest.raises(CommandError) as raised:
        call_command("verify_ledgers", ledger="ledger_testapp.sampleentry")
    assert raised.value.returncode == 1
    out = capsys.readouterr().out
    assert "BROKEN" in out and f"sequence 3 (pk {entries[2].pk}): hash mismatch" in out


def _rewrite_with_its_own_hash(entry, note):
    """The attacker's better forgery: change an entry and store the hash that matches the change."""
    entry.note = note
    forged_hash = entry.compute_hash()
    _allow_raw_tampering()
    table = SampleEntry._meta.db_table
    _raw(f"UPDATE {table} SET note = %s, entry_hash = %s WHERE id = %s", [note, forged_hash, entry.pk])  # noqa: S608
    return forged_hash


def test_an_entry_rewritten_with_its_own_hash_breaks_the_next_link_and_verify_names_it(capsys):
    entries = _append(5)
    _rewrite_with_its_own_hash(entries[2], "giả mạo")
    (report,) = verify_ledger(SampleEntry)
    # Entry 3 alone looks sound; entry 4 still points at the old hash of entry 3.
    assert (report.ok, report.broken_sequence, report.broken_pk, report.reason) == (
        False,
        4,
        entries[3].pk,
        Reason.PREVIOUS,
    )
    with pytest.raises(CommandError):
        call_command("verify_ledgers", ledger="ledger_testapp.sampleentry")
    assert f"sequence 4 (pk {entries[3].pk}): previous hash mismatch" in capsys.readouterr().out


def test_the_last_entry_rewritten_with_its_own_hash_is_caught_by_the_head():
    entries = _append(3)
    _rewrite_with_its_own_hash(entries[-1], "giả mạo")
    (report,) = verify_ledger(SampleEntry)
    assert (report.ok, report.broken_sequence, report.reason) == (False, 3, Reason.HEAD)


def test_a_deleted_middle_entry_is_a_sequence_gap():
    entries = _append(4)
    _allow_raw_tampering()
    _raw(f"DELETE FROM {SampleEntry._meta.db_table} WHERE id = %s", [entries[1].pk])
    (report,) = verify_ledger(SampleEntry)
    assert (report.ok, report.broken_sequence, report.reason) == (False, 3, Reason.GAP)


def test_a_deleted_last_entry_is_caught_by_the_head():
    entries = _append(10)
    _allow_raw_tampering()
    _raw(f"DELETE FROM {SampleEntry._meta.db_table} WHERE id = %s", [entries[-1].pk])
    (report,) = verify_ledger(SampleEntry)
    assert (report.ok, report.entries, report.broken_sequence, report.reason) == (False, 9, 10, Reason.HEAD)
    assert "head records #10" in report.detail


def test_verify_all_ledgers_can_be_narrowed_to_one_ledger():
    _append(1)
    assert len(verify_all_ledgers("ledger_testapp.sampleentry")) == 1
    assert verify_all_ledgers("nothing.here") == []
    with pytest.raises(CommandError):
        call_command("verify_ledgers", ledger="nothing.here")


def test_postgres_trigger_refuses_raw_update_and_delete(postgres_only):
    (entry,) = _append(1)
    table = SampleEntry._meta.db_table
    for sql in (f"UPDATE {table} SET note = 'x' WHERE id = %s", f"DELETE FROM {table} WHERE id = %s"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            _raw(sql, [entry.pk])
    assert SampleEntry.objects.get(pk=entry.pk).note == "lần 1"


class _RolledBack(Exception):
    pass


def _raw_row(model) -> int:
    """Insert one row of `model` with raw SQL (plain values, foreign keys unchecked until commit,
    which the test transaction never reaches) so that the row-level triggers have a row to refuse."""
    values = {}
    for field in model._meta.concrete_fields:
        if field.primary_key or field.null:
            continue
        internal = field.get_internal_type()
        if field.is_relation or "Integer" in internal or internal in ("DecimalField", "FloatField"):
            value = 1
        elif internal == "DateTimeField":
            value = "2026-03-10T09:00:00+07:00"
        elif internal == "DateField":
            value = "2026-03-10"
        elif internal == "BooleanField":
            value = True
        elif internal == "JSONField":
            value = "{}"
        else:
            value = field.choices[0][0] if field.choices else "x"
        values[field.column] = value
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in values)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(values))}) RETURNING id",  # noqa: S608
            list(values.values()),
        )
        return cursor.fetchone()[0]


@pytest.mark.postgres
@pytest.mark.parametrize("label", sorted(m._meta.label_lower for m in ledger_models()))
def test_every_ledger_table_refuses_update_delete_and_truncate_on_postgres(postgres_only, label):
    # DESIGN.md section 5: ledgers only grow, whoever writes the SQL. TRUNCATE is refused by a
    # statement-level trigger, so it is refused even on an empty table.
    from django.apps import apps

    model = apps.get_model(label)
    table = connection.ops.quote_name(model._meta.db_table)
    with pytest.raises(DatabaseError, match="append-only: TRUNCATE refused"), transaction.atomic():
        _raw(f"TRUNCATE {table} CASCADE")
    with pytest.raises(_RolledBack), transaction.atomic():  # the row and its unchecked keys go with the savepoint
        _raw("SET CONSTRAINTS ALL DEFERRED")
        pk = _raw_row(model)
        for sql in (
            f"UPDATE {table} SET chain_key = 'giả mạo' WHERE id = %s",  # noqa: S608
            f"DELETE FROM {table} WHERE id = %s",  # noqa: S608
        ):
            with pytest.raises(DatabaseError, match="append-only: (UPDATE|DELETE) refused"), transaction.atomic():
                _raw(sql, [pk])
        assert model.objects.filter(pk=pk, chain_key="x").exists()
        raise _RolledBack


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_get_consecutive_numbers(postgres_only):
    barrier = threading.Barrier(2)
    errors = []

    def worker(i):
        try:
            barrier.wait()
            for j in range(5):
                ledger_append(SampleEntry, chain_key=CHAIN, note=f"luồng {i} lần {j}")
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert list(SampleEntry.objects.order_by("sequence").values_list("sequence", flat=True)) == list(range(1, 11))
    assert all(r.ok for r in verify_ledger(SampleEntry))


def test_the_canonical_entry_is_sorted_compact_json():
    entry = ledger_append(
        SampleEntry, chain_key=CHAIN, note='Đăng ký "mẫu" dấu', amount=Decimal("3"), happened_on="2026-02-05"
    )
    data = json.loads(entry.canonical())
    assert entry.canonical() == json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert data["amount"] == "3.00" and data["happened_on"] == "2026-02-05" and data["corrects"] is None
    assert data["recorded_at"].endswith("+00:00") and data["sequence"] == 1 and data["chain_key"] == CHAIN


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_workers_stitch_blocks_into_the_same_reports(postgres_only, monkeypatch):
    from tuson_hcc.ledgers import verify

    _append(23)
    _append(4, chain="seal:13:2026")
    monkeypatch.setattr(verify, "BLOCK_SIZE", 5)  # 5 blocks for the first chain, in 2 forked workers
    parallel = verify.verify_ledger_in_python(SampleEntry, workers=2)
    assert parallel == verify.verify_ledger(SampleEntry)
    assert [(r.chain_key, r.entries, r.last_sequence, r.ok) for r in parallel] == [
        (CHAIN, 23, 23, True),
        ("seal:13:2026", 4, 4, True),
    ]


def test_chains_loaded_in_one_stream_are_written_in_time_order_each_with_its_own_gapless_hashes():
    """The large seed's loader (`ledger_bulk_load_chains`): entries of several chains merged by date, as the
    desks append them; each chain numbered and hashed as `ledger_append` would, and verified."""
    from datetime import date, timedelta

    from tuson_hcc.ledgers.services import ledger_bulk_load_chains

    ledger_append(SampleEntry, chain_key="a", note="đã có", amount=Decimal("1"))
    start = date(2026, 1, 1)
    chains = {
        "a": ({"note": f"a{n}", "happened_on": start + timedelta(days=n * 2)} for n in range(4)),
        "b": ({"note": f"b{n}", "happened_on": start + timedelta(days=n * 3 + 1)} for n in range(3)),
    }
    assert ledger_bulk_load_chains(SampleEntry, chains=chains, order_by="happened_on") == 7
    written = list(SampleEntry.objects.exclude(note="đã có").order_by("id").values_list("note", "happened_on"))
    assert [day for _note, day in written] == sorted(day for _note, day in written)
    assert [n for n, _ in written] == ["a0", "b0", "a1", "b1", "a2", "a3", "b2"]
    assert list(SampleEntry.objects.filter(chain_key="a").order_by("sequence").values_list("sequence", flat=True)) == [
        1, 2, 3, 4, 5,
    ]  # fmt: skip
    heads = dict(LedgerHead.objects.values_list("chain_key", "last_sequence"))
    assert heads["a"] == 5 and heads["b"] == 3
    assert all(report.ok for report in verify_ledger(SampleEntry))
