"""The dossier list's filter bar (the core's one filter bar); `dossier_list` does the querying."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django_filters import CharFilter, ChoiceFilter

from tuson_hcc.core.filters import FilterSet

from .choices import DossierStatus
from .models import Dossier
from .selectors import LIST_VIEWS, dossier_list


class DossierFilterSet(FilterSet):
    q = CharFilter(
        label=_("Mã hồ sơ hoặc tên tổ chức"),
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": _("VD: 12345 hoặc Công ty…")}),
    )
    status = ChoiceFilter(label=_("Tình trạng"), choices=DossierStatus.choices)
    view = CharFilter(widget=forms.HiddenInput)

    keep_on_reset = ("view",)

    class Meta:
        model = Dossier
        fields = []

    def current_view(self) -> str:
        view = self.data.get("view") or "today"
        return view if view in LIST_VIEWS else "today"

    def filter_queryset(self, queryset):
        data = self.form.cleaned_data
        return dossier_list(view=self.current_view(), status=data.get("status") or "", text=data.get("q") or "")
