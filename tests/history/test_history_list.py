"""`/history/`: every change to every business record, who, when, why, and a readable diff (issue 6)."""

import datetime as dt

import pytest
from django.urls import reverse

from procedures.models import Procedure
from tuson_hcc.accounts.models import Agency
from tuson_hcc.core.history import tracked_save
from tuson_hcc.core.keyset import Cursor
from tuson_hcc.history.catalog import tracked_models
from tuson_hcc.history.selectors import PAGE_SIZE, HistoryFilter, history_page

pytestmark = pytest.mark.django_db


def _entries(response):
    return response.context["page"].entries


def test_history_is_for_auditors_and_the_director_only(client_for, procedure):
    for username, status in (("kiemtra", 200), ("giamdoc", 200), ("vanthu", 403), ("tiepnhan", 403), ("congchuc", 403)):
        assert client_for(username).get("/history/").status_code == status, username


def test_every_simple_history_model_is_listed_generically():
    labels = {t.label for t in tracked_models()}
    assert {
        "accounts.user",
        "accounts.agency",
        "procedures.procedure",
        "procedures.decision",
        "procedures.cataloguechange",
        "core.issuingbody",
        "workdays.calendaroverride",
    } <= labels


def test_an_auditor_sees_a_change_with_its_user_reason_and_labelled_diff(auditor, procedure):
    response = auditor.get("/history/", {"model": "procedures.procedure", "object_id": procedure.pk})
    change, creation = _entries(response)
    assert (change.user, change.reason, change.history_type) == ("Trần Văn Minh", "sửa thời hạn giải quyết", "~")
    diff = {c.label: (c.old, c.new) for c in change.changes}
    # verbose names, and the related agency by name, not by id
    assert diff == {
        "thời hạn giải quyết (ngày làm việc)": ("3", "5"),
        "cơ quan thực hiện": ("Phòng Tư pháp", "Ủy ban nhân dân thành phố Từ Sơn"),
    }
    assert creation.reason == "nhập danh mục TTHC" and creation.user == "Quản trị hệ thống"
    assert {c.label for c in creation.changes} >= {"tên thủ tục", "cơ quan thực hiện"}
    html = response.content.decode()
    assert "Ủy ban nhân dân thành phố Từ Sơn" in html and "sửa thời hạn giải quyết" in html


def test_choice_fields_show_their_labels(auditor, demo_users):
    agency = Agency.objects.get(short_name="PKT")
    agency.kind = Agency.Kind.OTHER
    tracked_save(agency, actor=demo_users["admin"], reason="đổi loại cơ quan")
    (entry,) = _entries(auditor.get("/history/", {"reason": "đổi loại cơ quan"}))
    assert [(c.label, c.old, c.new) for c in entry.changes] == [("loại", "Phòng chuyên môn", "Đơn vị khác")]


def test_filters_combine(auditor, procedure, demo_users):
    by_director = _entries(auditor.get("/history/", {"user": demo_users["giamdoc"].pk}))
    assert by_director and all(e.user == "Trần Văn Minh" for e in by_director)
    combined = _entries(
        auditor.get(
            "/history/",
            {"user": demo_users["giamdoc"].pk, "model": "procedures.procedure", "history_type": "~"},
        )
    )
    assert [(e.tracked.label, e.object_id, e.reason) for e in combined] == [
        ("procedures.procedure", procedure.pk, "sửa thời hạn giải quyết")
    ]
    assert _entries(auditor.get("/history/", {"user": demo_users["giamdoc"].pk, "history_type": "-"})) == []
    created = _entries(auditor.get("/history/", {"model": "procedures.procedure", "history_type": "+"}))
    assert [e.reason for e in created] == ["nhập danh mục TTHC"]


def test_date_range_filters_by_local_day(auditor, procedure):
    row = procedure.history.order_by("history_date").first()
    Procedure.history.filter(pk=row.pk).update(history_date=row.history_date - dt.timedelta(days=400))
    old_day = (row.history_date - dt.timedelta(days=400)).astimezone().date()
    entries = _entries(auditor.get("/history/", {"date_from": old_day, "date_to": old_day}))
    assert [(e.object_id, e.reason) for e in entries] == [(procedure.pk, "nhập danh mục TTHC")]
    assert auditor.get("/history/", {"date_from": "2026-02-02", "date_to": "2026-02-01"}).status_code == 200


