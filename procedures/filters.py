"""The catalogue list's filter bar (the core's one filter bar); `procedure_search` does the querying."""

from django import forms
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters import CharFilter, ChoiceFilter

from tuson_hcc.accounts.models import Agency
from tuson_hcc.core.filters import DateFilter, FilterSet, ModelChoiceFilter
from tuson_hcc.core.kept_lists import current_token, kept_list

from .models import Procedure
from .selectors import procedure_search

STATUS_CHOICES = [
    ("in_force", _("Đang hiệu lực")),
    ("not_in_force", _("Hết hiệu lực / bãi bỏ / thay thế")),
    ("all", _("Tất cả")),
]


def _fields():
    fields = Procedure.objects.exclude(field="").order_by("field").values_list("field", flat=True).distinct()
    kept = kept_list("procedures.filters.fields", fields, current_token(fields.db))
    return [(f, f) for f in kept]


def _agencies(request):
    # EXISTS: one index probe an agency, not a join over every procedure made DISTINCT.
    return Agency.objects.filter(Exists(Procedure.objects.filter(implementing_agency=OuterRef("pk")))).order_by("name")


class ProcedureFilterSet(FilterSet):
    q = CharFilter(
        label=_("Tìm kiếm"),
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("tên hoặc mã TTHC, có dấu hoặc không dấu")}),
    )
    field = ChoiceFilter(label=_("Lĩnh vực"), choices=_fields)
    agency = ModelChoiceFilter(label=_("Cơ quan thực hiện"), queryset=_agencies, kept=True)
    status = ChoiceFilter(label=_("Tình trạng"), choices=STATUS_CHOICES, empty_label=None)
    on = DateFilter(label=_("Tại ngày"))

    class Meta:
        model = Procedure
        fields = []

    def criteria(self) -> dict:
        data = super().criteria()
        return {
            "text": data.get("q") or "",
            "field": data.get("field") or "",
            "agency": data.get("agency"),
            "status": data.get("status") or "in_force",
            "on": data.get("on") or timezone.localdate(),
        }

    def kept_page(self) -> tuple[str, str | None]:
        """Under which name and token `procedure_page` keeps the list's ids: the catalogue as of today with
        no words typed, the page every clerk opens. A search or another date is read each time."""
        criteria = self.criteria()
        if criteria["text"] or criteria["on"] != timezone.localdate():
            return "", None
        agency = getattr(criteria["agency"], "pk", "")
        key = f"procedures:list:{criteria['status']}:{criteria['field']}:{agency}"
        token = self.form.kept_lists_token()
        # The date goes with the token, not the name: a change can take effect at midnight, with no write.
        return key, token and f"{token}:{criteria['on']}"

    def filter_queryset(self, queryset):
        return procedure_search(**self.criteria())
