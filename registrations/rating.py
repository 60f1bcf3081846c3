"""After return, the applicant rates the service once (DESIGN.md section 10; QĐ 766/QĐ-TTg, mức độ hài lòng):
at the counter on a tablet page opened from the return screen, or through /lookup/ within
`REGISTRATION_RATING_DAYS` days of the return."""

from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from tuson_hcc.accounts.permissions import require_role
from tuson_hcc.accounts.roles import Role
from tuson_hcc.core.errors import BusinessRuleError

from .choices import DossierStatus
from .models import Dossier, Rating


def rating_open(dossier: Dossier) -> bool:
    """Returned, not rated yet, and (online) within the rating window."""
    if dossier.status != DossierStatus.RETURNED or Rating.objects.filter(dossier=dossier).exists():
        return False
    return timezone.now() <= dossier.returned_at + timedelta(days=settings.REGISTRATION_RATING_DAYS)


def dossier_rate(*, dossier: Dossier, value: str, comment: str = "", via: str, actor=None) -> Rating:
    """Record the one rating of `dossier`. At the counter the desk's session opens the page (`actor`)."""
    if via == Rating.Via.COUNTER:
        require_role(actor, Role.TIEP_NHAN)
    if value not in Rating.Value.values:
        raise BusinessRuleError("Chọn một mức: hài lòng, chấp nhận được hoặc không hài lòng.", field="value")
    if dossier.status != DossierStatus.RETURNED:
        raise BusinessRuleError("Chỉ đánh giá sau khi đã nhận kết quả.")
    if Rating.objects.filter(dossier=dossier).exists():
        raise BusinessRuleError("Hồ sơ này đã được đánh giá: mỗi hồ sơ chỉ đánh giá một lần.")
    if via == Rating.Via.ONLINE and not rating_open(dossier):
        raise BusinessRuleError(
            f"Đã quá {settings.REGISTRATION_RATING_DAYS} ngày kể từ khi nhận kết quả: không còn đánh giá trực tuyến."
        )
    try:
        with transaction.atomic():
            return Rating.objects.create(dossier=dossier, value=value, comment=comment.strip()[:1000], via=via)
    except IntegrityError as exc:  # two submissions at once: the first one stands
        raise BusinessRuleError("Hồ sơ này đã được đánh giá: mỗi hồ sơ chỉ đánh giá một lần.") from exc
