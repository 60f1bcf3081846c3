"""One of each thing, and the core imports no app (STYLE.md rule 5 and "one of each"; issue 11, point 14)."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = ("procedures", "seals", "registrations")
SOURCES = [p for folder in ("tuson_hcc", *APPS) for p in (ROOT / folder).rglob("*.py") if "migrations" not in p.parts]


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _imported_modules(tree: ast.Module) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


def _defined(name_test) -> list[str]:
    found = []
    for path in SOURCES:
        for node in ast.walk(_tree(path)):
            if isinstance(node, ast.FunctionDef) and name_test(node.name):
                found.append(f"{path.relative_to(ROOT)}::{node.name}")
    return sorted(found)


def test_the_core_imports_no_app_demo_code_included():
    offenders = []
    for path in (ROOT / "tuson_hcc").rglob("*.py"):
        if path == ROOT / "tuson_hcc" / "urls.py":  # the root URLconf includes the apps' URLs by name
            continue
        for module in _imported_modules(_tree(path)):
            if module.split(".")[0] in APPS:
                offenders.append(f"{path.relative_to(ROOT)} imports {module}")
    assert offenders == []


def test_one_tracked_save():
    assert _defined(lambda name: "tracked_save" in name) == ["tuson_hcc/core/history.py::tracked_save"]


def test_one_keyset_paginator():
    assert _defined(lambda name: name.endswith("_page") and ("keyset" in name or "stamping" in name)) == [
        "tuson_hcc/core/keyset.py::keyset_page"
    ]


def test_one_exporter():
    writers = [
        str(path.relative_to(ROOT))
        for path in SOURCES
        if "csv.writer(" in (text := path.read_text(encoding="utf-8")) or "Workbook(" in text
    ]
    assert writers == ["tuson_hcc/core/exports.py"]


def _service_modules() -> list[Path]:
    """Modules named services, and any module whose functions check the actor's role (a service's mark)."""
    return [
        p
        for p in SOURCES
        if p.name == "services.py" or p.parent.name == "services" or "require_role(" in p.read_text(encoding="utf-8")
    ]


def _code_without_imports(path: Path) -> str:
    """The module's text without its import statements: a name only imported or re-exported is not a use."""
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    for node in ast.walk(_tree(path)):
        if isinstance(node, ast.Import | ast.ImportFrom):
            for n in range(node.lineno - 1, node.end_lineno):
                lines[n] = ""
    return "\n".join(lines)


def test_every_service_is_called_by_the_application_not_only_by_tests():
    """Issue 11 point 14: a public service that only tests call is wired to a screen or removed."""
    templates = [*(ROOT / "templates").rglob("*.html"), *(p for a in APPS for p in (ROOT / a).rglob("*.html"))]
    code = "\n".join(
        [*(_code_without_imports(p) for p in SOURCES), *(p.read_text(encoding="utf-8") for p in templates)]
    )
    unused = []
    for path in _service_modules():
        for node in _tree(path).body:
            if isinstance(node, ast.FunctionDef) and not node.name.startswith("_") and node.name != "require_role":
                # Its own definition is one occurrence; a caller, a URL or a registry entry is another.
                if code.count(node.name) - code.count(f"def {node.name}(") < 1:
                    unused.append(f"{path.relative_to(ROOT)}::{node.name}")
    assert unused == []


def test_no_test_measures_the_wall_clock():
    """Issue 11 point 13: speed budgets live in `manage.py bench`, never in a test's assertion."""
    clocks = ("perf_counter", "time.time()", "monotonic(", "process_time(")
    offenders = [
        f"{path.relative_to(ROOT)}: {clock}"
        for path in (ROOT / "tests").rglob("test_*.py")
        if path != Path(__file__)
        for clock in clocks
        if clock in path.read_text(encoding="utf-8")
    ]
    assert offenders == []
