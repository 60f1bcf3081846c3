"""The production smoke walk (issue 10), run by scripts/smoke-production.sh against nginx → gunicorn.

Not a pytest module (no test_ prefix): it needs the stack the script starts. For each demo role a
real browser signs in over HTTPS, opens every page its navigation offers and, once per kind, a
detail page or file linked from them (pages are found at run time, so new pages are walked too).
Checked: no 5xx anywhere, every static asset 200 with a hashed name and a year of cache, the
stylesheets applied, the security headers present, at least one PDF served. Then the /lookup/
limit: 60 wrong tries sent concurrently (so both gunicorn workers answer), exactly the limit pass.

Usage: python tests/smoke/production_walk.py BASE_URL PASSWORD [--lookup-limit N] [--requests-out FILE]
"""

import argparse
import concurrent.futures
import http.cookiejar
import json
import re
import ssl
import sys
import time
import urllib.parse
import urllib.request

from playwright.sync_api import sync_playwright

ROLES = ["vanthu", "giamdoc", "chutich", "truongphong", "congchuc", "tiepnhan", "kiemtra", "admin"]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
HASHED = re.compile(r"\.[0-9a-f]{12}\.[a-z0-9]+$")
SECURITY_HEADERS = {
    "strict-transport-security": "max-age=",
    "content-security-policy": "default-src 'self'",
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",
}
FILE_PARAMS = {"format", "download", "print", "inline"}
SKIP = re.compile(r"^/(admin/.+|static/|i18n/|accounts/logout/)")


