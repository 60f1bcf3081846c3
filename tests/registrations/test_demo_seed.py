"""seed_demo's part (DESIGN.md §7): every state at small scale, bulk volume without code collisions."""

import io

import pytest

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
