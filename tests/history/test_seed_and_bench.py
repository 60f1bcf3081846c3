"""The history seeder (DESIGN.md section 7 volumes) and its bench cases."""

import io

import pytest

from tuson_hcc.audit.models import AccessEvent
from tuson_hcc.core import registry
from tuson_hcc.history import demo

pytestmark = pytest.mark.django_db


def test_small_scale_adds_nothing(demo_users, procedure):
    before = demo.history_rows_total()
    demo.seed_history(scale="small", stdout=io.StringIO())
    assert demo.history_rows_total() == before


def test_large_scale_tops_history_and_access_log_up_to_the_target_once(demo_users, procedure, monkeypatch):
    from procedures import demo_history
    from procedures.models import Procedure
    from tuson_hcc.accounts.models import Agency
    from tuson_hcc.history.catalog import tracked_model
    from tuson_hcc.history.selectors import history_timeline

    synthetic = Procedure.objects.bulk_create(
        [Procedure(name=f"TTHC mẫu {i}", implementing_agency=Agency.objects.first()) for i in range(10)]
    )
    target = demo.history_rows_total() + 250
    monkeypatch.setattr(demo, "LARGE_HISTORY_ROWS", target)
    monkeypatch.setattr(demo_history, "LARGE_HISTORY_ROWS", target)
    monkeypatch.setattr(demo, "LARGE_ACCESS_EVENTS", AccessEvent.objects.count() + 40)
    monkeypatch.setattr(demo, "BATCH", 100)
    for _ in range(2):  # idempotent: the second run adds nothing
        demo_history.seed_procedure_history(scale="large", stdout=io.StringIO())
        demo.seed_history(scale="large", stdout=io.StringIO())
    assert demo.history_rows_total() == target
    assert AccessEvent.objects.filter(user_agent__contains="dữ liệu mẫu").count() == 40
    assert not procedure.history.filter(history_change_reason__in=demo.SEED_REASONS).exists()
    timeline = history_timeline(tracked=tracked_model("procedures.procedure"), object_id=synthetic[0].pk, size=100)
    assert len(timeline.entries) == 25
    assert timeline.entries[-1].history_type == "+"
    assert all(entry.changes for entry in timeline.entries)  # every synthetic version changes something


def test_every_history_bench_case_answers(client_for, procedure):
    cases = [c for c in registry.bench_cases if c.name.startswith("history")]
    assert len(cases) >= 6
    client = client_for("kiemtra")
    for case in cases:
        path = case.path() if callable(case.path) else case.path
        assert client.get(path).status_code in case.expect_status, case.name


@pytest.mark.postgres
def test_copied_versions_are_indexed_once_with_the_diffs_the_backfill_would_store(demo_users, procedure, monkeypatch):
    from django.db import connection

    from procedures import demo_history
    from procedures.models import Procedure
    from tuson_hcc.accounts.models import Agency
    from tuson_hcc.history.diffs import stored_diffs_backfill
    from tuson_hcc.history.models import HistoryIndex

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: there the seed COPYs the versions and indexes them itself, trigger off")
    Procedure.objects.bulk_create(
        [Procedure(name=f"TTHC mẫu {i}", implementing_agency=Agency.objects.first()) for i in range(10)]
    )
    target = demo.history_rows_total() + 250
    monkeypatch.setattr(demo_history, "LARGE_HISTORY_ROWS", target)
    demo_history.seed_procedure_history(scale="large", stdout=io.StringIO())
    versions = Procedure.history.filter(history_change_reason__in=demo.SEED_REASONS)
    expected = sorted(
        (h, at, str(pk), user, kind, reason)
        for h, at, pk, user, kind, reason in versions.values_list(
            "history_id", "history_date", "id", "history_user_id", "history_type", "history_change_reason"
        )
    )
    index = HistoryIndex.objects.filter(label="procedures.procedure", reason__in=demo.SEED_REASONS).order_by(
        "history_id"
    )
    assert len(expected) == 250
    assert list(index.values_list("history_id", "at", "object_id", "user_id", "history_type", "reason")) == expected
    stored = list(index.values_list("history_id", "changes"))
    assert all((changes is None) == (kind == "+") for (_, changes), (*_, kind, _) in zip(stored, expected, strict=True))
    index.update(changes=None)
    stored_diffs_backfill()
    assert list(index.values_list("history_id", "changes")) == stored
    # The index trigger is on again: a version saved afterwards is indexed as before.
    procedure.history.create(
        **{f.attname: getattr(procedure, f.attname) for f in Procedure.history.model.tracked_fields},
        history_date=procedure.history.first().history_date,
        history_type="~",
    )
    assert (
        HistoryIndex.objects.filter(label="procedures.procedure", object_id=str(procedure.pk)).count()
        == procedure.history.count()
    )
