from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tuson_hcc.core.history import AuditedHistory
from tuson_hcc.core.text import search_key
from tuson_hcc.ledgers.models import LedgerEntry

# What the desk records about the stamped document (NĐ 30/2020, Điều 32–33).
DOCUMENT_FIELDS = (
    "dossier_code",
    "document_type",
    "document_number",
    "document_date",
    "summary",
    "signer_name",
    "signer_position",
    "copies",
    "impressions",
    "kind",
    "sheets",
    "requested_by",
)


class StampingEntry(LedgerEntry):
    """One stamping (lần đóng dấu) in a seal's stamping log (sổ đóng dấu); chain per seal and year.

    Written only by `seals.services.stamping.stamping_record` / `stamping_correct`.
    """

    class Kind(models.TextChoices):
        ON_SIGNATURE = "signature", _("Đóng dấu lên chữ ký")
        HANGING = "hanging", _("Dấu treo")
        OVERLAP = "overlap", _("Dấu giáp lai")

    class Place(models.TextChoices):
        DESK = "desk", _("Tại bàn Văn thư, Trung tâm HCC")
        OFFSITE = "offsite", _("Ngoài Trung tâm (theo lần mang dấu ra ngoài)")

    class Correction(models.TextChoices):
        VOID = "void", _("Hủy mục ghi sai")
        AMEND = "amend", _("Ghi lại cho đúng")

    seal = models.ForeignKey("seals.Seal", verbose_name="con dấu", on_delete=models.PROTECT, related_name="stampings")
    procedure = models.ForeignKey(
        "procedures.Procedure",
        verbose_name="thủ tục hành chính",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    exception = models.ForeignKey(
        "seals.ExceptionAuthorisation",
        verbose_name="văn bản cho phép ngoài danh mục",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="stampings",
    )
    # db_index: on PostgreSQL Django adds a varchar_pattern_ops twin, so a mã hồ sơ prefix seeks the index.
    dossier_code = models.CharField("mã hồ sơ", max_length=40, blank=True, db_index=True)
    document_type = models.CharField("loại văn bản", max_length=100)
    document_number = models.CharField("số, ký hiệu", max_length=60, blank=True)
    document_date = models.DateField("ngày văn bản")
    summary = models.CharField("trích yếu", max_length=500)
    signer_name = models.CharField("người ký", max_length=120)
    signer_position = models.CharField("chức vụ người ký", max_length=120)
    copies = models.PositiveIntegerField("số bản", default=1)
    impressions = models.PositiveIntegerField("số lần đóng dấu", default=1)
    kind = models.CharField("hình thức đóng dấu", max_length=20, choices=Kind.choices, default=Kind.ON_SIGNATURE)
    sheets = models.PositiveIntegerField("số tờ giáp lai", null=True, blank=True)
    requested_by = models.CharField("người đề nghị đóng dấu", max_length=120)
    clerk = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="Văn thư", on_delete=models.PROTECT, related_name="stampings"
    )
    stamped_at = models.DateTimeField("thời gian đóng dấu")
    place = models.CharField("nơi đóng dấu", max_length=20, choices=Place.choices, default=Place.DESK)
    checkout = models.ForeignKey(
        "seals.SealCheckout",
        verbose_name="lần mang dấu ra ngoài",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="stampings",
    )
    correction = models.CharField("loại đính chính", max_length=10, choices=Correction.choices, blank=True)
    correction_reason = models.CharField("lý do đính chính", max_length=500, blank=True)
    # The desk form's one-time token: a double-submitted form records one stamping, not two.
    form_token = models.CharField(max_length=36, unique=True, null=True, blank=True, editable=False)
    # Số ký hiệu, trích yếu, người đề nghị and mã hồ sơ without diacritics, lower case (`derive`), for the
    # register's search; a trigram index serves it on PostgreSQL. Not hashed: it is derived from hashed fields.
    search_text = models.TextField("chuỗi tìm kiếm không dấu", default="", editable=False)

    # Also in simple-history, so each entry shows in the auditors' history with its actor and action.
    history = AuditedHistory(excluded_fields=["search_text"])

    chained_fields = (
        "seal",
        "procedure",
        "exception",
        *DOCUMENT_FIELDS,
        "clerk",
        "stamped_at",
        "place",
        "checkout",
        "correction",
        "correction_reason",
    )

    class Meta(LedgerEntry.Meta):
        verbose_name = "lần đóng dấu"
        verbose_name_plural = "sổ đóng dấu"
        indexes = [
            models.Index(fields=["stamped_at", "id"], name="stamping_time"),
            models.Index(fields=["seal", "stamped_at", "id"], name="stamping_seal_time"),
            models.Index(fields=["clerk", "stamped_at", "id"], name="stamping_clerk_time"),
            models.Index(fields=["procedure", "stamped_at"], name="stamping_procedure_time"),
        ]

    def derive(self) -> None:
        self.search_text = search_key(self.document_number, self.summary, self.requested_by, self.dossier_code)

    def __str__(self) -> str:
        return f"{self.seal_id}/{self.chain_key.rsplit(':', 1)[-1]} số {self.sequence}"

    @property
    def year(self) -> str:
        return self.chain_key.rsplit(":", 1)[-1]

    def get_absolute_url(self) -> str:
        return reverse("seals:stamping_detail", args=[self.pk])
