"""Seal-registration intake (tiếp nhận hồ sơ đăng ký mẫu con dấu mới), DESIGN.md section 2 and 3.

Every write goes through `registrations.services` / `registrations.handover` / `registrations.online`.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from tuson_hcc.core.history import AuditedHistory
from tuson_hcc.core.labels import choice_label
from tuson_hcc.ledgers.models import LedgerEntry

from .choices import (
    AuthorisationKind,
    Channel,
    DeliveryPlace,
    DossierStatus,
    IdKind,
    ItemForm,
    ItemState,
)


class OrganisationType(models.Model):
    """A type of organisation (loại cơ quan, tổ chức) of Thủ tục mục c, with its own required documents.

    The 11 types (NĐ 99/2016 Điều 12.1 a–l) come from a data migration; the administrator edits them.
    """

    code = models.CharField("ký hiệu", max_length=5, unique=True)
    name = models.CharField("loại cơ quan, tổ chức", max_length=500)
    order = models.PositiveSmallIntegerField("thứ tự", default=0)
    is_active = models.BooleanField("đang áp dụng", default=True)
    history = AuditedHistory()

    class Meta:
        verbose_name = "loại cơ quan, tổ chức"
        verbose_name_plural = "loại cơ quan, tổ chức"
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


class RequiredDocument(models.Model):
    """One document of the dossier list (thành phần hồ sơ).

    With no organisation type it is asked of every dossier (the person sent: giấy giới thiệu or
    giấy ủy quyền). `conditional` documents apply only to some organisations ("đối với tổ chức
    phải đăng ký về lĩnh vực hoạt động"), so the checklist may mark them not applicable.
    """

    organisation_type = models.ForeignKey(
        OrganisationType,
        verbose_name="loại cơ quan, tổ chức",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="required_documents",
        help_text="Để trống: giấy tờ áp dụng cho mọi hồ sơ.",
    )
    name = models.CharField("tên giấy tờ", max_length=500)
    conditional = models.BooleanField("chỉ áp dụng khi thuộc trường hợp quy định", default=False)
    order = models.PositiveSmallIntegerField("thứ tự", default=0)
    is_active = models.BooleanField("đang áp dụng", default=True)
    history = AuditedHistory()

    class Meta:
        verbose_name = "giấy tờ phải nộp"
        verbose_name_plural = "giấy tờ phải nộp"
        ordering = ["organisation_type__order", "order", "id"]

    def __str__(self) -> str:
        return self.name


def scan_upload_to(instance: "Dossier", filename: str) -> str:
    # Private storage (MEDIA_ROOT is never served): the name is random, not the applicant's.
    return f"registrations/scans/{timezone.localdate():%Y/%m}/{secrets.token_hex(16)}.pdf"


def specimen_upload_to(instance: "Dossier", filename: str) -> str:
    # The extension comes from the checked content (pdf/png/jpg), never from the applicant's name.
    extension = filename.rsplit(".", 1)[-1] if "." in filename else "bin"
    return f"registrations/results/{timezone.localdate():%Y/%m}/{secrets.token_hex(16)}.{extension}"


# Every column the monthly report series read (the index `dossier_report_month`; a write to another column
# moves no figure: `report_months.READ_COLUMNS`).
REPORT_COLUMNS = (
    "received_month",
    "received_at",
    "status",
    "channel",
    "report_outcome",
    "report_due_day",
    "apology_count",
    "digitised",
    "rating_value",
    "returned_on_time",
    "due_at",
)


def dossier_overdue(now) -> Q:
    """ "Quá hạn" for a dossier, the one meaning its page, the list, the dashboards and the reports share:
    accepted (in hand) and past the appointment on its receipt or apology letter (`due_at`), to the minute.
    The bound on `due_date` (that appointment's local day) lets the (status, due_date) index serve it."""
    return Q(status=DossierStatus.ACCEPTED, due_date__lte=timezone.localdate(now), due_at__lt=now)


def dossier_due_today(now) -> Q:
    """Accepted and due later today: not overdue yet."""
    return Q(status=DossierStatus.ACCEPTED, due_date=timezone.localdate(now), due_at__gte=now)


class Dossier(models.Model):
    """A seal-registration dossier (hồ sơ đăng ký mẫu con dấu mới), from intake to return."""

    code = models.CharField("mã hồ sơ", max_length=40, unique=True)
    register_year = models.PositiveSmallIntegerField("quyển số (năm)")
    register_number = models.PositiveIntegerField("số thứ tự trong sổ theo dõi")
    procedure = models.ForeignKey(
        "procedures.Procedure",
        verbose_name="thủ tục",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        "tình trạng", max_length=20, choices=DossierStatus.choices, default=DossierStatus.RECEIVED
    )
    channel = models.CharField("hình thức nộp", max_length=20, choices=Channel.choices, default=Channel.IN_PERSON)
    # The organisation
    organisation_name = models.CharField("tên cơ quan, tổ chức", max_length=255)
    organisation_type = models.ForeignKey(
        OrganisationType, verbose_name="loại cơ quan, tổ chức", on_delete=models.PROTECT, related_name="dossiers"
    )
    organisation_address = models.CharField("địa chỉ trụ sở", max_length=255)
    founding_document = models.CharField(
        "quyết định thành lập / giấy phép", max_length=255, help_text="Số, ngày, cơ quan cấp."
    )
    # The person sent (người được cử đến)
    applicant_name = models.CharField("họ tên người được cử đến", max_length=150)
    applicant_id_kind = models.CharField("loại giấy tờ tùy thân", max_length=10, choices=IdKind.choices)
    applicant_id_number = models.CharField("số giấy tờ tùy thân", max_length=20)
    authorisation_kind = models.CharField(
        "giấy giới thiệu / ủy quyền", max_length=12, choices=AuthorisationKind.choices
    )
    applicant_phone = models.CharField("điện thoại", max_length=30, blank=True)
    applicant_email = models.EmailField("thư điện tử", blank=True)
    delivery_place = models.CharField(
        "nơi nhận kết quả", max_length=12, choices=DeliveryPlace.choices, default=DeliveryPlace.COUNTER
    )
    sets_count = models.PositiveSmallIntegerField("số lượng hồ sơ (bộ)", default=1)
    # Dates (DESIGN.md section 4)
    received_at = models.DateTimeField("thời điểm nhận hồ sơ", default=timezone.now)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người nhận",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    processing_days = models.PositiveSmallIntegerField("thời hạn giải quyết (ngày làm việc)", default=3)
    accepted_at = models.DateTimeField("thời điểm tiếp nhận đủ", null=True, blank=True)
    due_at = models.DateTimeField("hẹn trả kết quả", null=True, blank=True)
    due_date = models.DateField("ngày hẹn trả", null=True, blank=True)
    original_due_at = models.DateTimeField("hẹn trả ban đầu", null=True, blank=True)
    apology_count = models.PositiveSmallIntegerField("số lần xin lỗi, hẹn lại", default=0)
    apology_reason = models.TextField("lý do chậm trả", blank=True)
    completion_round = models.PositiveSmallIntegerField("số lần yêu cầu bổ sung", default=0)
    guidance_note = models.TextField("nội dung hướng dẫn", blank=True)
    refusal_reason = models.TextField("lý do từ chối", blank=True)
    # The result (Thủ tục mục g: con dấu và Giấy chứng nhận đăng ký mẫu con dấu), recorded when it arrives.
    result_ready_at = models.DateTimeField("thời điểm có kết quả", null=True, blank=True)
    result_certificate_number = models.CharField("số Giấy chứng nhận đăng ký mẫu con dấu", max_length=50, blank=True)
    result_certificate_date = models.DateField("ngày cấp Giấy chứng nhận", null=True, blank=True)
    result_issuing_authority = models.CharField("cơ quan cấp", max_length=255, blank=True)
    result_specimen = models.FileField("bản scan mẫu con dấu", upload_to=specimen_upload_to, blank=True, max_length=255)
    result_specimen_sha256 = models.CharField("SHA-256 bản scan mẫu dấu", max_length=64, blank=True)
    returned_at = models.DateTimeField("thời điểm trả kết quả", null=True, blank=True)
    # Online channel: one scanned PDF (Thủ tục mục b) and the lookup secret (only its hash).
    scan = models.FileField("bản scan hồ sơ (PDF)", upload_to=scan_upload_to, blank=True, max_length=255)
    scan_sha256 = models.CharField("SHA-256 bản scan", max_length=64, blank=True)
    secret_hash = models.CharField("mã băm mã tra cứu", max_length=64, blank=True, editable=False)
    idempotency_key = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)
    # Report columns (registrations.report_fields): derived, kept on write, not in the history.
    received_month = models.DateField("tháng nhận (báo cáo)", null=True, editable=False)
    report_outcome = models.CharField("tiến độ (báo cáo)", max_length=8, blank=True, default="", editable=False)
    report_due_day = models.DateField("ngày hẹn trên Giấy tiếp nhận (báo cáo)", null=True, editable=False)
    returned_on_time = models.BooleanField("trả không muộn hơn ngày hẹn (báo cáo)", null=True, editable=False)
    digitised = models.BooleanField("đã số hóa (báo cáo)", default=False, editable=False)
    rating_value = models.CharField("mức độ hài lòng (báo cáo)", max_length=20, blank=True, default="", editable=False)
    history = AuditedHistory(
        excluded_fields=[
            "secret_hash",
            "idempotency_key",
            "received_month",
            "report_outcome",
            "report_due_day",
            "returned_on_time",
            "digitised",
            "rating_value",
        ]
    )

    class Meta:
        verbose_name = "hồ sơ đăng ký mẫu con dấu"
        verbose_name_plural = "hồ sơ đăng ký mẫu con dấu"
        constraints = [
            models.UniqueConstraint(fields=["register_year", "register_number"], name="dossier_register_line_unique"),
            models.CheckConstraint(
                condition=~Q(status="accepted") | Q(due_at__isnull=False, due_date__isnull=False),
                name="dossier_accepted_has_appointment",
            ),
            models.CheckConstraint(
                condition=~Q(status="refused") | ~Q(refusal_reason=""), name="dossier_refusal_has_reason"
            ),
            models.CheckConstraint(
                condition=~Q(status="returned") | Q(returned_at__isnull=False), name="dossier_returned_has_time"
            ),
            models.CheckConstraint(
                condition=~Q(status="result_ready")
                | (Q(result_ready_at__isnull=False) & ~Q(result_certificate_number="")),
                name="dossier_result_ready_has_certificate",
            ),
        ]
        indexes = [
            models.Index(fields=["received_at"], name="dossier_received_at"),
            models.Index(fields=["status", "due_date"], name="dossier_status_due"),
            models.Index(fields=["status", "-id"], name="dossier_status_id"),
            # The monthly series: every column they read, so PostgreSQL counts a span from this index alone.
            models.Index(fields=list(REPORT_COLUMNS), name="dossier_report_month"),
        ]

    def __str__(self) -> str:
        return f"{self.code} – {self.organisation_name}"

    def save(self, *args, **kwargs):
        """Keeps the report columns (issue 14): the dossier's own from its fields; `digitised` and
        `rating_value` belong to its papers, scans and rating, so an update never writes them back."""
        from .report_fields import KEPT_BY_OTHER_ROWS, OWN, own_fields_fill

        own_fields_fill(self)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], *OWN}
        elif self._state.adding:
            self.digitised = bool(self.scan)
        else:
            skipped = {*KEPT_BY_OTHER_ROWS, *self.get_deferred_fields()}  # as Django saves a deferred instance
            kwargs["update_fields"] = [
                f.name for f in self._meta.concrete_fields if not f.primary_key and f.attname not in skipped
            ]
        super().save(*args, **kwargs)

    @property
    def is_overdue(self) -> bool:
        return self.is_overdue_at(timezone.now())

    def is_overdue_at(self, now) -> bool:
        """`dossier_overdue` for this one dossier."""
        return self.status == DossierStatus.ACCEPTED and self.due_at is not None and self.due_at < now

    def is_due_today_at(self, now) -> bool:
        """`dossier_due_today` for this one dossier."""
        return (
            self.status == DossierStatus.ACCEPTED
            and self.due_at is not None
            and self.due_at >= now
            and self.due_date == timezone.localdate(now)
        )

    @property
    def appointment_at(self):
        """The appointment on the receipt (Mẫu 01): on time or late is judged against it, not a Mẫu 04 date."""
        return self.original_due_at or self.due_at

    @property
    def status_badge(self) -> str:
        return {
            DossierStatus.RECEIVED: "secondary",
            DossierStatus.INCOMPLETE: "warning",
            DossierStatus.ACCEPTED: "primary",
            DossierStatus.RESULT_READY: "info",
            DossierStatus.REFUSED: "danger",
            DossierStatus.RETURNED: "success",
        }[self.status]


