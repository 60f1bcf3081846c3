"""The dossier list exports its filter through the one export module, free text as text (issue 11, point 5)."""

import pytest

from tests.export_checks import PAYLOADS, assert_csv_is_inert, assert_xlsx_is_inert, csv_rows, xlsx_cells

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_every_free_text_column_of_the_dossier_export_is_inert(client_for, receive, fmt):
    for payload in PAYLOADS:
        receive(
            "h",
            complete=False,
            organisation_name=payload,
            organisation_address=payload,
            applicant_name=payload,
            guidance_note=payload,
        )
    receive("h", refusal_reason=PAYLOADS[0])
    response = client_for("tiepnhan").get("/registrations/", {"view": "all", "format": fmt})
    if fmt == "csv":
        rows = csv_rows(response)
        assert rows[0][0] == "Mã hồ sơ" and len(rows) == len(PAYLOADS) + 2
        assert_csv_is_inert(rows)
    else:
        assert_xlsx_is_inert(xlsx_cells(response))


def test_the_export_is_the_lists_filter_and_for_its_readers_only(client_for, receive):
    receive("h", organisation_name="Công ty A")
    receive("h", complete=False, organisation_name="Công ty B")
    rows = csv_rows(client_for("kiemtra").get("/registrations/", {"view": "all", "q": "Công ty B", "format": "csv"}))
    assert [r[4] for r in rows[1:]] == ["Công ty B"]
    assert client_for("vanthu").get("/registrations/", {"view": "all", "format": "csv"}).status_code == 403
