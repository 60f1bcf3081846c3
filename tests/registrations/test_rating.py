"""After return the applicant rates the service once (DESIGN.md section 10, QĐ 766/QĐ-TTg): at the counter's
tablet page opened from the return screen, or through /lookup/ within REGISTRATION_RATING_DAYS days."""

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse

from registrations.models import Rating
from registrations.rating import dossier_rate
from tuson_hcc.core.errors import BusinessRuleError

from .conftest import local

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()


@pytest.fixture
def returned(received_and_returned):
    outcome = received_and_returned(result_at=local(2026, 3, 11, 9, 0), returned_at=local(2026, 3, 12, 9, 0))
    return outcome.dossier, outcome.secret


def test_counter_tablet_rates_once(returned, client_for):
    dossier, _secret = returned
    desk = client_for("tiepnhan")
    url = reverse("registrations:rate", args=[dossier.pk])
    assert 'data-testid="rating-submit"' in desk.get(url).content.decode()
    page = desk.post(url, {"value": "hai_long", "comment": "Nhanh, chu đáo."}).content.decode()
    assert 'data-testid="rating-thanks"' in page
    rating = Rating.objects.get()
    assert (rating.dossier_id, rating.value, rating.via) == (dossier.pk, "hai_long", "quay")
    again = desk.post(url, {"value": "khong_hai_long"}).content.decode()
    assert "đã được đánh giá" in again and Rating.objects.get().value == "hai_long"


def test_rating_before_return_is_refused(receive, tiepnhan):
    dossier = receive("h").dossier
    with pytest.raises(BusinessRuleError, match="sau khi đã nhận kết quả"):
        dossier_rate(dossier=dossier, value="hai_long", via=Rating.Via.COUNTER, actor=tiepnhan)
    assert not Rating.objects.exists()


def test_only_the_desk_opens_the_counter_page(returned, client_for):
    dossier, _secret = returned
    assert client_for("kiemtra").get(reverse("registrations:rate", args=[dossier.pk])).status_code == 403


def test_lookup_rates_within_the_window_and_not_after(returned, client, settings):
    dossier, secret = returned
    settings.REGISTRATION_RATING_DAYS = 14
    with time_machine.travel(local(2026, 3, 20, 9, 0), tick=False):
        page = client.post(reverse("registrations_public:lookup"), {"code": dossier.code, "secret": secret})
        assert 'data-testid="lookup-rating-form"' in page.content.decode()
        done = client.post(
            reverse("registrations_public:lookup_rate"),
            {"code": dossier.code, "secret": secret, "value": "chap_nhan", "comment": ""},
        )
    assert done.status_code == 200 and 'data-testid="rating-thanks"' in done.content.decode()
    assert Rating.objects.get().via == "tra_cuu"


def test_lookup_rating_closes_after_the_window(returned, client, settings):
    dossier, secret = returned
    settings.REGISTRATION_RATING_DAYS = 14
    with time_machine.travel(local(2026, 3, 27, 9, 0), tick=False):
        page = client.post(reverse("registrations_public:lookup"), {"code": dossier.code, "secret": secret})
        assert 'data-testid="lookup-rating-form"' not in page.content.decode()
        late = client.post(
            reverse("registrations_public:lookup_rate"),
            {"code": dossier.code, "secret": secret, "value": "hai_long"},
        )
    assert late.status_code == 400 and "14 ngày" in late.content.decode() and not Rating.objects.exists()


def test_lookup_rating_needs_the_secret(returned, client):
    dossier, _secret = returned
    wrong = client.post(
        reverse("registrations_public:lookup_rate"), {"code": dossier.code, "secret": "WRONGWRONG", "value": "hai_long"}
    )
    assert wrong.status_code == 400 and not Rating.objects.exists()
