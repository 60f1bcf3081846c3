from datetime import date

import pytest
from django.conf import settings

from procedures.importer import import_catalogue

FIXTURES = settings.BASE_DIR / "fixtures"
QD_1691 = dict(decision_number="1691/QĐ-UBND", decision_date=date(2021, 12, 29))
QD_DEMO = dict(decision_number="MẪU-01/QĐ-UBND", decision_date=date(2024, 3, 15))


@pytest.fixture
def catalogue(demo_users):
    """The demo catalogue: Quyết định 1691 then the demo amending decision, through the importer."""
    import_catalogue(FIXTURES / "qd_1691_2021_tthc.csv", actor=demo_users["admin"], **QD_1691)
    import_catalogue(FIXTURES / "qd_demo_2024_sua_doi.csv", actor=demo_users["admin"], **QD_DEMO)


@pytest.fixture
def write_csv(tmp_path):
    def _write(text: str, name: str = "list.csv"):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return _write
