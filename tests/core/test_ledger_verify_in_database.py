"""PostgreSQL verifies the ledgers itself (DESIGN.md section 7): the same hashes, the same first broken entry.

The database path (tuson_hcc/ledgers/sqlverify.py) rebuilds each entry's canonical JSON in SQL;
these tests hold it to the Python path (hashing.py) on every entry, including text that JSON
must escape, and on every kind of tampering the Python path catches.
"""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from seals.models import StampingEntry
from tests.ledger_testapp.models import SampleEntry
from tuson_hcc.ledgers.services import ledger_append, ledger_bulk_load
from tuson_hcc.ledgers.sqlverify import canonical_sql, database_chain_results, database_entry_hashes
from tuson_hcc.ledgers.verify import Reason, ledger_models, verify_ledger, verify_ledger_in_python

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

# Every character JSON escapes (encode_basestring), each alone in a text: PostgreSQL text holds no NUL.
ESCAPED = ['"', "\\", *(chr(c) for c in range(1, 32))]
TRICKY = [
    'dấu "ngoặc kép" và \\ gạch chéo',
    "xuống\ndòng\r\ttab\b\f",
    "ký tự điều khiển \x01\x1f và \x7f",
    "Đăng ký khai sinh – “Phường Đông Ngàn” ½ € 😀",
    "</script>&<>'",
    "",
]


