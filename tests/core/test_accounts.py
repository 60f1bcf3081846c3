"""Users change their own password; the administrator can require it; demo users never in production (§9)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from tuson_hcc.accounts.models import User

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db


def _change(client, old="test-pass-2026", new="Con-dau-moi-2026!"):
    return client.post(reverse("password_change"), {"old_password": old, "new_password1": new, "new_password2": new})


def test_a_user_changes_their_own_password_on_a_vietnamese_page(client_for):
    client = client_for("vanthu")
    page = client.get("/accounts/password_change/").content.decode()
    assert "Đổi mật khẩu" in page and "Mật khẩu cũ" in page
    response = _change(client)
    assert response.status_code == 302 and response["Location"] == "/accounts/password_change/done/"
    assert "Đã đổi mật khẩu" in client.get(response["Location"]).content.decode()
    assert User.objects.get(username="vanthu").check_password("Con-dau-moi-2026!")


def test_a_wrong_old_password_changes_nothing_and_says_why_in_vietnamese(client_for):
    client = client_for("vanthu")
    response = _change(client, old="sai")
    assert response.status_code == 200
    assert "Mật khẩu cũ không chính xác" in response.content.decode()
    assert User.objects.get(username="vanthu").check_password("test-pass-2026")


def test_every_page_leads_to_the_change_until_the_required_change_is_done(client_for, demo_users):
    demo_users["vanthu"].must_change_password = True
    demo_users["vanthu"].save()
    client = client_for("vanthu")
    for path in ("/", "/seals/", "/history/", "/admin/"):
        assert client.get(path)["Location"] == "/accounts/password_change/", path
    page = client.get("/accounts/password_change/").content.decode()
    assert "Quản trị viên yêu cầu bạn đặt mật khẩu mới" in page
    assert client.post(reverse("logout")).status_code == 302  # signing out stays possible
    client = client_for("vanthu")
    _change(client)
    assert not User.objects.get(username="vanthu").must_change_password
    assert client.get("/").status_code == 200


def test_the_administrator_requires_a_change_from_the_user_admin(client_for, demo_users):
    admin = client_for("admin")
    page = admin.get(f"/admin/accounts/user/{demo_users['congchuc'].pk}/change/").content.decode()
    assert 'name="must_change_password"' in page


def test_seed_demo_refuses_to_create_demo_users_in_production(settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="PRODUCTION=1"):
        call_command("seed_demo")
    assert not User.objects.filter(username="vanthu").exists()


def test_seed_demo_refuses_in_a_real_production_process():
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "PRODUCTION": "1",
        "SECRET_KEY": "x" * 60,
        "ALLOWED_HOSTS": "hcc.example.vn",
        "DATABASE_URL": "sqlite:////nonexistent/never-opened.sqlite3",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "seed_demo"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0 and "không tạo người dùng mẫu" in result.stderr


def test_a_signed_in_page_reads_the_user_and_their_roles_in_one_query(client, demo_users, django_assert_num_queries):
    """The backend loads the user with their groups (issue 14); roles as the groups say, inactive users out."""
    from django.contrib.auth import get_user
    from django.test import RequestFactory

    from tuson_hcc.accounts.roles import Role

    clerk = demo_users["vanthu"]
    client.post(reverse("login"), {"username": "vanthu", "password": "test-pass-2026"})
    request = RequestFactory().get("/")
    request.session = client.session
    expected = frozenset(clerk.groups.values_list("name", flat=True))
    with django_assert_num_queries(2):  # the session, then the user with their roles
        user = get_user(request)
        assert user.pk == clerk.pk and user.role_names == expected
        assert user.has_role(Role.VAN_THU) and not user.has_role(Role.GIAM_DOC)
    User.objects.filter(pk=clerk.pk).update(is_active=False)
    assert get_user(request).is_anonymous
