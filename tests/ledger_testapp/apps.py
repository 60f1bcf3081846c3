from django.apps import AppConfig


class LedgerTestAppConfig(AppConfig):
    """A concrete ledger for the tests of `tuson_hcc.ledgers`; installed only by tests/settings.py."""

    name = "tests.ledger_testapp"
    label = "ledger_testapp"