class ChecklistItem(models.Model):
    """One required document checked on one dossier (kiểm tra thành phần hồ sơ, Thủ tục bước 3)."""

    dossier = models.ForeignKey(Dossier, verbose_name="hồ sơ", on_delete=models.PROTECT, related_name="checklist")
    required_document = models.ForeignKey(
        RequiredDocument, verbose_name="giấy tờ", on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField("tên giấy tờ (tại thời điểm nhận)", max_length=500)
    conditional = models.BooleanField(default=False)
    order = models.PositiveSmallIntegerField(default=0)
    state = models.CharField("kết quả kiểm tra", max_length=15, choices=ItemState.choices, default=ItemState.UNCHECKED)
    form = models.CharField("hình thức", max_length=15, choices=ItemForm.choices, blank=True)
    note = models.CharField("ghi chú", max_length=255, blank=True)
    history = AuditedHistory()

    class Meta:
        verbose_name = "giấy tờ trong hồ sơ"
        verbose_name_plural = "giấy tờ trong hồ sơ"
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["dossier", "required_document"], name="checklist_one_row_per_document"),
        ]

    def __str__(self) -> str:
        return f"{self.name}: {choice_label(self, 'state')}"

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        from .report_fields import digitised_refresh

        digitised_refresh(self.dossier_id)  # a paper handed in or not: the dossier's "digitised" (issue 14)

    @property
    def is_satisfied(self) -> bool:
        return self.state == ItemState.PRESENT or (self.conditional and self.state == ItemState.NOT_APPLICABLE)


