"""Every CSV/XLSX export of the project (register, history, access log, ledgers, dossiers).

Streamed, so a million rows never sit in memory: CSV goes out row by row through
`StreamingHttpResponse`; XLSX is written by openpyxl's write-only workbook (rows are flushed to
disk as they come) into a temporary file, then served. Both take an iterator of rows, so an
export is exactly the rows of the view's filter.

Free text typed by users or visitors (a summary, a user agent) must never become a live
formula in the reader's spreadsheet (CSV/formula injection, OWASP): see `safe_text`.
"""

import csv
import tempfile
from collections.abc import Iterable, Iterator

from django.http import FileResponse, Http404, StreamingHttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

FORMATS = ("csv", "xlsx")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# What a spreadsheet may read as the start of a formula or a DDE command.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(value) -> bool:
    return isinstance(value, str) and value.lstrip(" ")[:1] in FORMULA_STARTS


def safe_text(value):
    """`value` with a leading apostrophe when a spreadsheet would read it as a formula.

    Spreadsheets skip leading spaces before a formula, so " =1+1" is guarded too.
    """
    return "'" + value if is_formula_like(value) else value


class _Echo:
    def write(self, value):
        return value


def _csv_lines(header: list[str], rows: Iterable[list]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff"  # Excel reads UTF-8 Vietnamese only with a BOM
    yield writer.writerow([safe_text(v) for v in header])
    for row in rows:
        yield writer.writerow([safe_text(v) for v in row])


def _xlsx_row(sheet, row: list) -> list:
    cells = []
    for value in row:
        if is_formula_like(value):
            # Stored as a string cell, shown as typed: openpyxl would otherwise write "=…" as a formula.
            cell = WriteOnlyCell(sheet, value=value)
            cell.data_type = "s"
            cell.quotePrefix = True
            cells.append(cell)
        else:
            cells.append(value)
    return cells


def export_response(fmt: str, *, name: str, header: list[str], rows: Iterable[list], stamp: str | None = None):
    """The download of `rows` as `<name>-<stamp>.<fmt>` (`stamp` defaults to the local time now)."""
    stamp = stamp or timezone.localtime().strftime("%Y%m%d-%H%M%S")
    filename = f"{name}-{stamp}.{fmt}"
    if fmt == "csv":
        response = StreamingHttpResponse(_csv_lines(header, rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    if fmt == "xlsx":
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(name[:31])
        sheet.append(_xlsx_row(sheet, header))
        for row in rows:
            sheet.append(_xlsx_row(sheet, row))
        handle = tempfile.TemporaryFile(suffix=".xlsx")  # deleted when the response closes it
        workbook.save(handle)
        handle.seek(0)
        return FileResponse(handle, as_attachment=True, filename=filename, content_type=XLSX_TYPE)
    raise Http404("Định dạng không hỗ trợ.")


def local_text(moment) -> str:
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M:%S") if moment else ""
