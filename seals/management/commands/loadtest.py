"""`manage.py loadtest --url http://127.0.0.1:8000 [--desks 8] [--seconds 60]` (DESIGN.md section 7).

N desks (threads, each its own signed-in session of the Văn thư) stamp and browse at once over
real HTTP against a running server (`make serve`), for a bounded time: open the desk, record a
stamping, read the register, search it, list the seals. Then it prints the errors, p50 and p95
(overall and per request kind) and checks that every ledger is gapless and verified
(`verify_ledgers`). Exits non-zero on any error or a broken ledger. Each desk pauses `--pause`
seconds (default 1) after every request, as a clerk reads a page before the next click (still
many times a real clerk's pace); `--pause 0` saturates the server instead, and then the p95
measures the queue of 8 desks on the machine's cores more than any one page. The requests carry
`X-Forwarded-Proto: https`, as the TLS proxy in front of gunicorn sends it.
"""

import http.client
import json
import os
import re
import statistics
import threading
import time
import uuid
from collections import defaultdict
from urllib.parse import urlencode, urlsplit

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from tuson_hcc.core.demo import demo_password
from tuson_hcc.core.management.commands.bench import percentile
from tuson_hcc.ledgers.verify import verify_all_ledgers

TOKEN = re.compile(r'name="(csrfmiddlewaretoken|form_token)" value="([^"]+)"')
TIMEOUT = 120  # seconds; sign-in hashes the password on purpose slowly, 8 at once on 2 cores
SEARCHES = ["ket qua giai quyet", "quyet dinh", "nguyen thi thu", "giay chung nhan"]


class Desk:
    """One browser: its own connection and cookies, timing every request it makes."""

    def __init__(self, base: str, host: str, record):
        parts = urlsplit(base)
        self.address, self.host, self.record = (parts.hostname, parts.port or 80), host, record
        self.cookies: dict[str, str] = {}
        self.connection = http.client.HTTPConnection(*self.address, timeout=TIMEOUT)
        self.pause = 0.0  # seconds after each request: the clerk reading the page

    def request(self, kind: str, method: str, path: str, form: dict | None = None, expect=(200,)) -> str:
        headers = {
            "Host": self.host,
            "X-Forwarded-Proto": "https",
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
        }
        body = None
        if form is not None:
            body = urlencode(form)
            headers |= {
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": f"https://{self.host}",
                "Referer": f"https://{self.host}{path}",
            }
        started = time.perf_counter()
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
            text = response.read().decode("utf-8", "replace")
        except (OSError, http.client.HTTPException) as error:
            self.connection.close()
            self.connection = http.client.HTTPConnection(*self.address, timeout=TIMEOUT)
            self.record(kind, (time.perf_counter() - started) * 1000, f"{method} {path}: {error!r}")
            return ""
        elapsed = (time.perf_counter() - started) * 1000
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        error = None if response.status in expect else f"{method} {path}: HTTP {response.status}"
        self.record(kind, elapsed, error)
        if self.pause:
            time.sleep(self.pause)
        return text

    def tokens(self, html: str) -> dict:
        return dict(TOKEN.findall(html))

    def sign_in(self, username: str, password: str) -> None:
        page = self.request("login", "GET", "/accounts/login/")
        token = self.tokens(page).get("csrfmiddlewaretoken", "")
        form = {"csrfmiddlewaretoken": token, "username": username, "password": password}
        self.request("login", "POST", "/accounts/login/", form, expect=(302,))


