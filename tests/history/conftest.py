import datetime as dt

import pytest
from django.utils import timezone

from procedures.models import Procedure
from tuson_hcc.accounts.models import Agency
from tuson_hcc.core.history import tracked_save


@pytest.fixture
def auditor(client_for):
    return client_for("kiemtra")


@pytest.fixture
def procedure(demo_users):
    """A procedure created by the admin, then edited by the Director with a reason."""
    justice = Agency.objects.get(short_name="PTP")
    procedure = tracked_save(
        Procedure(name="Đăng ký mẫu con dấu mới", field="Con dấu", implementing_agency=justice, processing_days=3),
        actor=demo_users["admin"],
        reason="nhập danh mục TTHC",
    )
    procedure.processing_days = 5
    procedure.implementing_agency = Agency.objects.get(short_name="UBND")
    tracked_save(procedure, actor=demo_users["giamdoc"], reason="sửa thời hạn giải quyết")
    return procedure


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))
