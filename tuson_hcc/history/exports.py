"""CSV and XLSX exports, streamed so a million rows never sit in memory (issue 6).

CSV goes out row by row through `StreamingHttpResponse`; XLSX is written by openpyxl's
write-only workbook (rows are flushed to disk as they come) into a temporary file, then served.
Both take an iterator of rows, so an export is exactly the rows of the view's filter.
"""

import csv
import tempfile
from collections.abc import Iterable, Iterator

from django.http import FileResponse, Http404, StreamingHttpResponse
from django.utils import timezone
from openpyxl import Workbook

FORMATS = ("csv", "xlsx")


class _Echo:
    def write(self, value):
        return value


def _csv_lines(header: list[str], rows: Iterable[list]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff"  # Excel reads UTF-8 Vietnamese only with a BOM
    yield writer.writerow(header)
    for row in rows:
        yield writer.writerow(row)


def _cell(value):
    # Formulas in an audit export would run in the reader's spreadsheet: keep text as text.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@") and len(value) > 1:
        return "'" + value
    return value


def export_response(fmt: str, *, name: str, header: list[str], rows: Iterable[list]):
    """The download of `rows` as `<name>-<timestamp>.<fmt>`."""
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    filename = f"{name}-{stamp}.{fmt}"
    if fmt == "csv":
        safe_rows = ([_cell(v) for v in row] for row in rows)
        response = StreamingHttpResponse(_csv_lines(header, safe_rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    if fmt == "xlsx":
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(name[:31])
        sheet.append(header)
        for row in rows:
            sheet.append([_cell(v) for v in row])
        handle = tempfile.TemporaryFile(suffix=".xlsx")  # deleted when the response closes it
        workbook.save(handle)
        handle.seek(0)
        return FileResponse(
            handle,
            as_attachment=True,
            filename=filename,
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    raise Http404("Định dạng không hỗ trợ.")


def local_text(moment) -> str:
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M:%S") if moment else ""
