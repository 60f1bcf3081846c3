import os

import pytest
from django.db import connection

from tuson_hcc.core.demo import ensure_demo_users


def _flush_passes_the_ledgers_truncate_trigger():
    """Transactional tests end with a flush (one TRUNCATE of every table), which the ledgers refuse
    on PostgreSQL (issue 11, point 3). The test run alone lifts their user triggers for that one
    statement, inside the flush's transaction; production keeps no such way round."""
    from django.db.backends.postgresql.operations import DatabaseOperations

    original = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        statements = original(self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
        if not statements:
            return statements
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT DISTINCT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                "WHERE t.tgname LIKE %s",
                ["%\\_no\\_truncate"],
            )
            guarded = [self.quote_name(name) for (name,) in cursor.fetchall() if name in tables]
        return (
            [f"ALTER TABLE {table} DISABLE TRIGGER USER;" for table in guarded]
            + statements
            + [f"ALTER TABLE {table} ENABLE TRIGGER USER;" for table in guarded]
        )

    DatabaseOperations.sql_flush = sql_flush


def pytest_configure(config):
    _flush_passes_the_ledgers_truncate_trigger()
    # The browser tests run Playwright's event loop in the test thread; Django's ORM calls
    # from the same thread are safe here because nothing else runs in that loop.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _postgres_is_required_in_ci(request):
    """In CI's PostgreSQL run, a test silently falling back to SQLite would prove nothing."""
    if os.environ.get("REQUIRE_POSTGRES") and "django_db_setup" in request.fixturenames:
        assert connection.vendor == "postgresql", "REQUIRE_POSTGRES=1 but the database is not PostgreSQL"


@pytest.fixture
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: row locks, triggers and true concurrency do not exist on SQLite")


@pytest.fixture
def demo_users(db):
    """The demo users of DESIGN.md section 6, by username."""
    return ensure_demo_users(password="test-pass-2026")


@pytest.fixture
def failing_mail(monkeypatch):
    """The mail server refuses until `state["up"]` becomes True."""
    state = {"up": False}
    from django.core.mail import EmailMessage

    original = EmailMessage.send

    def send(self, fail_silently=False):
        if not state["up"]:
            raise ConnectionRefusedError("SMTP server down")
        return original(self, fail_silently)

    monkeypatch.setattr(EmailMessage, "send", send)
    return state


@pytest.fixture
def client_for(client, demo_users):
    """`client_for("vanthu")` is a test client signed in as that demo user."""

    def sign_in(username):
        client.force_login(demo_users[username])
        return client

    return sign_in


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    # PBKDF2's deliberate slowness only costs seconds per test here.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _private_media_in_tmp(settings, tmp_path_factory):
    # Scans and issued PDFs written by tests never land in the checkout's var/private.
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("private")


@pytest.fixture(autouse=True)
def _on_commit_runs_when_the_services_transaction_ends(monkeypatch):
    """Production semantics inside the test's wrapping transaction (contract: jobs run after commit).

    A test's own transaction never commits, so `transaction.on_commit` callbacks (enqueued jobs,
    which run synchronously in tests) would never run. Here they run as soon as the outermost
    transaction *of the code under test* ends without error; a rolled-back block drops them, as
    on a real database.
    """
    from django.db import connections
    from django.db.transaction import Atomic

    original_exit = Atomic.__exit__

    def exit_then_run_commit_hooks(self, exc_type, exc_value, traceback):
        result = original_exit(self, exc_type, exc_value, traceback)
        connection = connections[self.using or "default"]
        if (
            exc_type is None
            and connection.run_on_commit
            and all(getattr(block, "_from_testcase", False) for block in connection.atomic_blocks)
        ):
            while connection.run_on_commit:
                _savepoints, func, robust = connection.run_on_commit.pop(0)
                try:
                    func()
                except Exception:
                    if not robust:
                        raise
        return result

    monkeypatch.setattr(Atomic, "__exit__", exit_then_run_commit_hooks)
