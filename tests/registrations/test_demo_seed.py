"""seed_demo's part (DESIGN.md §7): every state at small scale, bulk volume without code collisions."""

import io

import pytest
from django.db import connection

from registrations.choices import DossierStatus
from registrations.demo import _seed_large, seed_dossiers
from registrations.models import Dossier, HandoverEntry

pytestmark = pytest.mark.django_db


def test_small_seed_covers_every_state_and_is_idempotent(org_types, tiepnhan):
    seed_dossiers(scale="small", stdout=io.StringIO())
    count = Dossier.objects.count()
    assert set(Dossier.objects.values_list("status", flat=True)) == set(DossierStatus.values)
    assert HandoverEntry.objects.exists()
    seed_dossiers(scale="small", stdout=io.StringIO())
    assert Dossier.objects.count() == count


def test_bulk_seed_numbers_through_the_counters(org_types, tiepnhan, receive):
    added = _seed_large(tiepnhan, total=300)
    assert added == 300 and Dossier.objects.count() == 300
    assert Dossier.objects.values("code").distinct().count() == 300
    assert Dossier.history.count() == 300
    # A real intake afterwards takes the next numbers, never a seeded one.
    dossier = receive("h").dossier
    assert Dossier.objects.filter(code=dossier.code).count() == 1


def _large_rows() -> dict:
    """Every row the bulk seed wrote, without ids (dossiers by code) or the versions' timestamps."""
    from registrations.models import ChecklistItem, DossierCounter

    skip = {"id", "history_id", "history_date"}
    dossier_fields = [f.attname for f in Dossier._meta.concrete_fields if f.attname not in skip]
    history_fields = [f.attname for f in Dossier.history.model._meta.concrete_fields if f.attname not in skip]
    item_fields = [f.attname for f in ChecklistItem._meta.concrete_fields if f.attname not in {"id", "dossier_id"}]
    return {
        "dossiers": list(Dossier.objects.order_by("code").values_list(*dossier_fields)),
        "history": list(Dossier.history.order_by("code").values_list(*history_fields)),
        "checklist": list(
            ChecklistItem.objects.order_by("dossier__code", "order").values_list("dossier__code", *item_fields)
        ),
        "counters": list(DossierCounter.objects.order_by("scope").values_list("scope", "last_number")),
    }


def _forget_large() -> None:
    from registrations.models import ChecklistItem, DossierCounter

    ChecklistItem.objects.all().delete()
    Dossier.objects.all().delete()
    Dossier.history.all().delete()  # with the deletion versions the line above wrote
    DossierCounter.objects.all().delete()


@pytest.mark.postgres
def test_bulk_seed_copies_on_postgresql_the_rows_the_orm_path_writes(org_types, tiepnhan, monkeypatch):
    from registrations import demo
    from tuson_hcc.history.models import HistoryIndex

    if connection.vendor != "postgresql":
        pytest.skip("COPY is PostgreSQL's: on SQLite the seed takes the ORM path this test compares it with")
    assert demo._seed_large(tiepnhan, total=120) == 120
    copied = _large_rows()
    # The history index trigger saw the copied versions as it sees bulk inserts.
    assert HistoryIndex.objects.filter(label="registrations.dossier").count() == 120
    _forget_large()
    monkeypatch.setattr(
        demo,
        "_copy_large",
        lambda actor, dossiers, documents, *, count: demo._insert_large(actor, list(dossiers), documents),
    )
    assert demo._seed_large(tiepnhan, total=120) == 120
    assert _large_rows() == copied
    assert len(copied["dossiers"]) == 120 and len(copied["history"]) == 120 and len(copied["checklist"]) >= 120
