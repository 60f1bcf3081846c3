"""The stamping log refuses what the Quy chế forbids, and writes nothing when it does."""

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from seals.models import ExceptionAuthorisation, Seal, StampingEntry
from seals.services.oversight import incident_close, incident_report
from seals.services.stamping import stamping_record
from tuson_hcc.core.errors import BusinessRuleError
from tuson_hcc.ledgers.models import LedgerHead

pytestmark = pytest.mark.django_db


def _refused(match, **kwargs):
    with pytest.raises(BusinessRuleError, match=match):
        stamping_record(**kwargs)
    assert not StampingEntry.objects.exists()
    assert not LedgerHead.objects.filter(ledger="seals.stampingentry").exists()


def test_van_thu_records_a_catalogued_stamping_for_the_seals_agency(seal, catalogue, document, demo_users):
    entry = stamping_record(seal=seal, procedure=catalogue["birth"], document=document(), actor=demo_users["vanthu"])
    assert entry.sequence == 1
    assert entry.chain_key == f"seal:{seal.pk}:{timezone.localdate().year}"
    assert entry.clerk == demo_users["vanthu"]
    assert entry.place == StampingEntry.Place.DESK
    second = stamping_record(seal=seal, procedure=catalogue["copy"], document=document(), actor=demo_users["vanthu"])
    assert (second.sequence, second.previous_hash) == (2, entry.entry_hash)


def test_only_the_van_thu_stamps_dieu_7_3(seal, catalogue, document, demo_users):
    for username in ("congchuc", "giamdoc", "truongphong"):
        _refused("Văn thư", seal=seal, procedure=catalogue["birth"], document=document(), actor=demo_users[username])


def test_procedure_not_in_force_on_the_day_is_refused_dieu_2_4_and_7_3(seal, catalogue, document, demo_users):
    _refused(
        "không thuộc danh mục",
        seal=seal,
        procedure=catalogue["abolished"],
        document=document(),
        actor=demo_users["vanthu"],
    )


def test_procedure_of_another_agency_is_refused_dieu_7_3(seal, catalogue, document, demo_users):
    _refused(
        "không phải cơ quan của con dấu",
        seal=seal,
        procedure=catalogue["household"],
        document=document(),
        actor=demo_users["vanthu"],
    )


def test_missing_procedure_is_refused(seal, document, demo_users):
    _refused("chọn thủ tục", seal=seal, procedure=None, document=document(), actor=demo_users["vanthu"])


def test_seal_not_in_the_clerks_custody_is_refused_dieu_7_1(seal, catalogue, document, demo_users):
    seal.custodian = demo_users["congchuc"]
    seal.status = Seal.Status.HANDED_OVER
    seal.save()
    _refused(
        "không do bạn quản lý", seal=seal, procedure=catalogue["birth"], document=document(), actor=demo_users["vanthu"]
    )


def test_unsigned_document_is_refused_nd_30_dieu_32(seal, catalogue, document, demo_users):
    _refused(
        "chưa có chữ ký",
        seal=seal,
        procedure=catalogue["birth"],
        document=document(is_signed=False),
        actor=demo_users["vanthu"],
    )
    _refused(
        "chưa có chữ ký",
        seal=seal,
        procedure=catalogue["birth"],
        document=document(signer_name=" "),
        actor=demo_users["vanthu"],
    )


def test_overlap_stamp_covers_at_most_five_sheets_per_impression_nd_30_dieu_33(seal, catalogue, document, demo_users):
    _refused(
        "tối đa 5 tờ",
        seal=seal,
        procedure=catalogue["birth"],
        document=document(kind="overlap", sheets=6, impressions=1),
        actor=demo_users["vanthu"],
    )
    entry = stamping_record(
        seal=seal,
        procedure=catalogue["birth"],
        document=document(kind="overlap", sheets=10, impressions=2),
        actor=demo_users["vanthu"],
    )
    assert entry.sheets == 10


@pytest.mark.parametrize(("sheets", "impressions"), [(5, 1), (10, 2)])
def test_overlap_stamp_at_exactly_five_sheets_per_impression_is_accepted_nd_30_dieu_33(
    seal, catalogue, document, demo_users, sheets, impressions
):
    entry = stamping_record(
        seal=seal,
        procedure=catalogue["birth"],
        document=document(kind="overlap", sheets=sheets, impressions=impressions),
        actor=demo_users["vanthu"],
    )
    assert (entry.sheets, entry.impressions) == (sheets, impressions)


@pytest.mark.parametrize(("sheets", "impressions"), [(6, 1), (11, 2)])
def test_overlap_stamp_one_sheet_past_five_per_impression_is_refused_nd_30_dieu_33(
    seal, catalogue, document, demo_users, sheets, impressions
):
    _refused(
        "tối đa 5 tờ",
        seal=seal,
        procedure=catalogue["birth"],
        document=document(kind="overlap", sheets=sheets, impressions=impressions),
        actor=demo_users["vanthu"],
    )


