from datetime import time

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tuson_hcc.core.history import AuditedHistory
from tuson_hcc.core.labels import choice_label
from tuson_hcc.core.text import search_key


class Procedure(models.Model):
    """An administrative procedure (thủ tục hành chính, TTHC) of the "5 tại chỗ" catalogue.

    The row holds the latest published wording; what was in force on a given date comes from
    the `CatalogueChange` rows (Quy chế 157, Điều 3.2).
    """

    code = models.CharField(
        "mã TTHC",
        max_length=30,
        blank=True,
        help_text="Mã trên Cơ sở dữ liệu quốc gia về TTHC; để trống nếu chưa công bố – không tự đặt mã.",
    )
    name = models.CharField("tên thủ tục", max_length=500)
    field = models.CharField("lĩnh vực", max_length=255, blank=True)
    level = models.CharField("cấp thực hiện", max_length=100, blank=True, default="Cấp huyện")
    implementing_agency = models.ForeignKey(
        "accounts.Agency", verbose_name="cơ quan thực hiện", on_delete=models.PROTECT, related_name="procedures"
    )
    deciding_authority = models.CharField("cơ quan có thẩm quyền quyết định", max_length=255, blank=True)
    processing_days = models.PositiveSmallIntegerField("thời hạn giải quyết (ngày làm việc)", null=True, blank=True)
    cutoff_time = models.TimeField(
        "giờ chốt nhận hồ sơ",
        default=time(16, 0),
        help_text=(
            "Hồ sơ nhận sau giờ này (từ giây thứ nhất sau giờ chốt) được tính nhận vào ngày làm việc tiếp theo; "
            "nhận đúng giờ chốt vẫn tính trong ngày."
        ),
    )
    fees = models.TextField("phí, lệ phí", blank=True)
    result = models.CharField("kết quả thực hiện", max_length=500, blank=True)
    legal_basis = models.TextField("căn cứ pháp lý", blank=True)
    dossier_components = models.TextField("thành phần hồ sơ", blank=True)
    agency_note = models.CharField("ghi chú cơ quan (cách ghi khi công bố)", max_length=255, blank=True)
    source = models.TextField("nguồn", blank=True)
    search_text = models.TextField("chuỗi tìm kiếm không dấu", editable=False, db_index=True, default="")
    history = AuditedHistory()

    class Meta:
        verbose_name = "thủ tục hành chính"
        verbose_name_plural = "thủ tục hành chính"
        ordering = ["field", "name"]
        constraints = [
            models.UniqueConstraint(fields=["code"], condition=~Q(code=""), name="procedure_code_unique_when_known"),
        ]
        # The catalogue list's order (`procedure_search`): read in order instead of sorting every
        # procedure by two texts on each page (3.5 of 4 ms for 2,000 procedures; issue 14).
        indexes = [models.Index(fields=["field", "name", "id"], name="procedure_list_order")]

    def __str__(self) -> str:
        return f"{self.code} – {self.name}" if self.code else self.name

    def save(self, *args, **kwargs):
        self.search_text = search_key(self.code, self.name, self.field)
        super().save(*args, **kwargs)


class Decision(models.Model):
    """A provincial decision (Quyết định công bố) that adds, amends, replaces or abolishes procedures."""

    number = models.CharField("số quyết định", max_length=50, unique=True)
    signed_on = models.DateField("ngày ký")
    issuer = models.CharField("cơ quan ban hành", max_length=255, default="Chủ tịch UBND tỉnh Bắc Ninh")
    title = models.CharField("trích yếu", max_length=500, blank=True)
    effective_on = models.DateField("ngày có hiệu lực")
    scan = models.FileField("bản scan", upload_to="decisions/%Y/", blank=True)
    history = AuditedHistory()

    class Meta:
        verbose_name = "quyết định công bố"
        verbose_name_plural = "quyết định công bố"
        ordering = ["-effective_on", "-number"]

    def __str__(self) -> str:
        return f"Quyết định {self.number} ngày {self.signed_on:%d/%m/%Y}"


class CatalogueChange(models.Model):
    """One decision's action on one procedure, effective from a date (Quy chế 157, Điều 3.2).

    `snapshot` keeps the procedure's published fields as this decision stated them, so the
    procedure can be shown as it stood on any date.
    """

    class Action(models.TextChoices):
        ADD = "add", _("Công bố mới")
        AMEND = "amend", _("Sửa đổi, bổ sung")
        REPLACE = "replace", _("Thay thế")
        ABOLISH = "abolish", _("Bãi bỏ")

    IN_FORCE_ACTIONS = (Action.ADD, Action.AMEND)

    decision = models.ForeignKey(Decision, verbose_name="quyết định", on_delete=models.PROTECT, related_name="changes")
    procedure = models.ForeignKey(
        Procedure, verbose_name="thủ tục", on_delete=models.PROTECT, related_name="catalogue_changes"
    )
    action = models.CharField("hành động", max_length=10, choices=Action.choices)
    effective_on = models.DateField("hiệu lực từ ngày")
    replaced_by = models.ForeignKey(
        Procedure,
        verbose_name="được thay thế bởi",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replacing_changes",
    )
    snapshot = models.JSONField("nội dung công bố", default=dict, blank=True)
    note = models.CharField("ghi chú", max_length=500, blank=True)
    history = AuditedHistory()

    class Meta:
        verbose_name = "thay đổi danh mục"
        verbose_name_plural = "thay đổi danh mục"
        ordering = ["effective_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "procedure", "action"], name="one_action_per_decision"),
            models.CheckConstraint(
                condition=Q(action="replace", replaced_by__isnull=False) | ~Q(action="replace"),
                name="replace_names_its_successor",
            ),
        ]
        # A procedure's change in effect on a date (`procedures_with_status`, once per procedure on the
        # catalogue list) in the subquery's own order, its action and successor read from the index:
        # no sort and no table read per procedure (PostgreSQL; `include` is ignored elsewhere).
        indexes = [
            models.Index(
                fields=["procedure", "-effective_on", "-id"],
                include=["action", "replaced_by"],
                name="change_procedure_latest",
            )
        ]

    def __str__(self) -> str:
        return f"{choice_label(self, 'action')}: {self.procedure} ({self.decision.number})"
