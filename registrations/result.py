"""The result (Thủ tục mục g: con dấu và Giấy chứng nhận đăng ký mẫu con dấu): recorded when it arrives,
and early / on time / late judged against the appointment (DESIGN.md section 10).
"""

import hashlib
from datetime import date

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from tuson_hcc.accounts.permissions import require_role
from tuson_hcc.accounts.roles import Role
from tuson_hcc.core.errors import BusinessRuleError
from tuson_hcc.core.history import tracked_save
from tuson_hcc.documents.uploads import scan_upload_check
from tuson_hcc.workdays.calendar import add_working_days

from . import notify
from .choices import ALLOWED, DossierStatus, Timeliness
from .models import Dossier

SPECIMEN_MAX_BYTES = 10 * 1024 * 1024


def dossier_result_record(
    *,
    dossier: Dossier,
    certificate_number: str,
    certificate_date: date,
    issuing_authority: str,
    specimen,
    actor,
) -> Dossier:
    """The intake officer records the arrived result; the dossier becomes "result ready" (then returnable).

    `specimen` is the scan of the seal specimen (PDF, PNG or JPEG, judged by its content).
    """
    require_role(actor, Role.TIEP_NHAN)
    if not certificate_number.strip():
        raise BusinessRuleError("Ghi số Giấy chứng nhận đăng ký mẫu con dấu.", field="certificate_number")
    if not issuing_authority.strip():
        raise BusinessRuleError("Ghi cơ quan cấp Giấy chứng nhận.", field="issuing_authority")
    if certificate_date is None or certificate_date > timezone.localdate():
        raise BusinessRuleError("Ngày cấp Giấy chứng nhận không được sau hôm nay.", field="certificate_date")
    extension = scan_upload_check(
        specimen, field="specimen", max_bytes=SPECIMEN_MAX_BYTES, missing="Tải lên bản scan mẫu con dấu (PDF hoặc ảnh)."
    )
    digest = hashlib.sha256()
    for chunk in specimen.chunks():
        digest.update(chunk)
    specimen.seek(0)
    stored = None
    try:
        with transaction.atomic():
            dossier = Dossier.objects.select_for_update().get(pk=dossier.pk)
            if DossierStatus.RESULT_READY not in ALLOWED[DossierStatus(dossier.status)]:
                raise BusinessRuleError(
                    f"Hồ sơ {dossier.code} đang ở tình trạng “{dossier.get_status_display()}”: "
                    "chỉ ghi nhận kết quả cho hồ sơ đã tiếp nhận, chưa có kết quả."
                )
            if certificate_date < timezone.localtime(dossier.received_at).date():
                raise BusinessRuleError(
                    "Ngày cấp Giấy chứng nhận không được trước ngày nhận hồ sơ.", field="certificate_date"
                )
            dossier.status = DossierStatus.RESULT_READY
            dossier.result_ready_at = timezone.now()
            dossier.result_certificate_number = certificate_number.strip()
            dossier.result_certificate_date = certificate_date
            dossier.result_issuing_authority = issuing_authority.strip()
            dossier.result_specimen.save(f"mau-dau.{extension}", specimen, save=False)
            stored = dossier.result_specimen.name
            dossier.result_specimen_sha256 = digest.hexdigest()
            tracked_save(dossier, actor=actor, reason="ghi nhận kết quả: đã có con dấu và Giấy chứng nhận")
            notify.dossier_notify(dossier=dossier, event=notify.RESULT_READY, actor=actor)
    except BaseException:
        if stored:
            Dossier._meta.get_field("result_specimen").storage.delete(stored)
        raise
    return dossier


def timeliness(dossier: Dossier) -> Timeliness | None:
    """Early / on time / late: the day the result was ready against the appointment day on the receipt.

    The Centre answers for having the result ready by the appointment (TT 01/2018 Mẫu 05, 06); a later
    Mẫu 04 date does not make a late dossier on time. None while the result is not in and not yet late.
    """
    appointment = dossier.appointment_at
    if appointment is None:
        return None
    due = timezone.localtime(appointment).date()
    if dossier.result_ready_at is None:
        return Timeliness.LATE if due < timezone.localdate() else None
    ready = timezone.localtime(dossier.result_ready_at).date()
    if ready < due:
        return Timeliness.EARLY
    return Timeliness.ON_TIME if ready == due else Timeliness.LATE


def apology_due(dossier: Dossier, *, today: date | None = None) -> bool:
    """Mẫu 04 is offered only when the dossier is late or about to be: still without its result and
    due today or within `REGISTRATION_APOLOGY_WORKING_DAYS` working days (or already past)."""
    if dossier.status != DossierStatus.ACCEPTED or dossier.due_at is None:
        return False
    today = today or timezone.localdate()
    horizon = add_working_days(today, settings.REGISTRATION_APOLOGY_WORKING_DAYS)
    return timezone.localtime(dossier.due_at).date() <= horizon
