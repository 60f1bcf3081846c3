"""DESIGN.md §3 and §7: eight intake desks at once get eight distinct, consecutive mã hồ sơ."""

import threading

import pytest
from django.db import connection

from registrations.models import Dossier
from registrations.services import dossier_receive

from .conftest import complete_checklist, dossier_data


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_eight_concurrent_intakes_get_eight_consecutive_codes(postgres_only, org_types, demo_users):
    actor = demo_users["tiepnhan"]
    org_type = org_types["h"]
    checklist = complete_checklist(org_type)
    barrier = threading.Barrier(8)
    codes, errors = [], []

    def desk(i):
        try:
            barrier.wait()
            outcome = dossier_receive(
                data=dossier_data(org_type, organisation_name=f"Công ty số {i}"), checklist=checklist, actor=actor
            )
            codes.append(outcome.dossier.code)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=desk, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    prefix = codes[0].rsplit("-", 1)[0]
    assert sorted(codes) == [f"{prefix}-{n:04d}" for n in range(1, 9)]
    lines = sorted(Dossier.objects.values_list("register_number", flat=True))
    assert lines == list(range(1, 9))


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_same_form_posted_by_two_threads_creates_one_dossier(postgres_only, org_types, demo_users):
    actor = demo_users["tiepnhan"]
    org_type = org_types["h"]
    barrier = threading.Barrier(2)
    results, errors = [], []

    def post():
        try:
            barrier.wait()
            results.append(
                dossier_receive(
                    data=dossier_data(org_type),
                    checklist=complete_checklist(org_type),
                    actor=actor,
                    idempotency_key="double-click",
                )
            )
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Dossier.objects.count() == 1 and len({r.dossier.pk for r in results}) == 1


@pytest.mark.postgres
@pytest.mark.django_db
def test_handover_book_refuses_update_in_the_database(postgres_only, receive, tiepnhan):
    from django.db import DatabaseError, transaction

    from .conftest import record_result, return_in_person

    entry = return_in_person(record_result(receive("h").dossier, tiepnhan), tiepnhan)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE registrations_handoverentry SET note = 'x' WHERE id = %s", [entry.pk])
