from contextlib import nullcontext

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from tuson_hcc.core import registry
from tuson_hcc.core.dbops import index_builds_in_background
from tuson_hcc.core.demo import DEMO_HEADS, DEMO_USERS, demo_password, ensure_demo_users
from tuson_hcc.core.models import IssuingBody


def _tidy_after_bulk_load(stdout) -> None:
    """PostgreSQL after millions of COPY rows: VACUUM moves the trigram indexes' pending entries into
    the index proper (a search otherwise reads the whole pending list: 20-45 ms instead of < 1 ms)
    and ANALYZE gives the planner the real row counts. Not possible inside a transaction (tests)."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")
    stdout.write("· VACUUM (ANALYZE): chỉ mục và thống kê cho bộ lập kế hoạch truy vấn")


class Command(BaseCommand):
    help = "Tạo dữ liệu mẫu: cơ quan, danh mục TTHC, con dấu, người dùng và lịch sử; in tài khoản mẫu."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=["small", "large"], default="small")
        parser.add_argument(
            "--allow-production-demo",
            action="store_true",
            help="chỉ cho kiểm thử khói (CI): cho phép tạo dữ liệu mẫu dù PRODUCTION=1",
        )

    def handle(self, *args, scale, allow_production_demo=False, **options):
        # DESIGN.md section 9: demo passwords never reach production.
        if settings.PRODUCTION and not allow_production_demo:
            raise CommandError(
                "PRODUCTION=1: không tạo người dùng mẫu với mật khẩu mẫu trong cơ sở dữ liệu thật. "
                "Tạo tài khoản quản trị bằng `manage.py createsuperuser`."
            )
        IssuingBody.current()
        ensure_demo_users()
        # Large scale: a bulk load's indexes are built on a second connection while the next seeders run.
        with index_builds_in_background() if scale == "large" else nullcontext():
            for seeder in sorted(registry.seeders, key=lambda s: s.order):
                self.stdout.write(f"· {seeder.name} ({scale})")
                seeder.run(scale=scale, stdout=self.stdout)
        if scale == "large":
            _tidy_after_bulk_load(self.stdout)
        self.stdout.write(self.style.SUCCESS(f"Tài khoản mẫu (mật khẩu: {demo_password()}):"))
        for spec in (*DEMO_USERS, *DEMO_HEADS):
            roles = ", ".join(str(r) for r in spec.roles)
            self.stdout.write(f"  {spec.username:<18} {spec.full_name:<22} {roles} ({spec.position})")