class DossierCounter(models.Model):
    """The last number given in one scope: "day:<unit>:<YYMMDD>" (mã hồ sơ) or "year:<YYYY>" (Mẫu 06 line).

    Locked with select_for_update while a dossier is created, so numbers have neither gaps nor
    duplicates under concurrent desks (DESIGN.md section 3 and 7).
    """

    scope = models.CharField(max_length=60, unique=True)
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "bộ đếm mã hồ sơ"
        verbose_name_plural = "bộ đếm mã hồ sơ"

    def __str__(self) -> str:
        return f"{self.scope}: {self.last_number}"


class HandoverEntry(LedgerEntry):
    """One line of the handover book (sổ giao nhận con dấu, Thủ tục bước 4): append-only, hash-chained.

    Written only by `registrations.handover.dossier_return` through `ledger_append`; one chain per
    year ("<unit code>:<YYYY>"), like a paper book per year.
    """

    dossier = models.ForeignKey(Dossier, verbose_name="hồ sơ", on_delete=models.PROTECT, related_name="handovers")
    dossier_code = models.CharField("mã hồ sơ", max_length=40)
    organisation_name = models.CharField("cơ quan, tổ chức", max_length=255)
    items = models.CharField("vật phẩm, giấy tờ giao", max_length=255)
    recipient_name = models.CharField("người nhận", max_length=150)
    recipient_id_kind = models.CharField("giấy tờ tùy thân", max_length=10, choices=IdKind.choices)
    recipient_id_number = models.CharField("số giấy tờ", max_length=20)
    checks = models.CharField("đã kiểm tra", max_length=500)
    recipient_signed = models.BooleanField("người nhận đã ký sổ", default=False)
    signature_name = models.CharField("chữ ký (họ tên người nhận tự ghi)", max_length=150)
    handed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="cán bộ trả", on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField("ghi chú", max_length=255, blank=True)

    chained_fields = (
        "dossier",
        "dossier_code",
        "organisation_name",
        "items",
        "recipient_name",
        "recipient_id_kind",
        "recipient_id_number",
        "checks",
        "recipient_signed",
        "signature_name",
        "handed_by",
        "note",
    )

    class Meta(LedgerEntry.Meta):
        verbose_name = "mục sổ giao nhận con dấu"
        verbose_name_plural = "sổ giao nhận con dấu"
        indexes = [models.Index(fields=["recorded_at"], name="handover_recorded_at")]


