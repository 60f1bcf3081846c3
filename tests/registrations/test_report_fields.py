"""The report columns kept on write equal their definition after every transition (issue 14).

The monthly series (QĐ 766/QĐ-TTg groups, `quality.quality_between`; the dossiers per month) count each
dossier's report columns instead of judging it on read. `report_fields_recompute` states their
definition in SQL (the migration's backfill); after each step through the services, what the services
kept must be what it computes.
"""

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from registrations.choices import ItemState
from registrations.models import Dossier, Rating
from registrations.rating import dossier_rate
from registrations.report_fields import KEPT_BY_OTHER_ROWS, OWN, ReportOutcome, report_fields_recompute
from registrations.selectors import required_documents_for
from registrations.services import CheckResult, dossier_apologise_late, dossier_check, dossier_submit_online

from .conftest import (
    checklist_missing,
    complete_checklist,
    dossier_data,
    local,
    record_result,
    return_in_person,
    tiny_pdf,
)

pytestmark = pytest.mark.django_db

COLUMNS = (*OWN, *KEPT_BY_OTHER_ROWS)


def _kept(dossier) -> dict:
    return Dossier.objects.filter(pk=dossier.pk).values(*COLUMNS).get()


def assert_kept_equals_definition(dossier) -> dict:
    kept = _kept(dossier)
    report_fields_recompute()
    assert _kept(dossier) == kept
    return kept


def _pdf():
    return SimpleUploadedFile("giay-to.pdf", tiny_pdf(), content_type="application/pdf")


def test_receive_accept_result_return_and_rating_keep_the_columns(receive, tiepnhan):
    """QĐ 766 "Tiến độ giải quyết" and "Mức độ hài lòng", through the services."""
    with time_machine.travel(local(2026, 3, 9, 9, 0), tick=False):
        dossier = receive("h").dossier
    kept = assert_kept_equals_definition(dossier)
    assert (kept["report_outcome"], kept["report_due_day"]) == (ReportOutcome.OPEN, local(2026, 3, 12, 9).date())
    assert kept["received_month"] == local(2026, 3, 1, 0).date() and kept["returned_on_time"] is None
    with time_machine.travel(local(2026, 3, 11, 9, 0), tick=False):
        record_result(dossier, tiepnhan)
    assert assert_kept_equals_definition(dossier)["report_outcome"] == ReportOutcome.OPEN
    with time_machine.travel(local(2026, 3, 12, 8, 0), tick=False):
        return_in_person(dossier, tiepnhan)
    kept = assert_kept_equals_definition(dossier)
    assert (kept["report_outcome"], kept["returned_on_time"]) == (ReportOutcome.ON_TIME, True)
    dossier.refresh_from_db()
    dossier_rate(dossier=dossier, value=Rating.Value.SATISFIED, via=Rating.Via.COUNTER, actor=tiepnhan)
    assert assert_kept_equals_definition(dossier)["rating_value"] == Rating.Value.SATISFIED


def test_a_late_return_after_an_apology_keeps_the_columns(receive, tiepnhan):
    """Mẫu 04 moves the date, not the appointment the dossier is judged against (QĐ 766)."""
    with time_machine.travel(local(2026, 3, 9, 9, 0), tick=False):
        dossier = receive("h").dossier
    with time_machine.travel(local(2026, 3, 11, 15, 0), tick=False):
        dossier = dossier_apologise_late(
            dossier=dossier, new_due_at=local(2026, 3, 16, 9, 0), reason="Chưa có con dấu.", actor=tiepnhan
        ).dossier
    kept = assert_kept_equals_definition(dossier)
    assert kept["report_due_day"] == local(2026, 3, 12, 9).date()
    with time_machine.travel(local(2026, 3, 13, 9, 0), tick=False):
        record_result(dossier, tiepnhan)
    with time_machine.travel(local(2026, 3, 13, 10, 0), tick=False):
        return_in_person(dossier, tiepnhan)
    kept = assert_kept_equals_definition(dossier)
    # Late for QĐ 766 (after the receipt's day); on time for the dossiers series (before the new due_at).
    assert (kept["report_outcome"], kept["returned_on_time"]) == (ReportOutcome.LATE, True)


