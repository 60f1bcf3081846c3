"""Filter bars of the seal pages (the core's one filter bar); the selectors do the querying."""

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters import CharFilter, ChoiceFilter

from tuson_hcc.accounts.roles import Role
from tuson_hcc.core.filters import DateFilter, FilterForm, FilterSet, ModelChoiceFilter
from tuson_hcc.core.text import search_key

from .forms import procedure_from_text, users_with_role
from .models import OffsiteRequest, Seal, StampingEntry
from .selectors import RegisterFilter, offsite_search, stamping_register

MAX_RANGE_DAYS = 3660  # the register is read over at most ten years at a time


class RegisterForm(FilterForm):
    def clean_q(self):
        text = (self.cleaned_data.get("q") or "").strip()
        # A trigram index needs three letters: shorter words alone would read every entry of ten years.
        if text and max(len(word) for word in search_key(text).split() or [""]) < 3:
            raise forms.ValidationError(_("Nhập ít nhất một từ có từ 3 ký tự trở lên."))
        return text

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        today = timezone.localdate()
        data["date_to"] = data.get("date_to") or today
        searching = any((data.get(name) or "").strip() for name in ("q", "requester", "dossier_code"))
        # A search without “Từ ngày” looks through every year the register keeps (at most ten).
        data["date_from"] = data.get("date_from") or (
            data["date_to"] - timedelta(days=MAX_RANGE_DAYS) if searching else data["date_to"]
        )
        if data["date_from"] > data["date_to"]:
            raise forms.ValidationError(_("“Từ ngày” phải trước hoặc bằng “Đến ngày”."))
        if data["date_to"] - data["date_from"] > timedelta(days=MAX_RANGE_DAYS):
            raise forms.ValidationError(_("Khoảng ngày tối đa 10 năm."))
        text = (data.get("procedure") or "").strip()
        data["procedure"] = procedure_from_text(text) if text else None
        if text and data["procedure"] is None:
            self.add_error("procedure", _("Không có thủ tục với mã này."))
        return data


class RegisterFilterSet(FilterSet):
    """The stamping register's bar; an empty bar means today (DESIGN.md section 7: every filter has an index)."""

    date_from = DateFilter(label=_("Từ ngày"))
    date_to = DateFilter(label=_("Đến ngày"))
    seal = ModelChoiceFilter(label=_("Con dấu"), queryset=Seal.objects.select_related("agency"), kept=True)
    procedure = CharFilter(label=_("Mã TTHC"), max_length=600)
    clerk = ModelChoiceFilter(label=_("Văn thư"), queryset=users_with_role(Role.VAN_THU), kept=True)
    requester = CharFilter(label=_("Người đề nghị"), max_length=120)
    dossier_code = CharFilter(label=_("Mã hồ sơ"), max_length=40)
    q = CharFilter(
        label=_("Tìm (số ký hiệu, trích yếu, người đề nghị)"),
        max_length=100,
        help_text=_("Không phân biệt dấu, chữ hoa; tìm trong mọi năm nếu không chọn “Từ ngày”."),
    )

    class Meta:
        model = StampingEntry
        fields = []
        form = RegisterForm

    def register_filter(self) -> RegisterFilter:
        data = self.form.cleaned_data
        return RegisterFilter(
            date_from=data["date_from"],
            date_to=data["date_to"],
            seal=data.get("seal"),
            procedure=data.get("procedure"),
            clerk=data.get("clerk"),
            requester=(data.get("requester") or "").strip(),
            dossier_code=(data.get("dossier_code") or "").strip(),
            text=data.get("q") or "",
        )

    def filter_queryset(self, queryset):
        return stamping_register(criteria=self.register_filter())


class OffsiteFilterSet(FilterSet):
    """The off-site list's bar, within what the user may see (`offsite_search`)."""

    status = ChoiceFilter(label=_("Trạng thái"), choices=OffsiteRequest.Status.choices)
    seal = ModelChoiceFilter(label=_("Con dấu"), queryset=Seal.objects.select_related("agency"), kept=True)
    date_from = DateFilter(label=_("Lập từ ngày"))
    date_to = DateFilter(label=_("Lập đến ngày"))
    overdue = ChoiceFilter(label=_("Hạn trả con dấu"), choices=[("1", _("Chỉ quá hạn trả"))])
    mine = CharFilter(widget=forms.HiddenInput)

    keep_on_reset = ("mine",)

    class Meta:
        model = OffsiteRequest
        fields = []

    def filter_queryset(self, queryset):
        data = self.form.cleaned_data
        return offsite_search(
            user=self.request.user,
            status=data.get("status") or "",
            seal=data.get("seal"),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            mine=data.get("mine") == "1",
            overdue=data.get("overdue") == "1",
        )
