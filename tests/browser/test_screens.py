"""Screens an official accepts at first sight (issue 13): dates typed dd/mm/yyyy in an English browser.
The accessibility walk of every page of every role is tests/browser/test_accessibility.py."""

import re
from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from seals.models import OffsiteRequest, StampingEntry
from tests.browser.conftest import PASSWORD
from tests.seals.factories import build_catalogue, build_seal
from tuson_hcc.core.demo import DEMO_USERS

pytestmark = pytest.mark.browser


def _sign_in(context, base: str, username: str, password: str = PASSWORD):
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.goto(f"{base}/accounts/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{base}/")
    return page


def _day_first_date():
    """A recent past day that reads differently month-first (e.g. 03/11 is not 11/03)."""
    day = timezone.localdate()
    while day.day > 12 or day.day == day.month:
        day -= timedelta(days=1)
    return day


def test_an_english_browser_types_dates_day_first_and_the_right_date_is_used(browser, live_server, live_users):
    catalogue = build_catalogue()
    build_seal(catalogue, live_users["vanthu"])
    day = _day_first_date()
    context = browser.new_context(locale="en-US", timezone_id="Asia/Ho_Chi_Minh")
    page = _sign_in(context, live_server.url, "vanthu")
    assert page.evaluate("() => navigator.language") == "en-US"
    page.goto(f"{live_server.url}/seals/stamp/")
    date_box = page.locator("#id_document_date")
    assert date_box.get_attribute("type") == "text" and date_box.get_attribute("placeholder") == "dd/mm/yyyy"
    page.locator("#id_procedure").fill(catalogue["birth"].code)
    date_box.fill(day.strftime("%d/%m/%Y"))
    page.locator("#id_document_number").fill("15/TL")
    page.locator("#id_summary").fill("Trích lục khai sinh cho Nguyễn Văn An")
    page.locator("#id_signer_name").fill("Lê Thị Lan")
    page.locator("#id_signer_position").fill("Trưởng phòng Tư pháp")
    page.locator("#id_requested_by").fill("Phạm Đức Anh")
    page.locator("#id_is_signed").check()
    page.locator("#id_summary").press("Enter")
    expect(page.get_by_role("alert").first).to_be_visible()
    assert StampingEntry.objects.get().document_date == day

    page.goto(f"{live_server.url}/seals/register/")
    bar = page.get_by_test_id("filter-bar")
    bar.locator("#id_date_from").fill(day.strftime("%d/%m/%Y"))
    bar.get_by_role("button").first.click()
    expect(page.locator("#id_date_from")).to_have_value(day.strftime("%d/%m/%Y"))
    expect(page.get_by_test_id("match-count")).to_contain_text("1")
    context.close()


