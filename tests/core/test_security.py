"""Security from the first commit: throttled logins, expiring sessions, hardened production settings."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]


def test_production_settings_pass_check_deploy():
    # The browser tests set DJANGO_ALLOW_ASYNC_UNSAFE for this process; production never has it.
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "PRODUCTION": "1",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": "hcc.example.vn",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"} | {"PRODUCTION": "1"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_sessions_expire():
    assert settings.SESSION_COOKIE_AGE <= 8 * 3600
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE


@pytest.mark.django_db
def test_login_is_throttled_after_repeated_failures(client, demo_users):
    url = reverse("login")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(url, {"username": "vanthu", "password": "sai"}, REMOTE_ADDR="10.0.0.9")
    response = client.post(url, {"username": "vanthu", "password": "test-pass-2026"}, REMOTE_ADDR="10.0.0.9")
    assert response.status_code == 429
    assert "tạm bị khóa" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_responses_carry_a_content_security_policy(client):
    response = client.get(reverse("login"))
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_signed_in_user_reaches_the_dashboard(client_for):
    response = client_for("vanthu").get("/")
    assert response.status_code == 200
    assert "Nguyễn Thị Hoa" in response.content.decode()
