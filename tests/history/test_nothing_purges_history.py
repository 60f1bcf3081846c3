"""Nothing purges history (issue 6): no bulk `.update()` on a history-tracked model outside an
explicit allow-list, and simple-history's cleanup commands are used nowhere.

`QuerySet.update()` writes no historical row, so a bulk update would change a record with no
trace. The scan is textual and deliberately strict: a new `.update(` on a tracked model's
queryset must be either rewritten through a service that records history or listed here.
"""

import re
from pathlib import Path

from django.conf import settings

from tuson_hcc.history.catalog import tracked_models

ROOT = Path(settings.BASE_DIR)
SKIP_DIRS = {".venv", "venv", "node_modules", ".git", "staticfiles", "migrations", "var", "__pycache__"}

# (file relative to the project, model name): each entry is a reviewed exception.
UPDATE_ALLOWED: frozenset[tuple[str, str]] = frozenset(
    {
        # The lookup secret's hash is stored right after the code is allocated (it hashes the code)
        # or when the receipt prints it: a technical field, never shown, never a business change;
        # Mẫu 05 is built from the dossier's history and must not list it as a step.
        ("registrations/services.py", "Dossier"),
        ("registrations/paperwork.py", "Dossier"),
        ("registrations/lookup_secret.py", "Dossier"),
        # The report columns (issue 14) are derived from the dossier's papers, scans and rating, kept when
        # those rows are saved (their own versions record the change); excluded from the dossier's history.
        ("registrations/report_fields.py", "Dossier"),
    }
)

PURGE = re.compile(r"clean_old_history|clean_duplicate_history")


def _sources():
    for path in ROOT.rglob("*"):
        if path.is_dir() or any(part in SKIP_DIRS for part in path.relative_to(ROOT).parts):
            continue
        if path.suffix in {
            ".py",
            ".sh",
            ".cfg",
            ".toml",
            ".yml",
            ".yaml",
            ".ini",
            ".txt",
            ".service",
            ".timer",
        } or path.name in {
            "Makefile",
            "crontab",
            "Procfile",
        }:
            if path.relative_to(ROOT).parts[0] == "tests" and path.name.startswith("test_"):
                continue  # the tests themselves name what they forbid or tamper on purpose
            yield path


def test_no_bulk_update_of_a_history_tracked_model_outside_the_allow_list():
    names = sorted({t.model.__name__ for t in tracked_models()} | {t.history_model.__name__ for t in tracked_models()})
    pattern = re.compile(r"\b(" + "|".join(names) + r")\b[^\n;]*?\.(?:update|bulk_update)\(")
    offences = []
    for path in _sources():
        if path.suffix != ".py":
            continue
        for match in pattern.finditer(path.read_text(encoding="utf-8", errors="replace")):
            key = (str(path.relative_to(ROOT)), match.group(1))
            if key not in UPDATE_ALLOWED:
                offences.append(f"{key[0]}: {match.group(0)[:100]}")
    assert offences == []


def test_the_scan_would_catch_a_bulk_update():
    names = "|".join(t.model.__name__ for t in tracked_models())
    pattern = re.compile(r"\b(" + names + r")\b[^\n;]*?\.(?:update|bulk_update)\(")
    assert pattern.search('Procedure.objects.filter(field="x").update(field="y")')
    assert pattern.search("Agency.objects.bulk_update(agencies, ['name'])")
    assert not pattern.search("LedgerHead.objects.filter(pk=1).update(last_sequence=2)")


def test_simple_history_cleanup_commands_are_never_used_or_scheduled():
    offences = [str(p.relative_to(ROOT)) for p in _sources() if PURGE.search(p.read_text(errors="replace"))]
    assert offences == []
