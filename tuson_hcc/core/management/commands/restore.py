from django.core.management.base import BaseCommand, CommandError

from tuson_hcc.core.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Khôi phục từ tệp sao lưu vào một cơ sở dữ liệu TRỐNG (mới tạo, chưa migrate) và thư mục MEDIA_ROOT trống; "
        "sau đó chạy verify_ledgers."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="tệp .tar.gz do `manage.py backup` tạo")

    def handle(self, *args, archive, **options):
        try:
            restored = backup_restore(archive)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Đã khôi phục bản sao lưu lúc {restored['created_at']} ({restored['vendor']}), "
            f"{restored['media_files']} tệp. Hãy chạy: manage.py verify_ledgers"
        )