class Command(BaseCommand):
    help = "Thử tải: nhiều bàn Văn thư cùng đóng dấu và tra cứu qua HTTP; in lỗi, p50, p95; kiểm tra sổ."

    def add_arguments(self, parser):
        parser.add_argument("--url", default=f"http://127.0.0.1:{os.environ.get('PORT', '8000')}")
        parser.add_argument("--host", default="", help="Host gửi đi (mặc định: phần đầu của ALLOWED_HOSTS)")
        parser.add_argument("--desks", type=int, default=8)
        parser.add_argument("--seconds", type=float, default=60)
        parser.add_argument(
            "--pause", type=float, default=1.0, help="giây nghỉ sau mỗi yêu cầu của một bàn (0: không nghỉ)"
        )
        parser.add_argument("--username", default="vanthu")
        parser.add_argument("--json", action="store_true", dest="json_only")

    def handle(self, *args, url, host, desks, seconds, pause, username, json_only, **options):
        from django.conf import settings

        host = host or next((h for h in settings.ALLOWED_HOSTS if h not in ("*",)), "127.0.0.1").lstrip(".")
        plan = _plan(username)
        if not plan:
            raise CommandError(f"{username} không giữ con dấu nào có thủ tục trong danh mục: chạy seed_demo trước.")
        samples: dict[str, list[float]] = defaultdict(list)
        errors: list[str] = []
        lock = threading.Lock()

        def record(kind, elapsed, error):
            with lock:
                samples[kind].append(elapsed)
                if error:
                    errors.append(error)

        # Every desk signs in first; the timed period starts when the last one is in.
        window = {}
        ready = threading.Barrier(desks, action=lambda: window.update(start=time.monotonic()))
        threads = [
            threading.Thread(
                target=_desk_loop,
                args=(i, url, host, username, plan, ready, window, seconds, pause, record),
            )
            for i in range(desks)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - window.get("start", time.monotonic())
        reports = verify_all_ledgers()
        broken = [f"{r.ledger} {r.chain_key}: {r.reason} at #{r.broken_sequence}" for r in reports if not r.ok]
        timed = [t for kind, values in samples.items() if kind != "login" for t in values]
        summary = {
            "url": url,
            "desks": desks,
            "pause_s": pause,
            "seconds": round(elapsed, 1),
            "load_average": [round(x, 2) for x in os.getloadavg()],
            "requests": len(timed),
            "requests_per_s": round(len(timed) / elapsed, 1),
            "errors": len(errors),
            "p50_ms": round(statistics.median(timed), 1) if timed else None,
            "p95_ms": round(percentile(timed, 95), 1) if timed else None,
            "by_kind": {
                kind: {
                    "n": len(values),
                    "p50_ms": round(statistics.median(values), 1),
                    "p95_ms": round(percentile(values, 95), 1),
                }
                for kind, values in sorted(samples.items())
            },
            "stampings_recorded": len(samples.get("stamp", [])),
            "ledgers": {"chains": len(reports), "entries": sum(r.entries for r in reports), "broken": broken},
            "first_errors": errors[:10],
        }
        self.stdout.write(json.dumps(summary, ensure_ascii=False, indent=2))
        if not json_only:
            self.stderr.write(
                f"{desks} bàn, {elapsed:.0f} s: {len(timed)} yêu cầu, {len(errors)} lỗi, "
                f"p50 {summary['p50_ms']} ms, p95 {summary['p95_ms']} ms; sổ: "
                + ("toàn vẹn, liên tục" if not broken else f"{len(broken)} chuỗi hỏng")
            )
        if errors or broken:
            raise CommandError(f"{len(errors)} lỗi, {len(broken)} chuỗi sổ hỏng.", returncode=1)


def _plan(username: str) -> list[tuple[int, str]]:
    """(seal id, a procedure code it may stamp) for each seal the Văn thư keeps at the Centre."""
    from procedures.selectors import procedures_in_force
    from seals.models import Seal

    today = timezone.localdate()
    in_force = list(procedures_in_force(on=today).exclude(code="").values_list("code", "implementing_agency_id"))
    plan = []
    seals = Seal.objects.filter(custodian__username=username, status=Seal.Status.IN_CUSTODY).prefetch_related(
        "serves_agencies"
    )
    for seal in seals.order_by("id"):
        served = seal.agency_ids_served()
        code = next((code for code, agency in in_force if agency in served), None)
        if code:
            plan.append((seal.pk, code))
    return plan


def _desk_loop(index, url, host, username, plan, ready, window, seconds, pause, record) -> None:
    desk = Desk(url, host, record)
    desk.sign_in(username, demo_password())
    ready.wait()
    desk.pause = pause
    deadline = window["start"] + seconds
    seal, procedure = plan[index % len(plan)]
    today = timezone.localdate().isoformat()
    turn = 0
    while time.monotonic() < deadline:
        turn += 1
        page = desk.request("desk", "GET", "/seals/stamp/")
        tokens = desk.tokens(page)
        form = {
            "csrfmiddlewaretoken": tokens.get("csrfmiddlewaretoken", ""),
            "form_token": tokens.get("form_token") or uuid.uuid4().hex,
            "seal": seal,
            "procedure": procedure,
            "document_type": "Quyết định",
            "document_number": f"{turn}/QĐ-TẢI-{index}",
            "document_date": today,
            "summary": f"Thử tải bàn {index}, lần {turn}",
            "signer_name": "Lê Thị Lan",
            "signer_position": "Trưởng phòng",
            "is_signed": "on",
            "copies": 1,
            "impressions": 1,
            "kind": "signature",
            "requested_by": "Người thử tải",
        }
        desk.request("stamp", "POST", "/seals/stamp/", form, expect=(302,))
        desk.request("register", "GET", "/seals/register/")
        desk.request("search", "GET", "/seals/register/?" + urlencode({"q": SEARCHES[turn % len(SEARCHES)]}))
        desk.request("seals", "GET", "/seals/")
    desk.connection.close()
