"""Every paperwork service of the intake refuses the wrong role itself, before anything is issued
(issue 11, point 13: a view's check alone would not catch a service called from elsewhere)."""

import datetime as dt

import pytest

from registrations.handover import handover_book_issue
from registrations.paperwork import control_sheet_issue, dossier_paper_issue, register_issue
from tuson_hcc.core.errors import BusinessRuleError
from tuson_hcc.documents.models import IssuedDocument

pytestmark = pytest.mark.django_db

PERIOD = {"start": dt.date(2026, 3, 1), "end": dt.date(2026, 3, 31)}


@pytest.mark.parametrize("username", ["vanthu", "kiemtra", "giamdoc", "congchuc"])
def test_only_the_intake_officer_issues_the_intakes_paperwork(receive, demo_users, username):
    dossier = receive("h").dossier
    before = IssuedDocument.objects.count()
    actor = demo_users[username]
    for issue in (
        lambda: dossier_paper_issue(dossier=dossier, actor=actor),
        lambda: control_sheet_issue(dossier=dossier, actor=actor),
        lambda: register_issue(**PERIOD, actor=actor),
        lambda: handover_book_issue(**PERIOD, actor=actor),
    ):
        with pytest.raises(BusinessRuleError, match="Cán bộ tiếp nhận"):
            issue()
    assert IssuedDocument.objects.count() == before