def test_an_english_browser_types_date_times_day_first_and_a_month_first_one_saves_nothing(
    browser, live_server, live_users
):
    """The off-site request's moments: text boxes typed dd/mm/yyyy hh:mm, whatever the browser's language."""
    catalogue = build_catalogue()
    seal = build_seal(catalogue, live_users["vanthu"])
    day = timezone.localdate() + timedelta(days=1)
    while day.day > 12 or day.day == day.month:  # a day that reads differently month-first
        day += timedelta(days=1)
    context = browser.new_context(locale="en-US", timezone_id="Asia/Ho_Chi_Minh")
    page = _sign_in(context, live_server.url, "congchuc")
    page.goto(f"{live_server.url}/seals/offsite/new/")
    starts, due = page.locator("#id_starts_at"), page.locator("#id_due_back_at")
    assert starts.get_attribute("type") == "text" and starts.get_attribute("placeholder") == "dd/mm/yyyy hh:mm"
    expect(page.locator("#id_starts_at_helptext")).to_contain_text("dd/mm/yyyy hh:mm (24 giờ)")
    page.locator("#id_seal").select_option(str(seal.pk))
    page.locator("#id_purpose").fill("Đóng dấu trích lục cho người bệnh tại nhà (cấp bách)")
    page.get_by_test_id("procedure-list").get_by_label(f"{catalogue['birth'].code} — {catalogue['birth'].name}").check()
    page.locator("#id_documents").fill("01 trích lục khai sinh đã ký")
    page.locator("#id_destination").fill("Phường Đình Bảng")

    # Month first, as an English browser would suggest, and a day without its hour: refused, nothing saved.
    starts.fill(day.replace(day=25).strftime("%m/%d/%Y") + " 14:30")
    due.fill(day.strftime("%d/%m/%Y"))
    page.get_by_role("button", name="Lưu nháp").click()
    expect(page.get_by_test_id("form-error")).to_be_visible()
    message = "Nhập ngày và giờ theo dạng dd/mm/yyyy hh:mm (24 giờ), ví dụ 31/12/2026 14:30."
    expect(page.locator("#div_id_starts_at")).to_contain_text(message)
    expect(page.locator("#div_id_due_back_at")).to_contain_text(message)
    assert not OffsiteRequest.objects.exists()

    page.locator("#id_starts_at").fill(day.strftime("%d/%m/%Y") + " 14:30")
    page.locator("#id_due_back_at").fill(day.strftime("%d/%m/%Y") + " 16:45")
    page.get_by_role("button", name="Lưu nháp").click()
    expect(page.get_by_role("alert").first).to_contain_text("Đã lập đề nghị")
    request = OffsiteRequest.objects.get()
    assert timezone.localtime(request.starts_at).replace(tzinfo=None) == datetime.combine(day, time(14, 30))
    assert timezone.localtime(request.due_back_at).replace(tzinfo=None) == datetime.combine(day, time(16, 45))
    # Shown again the same way on the edit form.
    page.goto(f"{live_server.url}/seals/offsite/{request.pk}/edit/")
    expect(page.locator("#id_starts_at")).to_have_value(day.strftime("%d/%m/%Y") + " 14:30")
    context.close()


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_top_bar_is_one_line_at_1366_px_for_every_role(browser, live_server, live_users, language):
    """Areas with several links are dropdowns and the user's own links sit under their name: one line."""
    context = browser.new_context(viewport={"width": 1366, "height": 800})
    host = live_server.url.split("//")[1].split(":")[0]
    context.add_cookies([{"name": "django_language", "value": language, "domain": host, "path": "/"}])
    page = context.new_page()
    height = "() => document.querySelector('nav.navbar').getBoundingClientRect().height"
    page.goto(f"{live_server.url}/accounts/login/")
    one_line = page.evaluate(height)  # the brand alone
    heights = {}
    for spec in DEMO_USERS:
        context.clear_cookies(name="sessionid")
        page = _sign_in(context, live_server.url, spec.username)
        heights[spec.username] = page.evaluate(height)
        links = page.locator("#mainNav .nav-link")
        assert links.count() >= 2  # at least one page and the user's menu
        tops = set(links.evaluate_all("els => els.map(e => Math.round(e.getBoundingClientRect().top))"))
        assert len(tops) == 1, (spec.username, tops)
        page.close()
    assert heights == dict.fromkeys(heights, one_line)
    context.close()


def test_the_menus_open_by_keyboard_and_in_the_collapsed_bar_at_390_px(browser, live_server, live_users):
    context = browser.new_context(viewport={"width": 1366, "height": 800})
    page = _sign_in(context, live_server.url, "giamdoc")
    nav = page.get_by_role("navigation", name="Điều hướng chính")
    nav.get_by_role("button", name="Con dấu").focus()
    page.keyboard.press("Enter")
    menu = nav.get_by_role("link", name="Mang dấu ra ngoài")
    expect(menu).to_be_visible()
    menu.click()
    page.wait_for_url("**/seals/offsite/")
    expect(nav.get_by_role("button", name="Con dấu")).to_have_class(re.compile(r"\bactive\b"))
    nav.get_by_test_id("current-user").click()
    expect(nav.get_by_test_id("password-change-link")).to_be_visible()
    expect(nav.get_by_role("button", name="Đăng xuất")).to_be_visible()
    context.close()

    context = browser.new_context(viewport={"width": 390, "height": 800})
    page = _sign_in(context, live_server.url, "vanthu")
    nav = page.get_by_role("navigation", name="Điều hướng chính")
    expect(nav.get_by_role("link", name="Sổ đóng dấu")).to_be_hidden()
    nav.get_by_role("button", name="Mở menu").click()
    expect(nav.get_by_role("link", name="Sổ đóng dấu")).to_be_visible()
    nav.get_by_role("button", name="Con dấu").click()
    nav.get_by_role("link", name="Danh sách con dấu").click()
    page.wait_for_url("**/seals/")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    context.close()