class Walk:
    def __init__(self, base: str, screenshots: str | None = None):
        self.base = base.rstrip("/")
        self.screenshots = screenshots
        self.host = urllib.parse.urlsplit(self.base).netloc
        self.failures: list[str] = []
        self.assets: dict[str, str] = {}
        self.pages = 0
        self.kinds_seen: set = set()
        self.pdfs: list[str] = []

    def fail(self, message: str) -> None:
        self.failures.append(message)
        print("FAIL", message, flush=True)

    def watch(self, response) -> None:
        url = urllib.parse.urlsplit(response.url)
        if url.netloc != self.host:
            return
        if response.status >= 500:
            self.fail(f"{response.status} {url.path}?{url.query}")
        if url.path.startswith("/static/") and url.path not in self.assets:
            cache = response.headers.get("cache-control", "")
            max_age = int(m.group(1)) if (m := re.search(r"max-age=(\d+)", cache)) else 0
            if response.status != 200 or not HASHED.search(url.path) or max_age < 365 * 24 * 3600:
                self.fail(f"static {url.path}: {response.status}, cache-control {cache!r}")
            self.assets[url.path] = cache

    def kind(self, href: str):
        parts = urllib.parse.urlsplit(href)
        path = "/".join("<n>" if re.search(r"\d", segment) else segment for segment in parts.path.split("/"))
        params = frozenset(k for k in urllib.parse.parse_qs(parts.query) if k in FILE_PARAMS)
        return path, params

    def links(self, page) -> list[str]:
        found = []
        for href in page.eval_on_selector_all("main a[href]", "els => els.map(e => e.href)"):
            parts = urllib.parse.urlsplit(href)
            if parts.netloc == self.host and not SKIP.match(parts.path):
                found.append(urllib.parse.urlunsplit(("", "", parts.path, parts.query, "")))
        return found

    def open_page(self, page, path: str, role: str) -> bool:
        response = page.goto(self.base + path, wait_until="load")
        self.pages += 1
        if response is None or response.status >= 400:
            self.fail(f"{role}: {path} answered {response.status if response else 'nothing'}")
            return False
        return True

    def open_any(self, context, page, path: str, role: str) -> None:
        """A detail link: an HTML page is rendered in the browser, a file is fetched and checked."""
        answer = context.request.get(self.base + path, max_redirects=0)
        kind = answer.headers.get("content-type", "")
        if answer.status >= 500 or answer.status in (403, 404):
            self.fail(f"{role}: {path} answered {answer.status}")
        elif kind.startswith("text/html") and answer.status == 200:
            self.open_page(page, path, role)
        elif kind.startswith("application/pdf"):
            if not answer.body().startswith(b"%PDF-"):
                self.fail(f"{role}: {path} is not a PDF")
            self.pdfs.append(path)

    def shoot(self, page, paths) -> None:
        """Screenshots at 1366 and 390 px wide, for a person to look at (not compared)."""
        for path in paths:
            if path is not None:
                page.goto(self.base + path)
            name = re.sub(r"[^a-z0-9]+", "-", urllib.parse.urlsplit(page.url).path).strip("-") or "home"
            status = "429" if "Quá nhiều yêu cầu" in page.content() else ""
            for width in (1366, 390):
                page.set_viewport_size({"width": width, "height": 900})
                page.screenshot(path=f"{self.screenshots}/{name}{status}-{width}.png", full_page=True)
        page.set_viewport_size({"width": 1366, "height": 900})

    def role(self, browser, role: str, password: str) -> None:
        context = browser.new_context(ignore_https_errors=True, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
        page = context.new_page()
        page.on("response", self.watch)
        page.goto(self.base + "/accounts/login/")
        page.fill("#id_username", role)
        page.fill("#id_password", password)
        with page.expect_navigation():
            page.click("button[type=submit]")
        if urllib.parse.urlsplit(page.url).path != "/":
            self.fail(f"{role}: login did not reach the dashboard ({page.url})")
            context.close()
            return
        dashboard = context.request.get(self.base + "/")
        for header, expected in SECURITY_HEADERS.items():
            if expected not in dashboard.headers.get(header, ""):
                self.fail(f"{role}: header {header} = {dashboard.headers.get(header)!r}")
        styles = page.evaluate(
            """() => ({
                navbar: getComputedStyle(document.querySelector('nav.navbar')).backgroundColor,
                font: getComputedStyle(document.body).fontFamily,
            })"""
        )
        if styles["navbar"] != "rgb(139, 26, 26)" or "system-ui" not in styles["font"]:
            self.fail(f"{role}: stylesheets not applied: {styles}")
        if self.screenshots and role == ROLES[0]:
            self.shoot(page, ["/", "/accounts/password_change/", "/seals/999999999/"])
            page.goto(self.base + "/lookup/")
            page.fill("#id_code", "HS-KHONG-CO")
            page.fill("#id_secret", "SAI")
            with page.expect_navigation():
                page.click("form[action='/lookup/'] [type=submit]")
            self.shoot(page, [None])
        nav = page.eval_on_selector_all(
            "#mainNav a.nav-link, #mainNav a.dropdown-item", "els => els.map(e => new URL(e.href).pathname)"
        )
        nav.append("/accounts/password_change/")
        details = []
        for path in dict.fromkeys(nav):
            if self.open_page(page, path, role) and not path.startswith("/admin/"):
                details.extend(self.links(page))
        for href in dict.fromkeys(details):
            kind = self.kind(href)
            if kind in self.kinds_seen:
                continue
            self.kinds_seen.add(kind)
            self.open_any(context, page, href, role)
        print(f"{role}: {len(nav)} navigation pages, {len(self.kinds_seen)} kinds so far", flush=True)
        context.close()


def lookup_limit(base: str, *, attempts: int, limit: int) -> list[tuple[int, str]]:
    """`attempts` wrong lookups from one client, 8 at a time: [(status, request id)]."""
    insecure = ssl.create_default_context()
    insecure.check_hostname = False
    insecure.verify_mode = ssl.CERT_NONE
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(
        urllib.request.HTTPSHandler(context=insecure), urllib.request.HTTPCookieProcessor(jar)
    )
    form = opener.open(base + "/lookup/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    cookie = "; ".join(f"{c.name}={c.value}" for c in jar)

    def attempt(n: int) -> tuple[int, str]:
        body = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": token, "code": "HS-KHONG-CO", "secret": f"SAI{n:04d}"}
        ).encode()
        request = urllib.request.Request(
            base + "/lookup/",
            data=body,
            headers={
                "Cookie": cookie,
                "Referer": base + "/lookup/",
                "Content-Type": "application/x-www-form-urlencoded",
            },
        )
        try:
            with urllib.request.urlopen(request, context=insecure) as response:
                return response.status, response.headers.get("X-Request-ID", "")
        except urllib.error.HTTPError as error:
            return error.code, error.headers.get("X-Request-ID", "")

    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
        return list(pool.map(attempt, range(attempts)))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("base")
    parser.add_argument("password")
    parser.add_argument("--lookup-limit", type=int, default=20)
    parser.add_argument("--lookup-attempts", type=int, default=60)
    parser.add_argument("--requests-out", help="write the lookup answers (status, request id) as JSON here")
    parser.add_argument("--screenshots", help="save screenshots of a few pages into this folder")
    args = parser.parse_args()
    started = time.monotonic()
    walk = Walk(args.base, screenshots=args.screenshots)

    answers = lookup_limit(walk.base, attempts=args.lookup_attempts, limit=args.lookup_limit)
    statuses = [status for status, _ in answers]
    passed, refused = statuses.count(200), statuses.count(429)
    print(f"/lookup/: {passed} answered, {refused} refused (429), of {len(statuses)}", flush=True)
    if passed != args.lookup_limit or refused != len(statuses) - args.lookup_limit:
        walk.fail(f"/lookup/ limit: {passed} passed, {refused} refused, statuses {sorted(set(statuses))}")
    if args.requests_out:
        with open(args.requests_out, "w") as out:
            json.dump(answers, out)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        for role in ROLES:
            walk.role(browser, role, args.password)
        browser.close()

    if not walk.pdfs:
        walk.fail("no PDF was linked from any page walked")
    print(
        f"walked {walk.pages} pages, {len(walk.kinds_seen)} kinds of linked page, {len(walk.pdfs)} PDFs, "
        f"{len(walk.assets)} static assets, in {time.monotonic() - started:.0f} s",
        flush=True,
    )
    if walk.failures:
        print(f"{len(walk.failures)} failures", flush=True)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
