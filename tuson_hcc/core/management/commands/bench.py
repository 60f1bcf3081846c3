"""`manage.py bench`: the project's own benchmark (DESIGN.md sections 6 and 7).

Every registered `BenchCase` is requested in-process through the full middleware stack, timed
and its queries counted. The baseline is the login page (middleware, session, template, no
query of the app), requested once after every request of every case so that it samples the
machine as the whole run found it: `ratio_p95` = a case's p95 / the baseline's p95 in the same
run, so the ratio budgets hold on a slow or busy machine where the millisecond budgets would not.
A PDF case is also held to a bare WeasyPrint render of the HTML it rendered (`render_ratio_budget`),
and, with `first_request_budget_ms`, its first request in a freshly started process is timed too.
`--check` (every budget) or `--check=ratio` (the ratios only, for CI on any machine) exits
non-zero when a case misses one; under `--check=ratio` a case that misses is measured a second time
and fails only if it misses again.
"""

import io
import json
import os
import statistics
import subprocess
import sys
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import override_settings

from tuson_hcc.accounts.models import User
from tuson_hcc.core import registry
from tuson_hcc.core.registry import BenchCase

BASELINE = BenchCase(name="baseline: login page", username="", path="/accounts/login/", ratio_budget=None)
WARM_UP = 2  # the first requests fill caches and open the connection; they are not timed


def percentile(samples: list[float], pct: float) -> float:
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered)) - 1))
    return ordered[index]


