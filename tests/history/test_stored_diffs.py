"""Each change's diff is stored on its index row when written (issue 14) and reads as the computed one.

The list shows a page of changes without loading the version before each one; labels, choice names
and related records are still named in the reader's language when the page is read. A creation is
read from its own version; versions written in bulk keep no stored diff and are diffed when shown,
with the same words.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from simple_history.utils import bulk_create_with_history

from procedures.models import Procedure
from tuson_hcc.accounts.models import Agency
from tuson_hcc.core.history import tracked_save
from tuson_hcc.history.catalog import tracked_models
from tuson_hcc.history.diffs import stored_diffs_backfill
from tuson_hcc.history.models import HistoryIndex
from tuson_hcc.history.selectors import HistoryFilter, history_page

pytestmark = pytest.mark.django_db


def _stored(obj) -> list:
    rows = HistoryIndex.objects.filter(label=obj._meta.label_lower, object_id=str(obj.pk)).order_by("at", "id")
    return [row.changes for row in rows]


def _shown(obj) -> list[tuple[bool, list[tuple[str, str, str]]]]:
    page = history_page(criteria=HistoryFilter(model_label=obj._meta.label_lower, object_id=str(obj.pk)))
    return [(e.has_previous, [(c.label, c.old, c.new) for c in e.changes]) for e in reversed(page.entries)]


def _forget_stored(obj) -> None:
    HistoryIndex.objects.filter(label=obj._meta.label_lower, object_id=str(obj.pk)).update(changes=None)


def test_every_version_saved_through_a_service_gets_its_diff_once_committed(
    demo_users, django_capture_on_commit_callbacks
):
    justice, city = Agency.objects.get(short_name="PTP"), Agency.objects.get(short_name="UBND")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        procedure = tracked_save(
            Procedure(name="TTHC lưu diff", field="Con dấu", implementing_agency=justice, processing_days=3),
            actor=demo_users["admin"],
            reason="nhập danh mục TTHC",
        )
        assert _stored(procedure) == [None]  # not before the commit
        procedure.processing_days = 5
        procedure.implementing_agency = city
        tracked_save(procedure, actor=demo_users["giamdoc"], reason="sửa thời hạn")
    assert len(callbacks) == 1  # one statement stores every diff of a transaction
    created, edited = _stored(procedure)
    assert created is None  # a creation is read from its own version, nothing to store
    assert edited["previous"] is True
    assert {name for name, _old, _new in edited["fields"]} == {"implementing_agency_id", "processing_days"}
    assert ["implementing_agency_id", justice.pk, city.pk] in edited["fields"]  # ids: named when read


def test_a_stored_diff_reads_exactly_as_the_diff_computed_from_the_versions(
    demo_users, django_capture_on_commit_callbacks
):
    agency = Agency.objects.get(short_name="PKT")
    with django_capture_on_commit_callbacks(execute=True):
        procedure = tracked_save(
            Procedure(name="TTHC so sánh", field="Con dấu", implementing_agency=agency, processing_days=2),
            actor=demo_users["admin"],
            reason="nhập danh mục TTHC",
        )
        procedure.processing_days = 9
        procedure.implementing_agency = Agency.objects.get(short_name="PTP")
        tracked_save(procedure, actor=demo_users["giamdoc"], reason="sửa")
    assert _stored(procedure)[1] is not None
    stored = _shown(procedure)
    _forget_stored(procedure)
    assert _shown(procedure) == stored
    (created_prev, _), (edited_prev, edited) = stored
    assert created_prev is False and edited_prev is True
    assert len(edited) == 2  # the agency and the days


def test_the_list_reads_no_earlier_version_when_every_diff_is_stored(demo_users, django_capture_on_commit_callbacks):
    justice = Agency.objects.get(short_name="PTP")
    with django_capture_on_commit_callbacks(execute=True):
        procedure = tracked_save(
            Procedure(name="TTHC đếm truy vấn", field="Con dấu", implementing_agency=justice, processing_days=3),
            actor=demo_users["admin"],
            reason="nhập",
        )
        for days in (4, 5, 6):
            procedure.processing_days = days
            tracked_save(procedure, actor=demo_users["admin"], reason="sửa")
    criteria = HistoryFilter(model_label="procedures.procedure", object_id=str(procedure.pk))
    history_page(criteria=criteria)  # the agency named is then kept by the process (core.kept_lists) for both
    with CaptureQueriesContext(connection) as stored:
        history_page(criteria=criteria)
    _forget_stored(procedure)
    with CaptureQueriesContext(connection) as computed:
        history_page(criteria=criteria)
    # index rows, the versions, users and agencies; computing needs the earlier versions too
    assert len(stored) < len(computed)
    assert not any("history_date" in q["sql"] and "<" in q["sql"] for q in stored.captured_queries)


def test_bulk_versions_keep_no_stored_diff_and_are_diffed_when_shown(demo_users):
    justice = Agency.objects.get(short_name="PTP")
    bulk_create_with_history(
        [Procedure(name="TTHC hàng loạt diff", implementing_agency=justice, processing_days=4)],
        Procedure,
        default_user=demo_users["admin"],
        default_change_reason="nhập hàng loạt",
    )
    procedure = Procedure.objects.get(name="TTHC hàng loạt diff")
    assert _stored(procedure) == [None]
    (has_previous, changes), *_ = _shown(procedure)
    assert has_previous is False and any(new == "4" for _label, _old, new in changes)


def test_stored_choices_and_relations_are_named_in_the_readers_language(
    client_for, demo_users, django_capture_on_commit_callbacks
):
    agency = Agency.objects.get(short_name="PKT")
    with django_capture_on_commit_callbacks(execute=True):
        agency.kind = Agency.Kind.OTHER
        tracked_save(agency, actor=demo_users["admin"], reason="đổi loại cơ quan (lưu diff)")
    row = HistoryIndex.objects.get(label="accounts.agency", reason="đổi loại cơ quan (lưu diff)")
    assert row.changes["fields"][0][0] == "kind" and row.changes["fields"][0][2] == Agency.Kind.OTHER
    auditor = client_for("kiemtra")
    auditor.cookies["django_language"] = "en"
    html = auditor.get("/history/", {"reason": "đổi loại cơ quan (lưu diff)"}).content.decode()
    assert "Other unit" in html and "<del>" in html and "Đơn vị khác" not in html
    auditor.cookies["django_language"] = "vi"
    html = auditor.get("/history/", {"reason": "đổi loại cơ quan (lưu diff)"}).content.decode()
    assert "Đơn vị khác" in html


def test_versions_loaded_without_a_diff_get_it_stored_once_and_read_the_same(demo_users, django_assert_num_queries):
    """The seed loads history in bulk; `stored_diffs_backfill` (run by the seed, or `manage.py
    store_history_diffs`) stores the diff each such version would have got, so the list shows the same."""
    justice, city = Agency.objects.get(short_name="PTP"), Agency.objects.get(short_name="UBND")
    procedure = tracked_save(
        Procedure(name="TTHC nạp hàng loạt", field="Con dấu", implementing_agency=justice, processing_days=3),
        actor=demo_users["admin"],
        reason="nhập",
    )
    for days, agency in ((4, justice), (5, city)):
        procedure.processing_days, procedure.implementing_agency = days, agency
        tracked_save(procedure, actor=demo_users["giamdoc"], reason="sửa")
    pk = procedure.pk
    procedure.delete()
    procedure.pk = pk
    _forget_stored(procedure)  # as a COPY of the seed leaves them
    computed = _shown(procedure)
    assert _stored(procedure) == [None] * 4

    assert stored_diffs_backfill() >= 3
    created, *changes, deleted = _stored(procedure)
    assert created is None  # a creation is read from its own version
    assert [c["previous"] for c in changes] == [True, True] and deleted == {"previous": True, "fields": []}
    assert changes[0]["fields"] == [["processing_days", "3", "4"]]
    assert changes[1]["fields"] == [["implementing_agency_id", justice.pk, city.pk], ["processing_days", "4", "5"]]
    assert _shown(procedure) == computed
    with django_assert_num_queries(len(tracked_models())):  # nothing left: one look per tracked model
        assert stored_diffs_backfill() == 0


def test_the_seed_leaves_no_change_without_its_stored_diff():
    import io

    from tuson_hcc.history.demo import seed_history

    HistoryIndex.objects.exclude(history_type="+").update(changes=None)
    seed_history(scale="small", stdout=io.StringIO())
    assert not HistoryIndex.objects.filter(changes__isnull=True).exclude(history_type="+").exists()
