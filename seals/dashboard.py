"""What each role sees of the seals on `/`: today's counts, each a link to its filtered list, then the details."""

from django.db import router
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tuson_hcc.accounts.roles import Role
from tuson_hcc.core import registry
from tuson_hcc.core.dashboard import today_count
from tuson_hcc.core.kept_lists import current_token, kept_list
from tuson_hcc.core.labels import choice_name
from tuson_hcc.workdays.calendar import day_start

from .models import HandoverConsent, OffsiteRequest, Seal, SealIncident, StampingEntry

Status = OffsiteRequest.Status
MINE_WAITING = (Status.SUBMITTED, Status.FORWARDED, Status.HEAD_AGREED)


def _clerk_panel(user) -> dict:
    return {
        "seals": list(Seal.objects.filter(custodian=user).select_related("agency")),
        "handed_over": list(Seal.objects.filter(status=Seal.Status.HANDED_OVER).select_related("custodian")),
    }


def _seals_now(user) -> list:
    """Every seal as a named row (pk, code, status, custodian's name, today's count), read once for all the
    panels of one page view (kept on the request's user): the Director's tiles and the seals away.
    Rows, not models: twenty seals and their custodians as forty models were a sixth of the page."""
    from .selectors import stamped_today

    if not hasattr(user, "_dashboard_seals"):
        rows = Seal.objects.annotate(today=stamped_today()).values_list(
            "pk", "code", "status", "custodian__full_name", "today", named=True
        )
        user._dashboard_seals = list(rows)
    return user._dashboard_seals


def _director_panel(user) -> dict:
    """The open incidents and the unused consents are kept while their tables stay unchanged
    (`core.kept_lists`); whether a consent is still valid is decided here, at every view."""
    away = (Seal.Status.HANDED_OVER, Seal.Status.OFF_SITE)
    token = _token(user)
    unused = kept_list(
        "dashboard:unused-consents", HandoverConsent.objects.filter(used_at__isnull=True).only("valid_until"), token
    )
    now = timezone.now()
    return {
        "incidents": kept_list(
            "dashboard:open-incidents",
            SealIncident.objects.filter(closed_at__isnull=True).select_related("seal"),
            token,
        ),
        "away": [
            {
                "url": reverse("seals:detail", args=[seal.pk]),
                "code": seal.code,
                "status": choice_name(Seal, "status", seal.status),
                "custodian": seal.custodian__full_name,
            }
            for seal in _seals_now(user)
            if seal.status in away
        ],
        "consents_open": sum(consent.valid_until > now for consent in unused),
    }


def _token(user) -> str | None:
    """The kept lists' token (`core.kept_lists`), read once for all the panels of one page view (kept on the
    request's user, as `_seals_now`); a dashboard view writes nothing."""
    if not hasattr(user, "_dashboard_token"):
        user._dashboard_token = current_token(router.db_for_read(Seal))
    return user._dashboard_token


def _status_counts(requests, key: str, user) -> dict:
    """The requests per status, kept per user while the off-site tables stay unchanged (migration core 0006)."""
    counts = requests.order_by().values_list("status").annotate(n=Count("id")).values_list("status", "n")
    return dict(kept_list(f"dashboard:offsite-{key}:{user.pk}", counts, _token(user)))


def _today_panel(user) -> dict:
    """Bounded: one grouped count of the requests in the user's scope, one of their own (officials), the open
    check-outs and the requests awaiting the user (all kept per user while the off-site tables stay
    unchanged), and per role one count of today's stampings."""
    from .selectors import offsite_awaiting, offsite_open_checkouts, offsite_overdue, offsite_search

    def offsite(label, value, tone="attention", testid="", **query):
        return today_count(
            user, label=label, value=value, url_name="seals:offsite_list", query=query, tone=tone, testid=testid
        )

    status = _status_counts(offsite_search(user=user), "status", user)
    # Kept while the off-site tables stay unchanged; which are past due is decided now, at every view.
    open_checkouts = kept_list(f"dashboard:open-checkouts:{user.pk}", offsite_open_checkouts(user), _token(user))
    overdue = offsite_overdue(user, open_checkouts)
    counts = []
    if user.has_role(Role.GIAM_DOC):
        for seal in _seals_now(user):
            counts.append(
                today_count(
                    user,
                    label=_("%(seal)s: lần đóng dấu hôm nay") % {"seal": seal.code},
                    value=seal.today,
                    url_name="seals:register",
                    query={"seal": seal.pk},
                    testid=f"today-seal-{seal.code}",
                )
            )
        counts.append(offsite(_("Chờ ý kiến của bạn"), status.get(Status.SUBMITTED, 0), status=Status.SUBMITTED))
        counts.append(offsite(_("Chờ bạn cho phép"), status.get(Status.HEAD_AGREED, 0), status=Status.HEAD_AGREED))
    if user.has_role(Role.THU_TRUONG):
        counts.append(offsite(_("Chờ bạn quyết định"), status.get(Status.FORWARDED, 0), status=Status.FORWARDED))
    if user.has_role(Role.VAN_THU):
        mine_today = StampingEntry.objects.filter(clerk=user, stamped_at__gte=day_start(timezone.localdate())).count()
        counts.append(
            today_count(
                user,
                label=_("Bạn đã ghi sổ hôm nay"),
                value=mine_today,
                url_name="seals:register",
                query={"clerk": user.pk},
                testid="stamped-today",
            )
        )
        counts.append(offsite(_("Được phép, chờ giao dấu"), status.get(Status.PERMITTED, 0), status=Status.PERMITTED))
        counts.append(
            offsite(_("Con dấu đang ở ngoài"), status.get(Status.CHECKED_OUT, 0), "neutral", status="checked_out")
        )
    if user.has_role(Role.CONG_CHUC):
        mine = _status_counts(offsite_search(user=user, mine=True), "mine", user)
        counts.append(offsite(_("Đề nghị nháp của bạn"), mine.get(Status.DRAFT, 0), mine="1", status=Status.DRAFT))
        waiting = sum(mine.get(s, 0) for s in MINE_WAITING)
        counts.append(offsite(_("Đề nghị của bạn đang chờ duyệt"), waiting, "neutral", mine="1"))
        counts.append(offsite(_("Được phép, nhận dấu"), mine.get(Status.PERMITTED, 0), mine="1", status="permitted"))
    if user.has_role(Role.KIEM_TRA):
        today = StampingEntry.objects.filter(stamped_at__gte=day_start(timezone.localdate())).count()
        counts.append(
            today_count(user, label=_("Lần đóng dấu hôm nay"), value=today, url_name="seals:register", testid="today")
        )
    counts.append(offsite(_("Con dấu quá hạn trả"), len(overdue), "alarm", testid="today-overdue", overdue="1"))
    awaiting = kept_list(f"dashboard:offsite-awaiting:{user.pk}", offsite_awaiting(user)[:10], _token(user))
    return {"counts": counts, "awaiting": awaiting, "overdue": overdue}


def register() -> None:
    registry.register_panel(
        registry.DashboardPanel(
            title=_("Con dấu: việc hôm nay"),
            template="seals/panels/offsite.html",
            context=_today_panel,
            roles=(Role.GIAM_DOC, Role.THU_TRUONG, Role.VAN_THU, Role.CONG_CHUC, Role.KIEM_TRA),
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
