"""The roles of DESIGN.md section 1. Each is a Django group created by a data migration."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    VAN_THU = "van_thu", _("Văn thư")
    GIAM_DOC = "giam_doc", _("Giám đốc Trung tâm HCC")
    THU_TRUONG = "thu_truong", _("Thủ trưởng cơ quan")
    CONG_CHUC = "cong_chuc", _("Công chức được cử đến")
    TIEP_NHAN = "tiep_nhan", _("Cán bộ tiếp nhận (Công an)")
    KIEM_TRA = "kiem_tra", _("Kiểm tra, thanh tra")
    QUAN_TRI = "quan_tri", _("Quản trị hệ thống")
