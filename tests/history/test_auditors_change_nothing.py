"""Auditors read everything and change nothing (DESIGN.md section 1, issue 6).

Every URL of the project, POSTed to by a user holding only `kiem_tra`, is refused; the only
exceptions are listed below. In the admin, auditors hold view permissions only.
"""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from tests.core.test_anonymous_access import ALL_ROUTES, _concrete
from tuson_hcc.accounts.roles import Role
from tuson_hcc.history.schema import ensure_auditor_view_permissions

pytestmark = pytest.mark.django_db

# The writes an auditor may make: the recorded chain check (a read-only check), signing out,
# choosing a language and changing their own password (issue 10). Public pages (DESIGN.md
# section 6) give them no more than an anonymous visitor.
AUDITOR_MAY_POST = (
    "history/ledgers/verify/",
    "i18n/setlang/",
    # signing in and out change nothing but the session
    "accounts/login/",
    "accounts/logout/",
    "admin/login/",
    "admin/logout/",
    "accounts/password_change/",
)
PUBLIC = ("verify/", "lookup/", "submit/", "healthz/")


def _routes():
    return [r for r in ALL_ROUTES if not r.lstrip("^").startswith(AUDITOR_MAY_POST + PUBLIC)]


@pytest.mark.parametrize("route", _routes())
def test_auditor_post_to_any_write_url_is_refused(client_for, route):
    client = client_for("kiemtra")
    url = _concrete(route)
    response = client.post(url, {"name": "x", "action": "delete_selected", "_selected_action": ["1"]})
    if response.status_code == 302:  # the admin sends non-staff users to its login page
        assert response["Location"].startswith("/admin/login/"), (url, response["Location"])
    else:
        assert response.status_code in (403, 405), (url, response.status_code)


def test_the_allow_list_is_small_and_names_real_routes():
    routes = {r.lstrip("^") for r in ALL_ROUTES}
    assert all(any(r.startswith(prefix) for r in routes) for prefix in AUDITOR_MAY_POST)
    assert len(AUDITOR_MAY_POST) == 7


def test_the_auditor_group_holds_view_permissions_only():
    group = Group.objects.get(name=Role.KIEM_TRA)
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert codenames and all(c.startswith("view_") for c in codenames)
    assert {"view_procedure", "view_historicalprocedure", "view_accessevent", "view_sampleentry"} <= codenames
    # a permission granted by hand is taken back at the next migrate
    group.permissions.add(Permission.objects.get(codename="change_procedure"))
    ensure_auditor_view_permissions()
    assert not group.permissions.filter(codename="change_procedure").exists()


def test_an_auditor_made_staff_browses_the_admin_read_only(client_for, demo_users):
    from procedures.models import Procedure
    from tuson_hcc.accounts.models import Agency

    auditor = demo_users["kiemtra"]
    auditor.is_staff = True
    auditor.save()
    procedure = Procedure.objects.create(name="P", implementing_agency=Agency.objects.first())
    client = client_for("kiemtra")
    assert client.get(reverse("admin:procedures_procedure_changelist")).status_code == 200
    assert client.get(reverse("admin:procedures_procedure_change", args=[procedure.pk])).status_code == 200
    for model in admin.site._registry:
        opts = model._meta
        prefix = f"admin:{opts.app_label}_{opts.model_name}"
        assert client.post(reverse(f"{prefix}_add"), {}).status_code == 403, opts.label
        assert client.post(reverse(f"{prefix}_change", args=[1]), {}).status_code in (403, 302), opts.label
        assert client.post(reverse(f"{prefix}_delete", args=[1]), {"post": "yes"}).status_code in (403, 302), opts.label
        response = client.post(
            reverse(f"{prefix}_changelist"), {"action": "delete_selected", "_selected_action": ["1"], "post": "yes"}
        )
        assert response.status_code in (200, 302, 403), opts.label
    assert Procedure.objects.filter(pk=procedure.pk).exists()
    assert Procedure.objects.get(pk=procedure.pk).name == "P"
