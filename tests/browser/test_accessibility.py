"""WCAG 2.1 AA on every page of every role (issue 13): axe-core, a skip link and a visible keyboard focus.

The demo data is seeded once for the module and one live server serves it; each demo role (and an anonymous
visitor for the public pages) walks every page it can reach by following links from its first screen and its
navigation, one page of each kind (`/seals/12/` stands for every seal). On each page:
- axe-core (from npm, tests/browser/node_modules; injected through the DevTools protocol, so the app's strict
  CSP stays on and nothing is served to users) finds no serious or critical violation;
- the first focusable element is a skip link to the main content, visible when focused;
- every visible control shows a focus indicator (outline or ring) when reached from the keyboard;
- no developer words outside the auditors' <details>, and the CSP refuses nothing of the app's own.
A last test checks that the walks together opened every page route of the project."""

import re
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.test.utils import modify_settings, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404
from django.utils import timezone
from pytest_django.live_server_helper import LiveServer

from seals.models import OffsiteRequest
from tuson_hcc.core.demo import DEMO_USERS, demo_password

# django_db (not transactional): the module's data stays for every role, and what a walk writes on SQLite's
# shared in-memory connection is rolled back after it.
pytestmark = [pytest.mark.browser, pytest.mark.django_db]

AXE = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
ROLES = [spec.username for spec in DEMO_USERS]
# Links that are not pages by their query: exports and print views of a list.
NOT_PAGE_QUERIES = re.compile(r"format=|export|print=|download")
DEVELOPER_WORDS = re.compile(
    r"Thiết kế, mục|manage\.py|[Pp]hiên bản \d|(?<![\w/])[0-9a-f]{40,64}\b|---------|"
    r"\b(giam_doc|van_thu|thu_truong|cong_chuc|tiep_nhan|kiem_tra|quan_tri)\b"
)
AXE_RUN = (
    "async () => (await axe.run(document, {runOnly: {type: 'tag', values: "
    "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}, resultTypes: ['violations']})).violations"
    ".filter(v => v.impact === 'serious' || v.impact === 'critical')"
    ".map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ') + ' — ' + n.failureSummary"
    ".replace(/\\s+/g, ' ').slice(0, 160)).join(' | '))"
)
# Keyboard checks, in the page: the skip link comes first and shows when focused; every visible control,
# focused after a keyboard interaction (so :focus-visible applies), draws an outline or a ring it did not have.
KEYBOARD = """() => {
  const problems = [];
  const focusable = [...document.querySelectorAll(
    'a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]:not([tabindex="-1"])')]
    .filter(e => !e.disabled && e.tabIndex >= 0);
  const skip = focusable[0];
  const target = skip && skip.matches('a[href^="#"]') && document.getElementById(skip.getAttribute('href').slice(1));
  if (!target) problems.push('no skip link first in the tab order');
  else {
    skip.focus();
    const r = skip.getBoundingClientRect();
    if (r.width < 1 || r.height < 1 || r.top < 0 || r.left < 0) {
      problems.push('the skip link is not visible when focused');
    }
  }
  const look = e => { const s = getComputedStyle(e);
    return [s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow, s.borderColor, s.backgroundColor].join(); };
  const bare = new Set(), tried = new Set();
  for (const e of focusable.slice(1)) {
    const kind = e.tagName + (e.type || '') + e.className + (e.closest('nav, .alert, .card, table') || {}).className;
    if (tried.has(kind)) continue;  // one control of each look
    const s = getComputedStyle(e);
    if (!e.getClientRects().length || s.visibility === 'hidden') continue;
    tried.add(kind);
    document.activeElement && document.activeElement.blur();
    const before = look(e);
    e.focus();
    const focused = getComputedStyle(e);
    const ring = (focused.outlineStyle !== 'none' && parseFloat(focused.outlineWidth) >= 1)
      || focused.boxShadow !== 'none';
    if (document.activeElement === e && (!ring || look(e) === before)) {
      bare.add(e.tagName.toLowerCase() + (e.type ? '[' + e.type + ']' : '')
        + (e.className ? '.' + [...e.classList].join('.') : ''));
    }
  }
  if (bare.size) problems.push('no visible focus on ' + [...bare].slice(0, 5).join(', '));
  return problems;
}"""


def _routes(patterns=None, prefix=""):
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            yield route


def _route_of(path: str) -> str | None:
    if not path.startswith("/") or path.startswith(("/static/", "/admin/")):
        return None
    try:
        return resolve(path.split("?")[0]).route
    except Resolver404:
        return None