def _raw(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _tamper(model, sql, params=()):
    """An attacker with superuser rights lifts the append-only trigger, inside the test transaction."""
    _raw("SET CONSTRAINTS ALL IMMEDIATE")
    _raw(f"ALTER TABLE {model._meta.db_table} DISABLE TRIGGER USER")
    _raw(sql.format(table=model._meta.db_table), params)


def _summary(reports):
    return [
        (r.chain_key, r.entries, r.last_sequence, r.last_hash, r.ok, r.broken_sequence, r.broken_pk, r.reason)
        for r in reports
    ]


@pytest.fixture
def sample_chains(postgres_only, demo_users):
    entries = []
    for i, note in enumerate(TRICKY * 3):
        entries.append(
            ledger_append(
                SampleEntry,
                chain_key=f"mẫu:{i % 2}",
                note=note or "trống",
                amount=(Decimal(i) / 3).quantize(Decimal("0.01")),
                happened_on=None if i % 3 else timezone.localdate() - timedelta(days=i),
                actor=None if i % 2 else demo_users["vanthu"],
            )
        )
    return entries


@pytest.fixture
def stamping_chain(postgres_only, demo_users):
    """A seal's year of stampings, with the datetime and foreign-key fields of the real ledger."""
    from tests.seals.factories import build_catalogue, build_seal

    catalogue = build_catalogue()
    seal = build_seal(catalogue, demo_users["vanthu"])
    start = timezone.now().replace(microsecond=123456) - timedelta(days=30)
    rows = [
        {
            "seal": seal,
            "procedure": catalogue["birth"] if i % 4 else None,
            "dossier_code": f"HCCTS-{i:04d}",
            "document_type": "Quyết định",
            "document_number": f"{i}/QĐ-UBND",
            "document_date": start.date(),
            "summary": TRICKY[i % len(TRICKY)] or "trích yếu",
            "signer_name": "Lê Thị Lan",
            "signer_position": "Trưởng phòng",
            "copies": i % 5 + 1,
            "requested_by": "Nguyễn Thị Thu",
            "clerk": demo_users["vanthu"],
            "stamped_at": start + timedelta(minutes=i, microseconds=i),
            "recorded_at": start + timedelta(minutes=i, microseconds=i),
        }
        for i in range(40)
    ]
    ledger_bulk_load(StampingEntry, chain_key=f"seal:{seal.pk}:2026", rows=rows)
    return list(StampingEntry.objects.order_by("sequence"))


@pytest.mark.parametrize("model_fixture", ["sample_chains", "stamping_chain"])
def test_the_database_hashes_every_entry_as_python_does(model_fixture, request):
    entries = request.getfixturevalue(model_fixture)
    model = type(entries[0])
    assert canonical_sql(model) is not None, "this ledger must be verified in the database"
    in_database = database_entry_hashes(model)
    assert len(in_database) == len(entries)
    for entry in model.objects.all():
        assert in_database[entry.pk] == entry.compute_hash() == entry.entry_hash, entry.canonical()


@pytest.mark.parametrize("model_fixture", ["sample_chains", "stamping_chain"])
def test_both_paths_pass_an_intact_ledger_with_the_same_reports(model_fixture, request):
    model = type(request.getfixturevalue(model_fixture)[0])
    in_database, in_python = verify_ledger(model), verify_ledger_in_python(model)
    assert all(r.ok for r in in_database)
    assert _summary(in_database) == _summary(in_python)


@pytest.mark.parametrize(
    ("tampering", "reason"),
    [
        ("UPDATE {table} SET copies = 99 WHERE id = %s", Reason.HASH),
        ("UPDATE {table} SET summary = summary || ' ' WHERE id = %s", Reason.HASH),
        ("UPDATE {table} SET stamped_at = stamped_at + interval '1 microsecond' WHERE id = %s", Reason.HASH),
        ("UPDATE {table} SET previous_hash = repeat('a', 64) WHERE id = %s", Reason.PREVIOUS),
        ("UPDATE {table} SET sequence = sequence + 1000 WHERE id = %s", Reason.GAP),
        ("DELETE FROM {table} WHERE id = %s", Reason.GAP),
    ],
)
def test_both_paths_name_the_same_first_broken_entry(stamping_chain, tampering, reason):
    target, later = stamping_chain[17], stamping_chain[30]
    _tamper(StampingEntry, tampering, [target.pk])
    _tamper(StampingEntry, "UPDATE {table} SET copies = 77 WHERE id = %s", [later.pk])  # a second, later break
    (in_database,), (in_python,) = verify_ledger(StampingEntry), verify_ledger_in_python(StampingEntry)
    assert not in_database.ok and in_database.reason == reason
    expected_pk = stamping_chain[18].pk if reason == Reason.GAP and tampering.startswith("DELETE") else target.pk
    if "sequence + 1000" in tampering:
        expected_pk = stamping_chain[18].pk  # the entry after the hole is the one out of sequence
    assert in_database.broken_pk == expected_pk
    assert _summary([in_database]) == _summary([in_python])
    assert in_database.detail == in_python.detail


def test_a_deleted_last_entry_is_caught_by_the_head_on_both_paths(stamping_chain):
    _tamper(StampingEntry, "DELETE FROM {table} WHERE id = %s", [stamping_chain[-1].pk])
    (in_database,), (in_python,) = verify_ledger(StampingEntry), verify_ledger_in_python(StampingEntry)
    assert not in_database.ok and in_database.reason == Reason.HEAD
    assert _summary([in_database]) == _summary([in_python])


def test_one_chain_is_verified_alone(stamping_chain, sample_chains):
    chain = stamping_chain[0].chain_key
    (report,) = verify_ledger(StampingEntry, chain)
    assert report.ok and report.entries == len(stamping_chain) and report.chain_key == chain


def test_a_text_rewritten_as_its_own_json_escape_is_caught_on_both_paths(stamping_chain):
    """The database's fast form copies text between quotes unescaped and counts only when no text value
    holds a character JSON escapes: `dấu "ngoặc kép"` rewritten as `dấu \\"ngoặc kép\\"` would otherwise
    copy into exactly the original canonical JSON and pass."""
    target = stamping_chain[18]
    assert '"' in target.summary and "\\" in target.summary
    _tamper(
        StampingEntry,
        "UPDATE {table} SET summary = substr(to_json(summary)::text, 2, length(to_json(summary)::text) - 2) "
        "WHERE id = %s",
        [target.pk],
    )
    (in_database,), (in_python,) = verify_ledger(StampingEntry), verify_ledger_in_python(StampingEntry)
    assert not in_database.ok and in_database.reason == Reason.HASH and in_database.broken_pk == target.pk
    assert _summary([in_database]) == _summary([in_python])


def test_text_needing_no_escape_and_text_needing_it_both_verify_in_the_database(stamping_chain):
    """Entries of either kind (fast form, exact form) are intact in the same pass."""
    summaries = {entry.summary for entry in stamping_chain}
    assert any('"' in s or "\n" in s for s in summaries) and "trích yếu" in summaries
    (report,) = verify_ledger(StampingEntry)
    assert report.ok and report.entries == len(stamping_chain)


def test_the_fast_form_matches_exactly_the_entries_whose_text_json_leaves_as_it_is(postgres_only):
    """The fast form copies text unescaped: it must hash as in Python every text JSON leaves as it is,
    never match one holding a character JSON escapes, alone or among others, and its guard must stop
    every backslash (`sqlverify.fast_canonical_sql` says why that is enough)."""
    notes = [f"trước{char}sau" for char in ESCAPED] + [char for char in ESCAPED] + TRICKY[3:5]
    notes += ["Đông Ngàn ½ € 😀 \x7f /", "a/b 'c' <d> &e"]
    entries = [ledger_append(SampleEntry, chain_key="thoát", note=note) for note in notes]
    fast, exact = database_entry_hashes(SampleEntry, fast=True), database_entry_hashes(SampleEntry)
    for entry in entries:
        assert exact[entry.pk] == entry.entry_hash, entry.canonical()
        needs_escape = any(char in entry.note or char in entry.chain_key for char in ESCAPED)
        assert (fast.get(entry.pk) == entry.entry_hash) is not needs_escape, repr(entry.note)
        assert (entry.pk in fast) is ("\\" not in entry.note), repr(entry.note)
    (report,) = verify_ledger(SampleEntry)
    assert report.ok and report.entries == len(notes)


def test_dates_in_the_fast_form_are_iso_whatever_the_sessions_datestyle(stamping_chain):
    """The fast form writes a date as date_out does, which follows DateStyle: verification sets ISO."""
    _raw("SET DateStyle = 'SQL, DMY'")
    fast = database_entry_hashes(StampingEntry, fast=True)
    plain = [entry for entry in stamping_chain if not any(char in entry.summary for char in ESCAPED)]
    assert plain and all(fast[entry.pk] == entry.entry_hash for entry in plain)
    (report,) = verify_ledger(StampingEntry)
    assert report.ok and report.entries == len(stamping_chain)


def test_values_shifted_across_their_quotes_are_caught_on_both_paths(stamping_chain):
    """Copied unescaped, `a` + `","b":"` + `c` reads like three fields: the fast form's quotes must not
    let a tampered value swallow its neighbour's key (no backslash, so the guard lets it through)."""
    target = stamping_chain[6]
    assert target.document_number and target.document_type
    _tamper(
        StampingEntry,
        'UPDATE {table} SET document_number = document_number || \'","document_type":"\' || document_type, '
        "document_type = '' WHERE id = %s",
        [target.pk],
    )
    (in_database,), (in_python,) = verify_ledger(StampingEntry), verify_ledger_in_python(StampingEntry)
    assert (in_database.reason, in_database.broken_pk) == (Reason.HASH, target.pk)
    assert _summary([in_database]) == _summary([in_python])


def test_a_wrong_hash_before_a_broken_link_is_named_first_on_both_paths(stamping_chain):
    # The database checks the hashes and the links in two passes; the first broken entry is still the first.
    _tamper(StampingEntry, "UPDATE {table} SET copies = 99 WHERE id = %s", [stamping_chain[12].pk])
    _tamper(StampingEntry, "UPDATE {table} SET previous_hash = repeat('b', 64) WHERE id = %s", [stamping_chain[25].pk])
    (in_database,), (in_python,) = verify_ledger(StampingEntry), verify_ledger_in_python(StampingEntry)
    assert (in_database.reason, in_database.broken_pk) == (Reason.HASH, stamping_chain[12].pk)
    assert _summary([in_database]) == _summary([in_python])


def test_a_broken_link_and_a_wrong_hash_in_one_entry_name_the_link_on_both_paths(stamping_chain):
    target = stamping_chain[20]
    _tamper(StampingEntry, "UPDATE {table} SET copies = 99, previous_hash = repeat('c', 64) WHERE id = %s", [target.pk])
    _tamper(StampingEntry, "UPDATE {table} SET summary = 'sửa' WHERE id = %s", [stamping_chain[5].pk])
    (in_database,), (in_python,) = verify_ledger(StampingEntry), verify_ledger_in_python(StampingEntry)
    assert (in_database.reason, in_database.broken_pk) == (Reason.HASH, stamping_chain[5].pk)
    restored = stamping_chain[5]
    _tamper(StampingEntry, "UPDATE {table} SET summary = %s WHERE id = %s", [restored.summary, restored.pk])
    (in_database,), (in_python,) = verify_ledger(StampingEntry), verify_ledger_in_python(StampingEntry)
    assert (in_database.reason, in_database.broken_pk) == (Reason.PREVIOUS, target.pk)
    assert _summary([in_database]) == _summary([in_python])


def test_an_emptied_hash_is_a_wrong_hash_on_both_paths(stamping_chain):
    """Someone who can drop NOT NULL empties a hash: SQL's NULL never passes for a match."""
    target = stamping_chain[9]
    _tamper(StampingEntry, "ALTER TABLE {table} ALTER COLUMN entry_hash DROP NOT NULL")
    _tamper(StampingEntry, "UPDATE {table} SET entry_hash = NULL WHERE id = %s", [target.pk])
    (in_database,), (in_python,) = verify_ledger(StampingEntry), verify_ledger_in_python(StampingEntry)
    assert (in_database.reason, in_database.broken_pk) == (Reason.HASH, target.pk)
    assert _summary([in_database]) == _summary([in_python])


@pytest.mark.parametrize("label", sorted(m._meta.label_lower for m in ledger_models()))
def test_every_ledger_chain_index_carries_id_and_both_hashes(postgres_only, label):
    """verify_ledgers reads the links from the (chain_key, sequence) index alone (CoveringChainIndex)."""
    from django.apps import apps

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_get_indexdef(indexrelid) FROM pg_index WHERE indrelid = %s::regclass AND indisunique "
            "AND pg_get_indexdef(indexrelid) LIKE '%%(chain_key, sequence)%%'",
            [apps.get_model(label)._meta.db_table],
        )
        (definition,) = cursor.fetchone()
    assert definition.endswith("INCLUDE (id, previous_hash, entry_hash)"), definition


