"""How the application talks to its database (settings.py)."""


def test_the_application_connects_to_postgres_without_jit(postgres_only, db):
    """Issue 14: JIT compiled report queries for longer than they ran."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