def test_keyset_pages_walk_every_row_once_in_order(demo_users):
    justice = Agency.objects.get(short_name="PTP")
    for i in range(7):
        tracked_save(Procedure(name=f"TTHC {i}", implementing_agency=justice), actor=demo_users["admin"], reason="x")
    everything = history_page(criteria=HistoryFilter(), size=1000).entries
    seen, cursor = [], None
    while True:
        page = history_page(criteria=HistoryFilter(), cursor=cursor, size=4)
        seen.extend((e.tracked.label, e.history_id) for e in page.entries)
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert seen == [(e.tracked.label, e.history_id) for e in everything]
    assert len(seen) == len(set(seen)) > 20
    dates = [e.at for e in everything]
    assert dates == sorted(dates, reverse=True)


def test_the_next_page_link_carries_the_filter_and_a_cursor(auditor, procedure, demo_users):
    response = auditor.get("/history/", {"model": "accounts.user"})
    page = response.context["page"]
    assert page.next_cursor is None  # 8 users: one page
    assert isinstance(Cursor.decode(Cursor(at=page.entries[0].at, label="x.y", id=3).encode()), Cursor)
    assert auditor.get("/history/", {"after": "garbage!"}).status_code == 404


def test_the_list_costs_the_same_few_queries_whatever_the_number_of_tracked_models(
    auditor, procedure, demo_users, django_assert_max_num_queries
):
    justice = Agency.objects.get(short_name="PTP")
    for i in range(60):
        tracked_save(Procedure(name=f"TTHC {i}", implementing_agency=justice), actor=demo_users["congchuc"], reason="y")
    # session + user + groups + the filter's user list, one index query; then for the one model on the
    # page: its versions, their previous versions, and one load per related model. No query per table
    # tracked (issue 14), never one per row.
    with django_assert_max_num_queries(4 + 1 + 2 + 4):
        response = auditor.get("/history/")
    assert len(_entries(response)) == PAGE_SIZE


def test_the_timeline_shows_every_version_of_one_record(auditor, procedure):
    url = reverse("history:timeline", args=["procedures.procedure", procedure.pk])
    response = auditor.get(url)
    assert response.status_code == 200
    entries = _entries(response)
    assert [e.reason for e in entries] == ["sửa thời hạn giải quyết", "nhập danh mục TTHC"]
    assert {c.label: c.new for c in entries[0].changes}["thời hạn giải quyết (ngày làm việc)"] == "5"
    assert response.context["title"] == "Đăng ký mẫu con dấu mới"
    assert auditor.get(reverse("history:timeline", args=["procedures.procedure", 999999])).status_code == 404
    assert auditor.get("/history/nosuch.model/1/").status_code == 404


def test_timeline_pages_diff_across_the_page_boundary(demo_users):
    from tuson_hcc.history.catalog import tracked_model
    from tuson_hcc.history.selectors import history_timeline

    justice = Agency.objects.get(short_name="PTP")
    procedure = tracked_save(Procedure(name="A", implementing_agency=justice), actor=demo_users["admin"], reason="0")
    for days in range(1, 6):
        procedure.processing_days = days
        tracked_save(procedure, actor=demo_users["admin"], reason=str(days))
    tracked = tracked_model("procedures.procedure")
    first = history_timeline(tracked=tracked, object_id=procedure.pk, size=3)
    second = history_timeline(tracked=tracked, object_id=procedure.pk, cursor=first.next_cursor, size=3)
    assert [e.reason for e in first.entries + second.entries] == ["5", "4", "3", "2", "1", "0"]
    last_of_first = first.entries[-1]
    assert [(c.old, c.new) for c in last_of_first.changes] == [("2", "3")]


def test_a_timeline_is_reachable_from_every_tracked_model(auditor, demo_users):
    for tracked in tracked_models():
        row = tracked.history_model._base_manager.first()
        if row is None:
            continue
        url = reverse("history:timeline", args=[tracked.label, getattr(row, tracked.pk_attname)])
        assert auditor.get(url).status_code == 200, tracked.label


def test_procedure_pages_link_to_their_timeline_for_auditors_only(client_for, procedure):
    from procedures.models import Decision

    url = reverse("history:timeline", args=["procedures.procedure", procedure.pk])
    assert url in client_for("kiemtra").get(f"/procedures/{procedure.pk}/").content.decode()
    assert url not in client_for("vanthu").get(f"/procedures/{procedure.pk}/").content.decode()
    decision = tracked_save(
        Decision(number="1/QĐ", signed_on=dt.date(2024, 1, 2), effective_on=dt.date(2024, 1, 2)),
        actor=None,
        reason="nhập quyết định",
    )
    page = client_for("giamdoc").get(f"/procedures/decisions/{decision.pk}/").content.decode()
    assert reverse("history:timeline", args=["procedures.decision", decision.pk]) in page


