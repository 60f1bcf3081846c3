"""`python manage.py verify_ledgers [--ledger LABEL]`: walk every chain; exit 1 if one is broken."""

import os
import time

from django.core.management.base import BaseCommand, CommandError

from tuson_hcc.ledgers.verify import ledger_models, verify_all_ledgers


class Command(BaseCommand):
    help = "Kiểm tra chuỗi mã băm của mọi sổ ghi nối tiếp; trả mã lỗi 1 nếu có chuỗi bị hỏng."

    def add_arguments(self, parser):
        parser.add_argument("--ledger", help="chỉ kiểm tra sổ này, ví dụ seals.stampingentry")
        parser.add_argument(
            "--workers", type=int, default=os.cpu_count() or 1, help="số tiến trình song song (mặc định: số CPU)"
        )

    def handle(self, *args, ledger=None, workers=1, **options):
        if ledger and ledger.lower() not in {m._meta.label_lower for m in ledger_models()}:
            raise CommandError(f"Không có sổ {ledger}.")
        started = time.perf_counter()
        reports = verify_all_ledgers(ledger, workers=workers)
        elapsed = time.perf_counter() - started
        broken = 0
        for r in reports:
            status = "OK" if r.ok else "BROKEN"
            self.stdout.write(f"{r.ledger} {r.chain_key}: {r.entries} entries, last hash {r.last_hash} {status}")
            if not r.ok:
                broken += 1
                where = f"sequence {r.broken_sequence}" + (f" (pk {r.broken_pk})" if r.broken_pk else "")
                detail = f": {r.detail}" if r.detail else ""
                self.stdout.write(f"  first broken entry: {where}: {r.reason}{detail}")
        total = sum(r.entries for r in reports)
        self.stdout.write(f"{len(reports)} chains, {total} entries checked in {elapsed:.2f}s")
        if broken:
            raise CommandError(f"{broken} chuỗi bị hỏng.", returncode=1)