class ScanVersion(models.Model):
    """A scanned PDF of the dossier, numbered per dossier. Two sources:

    - online: a completed PDF the applicant uploaded through /lookup/ after a guidance sheet (Thủ tục
      bước 3, second case: "sau khi … đã hoàn thiện hồ sơ"); version 1 is the dossier's own `scan`.
      The desk sees each one as a new version to check; `checked_at` is set when it next checks the dossier.
    - at the counter: the clerk scans one paper document of the checklist (`checklist_item`,
      `scanned_by`) while checking it, so it is checked when stored.
    """

    dossier = models.ForeignKey(Dossier, verbose_name="hồ sơ", on_delete=models.PROTECT, related_name="scan_versions")
    checklist_item = models.ForeignKey(
        ChecklistItem,
        verbose_name="giấy tờ được quét",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="scans",
    )
    scanned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="cán bộ quét tại quầy",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    number = models.PositiveSmallIntegerField("phiên bản")
    file = models.FileField("bản scan bổ sung (PDF)", upload_to=scan_upload_to, max_length=255)
    sha256 = models.CharField("SHA-256", max_length=64)
    size = models.PositiveIntegerField("kích thước (byte)")
    submitted_at = models.DateTimeField("nộp lúc", default=timezone.now)
    checked_at = models.DateTimeField("kiểm tra lúc", null=True, blank=True)
    history = AuditedHistory()

    class Meta:
        verbose_name = "bản scan bổ sung"
        verbose_name_plural = "bản scan bổ sung"
        ordering = ["dossier", "number"]
        constraints = [models.UniqueConstraint(fields=["dossier", "number"], name="scan_version_unique_number")]

    def __str__(self) -> str:
        return f"{self.dossier_id} v{self.number}"

    def save(self, *args, **kwargs):
        adding = self._state.adding
        super().save(*args, **kwargs)
        if adding and self.checklist_item_id is not None:
            from .report_fields import digitised_refresh

            digitised_refresh(self.dossier_id)  # a paper scanned: the dossier's "digitised" (issue 14)


