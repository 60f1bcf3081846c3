"""What each role sees of the seals on `/`."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tuson_hcc.accounts.roles import Role
from tuson_hcc.core import registry
from tuson_hcc.workdays.calendar import day_start

from .models import HandoverConsent, Seal, SealIncident, StampingEntry


def _clerk_panel(user) -> dict:
    today = day_start(timezone.localdate())
    return {
        "seals": list(Seal.objects.filter(custodian=user).select_related("agency")),
        "stamped_today": StampingEntry.objects.filter(clerk=user, stamped_at__gte=today).count(),
        "handed_over": list(Seal.objects.filter(status=Seal.Status.HANDED_OVER).select_related("custodian")),
    }


def _director_panel(user) -> dict:
    return {
        "incidents": list(SealIncident.objects.filter(closed_at__isnull=True).select_related("seal")),
        "away": list(
            Seal.objects.filter(status__in=[Seal.Status.HANDED_OVER, Seal.Status.OFF_SITE]).select_related("custodian")
        ),
        "consents_open": HandoverConsent.objects.filter(used_at__isnull=True, valid_until__gt=timezone.now()).count(),
    }


def _offsite_panel(user) -> dict | None:
    from .selectors import offsite_awaiting, offsite_overdue

    awaiting = list(offsite_awaiting(user)[:10])
    overdue = offsite_overdue(user)
    return {"awaiting": awaiting, "overdue": overdue}


def register() -> None:
    registry.register_panel(
        registry.DashboardPanel(
            title=_("Mang con dấu ra ngoài: chờ xử lý và quá hạn"),
            template="seals/panels/offsite.html",
            context=_offsite_panel,
            roles=(Role.GIAM_DOC, Role.THU_TRUONG, Role.VAN_THU, Role.CONG_CHUC),
            order=5,
        )
    )
    registry.register_panel(
        registry.DashboardPanel(
            title=_("Bàn đóng dấu"),
            template="seals/panels/clerk.html",
            context=_clerk_panel,
            roles=(Role.VAN_THU,),
            order=10,
        )
    )
    registry.register_panel(
        registry.DashboardPanel(
            title=_("Con dấu: sự cố và con dấu không ở bàn Văn thư"),
            template="seals/panels/director.html",
            context=_director_panel,
            roles=(Role.GIAM_DOC,),
            order=10,
        )
    )