def test_deleted_records_stay_in_history(auditor, demo_users):
    justice = Agency.objects.get(short_name="PTP")
    procedure = tracked_save(
        Procedure(name="Bị xóa", implementing_agency=justice), actor=demo_users["admin"], reason="a"
    )
    pk = procedure.pk
    procedure._change_reason = "xóa nhầm"
    procedure.delete()
    entries = _entries(auditor.get("/history/", {"model": "procedures.procedure", "history_type": "-"}))
    assert [(e.object_id, e.reason, e.record) for e in entries] == [(pk, "xóa nhầm", "Bị xóa")]


def test_an_invalid_filter_shows_its_error_and_no_unfiltered_rows(auditor, procedure):
    response = auditor.get("/history/", {"date_from": "2026-02-02", "date_to": "2026-02-01"})
    assert response.status_code == 200 and _entries(response) == []
    assert "Bộ lọc không hợp lệ" in response.content.decode()
    assert auditor.get("/history/export.csv", {"model": "nosuch.model"}).status_code == 400
    assert auditor.get("/history/access/export.csv", {"ip": "not-an-ip"}).status_code == 400


def test_values_names_and_reasons_are_escaped_in_the_list_and_the_timeline(auditor, demo_users):
    """The rows are written in Python (issue 14): every value is escaped once, as the template would."""
    hostile = "<script>alert(\"x\")</script> & 'quote'"
    procedure = tracked_save(
        Procedure(name=hostile, field="Con dấu", implementing_agency=Agency.objects.get(short_name="PTP")),
        actor=demo_users["admin"],
        reason="<b>nhập</b>",
    )
    procedure.name = "tên mới"
    tracked_save(procedure, actor=demo_users["giamdoc"], reason="<b>sửa</b> & 'tên'")
    escaped = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#x27;quote&#x27;"
    for path in ("/history/", f"/history/procedures.procedure/{procedure.pk}/"):
        html = auditor.get(path).content.decode()
        assert "<script>alert" not in html and "<b>" not in html, path
        assert f"<del>{escaped}</del> → <ins>tên mới</ins>" in html, path  # the change: old struck through
        assert f"<ins>{escaped}</ins>" in html, path  # the creation: its filled-in name
        assert "&lt;b&gt;sửa&lt;/b&gt; &amp; &#x27;tên&#x27;</a>" in html, path
        assert "?reason=%3Cb%3Es%E1%BB%ADa%3C/b%3E%20%26%20%27t%C3%AAn%27" in html, path
    # The record column of the creation names the record as that version named it.
    assert f">{escaped}</a></td>" in auditor.get("/history/").content.decode()


def test_a_filter_alone_pages_through_exactly_the_rows_its_equality_selects(demo_users):
    """A lone filter is sent as the range `v <= column <= v`, ordered by the column first (so PostgreSQL
    reads that column's index): the pages walk the same rows, in the same order, as `column = v`."""
    from tuson_hcc.history.models import HistoryIndex

    justice = Agency.objects.get(short_name="PTP")
    for i in range(5):
        procedure = tracked_save(
            Procedure(name=f"TTHC lọc {i}", implementing_agency=justice), actor=demo_users["admin"], reason="lọc"
        )
        procedure.processing_days = 7
        tracked_save(procedure, actor=demo_users["giamdoc"], reason="sửa")
    tie = HistoryIndex.objects.order_by("-at", "-id").values_list("at", flat=True).first()
    newest_procedure = HistoryIndex.objects.filter(label="procedures.procedure").order_by("-id")[0]
    HistoryIndex.objects.filter(pk__in=[newest_procedure.pk]).update(at=tie)  # a tie on `at`
    for criteria, plain in (
        (HistoryFilter(model_label="procedures.procedure"), {"label": "procedures.procedure"}),
        (HistoryFilter(user_id=demo_users["giamdoc"].pk), {"user_id": demo_users["giamdoc"].pk}),
        (HistoryFilter(reason="lọc"), {"reason": "lọc"}),
        (HistoryFilter(history_type="~"), {"history_type": "~"}),
    ):
        expected = list(HistoryIndex.objects.filter(**plain).order_by("-at", "-id").values_list("label", "history_id"))
        seen, cursor = [], None
        while True:
            page = history_page(criteria=criteria, cursor=cursor, size=3)
            seen += [(e.tracked.label, e.history_id) for e in page.entries]
            if page.next_cursor is None:
                break
            cursor = page.next_cursor
        assert seen == expected and len(expected) >= 5, criteria


