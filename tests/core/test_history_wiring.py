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
