"""How the application talks to its database (settings.py)."""


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
