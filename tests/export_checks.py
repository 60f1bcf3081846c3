"""Reading an export back, and the formula-injection check every export test applies (issue 11, point 5)."""

import csv
import io

from django.http import FileResponse, StreamingHttpResponse
from openpyxl import load_workbook

# What a visitor or a user might type into any free-text field, to run in the reader's spreadsheet.
PAYLOADS = (
    '=HYPERLINK("http://evil.example","x")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "   =1+1",
)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_rows(response) -> list[list[str]]:
    assert isinstance(response, StreamingHttpResponse), "CSV exports are streamed"
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline="")))


def xlsx_cells(response) -> list[list]:
    assert isinstance(response, FileResponse)
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return [list(row) for row in workbook.active.iter_rows()]


def assert_csv_is_inert(rows: list[list[str]], payloads=PAYLOADS) -> None:
    """No CSV cell starts (after spaces) like a formula, and each payload is there behind an apostrophe."""
    cells = [cell for row in rows for cell in row]
    for cell in cells:
        assert cell.lstrip(" ")[:1] not in FORMULA_STARTS, f"live formula in the CSV: {cell!r}"
    for payload in payloads:
        assert "'" + payload in cells, f"{payload!r} missing from the CSV (or not guarded)"


def assert_xlsx_is_inert(rows: list[list], payloads=PAYLOADS) -> None:
    """No XLSX cell is a formula; each payload is there as a text cell, exactly as typed."""
    cells = [cell for row in rows for cell in row]
    assert not [c.value for c in cells if c.data_type == "f"], "formula cells in the XLSX"
    texts = {c.value for c in cells if c.data_type == "s"}
    for payload in payloads:
        assert payload in texts, f"{payload!r} missing from the XLSX text cells"
