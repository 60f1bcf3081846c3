from django.db import models

from tuson_hcc.core.history import AuditedHistory


class IssuingBody(models.Model):
    """Who issues the documents: names, address, unit code and form set (DESIGN.md section 6).

    Configuration, not code: one row, edited by the administrator, so the successor units of
    the 2025 reorganisation are served by changing data alone. Names are written as in running
    text (NĐ 30/2020 Phụ lục VI: "Ủy ban nhân dân thành phố Từ Sơn"); document headers set them
    in capitals themselves.
    """

    province_name = models.CharField("tỉnh", max_length=150, default="Bắc Ninh")
    city_name = models.CharField("thành phố", max_length=150, default="Từ Sơn")
    parent_body_name = models.CharField("cơ quan chủ quản", max_length=255, default="Ủy ban nhân dân thành phố Từ Sơn")
    centre_name = models.CharField("tên Trung tâm", max_length=255, default="Trung tâm Hành chính công")
    police_parent_name = models.CharField(
        "cơ quan chủ quản bộ phận tiếp nhận", max_length=255, default="Công an tỉnh Bắc Ninh"
    )
    police_unit_name = models.CharField(
        "bộ phận tiếp nhận (Công an)",
        max_length=255,
        default="Phòng Cảnh sát quản lý hành chính về trật tự xã hội",
    )
    address = models.CharField(
        "địa chỉ", max_length=255, default="Trung tâm Hành chính công thành phố Từ Sơn, tỉnh Bắc Ninh"
    )
    phone = models.CharField("điện thoại", max_length=50, blank=True, default="")
    email = models.EmailField("thư điện tử", blank=True, default="")
    unit_code = models.CharField(
        "mã đơn vị trong mã hồ sơ",
        max_length=20,
        default="HCCTS",
        help_text="Phần đầu của mã hồ sơ <mã đơn vị>-YYMMDD-XXXX (TT 01/2018 Điều 19).",
    )
    form_set_name = models.CharField("bộ biểu mẫu một cửa", max_length=255, default="Thông tư 01/2018/TT-VPCP")
    form_set_citation = models.CharField(
        "căn cứ pháp lý của biểu mẫu",
        max_length=500,
        default="Ban hành kèm theo Thông tư số 01/2018/TT-VPCP ngày 23/11/2018 của Văn phòng Chính phủ",
    )
    history = AuditedHistory()

    class Meta:
        verbose_name = "cơ quan phát hành"
        verbose_name_plural = "cơ quan phát hành"

    def __str__(self) -> str:
        return f"{self.centre_name} – {self.city_name}"

    @classmethod
    def current(cls) -> "IssuingBody":
        body, _ = cls.objects.get_or_create(pk=1)
        return body


class ListVersion(models.Model):
    """One row: a token that triggers replace on any write to the tables the filter bars' lists are read
    from (`core.kept_lists`). Written by the database only."""

    token = models.CharField(max_length=32)

    class Meta:
        db_table = "core_listversion"

    def __str__(self) -> str:
        return self.token
