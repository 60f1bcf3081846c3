"""Catalogue pages: Vietnamese search without diacritics, filters, bounded queries at volume."""

from datetime import date

import pytest

from procedures.demo import _grow_to
from procedures.models import Procedure

pytestmark = pytest.mark.django_db


def test_search_without_diacritics_finds_the_procedure(client_for, catalogue):
    page = client_for("vanthu").get("/procedures/", {"q": "dang ky mau con dau"}).content.decode()
    assert "Đăng ký mẫu con dấu mới (thực hiện tại Công an cấp tỉnh)" in page


def test_list_as_of_a_date_marks_abolished_procedures(client_for, catalogue):
    client = client_for("vanthu")
    today = client.get("/procedures/", {"status": "all", "q": "bao cao vien"}).content.decode()
    assert "Đã bãi bỏ" in today
    before = client.get("/procedures/", {"status": "all", "q": "bao cao vien", "on": "2023-01-01"}).content.decode()
    assert "Đã bãi bỏ" not in before and "Đang hiệu lực" in before


def test_detail_shows_the_wording_on_a_date_and_the_decision_chain(client_for, catalogue):
    procedure = Procedure.objects.get(code="1.001266")
    client = client_for("congchuc")
    page = client.get(f"/procedures/{procedure.pk}/", {"on": "2023-01-01"}).content.decode()
    assert "1691/QĐ-UBND" in page and "MẪU-01/QĐ-UBND" in page
    assert "3 ngày làm việc" in page


def test_replaced_procedure_page_links_to_its_replacement(client_for, catalogue):
    old = Procedure.objects.get(name="Cấp lại Giấy phép bán lẻ rượu")
    page = client_for("vanthu").get(f"/procedures/{old.pk}/").content.decode()
    assert "đã được thay thế bởi" in page


def test_decision_pages_list_their_changes(client_for, catalogue):
    client = client_for("vanthu")
    assert "MẪU-01/QĐ-UBND" in client.get("/procedures/decisions/").content.decode()
    from procedures.models import Decision

    decision = Decision.objects.get(number="MẪU-01/QĐ-UBND")
    assert "Bãi bỏ" in client.get(f"/procedures/decisions/{decision.pk}/").content.decode()


def test_list_of_2000_procedures_uses_a_fixed_number_of_queries(client_for, catalogue, django_assert_max_num_queries):
    _grow_to(2000, stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Procedure.objects.count() == 2000
    client = client_for("vanthu")
    client.get("/procedures/")
    with django_assert_max_num_queries(8):
        response = client.get("/procedures/", {"on": date(2024, 6, 1).isoformat(), "status": "all", "page": 3})
    assert response.status_code == 200


def test_a_decision_scan_is_served_privately_to_signed_in_users_and_logged(client, client_for, catalogue):
    from django.core.files.base import ContentFile

    from procedures.models import Decision
    from tests.private_files import assert_served_privately

    decision = Decision.objects.get(number="1691/QĐ-UBND")
    decision.scan.save("qd-1691.pdf", ContentFile(b"%PDF-1.4 test"), save=True)
    url = f"/procedures/decisions/{decision.pk}/scan/"
    assert client.get(url).status_code == 302  # anonymous: to the login page
    response = client_for("congchuc").get(url)
    assert_served_privately(response, about=decision, user=response.wsgi_request.user, body_starts=b"%PDF-")
    assert response["Content-Type"] == "application/pdf"


def test_the_catalogue_list_is_kept_yet_follows_every_decision_and_the_date(client_for, catalogue, demo_users):
    """Quy chế 157, Điều 3: the list shows the procedures in force on the day. Its order of ids is kept by the
    process while the catalogue's tables stay unchanged (`core.kept_lists`, migration core 0007), so a
    decision recorded is shown at the next request, and one that takes effect tomorrow at midnight, with
    no write in between."""
    import uuid
    from datetime import timedelta

    import time_machine
    from django.utils import timezone

    from procedures.models import CatalogueChange
    from procedures.services import catalogue_apply_change, decision_get_or_create
    from tuson_hcc.core.models import ListVersion

    ListVersion.objects.get_or_create(id=1, defaults={"token": uuid.uuid4().hex})  # else nothing is kept
    client = client_for("vanthu")
    today = timezone.localdate()

    def listed() -> list[int]:
        return client.get("/procedures/").context["page"].paginator.object_list

    def abolish(procedure, number, effective_on):
        decision = decision_get_or_create(
            number=number, signed_on=today, effective_on=effective_on, actor=demo_users["admin"]
        )
        catalogue_apply_change(
            decision=decision, procedure=procedure, action=CatalogueChange.Action.ABOLISH, actor=demo_users["admin"]
        )

    first, second = (Procedure.objects.get(pk=pk) for pk in listed()[:2])
    assert listed() is listed()  # kept: the same list, not read again
    abolish(first, "01/QĐ-KIỂM-THỬ", today)
    assert first.pk not in listed() and second.pk in listed()
    abolish(second, "02/QĐ-KIỂM-THỬ", today + timedelta(days=1))
    kept = listed()
    assert second.pk in kept
    with time_machine.travel(timezone.localtime().replace(hour=0, minute=1) + timedelta(days=1)):
        assert second.pk not in listed()
    assert listed() == kept  # back to today: the list of today again
