"""The desk scans the paper documents at the counter (issue 12, "digitised"): one scan per checklist
document, at intake or at a later check, with /submit/'s PDF checks, stored as numbered scan versions."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from registrations.models import Dossier, ScanVersion
from registrations.selectors import required_documents_for
from registrations.services import CheckResult, dossier_check

from .conftest import checklist_missing, tiny_pdf
from .test_pages import _intake_post

pytestmark = pytest.mark.django_db


def _pdf(name="giay-to.pdf"):
    return SimpleUploadedFile(name, tiny_pdf(), content_type="application/pdf")


def test_the_clerk_scans_each_paper_at_intake_and_each_scan_is_a_checked_version(client_for, org_types, demo_users):
    documents = required_documents_for(org_types["h"])
    data = _intake_post(org_types["h"])
    data.update({f"doc_{d.pk}_scan": _pdf() for d in documents})
    response = client_for("tiepnhan").post(reverse("registrations:intake"), data)
    assert response.status_code == 200  # the secret slip
    dossier = Dossier.objects.get()
    versions = list(dossier.scan_versions.select_related("checklist_item"))
    assert [v.number for v in versions] == list(range(1, len(documents) + 1))
    assert {v.checklist_item.required_document_id for v in versions} == {d.pk for d in documents}
    assert all(v.scanned_by == demo_users["tiepnhan"] and v.checked_at and v.size > 0 for v in versions)
    assert versions[0].history.first().history_change_reason.startswith("quét giấy tờ tại quầy: ")
    page = client_for("tiepnhan").get(reverse("registrations:detail", args=[dossier.pk])).content.decode()
    assert page.count('data-testid="counter-scan"') == len(documents)
    served = client_for("tiepnhan").get(reverse("registrations:scan_version", args=[dossier.pk, 1]))
    assert served.status_code == 200 and b"".join(served.streaming_content).startswith(b"%PDF")


def test_a_scan_that_is_not_a_pdf_is_refused_with_its_document_named_and_nothing_is_written(client_for, org_types):
    documents = required_documents_for(org_types["h"])
    data = _intake_post(org_types["h"])
    data[f"doc_{documents[0].pk}_scan"] = SimpleUploadedFile(
        "anh.pdf", b"GIF89a not a pdf", content_type="application/pdf"
    )
    response = client_for("tiepnhan").post(reverse("registrations:intake"), data)
    assert response.status_code == 200 and f"Bản scan “{documents[0].name}”" in response.content.decode()
    assert not Dossier.objects.exists() and not ScanVersion.objects.exists()


def test_only_a_paper_handed_in_can_be_scanned(tiepnhan, receive, org_types):
    from tuson_hcc.core.errors import BusinessRuleError

    dossier = receive("h", complete=False).dossier
    missing = required_documents_for(org_types["h"])[-1]
    checklist = checklist_missing(org_types["h"])
    checklist[missing.pk] = CheckResult("thieu", scan=_pdf())
    with pytest.raises(BusinessRuleError, match="chỉ quét giấy tờ người nộp đã đưa"):
        dossier_check(dossier=dossier, checklist=checklist, actor=tiepnhan)
    assert not ScanVersion.objects.exists()


def test_the_paper_brought_later_is_scanned_at_the_check(client_for, receive, org_types):
    dossier = receive("h", complete=False).dossier
    missing = required_documents_for(org_types["h"])[-1]
    data = {f"doc_{d.pk}_state": "co" for d in required_documents_for(org_types["h"])}
    data.update({f"doc_{d.pk}_form": "ban_chinh" for d in required_documents_for(org_types["h"])})
    data[f"doc_{missing.pk}_scan"] = _pdf()
    response = client_for("tiepnhan").post(reverse("registrations:check", args=[dossier.pk]), data)
    assert response.status_code in (200, 302)
    dossier.refresh_from_db()
    assert dossier.status == "accepted"
    (version,) = dossier.scan_versions.all()
    assert version.checklist_item.required_document_id == missing.pk and version.checked_at is not None