TAMPERINGS = [
    ("UPDATE {table} SET copies = 99 WHERE id = %s", Reason.HASH),
    ("UPDATE {table} SET previous_hash = repeat('a', 64) WHERE id = %s", Reason.PREVIOUS),
    ("UPDATE {table} SET sequence = sequence + 1000 WHERE id = %s", Reason.GAP),
    ("DELETE FROM {table} WHERE id = %s", Reason.GAP),
]


@pytest.fixture
def second_connections(monkeypatch):
    """Spies on the hash pass run on its own connection: one (thread, connection left open?) per run."""
    import threading

    from django.db import connections

    from tuson_hcc.ledgers import sqlverify

    runs, original = [], sqlverify._first_wrong_hashes

    def spy(alias, *args):
        try:
            return original(alias, *args)
        finally:
            runs.append((threading.get_ident(), connections[alias].connection is not None))

    monkeypatch.setattr(sqlverify, "_first_wrong_hashes", spy)
    return runs


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("tampering", "reason"), TAMPERINGS)
def test_the_two_connections_name_the_same_first_broken_entry_as_the_one_statement(
    stamping_chain, second_connections, monkeypatch, tampering, reason
):
    """Committed data: the hash pass runs on a second connection while this one checks the links."""
    import threading

    from tuson_hcc.ledgers import verify

    target = stamping_chain[17]
    _tamper(StampingEntry, tampering, [target.pk])
    _tamper(StampingEntry, "UPDATE {table} SET copies = 77 WHERE id = %s", [stamping_chain[30].pk])  # a later break
    one_statement = database_chain_results(StampingEntry)
    assert second_connections == []
    assert database_chain_results(StampingEntry, concurrent=True) == one_statement
    monkeypatch.setattr(verify, "CONCURRENT_MIN_ENTRIES", len(stamping_chain))
    (report,), (in_python,) = verify_ledger(StampingEntry), verify_ledger_in_python(StampingEntry)
    assert [ident != threading.get_ident() for ident, _ in second_connections] == [True, True]
    assert [left_open for _, left_open in second_connections] == [False, False]
    expected_pk = target.pk if reason in (Reason.HASH, Reason.PREVIOUS) else stamping_chain[18].pk
    assert (report.reason, report.broken_pk) == (reason, expected_pk)
    assert _summary([report]) == _summary([in_python]) and report.detail == in_python.detail


@pytest.mark.django_db(transaction=True)
def test_the_two_connections_read_one_snapshot(stamping_chain, second_connections, monkeypatch):
    """A change committed after the links pass began is seen by neither pass, as in one statement."""
    import threading

    from django.db import connections

    from tuson_hcc.ledgers import sqlverify

    _raw(f"ALTER TABLE {StampingEntry._meta.db_table} DISABLE TRIGGER USER")
    hash_pass = sqlverify._first_wrong_hashes

    def tamper_first(*args):
        def tamper():
            try:
                with connections["default"].cursor() as cursor:
                    cursor.execute(
                        f"UPDATE {StampingEntry._meta.db_table} SET copies = 99 WHERE id = %s",  # noqa: S608
                        [stamping_chain[3].pk],
                    )
            finally:
                connections["default"].close()

        other = threading.Thread(target=tamper)
        other.start()
        other.join()
        return hash_pass(*args)

    monkeypatch.setattr(sqlverify, "_first_wrong_hashes", tamper_first)
    (result,) = database_chain_results(StampingEntry, concurrent=True)
    assert len(second_connections) == 1 and result["broken"] is None
    (result,) = database_chain_results(StampingEntry)
    assert result["broken"][1] == stamping_chain[3].pk
