from django.core.management.base import BaseCommand

from tuson_hcc.core import registry
from tuson_hcc.core.demo import DEMO_HEADS, DEMO_USERS, demo_password, ensure_demo_users
from tuson_hcc.core.models import IssuingBody


class Command(BaseCommand):
    help = "Tạo dữ liệu mẫu: cơ quan, danh mục TTHC, con dấu, người dùng và lịch sử; in tài khoản mẫu."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=["small", "large"], default="small")

    def handle(self, *args, scale, **options):
        IssuingBody.current()
        ensure_demo_users()
        for seeder in sorted(registry.seeders, key=lambda s: s.order):
            self.stdout.write(f"· {seeder.name} ({scale})")
            seeder.run(scale=scale, stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS(f"Tài khoản mẫu (mật khẩu: {demo_password()}):"))
        for spec in (*DEMO_USERS, *DEMO_HEADS):
            roles = ", ".join(str(r) for r in spec.roles)
            self.stdout.write(f"  {spec.username:<18} {spec.full_name:<22} {roles} ({spec.position})")
