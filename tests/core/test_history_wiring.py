"""simple-history records the acting user and the domain action (DESIGN.md section 5)."""

import pytest

from tuson_hcc.accounts.models import Agency
from tuson_hcc.core.history import tracked_save

pytestmark = pytest.mark.django_db


def test_a_change_made_through_a_request_records_the_signed_in_user(client_for, demo_users):
    agency = Agency.objects.get(short_name="PTP")
    client = client_for("admin")
    response = client.post(
        f"/admin/accounts/agency/{agency.pk}/change/",
        {
            "name": agency.name,
            "short_name": agency.short_name,
            "kind": agency.kind,
            "head": agency.head_id,
            "is_active": "on",
            "change_reason": "đổi tên theo Quyết định 12/QĐ-UBND",
        }
        | {"name": "Phòng Tư pháp thành phố"},
    )
    assert response.status_code == 302
    latest = agency.history.first()
    assert latest.name == "Phòng Tư pháp thành phố"
    assert latest.history_user == demo_users["admin"]
    assert latest.history_change_reason == "đổi tên theo Quyết định 12/QĐ-UBND"


def test_a_service_save_records_actor_and_reason(demo_users):
    agency = Agency.objects.get(short_name="PKT")
    agency.is_active = False
    tracked_save(agency, actor=demo_users["giamdoc"], reason="ngừng hoạt động")
    latest = agency.history.first()
    assert (latest.history_user, latest.history_change_reason) == (demo_users["giamdoc"], "ngừng hoạt động")
    assert latest.prev_record.is_active is True


def _version_reads(queries) -> list:
    return [
        q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT") and "historicalagency" in q["sql"]
    ]


def test_a_save_after_its_own_version_compares_with_it_in_memory(demo_users):
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    with transaction.atomic():
        agency = tracked_save(
            Agency(name="Phòng thử lưu phiên bản", short_name="PTLPB"),
            actor=demo_users["admin"],
            reason="thêm cơ quan",
        )
        with CaptureQueriesContext(connection) as queries:
            tracked_save(agency, actor=demo_users["admin"], reason="không đổi gì", after_own_version=True)
            agency.name = "Phòng thử lưu phiên bản, đổi tên"
            tracked_save(agency, actor=demo_users["admin"], reason="đổi tên", after_own_version=True)
    assert not _version_reads(queries)
    # The unchanged save wrote no version; the rename did, after the creation.
    assert list(agency.history.order_by("history_date").values_list("history_change_reason", flat=True)) == [
        "thêm cơ quan",
        "đổi tên",
    ]


def test_a_save_after_own_version_without_one_kept_reads_the_latest_version(demo_users):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    agency = Agency.objects.get(short_name="PKT")  # loaded: this object wrote no version
    agency.is_active = False
    with CaptureQueriesContext(connection) as queries:
        tracked_save(agency, actor=demo_users["giamdoc"], reason="ngừng hoạt động", after_own_version=True)
    assert len(_version_reads(queries)) == 1
    assert agency.history.first().prev_record.is_active is True


def test_the_history_manager_class_is_made_once_and_still_bound_to_its_record(demo_users):
    agency = Agency.objects.get(short_name="PKT")
    agency.is_active = False
    tracked_save(agency, actor=demo_users["admin"], reason="ngừng hoạt động")
    assert type(Agency.history) is type(agency.history)  # no new class per access (issue 14)
    history_model = Agency.history.model
    assert list(agency.history.values_list("history_id", flat=True)) == list(
        history_model.objects.filter(id=agency.pk)
        .order_by("-history_date", "-history_id")
        .values_list("history_id", flat=True)
    )
    assert agency.history.count() < Agency.history.count()
