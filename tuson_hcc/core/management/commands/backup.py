from django.core.management.base import BaseCommand, CommandError

from tuson_hcc.core.backup import BackupError, backup_write


class Command(BaseCommand):
    help = "Sao lưu cơ sở dữ liệu và tệp riêng (MEDIA_ROOT) vào MỘT tệp trong BACKUP_DIR; in đường dẫn tệp."

    def add_arguments(self, parser):
        parser.add_argument("--output-dir", help="thư mục đích (mặc định: BACKUP_DIR)")

    def handle(self, *args, output_dir=None, **options):
        try:
            archive = backup_write(output_dir)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(str(archive))
