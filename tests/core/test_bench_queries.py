"""Every case of the benchmark sends a known number of queries (issue 14: no timings in tests, counts here).

The bench (`manage.py bench`) times these pages at five-year volume; this test holds each one's
query count at the small demo volume, so a page that starts to query per row, or a new case
without a known count, fails here instead of only in a slow benchmark. A count may only go down:
lower it here when a page gets leaner.
"""

import io
import uuid

import pytest
from django.core.management import call_command
from django.test.utils import override_settings

from tuson_hcc.core import registry
from tuson_hcc.core.management.commands.bench import BASELINE, run_case
from tuson_hcc.core.models import ListVersion

QUERIES = {
    "dashboard (vanthu)": 6,  # the off-site counts, open check-outs and awaiting requests kept (core 0006)
    "dashboard (giamdoc)": 7,  # and the open incidents, unused consents and last ledger check (core 0005)
    "dashboard (tiepnhan)": 3,
    "access log: by IP": 4,
    "access log: an IP that never came, all years": 4,
    "access log: by username": 4,
    "access log: a username never typed, all years": 4,
    "access log: failed logins from one IP": 4,
    "history: list (every table merged)": 9,  # the people named on the page come from the filter bar's list
    "history: filtered by user": 10,  # off-site requests and check-outs named from the process (core 0006)
    "history: filtered by reason and date": 4,
    "history: filtered by action (deleted)": 4,
    "history: access log": 4,
    "history: access log, login failures": 4,
    "history: access log, one user in a month": 4,
    "history: ledgers page": 4,
    # The dossiers' "digitised" figure is a kept column now, not a second query (issue 14).
    "history: reports": 8,
    "history: filtered by type": 6,
    "history: by type and user, second page": 4,
    "history: timeline": 4,
    "procedures: list": 5,  # its order of ids kept while the catalogue is unchanged (core 0007)
    "procedures: search 'dang ky con dau'": 6,
    "procedures: list as of 2022-06-01, all statuses": 6,
    "procedures: decisions": 4,
    "procedures: detail": 6,
    "seals: list": 3,
    "seals: detail": 5,  # its custody, incidents, inspections, authorisations and consents kept (core 0005)
    "seals: desk": 6,
    "seals: procedures of one seal (desk suggestions, JSON)": 8,
    "seals: stamping detail": 4,
    "seals: register today": 5,
    "seals: register one seal, one month": 5,
    "seals: register requester search, 1 year": 5,
    "seals: register, a requester that matches nothing, 10 years": 4,
    "seals: register, a mã hồ sơ prefix that matches nothing, 10 years": 4,
    "seals: register, a mã hồ sơ prefix (one month's dossiers), 10 years": 4,
    # A word search reads the newest entries first, then (when they hold no full page) the trigram index
    # under its own planner settings, in a block rolled back at once (here a SAVEPOINT, the settings, the
    # query, ROLLBACK TO and RELEASE; in a request BEGIN and ROLLBACK, which are not counted), then the
    # page's rows by id: a plan chosen by what was found, not by the statistics (seals/register_page.py).
    "seals: register search, a document number without diacritics, all years": 10,
    "seals: register search, common words without diacritics, all years": 5,
    "seals: register search, a phrase in a twentieth of the entries, all years": 10,
    "seals: register search that matches nothing, all years": 9,
    "seals: register totals over 92 days": 6,
    "seals: register totals over 92 days, one seal": 5,
    "seals: register by clerk, one month": 6,
    "seals: register by procedure, one year": 5,
    "seals: register, second page of a year": 6,
    # Writes: inside the test's transaction each atomic block adds a SAVEPOINT and its RELEASE.
    "seals: record a stamping (POST)": 19,
    "offsite: all requests": 7,
    "offsite: returned, filtered": 5,
    "offsite: my requests": 6,
    "offsite: detail": 10,
    "dashboard: Director": 7,
    "dashboard: Head": 3,
    "registrations: list (today)": 3,
    "registrations: list (all, newest)": 3,
    "registrations: overdue": 3,
    "registrations: filtered (returned, search 'Công ty')": 3,
    "registrations: a mã hồ sơ prefix": 3,
    "registrations: a name that matches nothing": 3,
    "registrations: detail": 10,
    "registrations: intake form": 3,
    # + the one UPDATE that stores the diff of the dossier's status change after its transaction (history/diffs.py).
    # Each counter in one statement, the issuing body read once, no version or document read back, one calendar
    # read, no checklist for the receipt's notice (issue 14): 39 -> 27.
    "registrations: receive complete dossier + render Mẫu 01 (POST)": 27,
    "registrations: re-serve stored receipt": 4,
    "registrations: handover book, this month": 3,
    "registrations: service quality, 12 months": 3,  # one grouped query over the report columns (issue 14)
    "seals: exception authorisations": 3,
    "seals: inspections": 4,
}


@pytest.mark.django_db
def test_every_bench_case_sends_no_more_queries_than_known():
    # The filter bars' lists are kept while this row's token holds (core.kept_lists); a flushed database
    # (a transactional test before this one) has lost the row, and each bar would read its lists again.
    ListVersion.objects.get_or_create(id=1, defaults={"token": uuid.uuid4().hex})
    call_command("seed_demo", scale="small", stdout=io.StringIO())
    measured, failed = {}, []
    with override_settings(DEBUG=False, AXES_ENABLED=False, ALLOWED_HOSTS=["testserver"]):
        assert run_case(BASELINE, iterations=1)["queries"] == 0  # the baseline is the bare login page
        for case in registry.bench_cases:
            result = run_case(case, iterations=1)
            measured[case.name] = result["queries"]
            if result.get("unexpected_status"):
                failed.append((case.name, result["status"]))
    unknown = sorted(set(measured) - set(QUERIES))
    over = [(name, n, QUERIES[name]) for name, n in measured.items() if name in QUERIES and n > QUERIES[name]]
    assert not (failed or unknown or over), (
        f"unexpected status: {failed}; without a known count (add to QUERIES): {unknown}; "
        f"more queries than known (name, now, known): {over}; all measured: {measured}"
    )
