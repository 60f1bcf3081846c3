"""The filter bars' short lists are kept per process, and stay exact (tuson_hcc/core/kept_lists.py, issue 14).

Every write to a watched table, in any transaction, gives the lists a new token; a bar reads the token
first and reads a list again under a new one. Held on both databases (triggers of migration core 0003).
"""

import importlib
import re
import uuid

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.test import RequestFactory

from seals.filters import RegisterFilterSet
from seals.models import Seal
from tests.seals.factories import build_catalogue
from tuson_hcc.accounts.models import Agency
from tuson_hcc.accounts.roles import Role
from tuson_hcc.core import kept_lists
from tuson_hcc.core.models import ListVersion

MIGRATIONS = (
    "0003_list_version",
    "0004_reference_tables_watched",
    "0005_seal_page_tables_watched",
    "0006_offsite_tables_watched",
    "0007_catalogue_changes_watched",
)


@pytest.fixture
def catalogue(demo_users):
    # A flushed database (a transactional test before this one) has no token row: nothing would be kept.
    ListVersion.objects.get_or_create(id=1, defaults={"token": uuid.uuid4().hex})
    return build_catalogue()


def bar(user):
    request = RequestFactory().get("/seals/register/")
    request.user = user
    form = RegisterFilterSet({}, request=request).form
    return {name: [label for _, label in form.fields[name].choices][1:] for name in ("seal", "clerk")}


def test_a_kept_list_is_read_once_while_its_tables_are_unchanged(catalogue, demo_users, django_assert_num_queries):
    Seal.objects.create(code="PTP-02", agency=catalogue["justice"], custodian=demo_users["vanthu"])
    bar(demo_users["kiemtra"])
    with django_assert_num_queries(1):  # the token only: both lists come from the process
        shown = bar(demo_users["kiemtra"])
    assert shown["seal"] == ["PTP-02 – " + catalogue["justice"].name]


def test_a_new_seal_a_renamed_agency_and_a_changed_role_show_on_the_next_request(catalogue, demo_users):
    clerk = demo_users["vanthu"]
    Seal.objects.create(code="PTP-02", agency=catalogue["justice"], custodian=clerk)
    before = bar(demo_users["kiemtra"])
    assert clerk.full_name in before["clerk"]

    Seal.objects.create(code="PKT-02", agency=catalogue["justice"], custodian=clerk)
    Agency.objects.filter(pk=catalogue["justice"].pk).update(name="Phòng Tư pháp (mới)")  # a queryset update too
    clerk.groups.remove(Group.objects.get(name=Role.VAN_THU))
    after = bar(demo_users["kiemtra"])
    assert after["seal"] == ["PKT-02 – Phòng Tư pháp (mới)", "PTP-02 – Phòng Tư pháp (mới)"]
    assert clerk.full_name not in after["clerk"]


def test_a_rolled_back_write_never_leaves_its_list_behind(catalogue, demo_users):
    """A counter would go back to its old value on rollback, and the next write would bring back the
    number the rolled-back list was kept under; a random token cannot."""
    clerk = demo_users["vanthu"]
    bar(demo_users["kiemtra"])
    with transaction.atomic():
        Seal.objects.create(code="TAM-01", agency=catalogue["justice"], custodian=clerk)
        assert "TAM-01 – " + catalogue["justice"].name in bar(demo_users["kiemtra"])["seal"]
        transaction.set_rollback(True)
    Seal.objects.create(code="PTP-02", agency=catalogue["justice"], custodian=clerk)
    assert bar(demo_users["kiemtra"])["seal"] == ["PTP-02 – " + catalogue["justice"].name]


def test_the_chosen_record_is_a_copy_not_the_kept_row(catalogue, demo_users):
    seal = Seal.objects.create(code="PTP-02", agency=catalogue["justice"], custodian=demo_users["vanthu"])
    request = RequestFactory().get("/")
    request.user = demo_users["kiemtra"]
    chosen = RegisterFilterSet({"seal": str(seal.pk)}, request=request)
    assert chosen.is_valid()
    chosen.form.cleaned_data["seal"].code = "CHANGED"
    assert bar(demo_users["kiemtra"])["seal"] == ["PTP-02 – " + catalogue["justice"].name]


def test_a_kept_list_must_read_watched_tables_only(db):
    from seals.models import StampingEntry

    ListVersion.objects.get_or_create(id=1, defaults={"token": uuid.uuid4().hex})
    with pytest.raises(ImproperlyConfigured, match="seals_stampingentry"):
        kept_lists.kept_list("test.unwatched", StampingEntry.objects.all(), "some token")


def test_every_watched_table_has_its_triggers_and_the_migration_watches_the_same_tables(db):
    """SQLite rebuilds a table to alter it and drops its triggers: this fails when a later migration does."""
    migrations = [importlib.import_module(f"tuson_hcc.core.migrations.{name}") for name in MIGRATIONS]
    assert tuple(table for migration in migrations for table in migration.TABLES) == kept_lists.WATCHED_TABLES
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid WHERE t.tgname = %s",
                ["core_lists_changed"],
            )
            watched = {table for (table,) in cursor.fetchall()}
            assert watched == set(kept_lists.WATCHED_TABLES)
        else:
            cursor.execute("SELECT tbl_name, name FROM sqlite_master WHERE type = 'trigger'")
            names = {(table, name) for table, name in cursor.fetchall()}
            for table in kept_lists.WATCHED_TABLES:
                for event in ("insert", "update", "delete"):
                    assert (table, f"core_lists_changed_{table}_{event}") in names


