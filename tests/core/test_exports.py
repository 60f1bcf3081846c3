"""The one export module guards every cell against formula injection (issue 11, point 5; OWASP CSV injection)."""

import pytest

from tests.export_checks import PAYLOADS, assert_csv_is_inert, assert_xlsx_is_inert, csv_rows, xlsx_cells
from tuson_hcc.core.exports import export_response, safe_text


@pytest.mark.parametrize("payload", PAYLOADS)
def test_text_a_spreadsheet_would_run_gets_a_leading_apostrophe(payload):
    assert safe_text(payload) == "'" + payload


@pytest.mark.parametrize("value", ["Trích lục khai sinh", "123/TLKS", "a=b", "", 5, None, "Nguyễn -Văn"])
def test_ordinary_values_are_left_as_they_are(value):
    assert safe_text(value) == value


def test_csv_and_xlsx_write_every_payload_as_text():
    def rows():
        yield [*PAYLOADS, 7]

    header = ["Cột"] * (len(PAYLOADS) + 1)
    assert_csv_is_inert(csv_rows(export_response("csv", name="thu", header=header, rows=rows())))
    assert_xlsx_is_inert(xlsx_cells(export_response("xlsx", name="thu", header=header, rows=rows())))
