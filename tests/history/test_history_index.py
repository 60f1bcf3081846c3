"""The history index and what is (not) a change (issues 13 and 14).

Every version of every tracked model reaches `HistoryIndex` whichever path wrote it, so the
auditors' list is one keyset query; a save that changed nothing writes no version at all.
"""

import pytest
from django.contrib.auth.signals import user_logged_in
from django.test import RequestFactory
from simple_history.utils import bulk_create_with_history

from procedures.models import Procedure
from tuson_hcc.accounts.models import Agency, User
from tuson_hcc.core.history import tracked_save
from tuson_hcc.history.catalog import tracked_models
from tuson_hcc.history.models import HistoryIndex

pytestmark = pytest.mark.django_db


def _indexed(obj) -> list[tuple[str, str]]:
    label = obj._meta.label_lower
    return list(
        HistoryIndex.objects.filter(label=label, object_id=str(obj.pk))
        .order_by("at", "id")
        .values_list("history_type", "reason")
    )


def test_every_version_written_through_the_orm_is_indexed(procedure):
    assert _indexed(procedure) == [("+", "nhập danh mục TTHC"), ("~", "sửa thời hạn giải quyết")]


def test_versions_written_in_bulk_are_indexed_too(demo_users):
    justice = Agency.objects.get(short_name="PTP")
    made = bulk_create_with_history(
        [Procedure(name=f"TTHC hàng loạt {i}", implementing_agency=justice) for i in range(3)],
        Procedure,
        default_user=demo_users["admin"],
        default_change_reason="nhập hàng loạt",
    )
    for procedure in Procedure.objects.filter(name__startswith="TTHC hàng loạt"):
        assert _indexed(procedure) == [("+", "nhập hàng loạt")]
    assert len(made) == 3


def test_every_history_table_feeds_the_index():
    # The triggers exist for every tracked table: a table added later would be listed but never indexed.
    assert HistoryIndex.objects.values("label").distinct().count() <= len(tracked_models())
    for tracked in tracked_models():
        history = tracked.history_model._base_manager
        indexed = HistoryIndex.objects.filter(label=tracked.label).count()
        assert indexed == history.count(), tracked.label


def test_a_version_rewritten_in_place_keeps_its_index_row_in_step(procedure):
    row = procedure.history.order_by("history_date").first()
    Procedure.history.filter(history_id=row.history_id).update(history_change_reason="sửa tay")
    assert HistoryIndex.objects.get(label="procedures.procedure", history_id=row.history_id).reason == "sửa tay"


def test_a_save_that_changed_nothing_writes_no_version(procedure, demo_users):
    before = procedure.history.count()
    tracked_save(procedure, actor=demo_users["giamdoc"], reason="lưu lại, không đổi gì")
    assert procedure.history.count() == before
    procedure.processing_days = 7
    tracked_save(procedure, actor=demo_users["giamdoc"], reason="đổi thời hạn")
    assert procedure.history.count() == before + 1


def test_signing_in_adds_no_history_row(demo_users):
    user = demo_users["vanthu"]
    before = User.history.filter(id=user.pk).count()
    request = RequestFactory().get("/")
    user_logged_in.send(sender=User, request=request, user=user)  # Django's update_last_login
    assert User.history.filter(id=user.pk).count() == before


def test_a_real_change_of_a_user_is_still_recorded(demo_users):
    user = demo_users["vanthu"]
    before = User.history.filter(id=user.pk).count()
    user.position = "Văn thư chính"
    tracked_save(user, actor=demo_users["admin"], reason="đổi chức vụ")
    assert User.history.filter(id=user.pk).count() == before + 1


def test_labels_and_choices_follow_the_readers_language(client_for, demo_users):
    agency = Agency.objects.get(short_name="PKT")
    agency.kind = Agency.Kind.OTHER
    tracked_save(agency, actor=demo_users["admin"], reason="đổi loại cơ quan")
    auditor = client_for("kiemtra")
    auditor.cookies["django_language"] = "en"
    html = auditor.get("/history/", {"reason": "đổi loại cơ quan"}).content.decode()
    # The action, the field's label and the choice's name in English; no raw model code.
    assert "Changed" in html and "Other unit" in html
    assert "Đơn vị khác" not in html and ">accounts.agency<" not in html and "(accounts.agency)" not in html