def test_a_history_page_names_reference_records_kept_until_their_tables_change(catalogue, django_assert_num_queries):
    """The history pages' related records (tuson_hcc/history/display.py): a procedure read once, then from
    the process while its table is unchanged, then read again after a rename (a queryset update too)."""
    from procedures.models import Procedure
    from tuson_hcc.history.display import RelatedCache

    def label():
        related = RelatedCache()
        related.want(Procedure, catalogue["birth"].pk)
        related.load()
        return related.label(Procedure, catalogue["birth"].pk)

    assert label() == "1.001193 – Đăng ký khai sinh"
    with django_assert_num_queries(1):  # the token only
        assert label() == "1.001193 – Đăng ký khai sinh"
    Procedure.objects.filter(pk=catalogue["birth"].pk).update(name="Đăng ký khai sinh (sửa đổi)")
    assert label() == "1.001193 – Đăng ký khai sinh (sửa đổi)"


def test_an_off_site_request_named_on_a_history_page_is_kept_until_its_table_changes(
    catalogue, demo_users, django_assert_num_queries
):
    """Off-site requests and check-outs are reference records of the history pages (migration core 0006)."""
    import datetime as dt

    from django.utils import timezone

    from seals.models import OffsiteRequest
    from tuson_hcc.history.display import RelatedCache

    first = Seal.objects.create(code="PTP-02", agency=catalogue["justice"], custodian=demo_users["vanthu"])
    other = Seal.objects.create(code="PKT-02", agency=catalogue["justice"], custodian=demo_users["vanthu"])
    now = timezone.now()
    request = OffsiteRequest.objects.create(
        seal=first,
        requested_by=demo_users["congchuc"],
        entered_by=demo_users["congchuc"],
        carrier=demo_users["congchuc"],
        purpose="Hội nghị",
        documents="Giấy mời",
        destination="Nhà văn hóa",
        starts_at=now,
        due_back_at=now + dt.timedelta(hours=4),
        created_at=now,
    )

    def label():
        related = RelatedCache()
        related.want(OffsiteRequest, request.pk)
        related.load()
        return related.label(OffsiteRequest, request.pk)

    assert label() == f"Đề nghị số {request.pk} – PTP-02"
    with django_assert_num_queries(1):  # the token only
        label()
    OffsiteRequest.objects.filter(pk=request.pk).update(seal=other)
    assert label() == f"Đề nghị số {request.pk} – PKT-02"


def test_a_seals_page_keeps_its_short_lists_and_shows_a_new_incident_on_the_next_request(catalogue, demo_users, client):
    """The seal's page (seals.selectors.seal_timeline): custody, incidents, inspections, authorisations and
    consents are read once, then kept until one of their tables is written (migration core 0005)."""
    from django.test.utils import CaptureQueriesContext

    from seals.models import SealIncident
    from seals.services.oversight import incident_report

    seal = Seal.objects.create(code="PTP-02", agency=catalogue["justice"], custodian=demo_users["vanthu"])
    client.force_login(demo_users["giamdoc"])
    url = f"/seals/{seal.pk}/"
    client.get(url)
    with CaptureQueriesContext(connection) as sent:
        assert "Sự cố đang mở" not in client.get(url).content.decode()
    read_from = {table for query in sent.captured_queries for table in re.findall(r'FROM "(\w+)"', query["sql"])}
    assert not read_from & {"seals_custodyentry", "seals_sealincident", "seals_inspection", "seals_handoverconsent"}

    incident_report(seal=seal, kind=SealIncident.Kind.DAMAGED, description="Mặt dấu bị mẻ", actor=demo_users["giamdoc"])
    assert "Mặt dấu bị mẻ" in client.get(url).content.decode()


def test_the_directors_dashboard_keeps_its_lists_yet_counts_a_consent_valid_only_until_it_lapses(
    catalogue, demo_users, client
):
    """Quy chế Điều 7.4: an unused consent counts while it is valid. The unused consents are kept
    (seals/dashboard.py); their validity is decided at every view, so one lapses without any write."""
    import datetime as dt

    import time_machine
    from django.utils import timezone

    from seals.services.custody import handover_consent_grant
    from tuson_hcc.history.services import ledger_verification_run

    seal = Seal.objects.create(code="PTP-02", agency=catalogue["justice"], custodian=demo_users["vanthu"])
    client.force_login(demo_users["giamdoc"])
    assert "0 ý kiến đồng ý giao con dấu chưa dùng" in client.get("/").content.decode()
    now = timezone.now()
    handover_consent_grant(
        seal=seal,
        recipient=demo_users["congchuc"],
        purpose="Đóng dấu tại hội nghị",
        valid_until=now + dt.timedelta(hours=2),
        actor=demo_users["giamdoc"],
    )
    page = client.get("/").content.decode()
    assert "1 ý kiến đồng ý giao con dấu chưa dùng" in page and "chưa kiểm tra lần nào" in page
    with time_machine.travel(now + dt.timedelta(hours=3)):
        assert "0 ý kiến đồng ý giao con dấu chưa dùng" in client.get("/").content.decode()

    ledger_verification_run(actor=demo_users["kiemtra"])  # a check recorded: the panel names it at once
    assert "chưa kiểm tra lần nào" not in client.get("/").content.decode()
