"""System check: every agency owning a seal has a Head who can decide its off-site requests (Quy chế 157, Điều 6.2).

Registered under the project's own tag, so `manage.py check` (and `check --tag tuson_hcc`) shows the gap
to the administrator before a request gets stuck waiting for nobody.
"""

from django.core import checks
from django.db import DatabaseError

TAG = "tuson_hcc"


@checks.register(TAG)
def seal_agencies_have_a_head(app_configs=None, **kwargs):
    from .selectors import agencies_owning_seals_without_head

    try:
        agencies = list(agencies_owning_seals_without_head())
    except DatabaseError:  # before the first migrate there is nothing to check
        return []
    return [
        checks.Warning(
            f"{agency.name} sở hữu con dấu nhưng chưa có Thủ trưởng (người dùng đang hoạt động, vai trò Thủ trưởng): "
            "không ai quyết định được đề nghị mang con dấu của cơ quan này ra ngoài (Quy chế 157, Điều 6.2).",
            hint=f"Trong trang quản trị, mục Cơ quan, gán Thủ trưởng cho {agency.name}.",
            obj=agency,
            id="seals.W001",
        )
        for agency in agencies
    ]