class QueryCounter:
    """Counts the statements a request sends (`execute_wrapper`): unlike the debug query log, no cap."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def _request(client: Client, case: BenchCase, path: str, i: int) -> tuple[float, int, int, int]:
    """One request of `case`: (milliseconds, queries sent, bytes, status)."""
    data = case.data(i) if case.data else None
    counter = QueryCounter()
    with connection.execute_wrapper(counter):
        started = time.perf_counter()
        response = getattr(client, case.method)(path, data=data)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        elapsed = (time.perf_counter() - started) * 1000
    reset_queries()  # with DEBUG the log would otherwise fill up (and stop) at 9,000 entries
    return elapsed, counter.count, len(body), response.status_code


class _RenderedHtml:
    """Keeps the HTML each PDF layout of a case was given, so the bench can time a bare render of it."""

    def __enter__(self):
        from tuson_hcc.documents import rendering

        self.html, self._rendering, self._layout = [], rendering, rendering._layout

        def layout(html):
            self.html.append(html)
            return self._layout(html)

        rendering._layout = layout
        return self

    def __exit__(self, *exc):
        self._rendering._layout = self._layout


def run_case(case: BenchCase, iterations: int, client: Client | None = None, *, with_baseline: bool = False) -> dict:
    """Time `iterations` requests of `case` (after the warm-up); count the queries of each.

    `with_baseline`: a login-page request is also timed after each of the case's (`baseline_samples`),
    so the run's baseline is measured across the whole run, as the machine was while the cases ran.
    """
    client = client or Client()
    baseline_client = Client() if with_baseline else None
    if case.username:
        client.force_login(User.objects.get(username=case.username))
    timings, queries, sizes, statuses, baseline_samples, bare_samples = [], [], [], set(), [], []
    path = case.path() if callable(case.path) else case.path
    with _RenderedHtml() as rendered:
        for i in range(iterations + WARM_UP):
            elapsed, count, size, status = _request(client, case, path, i)
            statuses.add(status)
            if i >= WARM_UP:
                timings.append(elapsed)
                queries.append(count)
                sizes.append(size)
            if baseline_client is not None:
                baseline_ms = _request(baseline_client, BASELINE, BASELINE.path, i)[0]
                if i >= WARM_UP:
                    baseline_samples.append(baseline_ms)
            if case.render_ratio_budget is not None and rendered.html:
                bare_ms = _bare_render_ms(rendered.html[-1])
                if i >= WARM_UP:
                    bare_samples.append(bare_ms)
    unexpected = sorted(s for s in statuses if s not in case.expect_status)
    result = {
        "name": case.name,
        "path": path,
        "method": case.method.upper(),
        "p50_ms": round(statistics.median(timings), 2),
        "p95_ms": round(percentile(timings, 95), 2),
        "max_ms": round(max(timings), 2),
        "queries": max(queries),
        "bytes": max(sizes),
        "status": sorted(statuses),
        **({"unexpected_status": unexpected} if unexpected else {}),
    }
    if with_baseline:
        result["baseline_samples"] = baseline_samples
    if bare_samples:
        render_p95 = percentile(bare_samples, 95)
        result["bare_render_p95_ms"] = round(render_p95, 2)
        result["ratio_to_bare_render_p95"] = round(result["p95_ms"] / render_p95, 2)
    return result


def _bare_render_ms(html: str) -> float:
    """The reference of a PDF case: WeasyPrint alone laying out and writing the HTML the case's request
    just rendered (with the same kept fonts and stylesheet), so the ratio shows what the application adds
    to it. Timed after each request, as the baseline is, so both see the machine in the same state."""
    from tuson_hcc.documents.rendering import html_to_pdf

    started = time.perf_counter()
    html_to_pdf(html)
    return (time.perf_counter() - started) * 1000


def misses(case: BenchCase, result: dict, *, mode: str) -> list[str]:
    """The budgets `result` misses; `mode` "ratio" leaves out the millisecond and size budgets."""
    found = []
    if result.get("unexpected_status"):
        found.append(f"status {result['unexpected_status']}")
    if case.ratio_budget is not None and result["ratio_p95"] > case.ratio_budget:
        found.append(f"ratio_p95 {result['ratio_p95']} > {case.ratio_budget}")
    bare_ratio = result.get("ratio_to_bare_render_p95")
    if case.render_ratio_budget is not None and bare_ratio is not None and bare_ratio > case.render_ratio_budget:
        found.append(f"ratio_to_bare_render_p95 {bare_ratio} > {case.render_ratio_budget}")
    if result.get("first_request_error"):
        found.append(f"first request failed: {result['first_request_error']}")
    if mode == "all":
        first = result.get("first_request_ms")
        if case.first_request_budget_ms is not None and first is not None and first > case.first_request_budget_ms:
            found.append(f"first request {first} ms > {case.first_request_budget_ms} ms")
        if result["p95_ms"] > case.budget_ms:
            found.append(f"p95 {result['p95_ms']} ms > {case.budget_ms} ms")
        if case.max_bytes is not None and result["bytes"] > case.max_bytes:
            found.append(f"bytes {result['bytes']} > {case.max_bytes}")
    return found


FIRST_REQUEST_SCRIPT = """
import json, sys, time
import tuson_hcc.wsgi  # start-up as gunicorn loads the app: settings, apps, the PDF warm-up
from django.test import Client
from django.test.utils import override_settings
from tuson_hcc.accounts.models import User
from tuson_hcc.core import registry
case = next(c for c in registry.bench_cases if c.name == sys.argv[1])
with override_settings(DEBUG=False, AXES_ENABLED=False, ALLOWED_HOSTS=["testserver"]):
    client = Client()
    client.force_login(User.objects.get(username=case.username))
    path = case.path() if callable(case.path) else case.path
    data = case.data(0) if case.data else None
    started = time.perf_counter()
    response = getattr(client, case.method)(path, data=data)
    print(json.dumps({"ms": (time.perf_counter() - started) * 1000, "status": response.status_code}))
