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