class Site:
    def __init__(self, url: str, public: list[str], lookups: list[tuple[str, str]], samples: list[str]):
        self.url = url
        self.public = public
        self.lookups = lookups
        self.samples = samples
        self.ids = {"checked_out": OffsiteRequest.objects.get(status="checked_out").pk}
        self.opened: dict[str, set[str]] = {}  # role → routes opened
        self.audited: set[tuple] = set()  # (route, routes linked or posted to from the page's main)


def _public_pages() -> tuple[list[str], list[tuple[str, str]]]:
    """What an anonymous visitor opens: login, /submit/, /lookup/, /verify/ of one document of each kind (each
    issuing body), and the lookup answers for a dossier awaiting completion and one open to rating, whose
    secrets are set here (the seed stores only hashes)."""
    from registrations.completion import lookup_view
    from registrations.models import Dossier
    from registrations.numbering import lookup_secret_hash
    from tuson_hcc.documents.models import IssuedDocument

    verify = {}
    for document in IssuedDocument.objects.order_by("pk"):
        verify.setdefault(document.kind, f"/verify/{document.verify_token}/")
    lookups, wanted = [], {"can_complete", "can_rate", "missing", "refusal_reason"}
    for dossier in Dossier.objects.order_by("pk"):
        view = lookup_view(dossier)
        shows = {key for key in wanted if view.get(key)}
        if shows:
            wanted -= shows
            secret = f"AXE{dossier.pk:05d}"
            Dossier.objects.filter(pk=dossier.pk).update(
                secret_hash=lookup_secret_hash(code=dossier.code, secret=secret)
            )
            lookups.append((dossier.code, secret))
    return ["/accounts/login/", "/submit/", "/lookup/", *verify.values()], lookups


def _state_samples() -> list[str]:
    """A record in each state whose page offers its own actions (a draft request can be edited, a returned
    dossier rated, a seal handed over taken back, an open incident closed): the demo data lacks some states,
    so they are made here through the services, as an official would. Each role opens those it may."""
    from registrations.models import Dossier
    from seals.models import OffsiteRequest, Seal
    from seals.services.custody import handover_consent_grant, seal_hand_over
    from seals.services.offsite import offsite_request_create
    from seals.services.oversight import incident_report
    from tuson_hcc.accounts.models import User

    users = {u.username: u for u in User.objects.filter(username__in=ROLES)}
    model = OffsiteRequest.objects.order_by("pk").first()
    start = timezone.now() + timedelta(days=1)
    offsite_request_create(
        seal=model.seal,
        requested_by=users["congchuc"],
        purpose=model.purpose,
        procedures=model.procedures.all(),
        documents=model.documents,
        destination=model.destination,
        carrier=users["congchuc"],
        starts_at=start,
        due_back_at=start + timedelta(hours=4),
        urgency=model.urgency,
        actor=users["congchuc"],
    )
    spare = Seal.objects.filter(status=Seal.Status.IN_CUSTODY, custodian=users["vanthu"]).order_by("pk")
    handed, broken = spare.exclude(pk=model.seal_id)[:2]
    handover_consent_grant(
        seal=handed,
        recipient=users["congchuc"],
        purpose="Đóng dấu tại hội nghị",
        valid_until=start,
        actor=users["giamdoc"],
    )
    seal_hand_over(seal=handed, recipient=users["congchuc"], actor=users["vanthu"])
    incident_report(seal=broken, kind="damaged", description="Mặt dấu bị mòn", actor=users["vanthu"])
    kept = spare.exclude(pk__in=[handed.pk, broken.pk]).first()
    samples = [f"/seals/{handed.pk}/", f"/seals/{broken.pk}/", f"/seals/{kept.pk}/"]
    returned = Dossier.objects.filter(status="returned").order_by("pk").first()
    samples.append(f"/registrations/{returned.pk}/rate/")  # the counter tablet, where returning a dossier leads
    for model_class, prefix in ((OffsiteRequest, "/seals/offsite/"), (Dossier, "/registrations/")):
        first = {}
        for pk, status in model_class.objects.order_by("pk").values_list("pk", "status"):
            first.setdefault(status, f"{prefix}{pk}/")
        samples += first.values()
    return samples


@pytest.fixture(scope="module")
def site(django_db_setup, django_db_blocker, tmp_path_factory):
    """The small demo data, seeded once, served by a live server of this module's own: the per-test live_server
    would flush the database after each role."""
    media = tmp_path_factory.mktemp("axe-media")
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media, PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]),
    ):
        call_command("seed_demo", "--scale", "small", stdout=open("/dev/null", "w"))  # noqa: SIM115
        server = LiveServer("localhost")
        with modify_settings(ALLOWED_HOSTS={"append": "localhost"}):
            try:
                yield Site(server.url, *_public_pages(), _state_samples())
            finally:
                server.stop()
                call_command("flush", interactive=False, verbosity=0)  # the next tests start from an empty database


