"""How the application talks to its database (settings.py)."""

import pytest


def test_the_application_connects_to_postgres_without_jit(postgres_only, db):
    """Issue 14: JIT compiled report queries for longer than they ran."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"


def test_a_sqlite_file_database_keeps_a_synced_write_ahead_log(tmp_path):
    """The embedded default: WAL (one fsync a commit, readers never blocked by the writer), synced at every
    commit so a committed stamping survives a power cut (settings.py)."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    script = (
        "import django; django.setup()\n"
        "from django.db import connection\n"
        "with connection.cursor() as cursor:\n"
        "    cursor.execute('PRAGMA journal_mode'); print(cursor.fetchone()[0])\n"
        "    cursor.execute('PRAGMA synchronous'); print(cursor.fetchone()[0])\n"
    )
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'file.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "tuson_hcc.settings",
        "PYTHONPATH": str(root),
    }
    done = subprocess.run([sys.executable, "-c", script], cwd=root, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["wal", "2"]  # synchronous=FULL


def test_statements_are_prepared_on_postgres_except_lists_and_patterns(postgres_only, db):
    """Issue 14: a repeated statement is prepared (planned once per connection), but a list that orders and cuts
    and a LIKE search are planned for their own values every time: with the generic plan, a username never typed
    took 184 ms instead of 12 (the plan made for a frequent one walked every access event)."""
    from django.db import connection

    from tuson_hcc.accounts.models import Agency

    def prepared(fragment: str) -> bool:
        with connection.cursor() as cursor:
            cursor.execute("SELECT statement FROM pg_prepared_statements")
            return any(fragment in row[0] for row in cursor.fetchall())

    for _ in range(6):
        list(Agency.objects.filter(short_name="không có"))
        list(Agency.objects.filter(name__icontains="không có"))
        list(Agency.objects.filter(kind="x").order_by("name")[:50])
    assert prepared('WHERE "accounts_agency"."short_name" = $1')
    assert not prepared("LIKE")
    assert not prepared("LIMIT")


def test_timestamps_are_read_by_psycopgs_c_loader_as_the_same_utc_instants(postgres_only, db):
    """Django's own loader parsed every timestamp in Python (issue 14); the C loader must give the very
    values it gave: aware, in UTC, to the microsecond, and the right instant whatever the session's zone."""
    import datetime

    from django.db import connection
    from psycopg import _cmodule
    from psycopg.pq import Format

    from tuson_hcc.core.dbcursor import _UtcTimestampLoader

    if not _cmodule._psycopg:
        pytest.skip("psycopg without its C module: Django's loader stays")
    connection.ensure_connection()
    assert connection.connection.adapters.get_loader(1184, Format.TEXT) is _UtcTimestampLoader
    typed = "2026-02-13 08:59:59.999999+07"
    with connection.cursor() as cursor:
        cursor.execute("SELECT %s::timestamptz", [typed])
        (read,) = cursor.fetchone()
        cursor.execute("SET LOCAL TIME ZONE 'Asia/Ho_Chi_Minh'")
        cursor.execute("SELECT %s::timestamptz", [typed])
        (in_hanoi,) = cursor.fetchone()
    expected = datetime.datetime(2026, 2, 13, 1, 59, 59, 999999, tzinfo=datetime.UTC)
    assert read == expected and read.tzinfo is datetime.UTC
    assert in_hanoi == expected  # Django's loader would have labelled 08:59 as UTC
