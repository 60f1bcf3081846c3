"""The catalogue answers "in force on date D" (Quy chế 157, Điều 3.1–3.2; Điều 2.4, 7.3)."""

from datetime import date

import pytest

from procedures.models import CatalogueChange, Procedure
from procedures.selectors import (
    procedure_change_on,
    procedure_decision_chain,
    procedure_is_in_force,
    procedures_in_force,
)

pytestmark = pytest.mark.django_db

BEFORE_1691 = date(2021, 12, 28)
AFTER_1691 = date(2022, 6, 1)
AFTER_DEMO = date(2024, 3, 15)


def test_nothing_is_in_force_before_decision_1691(catalogue):
    assert not procedures_in_force(on=BEFORE_1691).exists()


def test_the_73_procedures_of_decision_1691_are_in_force_after_it(catalogue):
    assert procedures_in_force(on=AFTER_1691).count() == 73


def test_an_abolished_procedure_is_not_in_force_after_its_date_but_its_history_stays(catalogue):
    abolished = Procedure.objects.get(name="Thủ tục công nhận báo cáo viên pháp luật huyện")
    assert procedure_is_in_force(procedure=abolished, on=date(2024, 3, 14))
    assert not procedure_is_in_force(procedure=abolished, on=AFTER_DEMO)
    actions = [c.action for c in procedure_decision_chain(procedure=abolished)]
    assert actions == [CatalogueChange.Action.ADD, CatalogueChange.Action.ABOLISH]
    assert abolished.history.exists()


def test_a_replaced_procedure_links_to_its_replacement(catalogue):
    old = Procedure.objects.get(name="Cấp lại Giấy phép bán lẻ rượu")
    new = Procedure.objects.get(name__startswith="Cấp lại Giấy phép bán lẻ rượu (")
    change = procedure_change_on(procedure=old, on=AFTER_DEMO)
    assert change.action == CatalogueChange.Action.REPLACE and change.replaced_by == new
    assert not procedure_is_in_force(procedure=old, on=AFTER_DEMO)
    assert procedure_is_in_force(procedure=new, on=AFTER_DEMO)
    assert not procedure_is_in_force(procedure=new, on=AFTER_1691)


def test_an_amended_procedure_shows_the_wording_in_force_on_each_date(catalogue):
    amended = Procedure.objects.get(code="1.001266")
    assert procedure_change_on(procedure=amended, on=AFTER_1691).snapshot["processing_days"] == 3
    assert procedure_change_on(procedure=amended, on=AFTER_DEMO).snapshot["processing_days"] == 2
    assert procedure_is_in_force(procedure=amended, on=AFTER_DEMO)
    assert amended.history.count() == 2  # created by 1691, amended by the demo decision


def test_the_seal_registration_procedure_has_no_invented_code(catalogue):
    seal_registration = Procedure.objects.get(name="Đăng ký mẫu con dấu mới (thực hiện tại Công an cấp tỉnh)")
    assert seal_registration.code == ""
    assert seal_registration.processing_days == 3
    assert seal_registration.implementing_agency.name == "Công an tỉnh Bắc Ninh"


def test_in_force_check_is_one_query(catalogue, django_assert_num_queries):
    procedure = Procedure.objects.first()
    with django_assert_num_queries(1):
        procedure_is_in_force(procedure=procedure, on=AFTER_DEMO)


def test_in_force_means_the_same_as_neither_replaced_nor_abolished():
    """`procedures_in_force` asks "not replaced or abolished" (a better plan on PostgreSQL): that equals
    "added or amended" only while every action is one or the other."""
    in_force = set(CatalogueChange.IN_FORCE_ACTIONS)
    ended = {CatalogueChange.Action.REPLACE, CatalogueChange.Action.ABOLISH}
    assert in_force | ended == set(CatalogueChange.Action) and not in_force & ended


def test_the_in_force_list_is_the_plain_definition_on_every_date(catalogue):
    for on in (BEFORE_1691, AFTER_1691, AFTER_DEMO, date(2030, 1, 1)):
        plain = {
            p.pk
            for p in Procedure.objects.all()
            if (change := procedure_change_on(procedure=p, on=on)) and change.action in CatalogueChange.IN_FORCE_ACTIONS
        }
        assert set(procedures_in_force(on=on).values_list("pk", flat=True)) == plain