@pytest.fixture
def _private_media_in_tmp():
    """The module's site keeps its own media folder for all roles (see `site`)."""


@pytest.fixture
def _fast_password_hasher():
    """Set once for the module by `site`."""


def _sign_in(context, base: str, username: str):
    page = context.new_page()
    page.goto(f"{base}/accounts/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(demo_password())
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{base}/")
    return page


def _audit(page, axe_source: str) -> list[str]:
    page.evaluate(axe_source)  # through the DevTools protocol: the page's strict CSP stays on
    problems = page.evaluate(AXE_RUN)
    page.keyboard.press("Tab")  # keyboard modality: focus moved by the checks below is :focus-visible
    problems += page.evaluate(KEYBOARD)
    text = page.evaluate(
        "() => { const c = document.body.cloneNode(true);"
        " c.querySelectorAll('details, script').forEach(e => e.remove()); return c.innerText; }"
    )
    words = sorted({m.group(0) for m in DEVELOPER_WORDS.finditer(text)})
    return problems + ([f"developer words: {words}"] if words else [])


def _walk(browser, site: Site, role: str) -> list[str]:
    assert AXE.exists(), "axe-core is not installed: run `npm ci` in tests/browser (make test does)"
    axe_source = AXE.read_text()
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="vi-VN")
    context.set_default_timeout(30_000)
    csp: list[str] = []
    if role == "anonymous":
        page = context.new_page()
        queue = list(site.public)
    else:
        page = _sign_in(context, site.url, role)
        links = page.locator("nav a[href^='/']").evaluate_all("els => els.map(e => e.getAttribute('href'))")
        # The page after a password change is reached only by changing it: opened directly.
        queue = ["/", *links, "/accounts/password_change/done/"]
    page.on("console", lambda m: csp.append(m.text) if "Content Security Policy" in m.text else None)
    problems, kinds, audited = [], set(), []
    opened = site.opened.setdefault(role, set())
    samples = set() if role == "anonymous" else set(site.samples)
    queue_start = queue[0]
    queue += sorted(samples)
    while queue:
        path = queue.pop(0)
        route = _route_of(path or "#")
        if route is None or route in NOT_A_PAGE or NOT_PAGE_QUERIES.search(path):
            continue
        sample = path in samples
        if sample:
            samples.discard(path)
        elif route in opened:  # one page of each kind: /seals/12/ stands for every seal, ?status=… for the list
            continue
        # The app's scripts are deferred, so DOMContentLoaded comes after its stylesheets have applied.
        response = page.goto(site.url + path, wait_until="domcontentloaded")
        if urlsplit(page.url).path != path.split("?")[0]:  # redirected (the sign-in page for a visitor)
            route = _route_of(urlsplit(page.url).path)
            if route in opened:
                continue
        if response.status in (403, 404) and sample:
            continue  # a sample this role may not open: it is no link of its pages
        if response.status != 200 or "text/html" not in (response.headers.get("content-type") or ""):
            problems.append(f"{path}: HTTP {response.status}")
            continue
        links = page.locator("a[href^='/']").evaluate_all("els => els.map(e => e.getAttribute('href'))")
        offered = page.locator("main a[href^='/'], main form[action]").evaluate_all(
            "els => els.map(e => e.getAttribute(e.tagName === 'FORM' ? 'action' : 'href'))"
        )
        offers = (route, frozenset(filter(None, map(_route_of, offered))))
        if sample and offers in kinds:  # a record in another state is another kind only if it offers other actions
            continue
        kinds.add(offers)
        opened.add(route)
        queue += links
        # The same page offering the same links and forms was audited for another role: this role's own
        # navigation is audited on its first screen and on every page that differs.
        if offers not in site.audited or path == queue_start:
            site.audited.add(offers)
            audited.append(path)
            problems += [f"{path}: {p}" for p in _audit(page, axe_source)]
    if "history/ledgers/" in opened:  # an auditor's "check now" opens the job's page
        page.goto(site.url + "/history/ledgers/")
        page.get_by_test_id("verify-form").locator("button[type=submit]").click()
        page.wait_for_url(re.compile(r"/jobs/\d+/"))
        opened.add("jobs/<int:pk>/")
        problems += [f"{page.url}: {p}" for p in _audit(page, axe_source)]
    for path, form_id, fills in REFUSALS.get(role, ()):  # a refused form: its errors, summarised, are a page too
        path = path.format(**site.ids)
        page.goto(site.url + path)
        form = page.get_by_test_id(form_id)
        for name, value in fills.items():
            form.locator(f"[name='{name}']").fill(value)
        with page.expect_navigation() as answer:
            form.locator("button[type=submit]").last.click()
        if answer.value.status != 400:
            problems.append(f"{path}: the refused {form_id} answered HTTP {answer.value.status}, not 400")
        problems += [f"{path} ({form_id} refused): {p}" for p in _audit(page, axe_source)]
    if role == "anonymous":
        for code, secret in site.lookups:
            page.goto(site.url + "/lookup/")
            page.locator("#id_code").fill(code)
            page.locator("#id_secret").fill(secret)
            page.locator("main form button[type=submit]").first.click()
            page.get_by_test_id("lookup-result").wait_for()
            problems += [f"/lookup/ answer for {code}: {p}" for p in _audit(page, axe_source)]
    context.close()
    print(f"{role}: {len(audited)} pages audited: {' '.join(audited)}")  # shown with -rP
    return problems + [f"CSP refused {m}" for m in csp]