def test_refusal_and_guidance_keep_the_columns(receive, tiepnhan, org_types):
    refused = receive("h", refusal_reason="Không thuộc đối tượng.").dossier
    assert assert_kept_equals_definition(refused)["report_outcome"] == ReportOutcome.NOT_JUDGED
    guided = receive("h", complete=False).dossier
    assert assert_kept_equals_definition(guided)["report_outcome"] == ReportOutcome.NOT_JUDGED
    dossier_check(dossier=guided, checklist=complete_checklist(org_types["h"]), actor=tiepnhan)
    assert assert_kept_equals_definition(guided)["report_outcome"] == ReportOutcome.OPEN


def test_an_online_submission_is_digitised(org_types):
    """QĐ 766 "Số hóa hồ sơ": the dossier's own PDF."""
    outcome, _secret = dossier_submit_online(data=dossier_data(org_types["h"]), scan=_pdf(), idempotency_key="k-1")
    assert assert_kept_equals_definition(outcome.dossier)["digitised"] is True


def test_scans_at_the_counter_keep_digitised_paper_by_paper(receive, tiepnhan, org_types):
    """Digitised once every paper handed in has its scan, at intake or at a later check."""
    documents = required_documents_for(org_types["h"])
    checklist = checklist_missing(org_types["h"])
    checklist[documents[0].pk] = CheckResult(ItemState.PRESENT, "ban_chinh", scan=_pdf())
    dossier = receive("h", checklist=checklist).dossier
    assert assert_kept_equals_definition(dossier)["digitised"] is False  # other papers handed in, unscanned
    rest = complete_checklist(org_types["h"])
    rest = {pk: CheckResult(r.state, r.form, scan=_pdf()) for pk, r in rest.items() if pk != documents[0].pk}
    dossier_check(dossier=dossier, checklist=rest, actor=tiepnhan)
    assert assert_kept_equals_definition(dossier)["digitised"] is True


def test_the_demo_seed_keeps_the_columns(org_types, tiepnhan):
    """The large seed writes dossiers by COPY (PostgreSQL) or bulk insert: it fills the columns itself."""
    from registrations.demo import _seed_large

    _seed_large(tiepnhan, total=40)
    kept = list(Dossier.objects.order_by("pk").values(*COLUMNS))
    report_fields_recompute()
    assert list(Dossier.objects.order_by("pk").values(*COLUMNS)) == kept
    assert {row["report_outcome"] for row in kept} >= {ReportOutcome.ON_TIME, ReportOutcome.NOT_JUDGED}


def test_saving_a_stale_or_deferred_dossier_keeps_what_its_papers_and_rating_wrote(receive, tiepnhan):
    """`digitised` and `rating_value` belong to the scans and the rating: a dossier saved from an older copy
    (or loaded with some fields deferred) does not write them back."""
    from tuson_hcc.core.history import tracked_save

    with time_machine.travel(local(2026, 3, 9, 9, 0), tick=False):
        dossier = receive("h").dossier
    with time_machine.travel(local(2026, 3, 11, 9, 0), tick=False):
        record_result(dossier, tiepnhan)
    with time_machine.travel(local(2026, 3, 12, 8, 0), tick=False):
        return_in_person(dossier, tiepnhan)
    stale = Dossier.objects.get(pk=dossier.pk)
    dossier_rate(dossier=stale, value=Rating.Value.ACCEPTABLE, via=Rating.Via.COUNTER, actor=tiepnhan)
    stale.applicant_phone = "0911000000"
    tracked_save(stale, actor=tiepnhan, reason="sửa số điện thoại")
    assert _kept(dossier)["rating_value"] == Rating.Value.ACCEPTABLE
    partial = Dossier.objects.only("pk", "received_at", "status", "applicant_phone").get(pk=dossier.pk)
    partial.applicant_phone = "0911000001"
    partial.save()
    assert Dossier.objects.get(pk=dossier.pk).applicant_phone == "0911000001"
    assert assert_kept_equals_definition(dossier)["rating_value"] == Rating.Value.ACCEPTABLE
