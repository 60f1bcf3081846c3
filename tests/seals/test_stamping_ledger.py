"""The stamping log is an append-only hash chain (DESIGN.md section 5; issue 3)."""

import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from seals.models import StampingEntry
from seals.services.stamping import stamping_correct, stamping_record
from tuson_hcc.core.errors import BusinessRuleError
from tuson_hcc.ledgers.models import LedgerImmutableError
from tuson_hcc.ledgers.verify import verify_ledger

pytestmark = pytest.mark.django_db


@pytest.fixture
def stamp(seal, catalogue, document, demo_users):
    def make(**overrides):
        return stamping_record(
            seal=seal, procedure=catalogue["birth"], document=document(**overrides), actor=demo_users["vanthu"]
        )

    return make


def _raw(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_an_entry_cannot_be_changed_or_deleted_through_the_orm(stamp):
    entry = stamp()
    entry.summary = "sửa lén"
    with pytest.raises(LedgerImmutableError):
        entry.save()
    with pytest.raises(LedgerImmutableError):
        entry.delete()
    with pytest.raises(LedgerImmutableError):
        StampingEntry.objects.filter(pk=entry.pk).update(summary="x")
    with pytest.raises(LedgerImmutableError):
        StampingEntry.objects.all().delete()


def test_void_correction_is_a_new_entry_and_leaves_the_original_untouched(stamp, demo_users):
    original = stamp()
    before = (original.entry_hash, original.summary, original.correction)
    void = stamping_correct(entry=original, correction="void", reason="Ghi nhầm con dấu", actor=demo_users["vanthu"])
    original.refresh_from_db()
    assert (original.entry_hash, original.summary, original.correction) == before
    assert void.corrects == original and void.sequence == 2 and void.correction == "void"
    assert void.clerk == demo_users["vanthu"]
    with pytest.raises(BusinessRuleError, match="đã được đính chính"):
        stamping_correct(entry=original, correction="void", reason="lần nữa", actor=demo_users["vanthu"])


def test_amend_correction_rechecks_the_rules_and_keeps_the_original(stamp, catalogue, demo_users):
    original = stamp()
    amended = stamping_correct(
        entry=original,
        correction="amend",
        reason="Sai số bản",
        procedure=catalogue["birth"],
        document={"copies": 5},
        actor=demo_users["vanthu"],
    )
    assert amended.copies == 5 and original.copies == 2 and amended.corrects_id == original.pk
    with pytest.raises(BusinessRuleError, match="không phải cơ quan"):
        stamping_correct(
            entry=amended,
            correction="amend",
            reason="đổi thủ tục",
            procedure=catalogue["household"],
            actor=demo_users["vanthu"],
        )


def test_correction_needs_a_reason_and_the_van_thu(stamp, demo_users):
    entry = stamp()
    with pytest.raises(BusinessRuleError, match="lý do"):
        stamping_correct(entry=entry, correction="void", reason=" ", actor=demo_users["vanthu"])
    with pytest.raises(BusinessRuleError, match="Văn thư"):
        stamping_correct(entry=entry, correction="void", reason="x", actor=demo_users["giamdoc"])
    assert StampingEntry.objects.count() == 1


def test_a_row_changed_behind_the_apps_back_fails_verify_ledgers_naming_it(stamp, capsys):
    entries = [stamp(summary=f"văn bản {i}") for i in range(3)]
    if connection.vendor == "postgresql":
        _raw("SET CONSTRAINTS ALL IMMEDIATE")
        _raw(f"ALTER TABLE {StampingEntry._meta.db_table} DISABLE TRIGGER USER")
    _raw(f"UPDATE {StampingEntry._meta.db_table} SET copies = 9 WHERE id = %s", [entries[1].pk])
    (report,) = verify_ledger(StampingEntry)
    assert not report.ok and report.broken_sequence == 2 and report.broken_pk == entries[1].pk
    with pytest.raises(CommandError) as failure:
        call_command("verify_ledgers")
    assert failure.value.returncode == 1  # manage.py exits non-zero
    output = capsys.readouterr().out
    assert f"{entries[0].chain_key}: 3 entries" in output
    assert f"first broken entry: sequence 2 (pk {entries[1].pk})" in output


def test_postgres_trigger_refuses_update_and_delete_of_a_stamping(stamp, postgres_only):
    entry = stamp()
    table = StampingEntry._meta.db_table
    for sql in (f"UPDATE {table} SET copies = 9 WHERE id = %s", f"DELETE FROM {table} WHERE id = %s"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            _raw(sql, [entry.pk])
    assert StampingEntry.objects.get(pk=entry.pk).copies == 2


@pytest.mark.django_db(transaction=True)
def test_two_desks_stamping_one_seal_at_once_get_consecutive_numbers_and_one_chain(postgres_only, request):
    """Only the seal's custodian may stamp with it (Điều 7.1), so the race is two desk sessions of that clerk."""
    from tuson_hcc.accounts.models import User

    seal, catalogue, document = (request.getfixturevalue(n) for n in ("seal", "catalogue", "document"))
    clerk = User.objects.get(username="vanthu")
    barrier, errors = threading.Barrier(2), []

    def worker():
        try:
            barrier.wait()
            for _ in range(5):
                stamping_record(seal=seal, procedure=catalogue["birth"], document=document(), actor=clerk)
        except Exception as exc:  # noqa: BLE001 - asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert list(StampingEntry.objects.order_by("sequence").values_list("sequence", flat=True)) == list(range(1, 11))
    assert all(report.ok for report in verify_ledger(StampingEntry))
