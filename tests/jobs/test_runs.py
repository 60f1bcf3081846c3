"""Long checks run by the worker, not in the request (issue 10): "verify now" and inspections' chain checks.

The page queues the job and follows a progress row (entries checked / total) until the result is in.
"""

from decimal import Decimal

import pytest
from django_q.brokers import get_broker
from django_q.conf import Conf
from django_q.tasks import _sync

from seals.models import Inspection
from tests.ledger_testapp.models import SampleEntry
from tuson_hcc.history.models import LedgerVerification
from tuson_hcc.jobs.models import JobRun
from tuson_hcc.jobs.runs import job_run_start
from tuson_hcc.ledgers.services import ledger_append

pytestmark = pytest.mark.django_db


def _chain(n=3):
    return [ledger_append(SampleEntry, chain_key="c1", note=f"lần {i}", amount=Decimal("1")) for i in range(n)]


def test_verify_now_is_queued_for_the_worker_and_the_request_does_not_run_it(client_for, monkeypatch):
    _chain(3)
    monkeypatch.setattr(Conf, "SYNC", False)  # as in production: the broker keeps it for the worker
    response = client_for("kiemtra").post("/history/ledgers/verify/", {"ledger": "ledger_testapp.sampleentry"})
    run = JobRun.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/jobs/{run.pk}/"
    assert run.status == JobRun.Status.QUEUED and not LedgerVerification.objects.exists()
    page = client_for("kiemtra").get(f"/jobs/{run.pk}/", headers={"HX-Request": "true"}).content.decode()
    assert 'hx-trigger="every 2s"' in page and "Đang chờ" in page  # the page polls while it waits

    ((_task_id, package),) = get_broker().dequeue()  # what the worker does
    monkeypatch.setattr(Conf, "SYNC", True)  # run it here, keeping the test's connection
    _sync(package)
    run.refresh_from_db()
    assert run.status == JobRun.Status.DONE and run.result["ok"] is True
    assert (run.done, run.total) == (3, 3)  # every entry checked, of all there were
    record = LedgerVerification.objects.get()
    assert record.entries == 3 and record.scope == "ledger_testapp.sampleentry"
    page = client_for("kiemtra").get(f"/jobs/{run.pk}/", headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in page and "Toàn vẹn: 1 chuỗi, 3 mục" in page  # finished: polling stops


def test_a_running_check_shows_entries_checked_of_the_total(client_for, demo_users):
    run = JobRun.objects.create(
        kind="ledger_verify", title="Kiểm tra", started_by=demo_users["kiemtra"], status="running", done=5, total=20
    )
    page = client_for("kiemtra").get(f"/jobs/{run.pk}/").content.decode()
    assert "Đã kiểm tra 5 / 20 mục" in page and 'value="25"' in page
    assert f'hx-get="/jobs/{run.pk}/"' in page and "<script>" not in page  # htmx attributes, no inline script


def test_only_whoever_started_a_run_sees_it(client_for, demo_users):
    run = JobRun.objects.create(kind="ledger_verify", title="Kiểm tra", started_by=demo_users["kiemtra"])
    assert client_for("giamdoc").get(f"/jobs/{run.pk}/").status_code == 404
    assert client_for("kiemtra").get(f"/jobs/{run.pk}/").status_code == 200


def test_a_job_that_fails_says_so_and_keeps_the_error(client_for, demo_users):
    run = job_run_start(kind="x", title="Thử", func="tests.jobs.probe.explode", actor=demo_users["kiemtra"])
    run.refresh_from_db()
    assert run.status == JobRun.Status.FAILED and "RuntimeError: hỏng" in run.error
    assert "Tác vụ gặp lỗi" in client_for("kiemtra").get(f"/jobs/{run.pk}/").content.decode()


def test_the_directors_inspection_verifies_the_chains_in_the_worker_and_records_the_result_dieu_5_4(
    client_for, demo_users
):
    from tests.seals.factories import build_catalogue, build_seal

    seal = build_seal(build_catalogue(), demo_users["vanthu"])
    response = client_for("giamdoc").post(
        "/seals/inspections/new/", {"seals": [seal.pk], "condition": "Nguyên vẹn", "findings": "", "actions": ""}
    )
    run = JobRun.objects.get(kind="inspection")
    assert response["Location"] == f"/jobs/{run.pk}/"
    assert run.status == JobRun.Status.DONE and run.result["ok"] is True
    inspection = Inspection.objects.get()
    assert inspection.inspector == demo_users["giamdoc"] and list(inspection.seals.all()) == [seal]
    page = client_for("giamdoc").get(f"/jobs/{run.pk}/").content.decode()
    assert "Đã ghi biên bản kiểm tra" in page and "/seals/inspections/" in page


def test_only_the_director_starts_an_inspection(client_for, demo_users):
    from tests.seals.factories import build_catalogue, build_seal

    seal = build_seal(build_catalogue(), demo_users["vanthu"])
    response = client_for("kiemtra").post("/seals/inspections/new/", {"seals": [seal.pk], "condition": "x"})
    assert response.status_code == 403 and not JobRun.objects.exists()
