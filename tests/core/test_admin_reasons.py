"""Every edit in the admin asks for a reason, and history records it (issue 11, point 7)."""

import datetime as dt

import pytest
from django.contrib import admin

from tuson_hcc.accounts.models import Agency
from tuson_hcc.core.admin_reason import ReasonRequiredAdminMixin
from tuson_hcc.workdays.models import CalendarOverride

pytestmark = pytest.mark.django_db

PROJECT = ("tuson_hcc", "procedures", "seals", "registrations")


def _agency_form(agency, **changes):
    return {
        "name": agency.name,
        "short_name": agency.short_name,
        "kind": agency.kind,
        "head": agency.head_id or "",
        "is_active": "on",
        **changes,
    }


def test_a_change_without_a_reason_is_refused_and_nothing_changes(client_for):
    agency = Agency.objects.get(short_name="PTP")
    url = f"/admin/accounts/agency/{agency.pk}/change/"
    page = client_for("admin").get(url).content.decode()
    assert "Lý do thay đổi" in page and 'name="change_reason"' in page
    response = client_for("admin").post(url, _agency_form(agency, name="Tên mới"))
    assert response.status_code == 200 and "Hãy ghi lý do thay đổi." in response.content.decode()
    assert Agency.objects.get(pk=agency.pk).name == agency.name


def test_the_reason_given_is_the_history_rows_change_reason(client_for, demo_users):
    agency = Agency.objects.get(short_name="PTP")
    response = client_for("admin").post(
        f"/admin/accounts/agency/{agency.pk}/change/",
        _agency_form(agency, name="Phòng Tư pháp thành phố Từ Sơn", change_reason="sửa tên theo Quyết định 7/QĐ-UBND"),
    )
    assert response.status_code == 302
    latest = agency.history.first()
    assert (latest.history_change_reason, latest.history_user) == (
        "sửa tên theo Quyết định 7/QĐ-UBND",
        demo_users["admin"],
    )


def test_adding_and_deleting_ask_for_a_reason_too(client_for):
    client = client_for("admin")
    data = {"date": "2026-12-26", "kind": "lam_viec", "note": "Làm bù"}
    assert client.post("/admin/workdays/calendaroverride/add/", data).status_code == 200
    assert not CalendarOverride.objects.exists()
    assert (
        client.post("/admin/workdays/calendaroverride/add/", {**data, "change_reason": "Công văn 5/UBND"}).status_code
        == 302
    )
    override = CalendarOverride.objects.get()
    assert override.history.first().history_change_reason == "Công văn 5/UBND"
    url = f"/admin/workdays/calendaroverride/{override.pk}/delete/"
    assert 'name="change_reason"' in client.get(url).content.decode()
    client.post(url, {"post": "yes"})
    assert CalendarOverride.objects.filter(pk=override.pk).exists()
    client.post(url, {"post": "yes", "change_reason": "nhập nhầm ngày"})
    assert not CalendarOverride.objects.filter(pk=override.pk).exists()
    deleted = CalendarOverride.history.filter(id=override.pk, history_type="-").get()
    assert deleted.history_change_reason == "nhập nhầm ngày"
    assert dt.date(2026, 12, 26) == deleted.date


def test_every_project_admin_that_can_edit_asks_for_a_reason(rf, demo_users):
    request = rf.get("/admin/")
    request.user = demo_users["admin"]
    silent = []
    for model, model_admin in admin.site._registry.items():
        if not model.__module__.startswith(PROJECT):
            continue
        edits = (
            model_admin.has_add_permission(request)
            or model_admin.has_change_permission(request)
            or model_admin.has_delete_permission(request)
        )
        if edits and not isinstance(model_admin, ReasonRequiredAdminMixin):
            silent.append(model._meta.label)
        if model_admin.list_editable or "delete_selected" in model_admin.get_actions(request):
            silent.append(f"{model._meta.label} (list edit or bulk delete)")
    assert silent == []
