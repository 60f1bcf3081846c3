"""A decision at the counter reads back nothing the intake already holds (issue 14), and writes exactly
what it wrote before: the dossier's two versions with their stored diff, its document, its notices."""

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from registrations.choices import DocumentKind, DossierStatus
from registrations.models import DossierCounter
from tuson_hcc.core.models import IssuingBody
from tuson_hcc.history.diffs import stored_diffs_backfill
from tuson_hcc.history.models import HistoryIndex
from tuson_hcc.notifications.models import OutboundMessage

from .conftest import local

pytestmark = pytest.mark.django_db


def _stored_diffs(dossier) -> list:
    rows = HistoryIndex.objects.filter(label="registrations.dossier", object_id=str(dossier.pk)).order_by("at", "id")
    return [row.changes for row in rows]


@pytest.mark.parametrize(
    ("kwargs", "status"),
    [
        ({}, DossierStatus.ACCEPTED),
        ({"complete": False, "guidance_note": "Mang bản chính"}, DossierStatus.INCOMPLETE),
        ({"refusal_reason": "Không thuộc thẩm quyền"}, DossierStatus.REFUSED),
    ],
)
def test_the_decisions_diff_is_stored_as_computed_from_the_versions_in_the_database(
    receive, django_capture_on_commit_callbacks, kwargs, status
):
    with django_capture_on_commit_callbacks(execute=True):
        dossier = receive("h", **kwargs).dossier
    assert dossier.status == status
    reasons = list(
        dossier.history.order_by("history_date", "history_id").values_list("history_change_reason", flat=True)
    )
    assert len(reasons) == 2 and reasons[0] == "nhận hồ sơ"
    stored = _stored_diffs(dossier)
    assert stored[0] is None and stored[1]["previous"] is True
    assert "status" in {name for name, _old, _new in stored[1]["fields"]}
    HistoryIndex.objects.filter(label="registrations.dossier", object_id=str(dossier.pk)).update(changes=None)
    stored_diffs_backfill()
    assert _stored_diffs(dossier) == stored


def test_an_intake_reads_no_version_issuing_body_or_document_back(receive):
    IssuingBody.current()  # the row as a real database has it
    with CaptureQueriesContext(connection) as queries:
        outcome = receive("h")
    sql = [q["sql"] for q in queries.captured_queries]
    assert outcome.document.kind == DocumentKind.RECEIPT
    assert not [s for s in sql if s.startswith("SELECT") and "historicaldossier" in s]
    assert not [s for s in sql if s.startswith("SELECT") and "documents_issueddocument" in s]
    assert len([s for s in sql if "core_issuingbody" in s]) == 1  # for the number, paper, notices and slip
    # Nor the checklist, which a receipt's notice does not list.
    assert not [s for s in sql if s.startswith("SELECT") and "registrations_checklistitem" in s]
    assert OutboundMessage.objects.filter(recipient=outcome.dossier.applicant_email).count() == 1


def test_a_guidance_notice_still_lists_what_is_missing(receive, org_types):
    outcome = receive("h", complete=False)
    missing = [item.name for item in outcome.dossier.checklist.all() if not item.is_satisfied]
    body = OutboundMessage.objects.get(recipient=outcome.dossier.applicant_email).body
    assert missing and all(name in body for name in missing)


@time_machine.travel(local(2026, 3, 9, 9, 0), tick=False)
def test_numbers_continue_from_the_counters_and_start_new_ones_at_one(receive):
    DossierCounter.objects.create(scope="day:HCCTS:260309", last_number=41)
    DossierCounter.objects.create(scope="year:2026", last_number=700)
    first, second = receive("h").dossier, receive("h").dossier
    assert (first.code, first.register_number) == ("HCCTS-260309-0042", 701)
    assert (second.code, second.register_number) == ("HCCTS-260309-0043", 702)
    with time_machine.travel(local(2027, 1, 4, 9, 0), tick=False):
        third = receive("h").dossier
    assert (third.code, third.register_year, third.register_number) == ("HCCTS-270104-0001", 2027, 1)