def test_open_incident_blocks_stamping_until_the_director_closes_it(seal, catalogue, document, demo_users):
    incident = incident_report(seal=seal, kind="damaged", description="Mặt dấu bị mẻ", actor=demo_users["vanthu"])
    seal.refresh_from_db()
    assert seal.status == Seal.Status.SUSPENDED
    _refused("sự cố", seal=seal, procedure=catalogue["birth"], document=document(), actor=demo_users["vanthu"])
    with pytest.raises(BusinessRuleError):
        incident_close(incident=incident, outcome="restored", resolution="Đã khắc lại", actor=demo_users["vanthu"])
    incident_close(incident=incident, outcome="restored", resolution="Đã khắc lại", actor=demo_users["giamdoc"])
    seal.refresh_from_db()
    assert seal.status == Seal.Status.IN_CUSTODY
    assert stamping_record(seal=seal, procedure=catalogue["birth"], document=document(), actor=demo_users["vanthu"])


def _authorisation(seal, director, **overrides):
    today = timezone.localdate()
    fields = dict(
        seal=seal,
        document_number="15/UBND-VP",
        document_date=today,
        signed_by="Chủ tịch UBND",
        scan=ContentFile(b"%PDF-1.4 x", name="x.pdf"),
        purpose="Giấy mời hội nghị",
        valid_from=today,
        valid_until=today + timedelta(days=5),
        max_uses=2,
        recorded_by=director,
        recorded_at=timezone.now(),
    )
    fields.update(overrides)
    return ExceptionAuthorisation.objects.create(**fields)


def test_exception_authorisation_allows_and_is_counted_down_dieu_5_3(seal, catalogue, document, demo_users):
    authorisation = _authorisation(seal, demo_users["giamdoc"])
    entry = stamping_record(
        seal=seal, procedure=None, document=document(), exception=authorisation, actor=demo_users["vanthu"]
    )
    assert entry.exception == authorisation
    authorisation.refresh_from_db()
    assert authorisation.uses == 1
    assert authorisation.history.first().history_user == demo_users["vanthu"]


def test_used_up_exception_authorisation_is_refused_dieu_5_3(seal, document, demo_users):
    authorisation = _authorisation(seal, demo_users["giamdoc"], max_uses=1, uses=1)
    _refused(
        "đã dùng hết",
        seal=seal,
        procedure=None,
        document=document(),
        exception=authorisation,
        actor=demo_users["vanthu"],
    )


def test_expired_exception_authorisation_is_refused_dieu_5_3(seal, document, demo_users):
    past = timezone.localdate() - timedelta(days=10)
    authorisation = _authorisation(
        seal, demo_users["giamdoc"], valid_from=past, valid_until=past + timedelta(days=2), document_date=past
    )
    _refused(
        "chỉ có hiệu lực",
        seal=seal,
        procedure=None,
        document=document(),
        exception=authorisation,
        actor=demo_users["vanthu"],
    )


def test_exception_authorisation_for_another_seal_is_refused_dieu_5_3(seal, catalogue, document, demo_users):
    other = Seal.objects.create(code="PTCKH-02", agency=catalogue["finance"], custodian=demo_users["vanthu"])
    authorisation = _authorisation(other, demo_users["giamdoc"])
    _refused(
        "không dành cho con dấu",
        seal=seal,
        procedure=None,
        document=document(),
        exception=authorisation,
        actor=demo_users["vanthu"],
    )
    authorisation.refresh_from_db()
    assert authorisation.uses == 0


def test_city_seal_serves_the_agencies_it_is_configured_for(catalogue, document, demo_users):
    from tuson_hcc.accounts.models import Agency

    city = Seal.objects.create(
        code="UBND-02", agency=Agency.objects.get(short_name="UBND"), custodian=demo_users["vanthu"]
    )
    with pytest.raises(BusinessRuleError):
        stamping_record(seal=city, procedure=catalogue["household"], document=document(), actor=demo_users["vanthu"])
    city.serves_agencies.add(catalogue["finance"])
    assert stamping_record(seal=city, procedure=catalogue["household"], document=document(), actor=demo_users["vanthu"])


def test_same_form_submitted_twice_records_one_stamping(seal, catalogue, document, demo_users):
    first = stamping_record(
        seal=seal, procedure=catalogue["birth"], document=document(), actor=demo_users["vanthu"], form_token="abc"
    )
    again = stamping_record(
        seal=seal, procedure=catalogue["birth"], document=document(), actor=demo_users["vanthu"], form_token="abc"
    )
    assert first.pk == again.pk
    assert StampingEntry.objects.count() == 1


def test_a_document_dated_after_the_stamping_is_refused(seal, catalogue, document, demo_users):
    from datetime import timedelta

    _refused(
        "Ngày văn bản",
        seal=seal,
        procedure=catalogue["birth"],
        document=document(document_date=timezone.localdate() + timedelta(days=1)),
        actor=demo_users["vanthu"],
    )
