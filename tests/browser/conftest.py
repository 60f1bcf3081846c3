"""Real-browser tests: Playwright drives Debian's chromium against pytest-django's live server.

`playwright install` cannot download here, so the browser is /usr/bin/chromium (scripts/system-deps.sh
installs it) and the flags keep it off the network.
"""

import pytest

from tuson_hcc.core.demo import ensure_demo_users

CHROMIUM = "/usr/bin/chromium"
PASSWORD = "browser-pass-2026"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "vi-VN", "timezone_id": "Asia/Ho_Chi_Minh", "accept_downloads": True}


@pytest.fixture
def live_users(transactional_db):
    return ensure_demo_users(password=PASSWORD)


@pytest.fixture
def sign_in(page, live_server, live_users):
    """`sign_in("vanthu")` logs that demo user in through the real login form."""

    def _sign_in(username: str):
        page.context.clear_cookies()
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Tên đăng nhập").fill(username)
        page.get_by_label("Mật khẩu").fill(PASSWORD)
        page.get_by_role("button", name="Đăng nhập").click()
        page.wait_for_url(f"{live_server.url}/")
        return page

    return _sign_in


@pytest.fixture(autouse=True)
def _patient_browser(page):
    """PDF rendering and a busy CI machine can take seconds; a refusal must still fail, only later."""
    from playwright.sync_api import expect

    page.set_default_timeout(20_000)
    expect.set_options(timeout=15_000)
