"""The large seed builds the secondary indexes of its big tables after loading (tuson_hcc/core/dbops.py)."""

import pytest
from django.db import connection

from seals.models import StampingEntry
from tuson_hcc.core.dbops import index_builds_in_background, indexes_built_after

TABLE = StampingEntry._meta.db_table


def _indexes() -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s", [TABLE])
        return dict(cursor.fetchall())


@pytest.mark.django_db
@pytest.mark.postgres
def test_secondary_indexes_are_dropped_during_the_load_and_rebuilt_identically(postgres_only):
    before = _indexes()
    assert "stamping_search_trgm" in before and "stamping_time" in before
    with indexes_built_after(TABLE):
        during = _indexes()
        # The primary key and the unique constraints (chain and sequence, form token) keep guarding the data.
        assert f"{TABLE}_pkey" in during and "seals_stampingentry_chain_seq" in during
        assert "stamping_search_trgm" not in during and "stamping_time" not in during
    assert _indexes() == before


@pytest.mark.django_db
@pytest.mark.postgres
def test_an_interrupted_load_leaves_every_index_in_place(postgres_only):
    before = _indexes()
    with pytest.raises(RuntimeError), indexes_built_after(TABLE):
        raise RuntimeError("COPY interrupted")
    assert _indexes() == before


def _foreign_keys() -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE contype = 'f' AND conrelid = %s::regclass",
            [TABLE],
        )
        return dict(cursor.fetchall())


@pytest.mark.django_db
@pytest.mark.postgres
def test_foreign_keys_are_added_back_identically_after_the_load(postgres_only):
    before = _foreign_keys()
    assert len(before) >= 3  # seal, procedure, clerk…
    with indexes_built_after(TABLE):
        assert _foreign_keys() == {}
    assert _foreign_keys() == before


@pytest.mark.django_db
@pytest.mark.postgres
def test_a_row_pointing_at_nothing_fails_the_load_and_keeps_every_key(postgres_only, demo_users):
    from django.db import IntegrityError
    from django.utils import timezone

    from tests.seals.factories import build_catalogue, build_seal
    from tuson_hcc.ledgers.services import ledger_bulk_load

    seal = build_seal(build_catalogue(), demo_users["vanthu"])
    row = {
        "seal_id": seal.pk,
        "clerk_id": 987654321,  # no such user
        "document_type": "Quyết định",
        "document_number": "1/QĐ",
        "document_date": timezone.localdate(),
        "summary": "Kết quả",
        "signer_name": "Hoàng Văn Hùng",
        "signer_position": "Chủ tịch",
        "stamped_at": timezone.now(),
    }
    before_keys, before_indexes = _foreign_keys(), _indexes()
    with pytest.raises(IntegrityError), indexes_built_after(TABLE):
        ledger_bulk_load(StampingEntry, chain_key=f"seal:{seal.pk}:2026", rows=[row])
    assert _foreign_keys() == before_keys and _indexes() == before_indexes
    assert not StampingEntry.objects.exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres
def test_in_background_the_load_commits_with_its_keys_and_the_indexes_follow(postgres_only):
    before_indexes, before_keys = _indexes(), _foreign_keys()
    with index_builds_in_background():
        with indexes_built_after(TABLE):
            assert "stamping_search_trgm" not in _indexes()
        assert _foreign_keys() == before_keys  # added back before the load committed
    assert _indexes() == before_indexes  # every build has finished when the block ends


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres
def test_in_background_an_interrupted_load_still_leaves_every_index_in_place(postgres_only):
    before = _indexes()
    with pytest.raises(RuntimeError), index_builds_in_background(), indexes_built_after(TABLE):
        raise RuntimeError("COPY interrupted")
    assert _indexes() == before


@pytest.mark.django_db
def test_on_sqlite_nothing_changes():
    if connection.vendor == "postgresql":
        pytest.skip("SQLite behaviour")
    with indexes_built_after(TABLE):
        assert StampingEntry.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.postgres
def test_the_large_seed_grows_the_log_with_its_indexes_built_after_and_every_chain_verifies(postgres_only, demo_users):
    import io

    from seals.demo import _grow_log
    from tests.seals.factories import build_catalogue, build_seal
    from tuson_hcc.ledgers.verify import verify_ledger

    catalogue = build_catalogue()
    seal = build_seal(catalogue, demo_users["vanthu"])
    before = _indexes()
    added = _grow_log([seal], demo_users["vanthu"], 60, io.StringIO())
    assert added >= 60 and StampingEntry.objects.count() == added
    assert _indexes() == before
    reports = verify_ledger(StampingEntry)
    assert len(reports) == 5 and all(r.ok for r in reports)
