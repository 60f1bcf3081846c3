"""The roles of DESIGN.md section 1. Each is a Django group created by a data migration."""

from django.db import models


class Role(models.TextChoices):
    VAN_THU = "van_thu", "Văn thư"
    GIAM_DOC = "giam_doc", "Giám đốc Trung tâm HCC"
    THU_TRUONG = "thu_truong", "Thủ trưởng cơ quan"
    CONG_CHUC = "cong_chuc", "Công chức được cử đến"
    TIEP_NHAN = "tiep_nhan", "Cán bộ tiếp nhận (Công an)"
    KIEM_TRA = "kiem_tra", "Kiểm tra, thanh tra"
    QUAN_TRI = "quan_tri", "Quản trị hệ thống"
