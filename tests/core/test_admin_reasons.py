"""Every edit in the admin asks for a reason, and history records it (issue 11, point 7)."""

import datetime as dt

import pytest
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group

from tuson_hcc.accounts.models import Agency
from tuson_hcc.core.admin_reason import ReasonRequiredAdminMixin
from tuson_hcc.workdays.models import CalendarOverride

pytestmark = pytest.mark.django_db


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


# Admin actions that change no record: they call a service that records who acted (a resent message is
# a new message pointing at the failed one, `created_by` the administrator).
ACTIONS_WITHOUT_REASON = {("notifications.OutboundMessage", "resend")}


def test_every_registered_admin_either_asks_for_a_reason_or_changes_nothing(rf, demo_users, client_for):
    """All of admin.site, Django's and third parties' included: none changes anything without a reason."""
    request = rf.get("/admin/")
    request.user = demo_users["admin"]
    client = client_for("admin")
    silent, walked = [], []
    for model, model_admin in admin.site._registry.items():
        label = model._meta.label
        walked.append(label)
        actions = {name for name in model_admin.get_actions(request) if (label, name) not in ACTIONS_WITHOUT_REASON}
        adds = model_admin.has_add_permission(request)
        edits = adds or model_admin.has_change_permission(request) or model_admin.has_delete_permission(request)
        if (edits or actions) and not isinstance(model_admin, ReasonRequiredAdminMixin):
            silent.append(f"{label}: edits without a reason")
        if model_admin.list_editable or actions:
            silent.append(f"{label}: list editing or actions {sorted(actions)} change records without a reason")
        if adds:
            url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/add/"
            if 'name="change_reason"' not in client.get(url).content.decode():
                silent.append(f"{label}: the add page has no reason field")
    assert silent == []
    assert {"auth.Group", "axes.AccessAttempt", "axes.AccessLog", "django_q.Schedule"} <= set(walked)


def test_a_group_is_changed_only_with_a_reason_and_its_history_keeps_it(client_for, demo_users):
    client = client_for("admin")
    data = {"name": "Văn thư dự phòng", "permissions": []}
    response = client.post("/admin/auth/group/add/", data)
    assert response.status_code == 200 and "Hãy ghi lý do thay đổi." in response.content.decode()
    assert not Group.objects.filter(name="Văn thư dự phòng").exists()
    assert client.post("/admin/auth/group/add/", {**data, "change_reason": "Thông báo 3/TB"}).status_code == 302
    group = Group.objects.get(name="Văn thư dự phòng")
    assert (group.history.first().history_change_reason, group.history.first().history_user) == (
        "Thông báo 3/TB",
        demo_users["admin"],
    )
    assert "Thông báo 3/TB" in LogEntry.objects.get(object_id=str(group.pk)).get_change_message()


def test_setting_a_users_password_in_the_admin_asks_for_a_reason_and_history_records_it(client_for, demo_users):
    user = demo_users["vanthu"]
    old_hash = user.password
    client = client_for("admin")
    url = f"/admin/accounts/user/{user.pk}/password/"
    assert 'name="change_reason"' in client.get(url).content.decode()
    data = {"password1": "Mật-khẩu-mới-2026!", "password2": "Mật-khẩu-mới-2026!", "usable_password": "true"}
    response = client.post(url, data)
    assert response.status_code == 200 and "Hãy ghi lý do thay đổi." in response.content.decode()
    user.refresh_from_db()
    assert user.password == old_hash  # nothing changed
    versions = user.history.count()
    assert client.post(url, {**data, "change_reason": "quên mật khẩu, phiếu yêu cầu 12"}).status_code == 302
    user.refresh_from_db()
    assert user.password != old_hash and user.history.count() == versions + 1
    latest = user.history.first()
    assert (latest.history_change_reason, latest.history_user, latest.history_type) == (
        "đặt mật khẩu mới: quên mật khẩu, phiếu yêu cầu 12",
        demo_users["admin"],
        "~",
    )
    assert old_hash not in str(latest.__dict__)


def test_lifting_a_login_lock_out_asks_for_a_reason_and_the_log_entry_keeps_it(client_for):
    from axes.models import AccessAttempt, AccessLog

    attempt = AccessAttempt.objects.create(
        username="vanthu", ip_address="10.0.0.9", user_agent="x", failures_since_start=5, get_data="", post_data=""
    )
    log = AccessLog.objects.create(username="vanthu", ip_address="10.0.0.9", user_agent="x")
    client = client_for("admin")
    url = f"/admin/axes/accessattempt/{attempt.pk}/delete/"
    client.post(url, {"post": "yes"})
    assert AccessAttempt.objects.filter(pk=attempt.pk).exists()
    client.post(url, {"post": "yes", "change_reason": "đã xác minh người dùng qua điện thoại"})
    assert not AccessAttempt.objects.filter(pk=attempt.pk).exists()
    entry = LogEntry.objects.get(object_id=str(attempt.pk), content_type__app_label="axes")
    assert "đã xác minh người dùng qua điện thoại" in entry.get_change_message()
    assert (
        client.post(f"/admin/axes/accesslog/{log.pk}/delete/", {"post": "yes", "change_reason": "x"}).status_code == 403
    )
    assert AccessLog.objects.filter(pk=log.pk).exists()
