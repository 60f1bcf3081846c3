"""The service-quality report (DESIGN.md section 10, QĐ 766/QĐ-TTg groups), checked against a hand-built
month of dossiers: online share, on time, late, late with apology, digitised share, satisfaction."""

import csv
import io

import pytest
import time_machine
from django.urls import reverse

from registrations.choices import Channel, DossierStatus
from registrations.models import Dossier, Rating
from registrations.quality import month_quality

from .conftest import local

pytestmark = pytest.mark.django_db


def _dossier(org_types, n, *, received, channel=Channel.IN_PERSON, status=DossierStatus.ACCEPTED, **fields):
    return Dossier.objects.create(
        code=f"HCCTS-TEST-{n:04d}",
        register_year=2026,
        register_number=n,
        organisation_type=org_types["h"],
        organisation_name=f"Tổ chức {n}",
        organisation_address="Từ Sơn",
        founding_document="QĐ 1",
        applicant_name="Người nộp",
        applicant_id_kind="cccd",
        applicant_id_number="027190001234",
        authorisation_kind="gioi_thieu",
        channel=channel,
        status=status,
        received_at=received,
        scan="registrations/scans/x.pdf" if channel == Channel.ONLINE else "",
        **fields,
    )


def _papers(dossier, states, *, scanned):
    from registrations.models import ChecklistItem, ScanVersion
    from registrations.selectors import required_documents_for

    documents = required_documents_for(dossier.organisation_type)[: len(states)]
    for n, (document, state, scan) in enumerate(zip(documents, states, scanned, strict=True)):
        item = ChecklistItem.objects.create(
            dossier=dossier, required_document=document, name=document.name, state=state, conditional=True
        )
        if scan:
            ScanVersion.objects.create(
                dossier=dossier, number=n + 1, checklist_item=item, file="registrations/scans/p.pdf", sha256="0", size=1
            )


@pytest.fixture
def march(org_types):
    """Six dossiers received in March 2026 and one in February (not counted)."""
    due = local(2026, 3, 12, 9, 0)
    d1 = _dossier(
        org_types,
        1,
        received=local(2026, 3, 9, 9),
        status="returned",
        due_at=due,
        due_date=due.date(),
        result_ready_at=local(2026, 3, 11, 15),
        result_certificate_number="1",
        returned_at=local(2026, 3, 12, 8),
    )
    d2 = _dossier(
        org_types,
        2,
        received=local(2026, 3, 9, 10),
        channel=Channel.ONLINE,
        status="returned",
        due_at=due,
        due_date=due.date(),
        result_ready_at=local(2026, 3, 12, 16),
        result_certificate_number="2",
        returned_at=local(2026, 3, 13, 9),
    )
    _dossier(
        org_types,
        3,
        received=local(2026, 3, 9, 11),
        status="result_ready",
        original_due_at=due,
        due_at=local(2026, 3, 17, 9),
        due_date=local(2026, 3, 17, 9).date(),
        apology_count=1,
        result_ready_at=local(2026, 3, 16, 9),
        result_certificate_number="3",
    )
    _dossier(
        org_types,
        4,
        received=local(2026, 3, 10, 9),
        channel=Channel.ONLINE,
        due_at=local(2026, 3, 13, 9),
        due_date=local(2026, 3, 13, 9).date(),
    )
    _dossier(org_types, 5, received=local(2026, 3, 10, 10), status="refused", refusal_reason="Không đủ điều kiện.")
    _dossier(
        org_types,
        7,
        received=local(2026, 3, 31, 10),
        due_at=local(2026, 4, 3, 10),
        due_date=local(2026, 4, 3, 10).date(),
    )
    _dossier(
        org_types, 6, received=local(2026, 2, 27, 10), channel=Channel.ONLINE, status="refused", refusal_reason="x"
    )
    # Scans: dossier 1 (at the desk) has every paper handed in scanned at the counter (its not-applicable
    # document needs none); dossier 3 (at the desk) has one of its two papers scanned; 7 none.
    _papers(d1, ["co", "khong_hop_le", "khong_ap_dung"], scanned=[True, True, False])
    _papers(Dossier.objects.get(register_number=3), ["co", "co"], scanned=[True, False])
    _papers(Dossier.objects.get(register_number=7), ["co"], scanned=[False])
    Rating.objects.create(dossier=d1, value="hai_long", via="quay")
    Rating.objects.create(dossier=d2, value="chap_nhan", via="tra_cuu")