class Rating(models.Model):
    """The applicant's one rating of the service after return (QĐ 766/QĐ-TTg: mức độ hài lòng).

    Staff see only aggregates (`quality.service_quality`); no page lists one applicant's answer.
    """

    class Value(models.TextChoices):
        SATISFIED = "hai_long", "Hài lòng"
        ACCEPTABLE = "chap_nhan", "Chấp nhận được"
        NOT_SATISFIED = "khong_hai_long", "Không hài lòng"

    class Via(models.TextChoices):
        COUNTER = "quay", "Tại quầy"
        ONLINE = "tra_cuu", "Qua trang tra cứu"

    dossier = models.OneToOneField(Dossier, verbose_name="hồ sơ", on_delete=models.PROTECT, related_name="rating")
    value = models.CharField("mức độ hài lòng", max_length=20, choices=Value.choices)
    comment = models.TextField("góp ý", blank=True, max_length=1000)
    via = models.CharField("đánh giá", max_length=10, choices=Via.choices)
    created_at = models.DateTimeField("lúc", default=timezone.now)

    class Meta:
        verbose_name = "đánh giá mức độ hài lòng"
        verbose_name_plural = "đánh giá mức độ hài lòng"

    def __str__(self) -> str:
        return f"{self.dossier_id}: {choice_label(self, 'value')}"

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        from .report_fields import rating_copy

        rating_copy(self.dossier_id, self.value)  # counted from the dossier's report columns (issue 14)


class DossierReportMonth(models.Model):
    """One month of dossiers (by month of receipt) for the reports page: a version, bumped by a trigger on
    every write that changes what the series count, and the month's grouped rows once they can no longer
    change by themselves, marked with the version they were read at (`report_months`, issue 14)."""

    month = models.DateField("tháng nhận", primary_key=True)
    version = models.BigIntegerField("phiên bản", default=1)
    rows = models.JSONField("các nhóm đã đếm", null=True)
    rows_version = models.BigIntegerField("phiên bản của các nhóm đã đếm", null=True)

    class Meta:
        verbose_name = "tháng hồ sơ (báo cáo)"
        verbose_name_plural = "tháng hồ sơ (báo cáo)"

    def __str__(self) -> str:
        return f"{self.month:%m/%Y} v{self.version}"
