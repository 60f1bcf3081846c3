"""Screens an official accepts at first sight (issue 13): dates typed dd/mm/yyyy in an English browser.
The accessibility walk of every page of every role is tests/browser/test_accessibility.py."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from seals.models import StampingEntry
from tests.browser.conftest import PASSWORD
from tests.seals.factories import build_catalogue, build_seal

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
