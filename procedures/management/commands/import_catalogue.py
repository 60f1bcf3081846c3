from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from procedures.importer import CatalogueImportError, import_catalogue


class Command(BaseCommand):
    help = "Nhập danh mục TTHC (CSV hoặc XLSX) theo một quyết định công bố; tất cả hoặc không gì cả."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--decision", required=True, help="số quyết định, ví dụ 1691/QĐ-UBND")
        parser.add_argument("--date", required=True, type=date.fromisoformat, help="ngày hiệu lực YYYY-MM-DD")
        parser.add_argument("--dry-run", action="store_true", help="chỉ kiểm tra và báo cáo, không ghi")

    def handle(self, *args, file, decision, date, dry_run, **options):
        if not file.exists():
            raise CommandError(f"Không tìm thấy tệp {file}")
        try:
            report = import_catalogue(file, decision_number=decision, decision_date=date, actor=None, dry_run=dry_run)
        except CatalogueImportError as error:
            for line in error.errors:
                self.stderr.write(line)
            raise CommandError(f"{len(error.errors)} lỗi; không nhập dòng nào.") from error
        prefix = "[thử] " if dry_run else ""
        self.stdout.write(
            f"{prefix}Quyết định {decision}: {report.created} TTHC mới, {report.updated} cập nhật, "
            f"{report.unchanged} không đổi, {report.changes} thay đổi danh mục được ghi."
        )
