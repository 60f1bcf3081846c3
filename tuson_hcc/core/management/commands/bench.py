"""The project's own benchmark: time key pages and actions in-process, print one JSON document.

Each part registers its `BenchCase`s (tuson_hcc.core.registry). The baseline is `/healthz/`:
no template, three one-row queries (database, cache, worker heartbeat).
"""

import io
import json
import statistics
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

from tuson_hcc.accounts.models import User
from tuson_hcc.core import registry
from tuson_hcc.core.registry import BenchCase

BASELINE = BenchCase(name="baseline: /healthz/", username="", path="/healthz/", budget_ms=5)


def _percentile(samples: list[float], pct: float) -> float:
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered)) - 1))
    return ordered[index]


class Command(BaseCommand):
    help = "Đo thời gian phản hồi của các trang và thao tác chính (p50, p95, số truy vấn), in JSON."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=["small", "large"], default="small")
        parser.add_argument("--iterations", type=int, default=30)
        parser.add_argument("--no-seed", action="store_true", help="dùng dữ liệu đang có, không chạy seed_demo")
        parser.add_argument("--only", default="", help="chỉ chạy các phép đo có tên chứa chuỗi này")
        parser.add_argument("--json", action="store_true", help="chỉ in JSON (mặc định cũng là JSON)")

    def handle(self, *args, scale, iterations, no_seed, only, **options):
        if not no_seed:
            call_command("seed_demo", scale=scale, stdout=io.StringIO())
        cases = [BASELINE] + [c for c in registry.bench_cases if only in c.name]
        results = []
        # Debug toolbars and the throttle only add noise to server time.
        with override_settings(DEBUG=False, AXES_ENABLED=False, ALLOWED_HOSTS=["testserver"]):
            for case in cases:
                results.append(self._run_case(case, iterations))
        report = {
            "scale": scale,
            "database": connection.vendor,
            "iterations": iterations,
            "cases": results,
            "over_budget": [r["name"] for r in results if r["p95_ms"] > r["budget_ms"]],
        }
        self.stdout.write(json.dumps(report, ensure_ascii=False, indent=2))

    def _run_case(self, case: BenchCase, iterations: int) -> dict:
        client = Client()
        if case.username:
            client.force_login(User.objects.get(username=case.username))
        timings, queries, statuses = [], [], set()
        path = case.path() if callable(case.path) else case.path
        for i in range(iterations + 2):
            data = case.data(i) if case.data else None
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = getattr(client, case.method)(path, data=data)
                if hasattr(response, "streaming_content"):
                    b"".join(response.streaming_content)
                elapsed = (time.perf_counter() - started) * 1000
            statuses.add(response.status_code)
            if i >= 2:  # the first two warm caches and connections
                timings.append(elapsed)
                queries.append(len(captured))
        unexpected = sorted(s for s in statuses if s not in case.expect_status)
        return {
            "name": case.name,
            "path": path,
            "method": case.method.upper(),
            "p50_ms": round(statistics.median(timings), 2),
            "p95_ms": round(_percentile(timings, 95), 2),
            "max_ms": round(max(timings), 2),
            "queries": max(queries),
            "budget_ms": case.budget_ms,
            "status": sorted(statuses),
            **({"unexpected_status": unexpected} if unexpected else {}),
        }
