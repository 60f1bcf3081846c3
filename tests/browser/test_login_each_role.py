"""Each demo user signs in through the real form and lands on their own dashboard."""

import pytest
from playwright.sync_api import expect

from tuson_hcc.core.demo import DEMO_USERS

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("spec", DEMO_USERS, ids=[u.username for u in DEMO_USERS])
def test_demo_user_signs_in_and_sees_their_dashboard(sign_in, page, spec):
    sign_in(spec.username)
    expect(page.get_by_test_id("dashboard-title")).to_contain_text(spec.full_name)
    expect(page.get_by_test_id("current-user")).to_contain_text(spec.full_name)


def test_wrong_password_is_refused_with_a_vietnamese_message(page, live_server, live_users):
    page.goto(f"{live_server.url}/")
    page.wait_for_url("**/accounts/login/**")
    page.get_by_label("Tên đăng nhập").fill("vanthu")
    page.get_by_label("Mật khẩu").fill("sai-mat-khau")
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("alert")).to_contain_text("Tên đăng nhập hoặc mật khẩu không đúng")