@pytest.mark.parametrize("role", [*ROLES, "anonymous"])
def test_every_page_a_role_opens_has_no_serious_accessibility_violation(browser, site, role):
    problems = _walk(browser, site, role)
    assert not problems, f"{role}:\n" + "\n".join(problems)


def test_the_walks_together_opened_every_page_of_the_project(site):
    if set(site.opened) != {*ROLES, "anonymous"}:
        pytest.skip("only some roles walked in this run")
    opened = set().union(*site.opened.values())
    pages = {route for route in _routes() if not route.startswith("admin/")}
    missing = sorted(pages - opened - NOT_A_PAGE.keys())
    assert not missing, "\n".join(missing)


# Forms sent incomplete: the answer (400, nothing changed) shows the errors, summarised at the top.
REFUSALS = {
    "vanthu": [
        ("/seals/offsite/{checked_out}/", "return-form", {"condition": "", "st-0-summary": "Giấy mời họp"}),
    ],
    "anonymous": [("/submit/", "submit-form", {})],
}

# Routes that are not pages a browser opens, each with why. Every other route must be opened by some walk.
_FILE = "a stored or rendered file (PDF, scan, image), not a page"
_EXPORT = "an export file (CSV/XLSX)"
_POST = "an action (POST only): its form is audited on the page that holds it"
NOT_A_PAGE = {
    "accounts/logout/": _POST,
    "i18n/setlang/": _POST,
    "healthz/": "the liveness probe (JSON)",
    "history/export.<str:fmt>": _EXPORT,
    "history/access/export.<str:fmt>": _EXPORT,
    "history/ledgers/export.<str:fmt>": _EXPORT,
    "history/<modellabel:label>/<str:pk>/export.<str:fmt>": _EXPORT,
    "history/ledgers/verify/": _POST,
    "procedures/decisions/<int:pk>/scan/": _FILE,
    "seals/<int:pk>/procedures/": "the desk's procedure suggestions (JSON)",
    "seals/<int:pk>/specimen/": _FILE,
    "seals/custody/<int:pk>/minute/": _FILE,
    "seals/register/pdf/": _FILE,
    "seals/exceptions/<int:pk>/scan/": _FILE,
    "seals/stampings/<int:pk>/correct/": _POST,
    "seals/offsite/<int:pk>/submit/": _POST,
    "seals/offsite/<int:pk>/withdraw/": _POST,
    "seals/offsite/<int:pk>/decide/": _POST,
    "seals/offsite/<int:pk>/check-out/": _POST,
    "seals/offsite/<int:pk>/return/": _POST,
    "seals/offsite/<int:pk>/pdf/": _FILE,
    "seals/offsite/<int:pk>/decisions/<int:decision_pk>/scan/": _FILE,
    "registrations/new/checklist/": "a fragment htmx swaps into the intake page (audited there)",
    "registrations/<int:pk>/check/": _POST,
    "registrations/<int:pk>/apology/": _POST,
    "registrations/<int:pk>/result/": _POST,
    "registrations/<int:pk>/secret/": _POST,
    "registrations/<int:pk>/paper/": _POST,
    "registrations/<int:pk>/messages/<int:message_pk>/resend/": _POST,
    "registrations/<int:pk>/specimen/": _FILE,
    "registrations/<int:pk>/scan/": _FILE,
    "registrations/<int:pk>/scan/v<int:number>/": _FILE,
    "registrations/<int:pk>/documents/<int:document_pk>/": _FILE,
    "registrations/books/<int:document_pk>/": _FILE,
    "lookup/complete/": _POST,
    "lookup/rate/": _POST,
}
