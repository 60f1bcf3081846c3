"""Every role's main pages exist in English once the user picks it (footer switch: `django_language`)."""

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db

# Each page with English strings that only its translated template or form produces.
PAGES = {
    "/seals/stamp/": ["Log a stamping", "Your latest stampings"],
    "/seals/": ["Seals at the Centre", "Owning agency", "Stamped today"],
    "/seals/register/": ["Stamping log", "Filter", "Procedure code"],
    "/seals/offsite/": ["Requests for off-site use of a seal", "My requests", "Carrier"],
    "/registrations/": ["New seal specimen registration dossiers", "Dossier list", "Dossier code"],
    "/history/": ["Change history", "Access log", "Clear filter"],
    "/procedures/": ["Publication decisions", "Procedure name", "Implementing agency"],
}
USERS = ["vanthu", "giamdoc", "chutich", "truongphong", "congchuc", "tiepnhan", "kiemtra", "admin"]


def _get(client, path, language):
    if language:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    else:
        client.cookies.pop(settings.LANGUAGE_COOKIE_NAME, None)
    return client.get(path)


@pytest.mark.parametrize("username", USERS)
def test_main_pages_of_each_role_in_english(client_for, username):
    client = client_for(username)
    seen = 0
    for path, english in PAGES.items():
        vietnamese = _get(client, path, None)
        translated = _get(client, path, "en")
        assert translated.status_code == vietnamese.status_code, path
        assert translated.status_code in (200, 403), path
        page = translated.content.decode()
        if translated.status_code == 403:
            assert "Access denied" in page and "You do not have access to this page." in page, path
            continue
        seen += 1
        assert 'lang="en"' in page, path
        assert "Sign out" in page, path
        for text in english:
            assert text in page, (path, text)
        assert "Đăng xuất" not in page, path
    dashboard = _get(client, "/", "en").content.decode()
    assert "Hello" in dashboard and "Sign out" in dashboard
    assert seen >= 1  # the catalogue is open to every signed-in user


def test_the_footer_switch_sets_english_and_the_nav_follows(client_for):
    client = client_for("vanthu")
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/seals/"})
    assert response.status_code == 302
    page = client.get("/seals/").content.decode()
    for label in ("Stamping", "Seal list", "Stamping log", "Off-site use", "Procedure catalogue"):
        assert f">{label}</a>" in page, label
    assert ">Seals</button>" in page and ">Sign out</button>" in page  # the area's menu, the user's menu
    # back to Vietnamese: the default texts, data-testids unchanged
    client.post("/i18n/setlang/", {"language": "vi", "next": "/seals/"})
    page = client.get("/seals/stamp/").content.decode()
    assert "Ghi sổ đóng dấu" in page and 'data-testid="stamping-rows"' in page


def test_form_labels_and_messages_follow_the_language(client_for):
    client = client_for("tiepnhan")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get("/registrations/new/").content.decode()
    assert "Type of agency or organisation" in page and "Receive a new seal specimen registration dossier" in page
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    page = client.get("/registrations/new/").content.decode()
    assert "Loại cơ quan, tổ chức" in page
