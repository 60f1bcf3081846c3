"""Settings for pytest: the project's settings plus a test-only app holding a concrete ledger.

pytest-django sets Django up before any conftest runs, so the extra app has to be named here
(pyproject's DJANGO_SETTINGS_MODULE points at this module). Nothing else differs.
"""

from tuson_hcc.settings import *  # noqa: F403
from tuson_hcc.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "tests.ledger_testapp"]

# Jobs run in the test process, synchronously, when their transaction commits (tests/conftest.py).
Q_CLUSTER = {**Q_CLUSTER, "sync": True}  # noqa: F405
SMS_BACKEND = "tuson_hcc.notifications.sms.LocmemSmsBackend"
# No signing certificate unless a test makes one (tests/core/test_signing.py `demo_signing`): nothing in the checkout.
SIGNING_CERT = SIGNING_KEY = SIGNING_CA_CERT = ""
