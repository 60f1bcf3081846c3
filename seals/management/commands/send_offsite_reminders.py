from django.core.management.base import BaseCommand

from seals.services.reminders import reminders_send


class Command(BaseCommand):
    help = "Hết hạn đề nghị không dùng, nhắc người cần quyết định, báo con dấu quá hạn trả (chạy vài phút một lần)."

    def handle(self, *args, **options):
        sent = reminders_send()
        self.stdout.write(
            f"{sent['expired']} đề nghị hết hạn, {sent['awaiting']} thư nhắc quyết định, {sent['overdue']} thư quá hạn."
        )
