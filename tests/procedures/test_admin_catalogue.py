"""The catalogue changes only through decisions (Quy chế 157, Điều 3.2; issue 11, point 7)."""

from datetime import time

import pytest

from procedures.models import CatalogueChange, Decision, Procedure

pytestmark = pytest.mark.django_db


def test_a_catalogue_change_can_be_neither_deleted_nor_edited_in_the_admin(client_for, catalogue):
    client = client_for("admin")
    change = CatalogueChange.objects.order_by("id").first()
    assert client.post(f"/admin/procedures/cataloguechange/{change.pk}/delete/", {"post": "yes"}).status_code == 403
    response = client.post(
        f"/admin/procedures/cataloguechange/{change.pk}/change/",
        {"action": "abolish", "effective_on": "2020-01-01", "change_reason": "thử"},
    )
    assert response.status_code == 403
    listing = client.get("/admin/procedures/cataloguechange/").content.decode()
    assert "delete_selected" not in listing
    reloaded = CatalogueChange.objects.get(pk=change.pk)
    assert (reloaded.action, reloaded.effective_on) == (change.action, change.effective_on)
    assert client.get("/admin/procedures/cataloguechange/add/").status_code == 403


def test_a_decision_is_neither_deleted_nor_added_by_hand(client_for, catalogue):
    client = client_for("admin")
    decision = Decision.objects.get(number="1691/QĐ-UBND")
    assert client.post(f"/admin/procedures/decision/{decision.pk}/delete/", {"post": "yes"}).status_code == 403
    assert client.get("/admin/procedures/decision/add/").status_code == 403
    assert Decision.objects.filter(pk=decision.pk).exists()


def test_a_procedures_published_wording_is_read_only_and_the_cutoff_is_edited_with_a_reason(client_for, catalogue):
    client = client_for("admin")
    procedure = Procedure.objects.exclude(code="").order_by("id").first()
    url = f"/admin/procedures/procedure/{procedure.pk}/change/"
    response = client.post(
        url,
        {
            "name": "Tên do người quản trị tự sửa",
            "processing_days": 99,
            "level": procedure.level,
            "cutoff_time": "16:30",
            "change_reason": "Giám đốc chỉ đạo nhận hồ sơ đến 16 giờ 30",
        },
    )
    assert response.status_code == 302
    reloaded = Procedure.objects.get(pk=procedure.pk)
    # The wording a decision published stands; only the Centre's own setting changed.
    assert (reloaded.name, reloaded.processing_days) == (procedure.name, procedure.processing_days)
    assert reloaded.cutoff_time == time(16, 30)
    assert reloaded.history.first().history_change_reason == "Giám đốc chỉ đạo nhận hồ sơ đến 16 giờ 30"
    assert client.post(f"/admin/procedures/procedure/{procedure.pk}/delete/", {"post": "yes"}).status_code == 403
    assert client.get("/admin/procedures/procedure/add/").status_code == 403


def test_the_wording_changes_by_importing_the_amending_decision_with_its_number_and_date(
    client_for, catalogue, write_csv
):
    procedure = Procedure.objects.exclude(code="").order_by("id").first()
    header = "STT,Mã TTHC,Tên TTHC,Lĩnh vực,Cơ quan thực hiện,Thời hạn (ngày làm việc),Phí/lệ phí,Hành động\n"
    path = write_csv(
        header
        + f"1,{procedure.code},{procedure.name} (sửa đổi),{procedure.field},"
        + f"{procedure.implementing_agency.name},7,,sửa đổi\n"
    )
    with path.open("rb") as handle:
        response = client_for("admin").post(
            "/admin/procedures/decision/import/", {"file": handle, "decision": "9/QĐ-UBND", "date": "2025-06-02"}
        )
    assert response.status_code == 302
    reloaded = Procedure.objects.get(pk=procedure.pk)
    assert (reloaded.name, reloaded.processing_days) == (f"{procedure.name} (sửa đổi)", 7)
    change = CatalogueChange.objects.get(decision__number="9/QĐ-UBND", procedure=procedure)
    assert change.action == CatalogueChange.Action.AMEND and str(change.effective_on) == "2025-06-02"