def test_the_people_on_the_page_are_named_from_the_filter_bars_list_read_once(auditor, procedure):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = auditor.get("/history/", {"model": "procedures.procedure"})
    users_read = [q["sql"] for q in queries if 'FROM "accounts_user"' in q["sql"] and "auth_group" not in q["sql"]]
    assert len(users_read) == 1, users_read  # the bar's select (the signed-in user is read with their groups)
    assert [(e.user, e.reason) for e in _entries(response)][:2] == [
        ("Trần Văn Minh", "sửa thời hạn giải quyết"),
        ("Quản trị hệ thống", "nhập danh mục TTHC"),
    ]
    # Without the bar's list (the exports, the timeline) the names are read as before.
    page = history_page(criteria=HistoryFilter(model_label="procedures.procedure"))
    assert [e.user for e in page.entries][:2] == ["Trần Văn Minh", "Quản trị hệ thống"]


def test_related_records_take_their_parents_from_the_people_given_and_read_the_others_in_one_query(
    demo_users, django_assert_num_queries
):
    """The names on a page come from the filter bar's people: a related record's users are not joined
    again (issue 14), and a user not given is still read, in one query for all of them. (Reference
    records in watched tables, agencies say, are kept by the process with their parents instead:
    tests/core/test_kept_lists.py.)"""
    from django.contrib.contenttypes.models import ContentType

    from tuson_hcc.documents.models import IssuedDocument
    from tuson_hcc.history.display import RelatedCache

    subject = ContentType.objects.get_for_model(Agency)
    documents = [
        IssuedDocument.objects.create(
            kind="thu", title="Văn bản thử", number=f"{i}/2026", content_type=subject, object_id=str(i),
            file=f"documents/2026/thu-{i}.pdf", sha256="0" * 64, size=1, issued_by=demo_users[who],
        )
        for i, who in enumerate(("giamdoc", "vanthu"), start=1)
    ]  # fmt: skip
    related = RelatedCache()
    related.add([demo_users["giamdoc"]])
    for document in documents:
        related.want(IssuedDocument, document.pk)
    # The documents, then the one issuer not given: people are kept by the process (core.kept_lists),
    # so the lists' token, then that user, once; a second page reads the token only.
    with django_assert_num_queries(3):
        related.load()
    with django_assert_num_queries(0):
        issuers = [related.get(IssuedDocument, document.pk).issued_by for document in documents]
    assert issuers[0] is demo_users["giamdoc"]
    assert issuers[1].pk == demo_users["vanthu"].pk
    again = RelatedCache()
    again.add([demo_users["giamdoc"]])
    for document in documents:
        again.want(IssuedDocument, document.pk)
    with django_assert_num_queries(2):
        again.load()
    assert again.get(IssuedDocument, documents[1].pk).issued_by.pk == demo_users["vanthu"].pk


def test_the_versions_of_a_page_are_read_by_a_statement_compiled_once_and_equal_the_orms(
    procedure, demo_users, django_assert_num_queries
):
    from tuson_hcc.history.catalog import tracked_model
    from tuson_hcc.history.selectors import _versions_by_id, _versions_statement

    for label in ("procedures.procedure", "accounts.agency", "accounts.user"):
        tracked = tracked_model(label)
        ids = list(tracked.history_model._base_manager.order_by("-history_id").values_list("history_id", flat=True)[:3])
        expected = {v.history_id: v for v in tracked.history_model._base_manager.filter(history_id__in=ids)}
        with django_assert_num_queries(1):
            read = {v.history_id: v for v in _versions_by_id(tracked, ids)}
        assert read.keys() == expected.keys()
        for history_id, version in read.items():
            assert not version._state.adding
            fields = [f.attname for f in version._meta.concrete_fields]
            assert [getattr(version, f) for f in fields] == [getattr(expected[history_id], f) for f in fields]
        hits = _versions_statement.cache_info().hits
        _versions_by_id(tracked, ids)
        assert _versions_statement.cache_info().hits == hits + 1  # the same count of ids: not compiled again