@time_machine.travel(local(2026, 4, 1, 9, 0), tick=False)
def test_figures_of_a_hand_built_month(march):
    from datetime import date

    q = month_quality(date(2026, 3, 1))
    assert (q.received, q.online, q.online_share) == (6, 2, 33.3)
    # Digitised: the two online dossiers and dossier 1, scanned paper by paper at the desk; not dossier 3
    # (one paper of two scanned) nor 5 and 7.
    assert (q.digitised, q.digitised_share) == (3, 50.0)
    # "On time" = result ready AND returned by the appointment day. Judged: 1 ready early and returned on the
    # day (on time); 2 ready on the day but returned the day after (late); 3 ready after its first appointment
    # (apologised, late); 4 past due without result (late); 7 not due yet (not judged).
    assert (q.judged, q.on_time, q.on_time_share) == (4, 1, 25.0)
    assert (q.late, q.late_with_apology) == (3, 1)
    assert (q.rated, q.satisfied_share) == (2, 50.0)


@time_machine.travel(local(2026, 4, 1, 9, 0), tick=False)
def test_the_months_counts_agree_with_the_rule_for_one_dossier(march):
    """The month is counted by the database (issue 14); `on_time` states the rule for one dossier: they agree."""
    from datetime import date

    from django.utils import timezone

    from registrations.quality import on_time

    month = Dossier.objects.filter(received_at__gte=local(2026, 3, 1, 0), received_at__lt=local(2026, 4, 1, 0))
    verdicts = [on_time(dossier, timezone.localdate()) for dossier in month]
    q = month_quality(date(2026, 3, 1))
    assert (q.judged, q.on_time, q.late) == (4, verdicts.count(True), verdicts.count(False))
    assert q.judged == sum(verdict is not None for verdict in verdicts)


@time_machine.travel(local(2026, 4, 1, 9, 0), tick=False)
def test_report_page_chart_and_csv(march, client_for):
    director = client_for("giamdoc")
    page = director.get(reverse("registrations:quality"), {"thang": "2026-03"}).content.decode()
    assert "không phải điểm đánh giá chính thức" in page and "<svg" in page and "<script>" not in page
    assert 'data-testid="figure-on_time_share">25,0 % (1/4)' in page  # Vietnamese decimal comma
    assert "đã có kết quả và đã trả cho người nộp không muộn hơn ngày hẹn" in page
    assert "Quyết định 766/QĐ-TTg" in page and "Số hóa hồ sơ" in page and "Mức độ hài lòng" in page
    response = director.get(reverse("registrations:quality"), {"thang": "2026-03", "format": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    march_row = [r for r in rows if r and r[0] == "03/2026"][0]
    assert march_row[1:8] == ["6", "2", "33.3", "4", "1", "25.0", "3"] and march_row[8:11] == ["1", "3", "50.0"]


def test_staff_see_only_aggregates_and_the_desk_not_the_report(march, client_for):
    assert client_for("tiepnhan").get(reverse("registrations:quality")).status_code == 403
    page = client_for("kiemtra").get(reverse("registrations:quality"), {"thang": "2026-03"}).content.decode()
    assert "HCCTS-TEST-0001" not in page and "Tổ chức 1" not in page


def test_the_report_costs_the_same_queries_for_one_month_or_five_years(march, django_assert_max_num_queries):
    """The figures are computed in two queries for any span (not a query pair per month)."""
    from datetime import date

    from registrations.quality import months_quality

    with django_assert_max_num_queries(2):
        five_years = months_quality(last=date(2026, 3, 1), count=60)
    assert len(five_years) == 60
    assert five_years[-1].received == month_quality(date(2026, 3, 1)).received > 0
    assert [m.month for m in five_years[:2]] == [date(2021, 4, 1), date(2021, 5, 1)]


@time_machine.travel(local(2026, 4, 1, 9, 0), tick=False)
def test_the_chart_writes_its_coordinates_with_a_decimal_point(march, client_for):
    """SVG reads "161.5", not the Vietnamese "161,5" the template's localisation wrote (issue 14)."""
    import re

    page = client_for("giamdoc").get(reverse("registrations:quality"), {"thang": "2026-03"}).content.decode()
    chart = page[page.index('data-testid="quality-chart"') : page.index("</svg>")]
    assert 'y1="161.5"' in chart and not re.search(r'(x|y|x1|x2|y1|y2|width|height)="[\d.]*,', chart)
    months = page[page.index('data-testid="quality-months"') :]
    march_row = "<td>03/2026</td><td>6</td><td>33,3</td><td>25,0</td><td>3</td><td>1</td><td>50,0</td><td>50,0</td>"
    assert march_row in months
