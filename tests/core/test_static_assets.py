"""collectstatic with the manifest storage (PRODUCTION=1) fails on any reference to a file that is not shipped."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_no_vendored_file_points_at_a_source_map_that_is_not_shipped():
    missing = []
    for path in (ROOT / "static").rglob("*"):
        if path.suffix not in {".css", ".js"}:
            continue
        for name in re.findall(r"sourceMappingURL=(\S+?)(?:\s|\*/|$)", path.read_text(encoding="utf-8")):
            if not (path.parent / name).exists():
                missing.append(f"{path.relative_to(ROOT)} → {name}")
    assert missing == []