"""


def measure_first_request(case: BenchCase) -> dict:
    """The case's first request in a freshly started process (after the start-up of `tuson_hcc/wsgi.py`,
    as a gunicorn worker serves it): what the first applicant after a restart waits."""
    done = subprocess.run(
        [sys.executable, "-c", FIRST_REQUEST_SCRIPT, case.name], capture_output=True, text=True, cwd=os.getcwd()
    )
    if done.returncode != 0:
        return {"first_request_error": done.stderr.strip().splitlines()[-1:]}
    first = json.loads(done.stdout.strip().splitlines()[-1])
    return {"first_request_ms": round(first["ms"], 1), "first_request_status": first["status"]}


LEDGER_RATE_BUDGET = 250_000  # entries a second, in one process (DESIGN.md section 7)
ONE_CHAIN_BUDGET_MS = 1000  # one seal's year
LEDGER_RATE_MIN_ENTRIES = 100_000  # below this, per-chain overhead, not throughput, is what gets measured


def measure_ledgers() -> dict:
    """`verify_ledgers` in this process: entries a second over every ledger, and the longest chain alone."""
    from tuson_hcc.ledgers.verify import ledger_models, verify_all_ledgers, verify_ledger

    started = time.perf_counter()
    reports = verify_all_ledgers(workers=1)
    seconds = time.perf_counter() - started
    entries = sum(r.entries for r in reports)
    longest = max(reports, key=lambda r: r.entries, default=None)
    result = {
        "entries": entries,
        "chains": len(reports),
        "all_ok": all(r.ok for r in reports),
        "seconds": round(seconds, 3),
        "entries_per_s": round(entries / seconds) if seconds else None,
        "budget_entries_per_s": LEDGER_RATE_BUDGET,
    }
    if longest is not None:
        model = next(m for m in ledger_models() if m._meta.label_lower == longest.ledger)
        started = time.perf_counter()
        verify_ledger(model, longest.chain_key)
        result["one_chain"] = {
            "chain": f"{longest.ledger} {longest.chain_key}",
            "entries": longest.entries,
            "ms": round((time.perf_counter() - started) * 1000, 1),
            "budget_ms": ONE_CHAIN_BUDGET_MS,
        }
    misses = [] if result["all_ok"] else ["a chain is broken"]
    if entries >= LEDGER_RATE_MIN_ENTRIES and result["entries_per_s"] < LEDGER_RATE_BUDGET:
        misses.append(f"{result['entries_per_s']} entries/s < {LEDGER_RATE_BUDGET}")
    if longest is not None and result["one_chain"]["ms"] > ONE_CHAIN_BUDGET_MS:
        misses.append(f"one chain {result['one_chain']['ms']} ms > {ONE_CHAIN_BUDGET_MS} ms")
    result["misses"] = misses
    return result


def _baseline_summary(samples: list[float]) -> dict:
    """The login page over the whole run (its requests interleaved with every case's)."""
    return {
        "name": BASELINE.name,
        "path": BASELINE.path,
        "requests": len(samples),
        **(
            {"p50_ms": round(statistics.median(samples), 2), "p95_ms": round(percentile(samples, 95), 2)}
            if samples
            else {}
        ),
    }


class Command(BaseCommand):
    help = "Đo thời gian phản hồi các trang và thao tác chính (p50, p95, số truy vấn, tỉ lệ với trang đăng nhập)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=["small", "large"], default="small")
        # 60: a p95 over 30 samples is their 3rd-slowest, nearer a p97 (one burst on the host decided a case).
        parser.add_argument("--iterations", type=int, default=60)
        parser.add_argument("--no-seed", action="store_true", help="dùng dữ liệu đang có, không chạy seed_demo")
        parser.add_argument("--only", default="", help="chỉ chạy các phép đo có tên chứa chuỗi này")
        parser.add_argument("--json", action="store_true", dest="json_only", help="chỉ in JSON, không in bảng tóm tắt")
        parser.add_argument(
            "--check",
            nargs="?",
            const="all",
            choices=["all", "ratio"],
            help="trả mã lỗi khi có phép đo vượt ngân sách; 'ratio': chỉ xét tỉ lệ với trang đăng nhập (dùng cho CI)",
        )

    def handle(self, *args, scale, iterations, no_seed, only, json_only, check, **options):
        if not no_seed:
            call_command("seed_demo", scale=scale, stdout=io.StringIO())
        cases = [c for c in registry.bench_cases if only.lower() in c.name.lower()]
        self._like_a_server_worker()
        load_before = os.getloadavg()
        # The production request path: no debug toolbar or query log, no login throttle.
        with override_settings(DEBUG=False, AXES_ENABLED=False, ALLOWED_HOSTS=["testserver"]):
            baseline_samples, results = [], []
            for case in cases:
                result = run_case(case, iterations, with_baseline=True)
                baseline_samples += result.pop("baseline_samples")
                if case.first_request_budget_ms is not None:
                    result.update(measure_first_request(case))
                results.append(result)
        baseline = _baseline_summary(baseline_samples)
        for case, result in zip(cases, results, strict=True):
            result.update(
                ratio_p95=round(result["p95_ms"] / baseline["p95_ms"], 2),
                budget_ms=case.budget_ms,
                ratio_budget=case.ratio_budget,
                **({"max_bytes": case.max_bytes} if case.max_bytes else {}),
                **({"render_ratio_budget": case.render_ratio_budget} if case.render_ratio_budget else {}),
            )
            result["misses"] = misses(case, result, mode=check or "all")
        if check == "ratio":
            self._second_opinion(cases, results, iterations)
        ledgers = measure_ledgers() if not only or only.lower() in "ledgers" else None
        if ledgers and check == "ratio":
            ledgers["misses"] = [m for m in ledgers["misses"] if "broken" in m]  # speeds are machine-bound
        report = {
            "scale": scale,
            "database": connection.vendor,
            "iterations": iterations,
            "load_average": [round(x, 2) for x in (*load_before, *os.getloadavg())],
            "baseline": baseline,
            "cases": results,
            **({"ledgers": ledgers} if ledgers else {}),
            "over_budget": [r["name"] for r in results if r["misses"]]
            + (["ledgers"] if ledgers and ledgers["misses"] else []),
        }
        self.stdout.write(json.dumps(report, ensure_ascii=False, indent=2))
        if not json_only:
            self._summary(baseline, results)
        if check and report["over_budget"]:
            raise CommandError(f"{len(report['over_budget'])} phép đo vượt ngân sách ({check}).", returncode=1)

    @staticmethod
    def _second_opinion(cases: list[BenchCase], results: list[dict], iterations: int) -> None:
        """`--check=ratio` (CI's gate on a shared machine): a case over its ratio is measured once more, with
        a baseline of its own, and misses only if it misses again. A burst of other work on the host passes;
        a page that got slower misses twice. The first measurement stays in the report (`first_opinion`)."""
        with override_settings(DEBUG=False, AXES_ENABLED=False, ALLOWED_HOSTS=["testserver"]):
            for case, result in zip(cases, results, strict=True):
                if not result["misses"] or result.get("unexpected_status"):
                    continue
                again = run_case(case, iterations, with_baseline=True)
                baseline = _baseline_summary(again.pop("baseline_samples"))
                again["ratio_p95"] = round(again["p95_ms"] / baseline["p95_ms"], 2)
                again["misses"] = misses(case, {**result, **again}, mode="ratio")
                first = {key: result[key] for key in ("p50_ms", "p95_ms", "ratio_p95", "misses")}
                result.update(
                    {key: again[key] for key in ("p50_ms", "p95_ms", "max_ms", "ratio_p95", "misses")},
                    first_opinion=first,
                    second_baseline_p95_ms=baseline["p95_ms"],
                )

    @staticmethod
    def _like_a_server_worker() -> None:
        """Time requests in a process set up as gunicorn's workers are (`tuson_hcc/wsgi.py`): the PDF
        warm-up done, the long-lived objects frozen out of the cyclic garbage collector's walks."""
        import tuson_hcc.wsgi  # noqa: F401

    def _summary(self, baseline: dict, results: list[dict]) -> None:
        self.stderr.write(f"baseline {baseline['name']}: p95 {baseline['p95_ms']} ms")
        for r in results:
            flag = "  MISS " + "; ".join(r["misses"]) if r["misses"] else ""
            self.stderr.write(f"{r['p95_ms']:>9.1f} ms ×{r['ratio_p95']:<6} q{r['queries']:<4} {r['name']}{flag}")
