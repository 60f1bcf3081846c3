"""Small pieces the seal services share."""

from django.db.models import QuerySet

from tuson_hcc.core.errors import BusinessRuleError
from tuson_hcc.core.history import tracked_save

from ..models import Seal, SealIncident


def seal_lock(seal: Seal) -> Seal:
    """The seal's row, locked until the end of the transaction: one change of custody at a time."""
    return Seal.objects.select_for_update().select_related("agency").get(pk=seal.pk)


def seal_set_status(seal: Seal, *, status: str, custodian, actor, reason: str) -> Seal:
    seal.status = status
    seal.custodian = custodian
    return tracked_save(seal, actor=actor, reason=reason)


def seal_refuse_if_incident_open(seal: Seal) -> None:
    if SealIncident.objects.filter(seal=seal, closed_at__isnull=True).exists():
        raise BusinessRuleError(
            f"Con dấu {seal.code} đang có sự cố chưa được Giám đốc kết thúc: tạm dừng sử dụng.", field="seal"
        )


def seals_in_custody_of(user) -> QuerySet:
    return (
        Seal.objects.filter(custodian=user, status=Seal.Status.IN_CUSTODY)
        .select_related("agency")
        .prefetch_related("serves_agencies")
    )
