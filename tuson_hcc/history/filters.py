"""Filter bars of the auditor pages (the core's one filter bar); the selectors do the querying, by keyset."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django_filters import CharFilter, Filter

from tuson_hcc.accounts.models import User
from tuson_hcc.audit.models import AccessEvent
from tuson_hcc.core.filters import ChoiceFilter, DateFilter, FilterSet, ModelChoiceFilter

from .catalog import HISTORY_TYPES, tracked_models
from .models import HistoryIndex
from .selectors import HistoryFilter


def _people(request=None):
    return User.objects.order_by("full_name", "username")


def _record_kinds():
    return sorted(((t.label, t.verbose_name) for t in tracked_models()), key=lambda choice: choice[1].lower())


class IPFilter(Filter):
    field_class = forms.GenericIPAddressField


class HistoryFilterSet(FilterSet):
    """`/history/`: every part optional, combined (AND); each is served by an index of `HistoryIndex`."""

    model = ChoiceFilter(label=_("Loại bản ghi"), choices=_record_kinds)
    object_id = CharFilter(label=_("Mã bản ghi"), max_length=64)
    user = ModelChoiceFilter(label=_("Người thực hiện"), queryset=_people, kept=True)
    reason = CharFilter(label=_("Lý do / thao tác"), max_length=100)
    history_type = ChoiceFilter(label=_("Loại thay đổi"), choices=list(HISTORY_TYPES.items()))
    date_from = DateFilter(label=_("Từ ngày"))
    date_to = DateFilter(label=_("Đến ngày"))

    class Meta:
        model = HistoryIndex
        fields = []

    def people(self) -> list:
        """The users the bar's select lists (read once for the select, the validation and the page)."""
        return self.form.fields["user"].listed()

    def history_filter(self) -> HistoryFilter:
        data = self.criteria()
        user = data.get("user")
        return HistoryFilter(
            model_label=data.get("model") or "",
            object_id=(data.get("object_id") or "").strip(),
            user_id=user.pk if user else None,
            reason=(data.get("reason") or "").strip(),
            history_type=data.get("history_type") or "",
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )


class AccessFilterSet(FilterSet):
    """`/history/access/`: sign-ins, reads and verifications, by kind, person, typed username, IP and day."""

    kind = ChoiceFilter(label=_("Loại sự kiện"), choices=AccessEvent.Kind.choices)
    user = ModelChoiceFilter(label=_("Người dùng"), queryset=_people, kept=True)
    username = CharFilter(label=_("Tên đăng nhập (kể cả đăng nhập sai)"), max_length=150)
    ip = IPFilter(label=_("Địa chỉ IP"))
    date_from = DateFilter(label=_("Từ ngày"))
    date_to = DateFilter(label=_("Đến ngày"))

    class Meta:
        model = AccessEvent
        fields = []

    def access_filter(self) -> dict:
        data = self.criteria()
        user = data.get("user")
        return {
            "kind": data.get("kind") or "",
            "user_id": user.pk if user else None,
            "username": (data.get("username") or "").strip(),
            "ip": data.get("ip") or "",
            "date_from": data.get("date_from"),
            "date_to": data.get("date_to"),
        }
