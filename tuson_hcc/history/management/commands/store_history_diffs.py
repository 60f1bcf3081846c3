"""`python manage.py store_history_diffs`: store the diff of every version written without one (issue 14)."""

import time

from django.core.management.base import BaseCommand

from tuson_hcc.history.diffs import stored_diffs_backfill


class Command(BaseCommand):
    help = (
        "Lưu nội dung thay đổi cho mọi phiên bản lịch sử chưa có (dữ liệu nạp hàng loạt), "
        "để trang lịch sử không phải so sánh các phiên bản khi hiển thị. Chạy lại không ghi gì thêm."
    )

    def handle(self, *args, **options):
        started = time.perf_counter()
        written = stored_diffs_backfill(stdout=self.stdout)
        self.stdout.write(f"Đã lưu {written:,} nội dung thay đổi ({time.perf_counter() - started:.1f} s).")
