"""`/history/ledgers/`: each chain's length and last hash, and "verify now", recorded (issue 6)."""

from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from tests.ledger_testapp.models import SampleEntry
from tuson_hcc.history.models import LedgerVerification
from tuson_hcc.ledgers.models import LedgerImmutableError
from tuson_hcc.ledgers.services import ledger_append

pytestmark = pytest.mark.django_db

CHAIN = "seal:3:2026"


def _chain(n=3):
    return [ledger_append(SampleEntry, chain_key=CHAIN, note=f"lần {i}", amount=Decimal("1")) for i in range(n)]


def _tamper(entry):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"ALTER TABLE {SampleEntry._meta.db_table} DISABLE TRIGGER USER")
        cursor.execute(f"UPDATE {SampleEntry._meta.db_table} SET note = %s WHERE id = %s", ["đã sửa lén", entry.pk])


def test_the_page_lists_every_ledger_and_chain_with_length_and_last_hash(client_for):
    entries = _chain(3)
    response = client_for("kiemtra").get("/history/ledgers/")
    assert response.status_code == 200
    labels = [ledger.label for ledger in response.context["ledgers"]]
    assert {"ledger_testapp.sampleentry", "history.ledgerverification"} <= set(labels)
    (sample,) = [ledger for ledger in response.context["ledgers"] if ledger.label == "ledger_testapp.sampleentry"]
    (head,) = sample.chains
    assert (head.chain_key, head.last_sequence, head.last_hash) == (CHAIN, 3, entries[-1].entry_hash)
    assert entries[-1].entry_hash in response.content.decode()


def test_verify_now_records_who_ran_it_and_an_intact_result(client_for, demo_users):
    _chain(2)
    auditor = client_for("kiemtra")
    response = auditor.post("/history/ledgers/verify/", {"ledger": ""}, follow=True)
    assert response.status_code == 200
    record = LedgerVerification.objects.get()
    assert (record.ran_by, record.ok, record.broken_chains, record.scope) == (demo_users["kiemtra"], True, 0, "")
    assert record.entries >= 2
    assert "Toàn vẹn" in response.content.decode()
    # the record itself is a ledger entry: chained and immutable
    with pytest.raises(LedgerImmutableError):
        record.delete()


def test_a_tampered_entry_shows_as_broken_on_the_page_and_in_the_command(client_for):
    entries = _chain(4)
    _tamper(entries[1])
    response = client_for("giamdoc").post(
        "/history/ledgers/verify/", {"ledger": "ledger_testapp.sampleentry"}, follow=True
    )
    page = response.content.decode()
    expected = f"ledger_testapp.sampleentry {CHAIN}: first broken entry: sequence 2 (pk {entries[1].pk}): hash mismatch"
    assert expected in page
    record = LedgerVerification.objects.get()
    assert not record.ok and record.summary == expected and record.scope == "ledger_testapp.sampleentry"
    # the same as `manage.py verify_ledgers`
    from io import StringIO

    out = StringIO()
    with pytest.raises(CommandError):
        call_command("verify_ledgers", ledger="ledger_testapp.sampleentry", workers=1, stdout=out)
    assert f"first broken entry: sequence 2 (pk {entries[1].pk}): hash mismatch" in out.getvalue()
    # and the past checks listed on the page name it
    listing = client_for("kiemtra").get("/history/ledgers/").content.decode()
    assert "Hỏng 1 chuỗi" in listing and expected in listing


def test_only_auditors_and_the_director_may_verify(client_for):
    for username in ("vanthu", "tiepnhan", "congchuc", "truongphong"):
        assert client_for(username).post("/history/ledgers/verify/", {"ledger": ""}).status_code == 403
    assert not LedgerVerification.objects.exists()
    assert client_for("kiemtra").get("/history/ledgers/verify/").status_code == 405


def test_the_ledgers_page_costs_few_queries(client_for, django_assert_max_num_queries):
    for chain in range(10):
        ledger_append(SampleEntry, chain_key=f"seal:{chain}:2026", note="x")
    auditor = client_for("kiemtra")
    with django_assert_max_num_queries(6):
        assert auditor.get("/history/ledgers/").status_code == 200
