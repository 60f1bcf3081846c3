from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tuson_hcc.accounts.models import Agency

from .models import Procedure


class ProcedureFilterForm(forms.Form):
    STATUS_CHOICES = [
        ("in_force", _("Đang hiệu lực")),
        ("not_in_force", _("Hết hiệu lực / bãi bỏ / thay thế")),
        ("all", _("Tất cả")),
    ]

    q = forms.CharField(
        label=_("Tìm kiếm"),
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("tên hoặc mã TTHC, có dấu hoặc không dấu")}),
    )
    field = forms.ChoiceField(label=_("Lĩnh vực"), required=False)
    agency = forms.ModelChoiceField(label=_("Cơ quan thực hiện"), queryset=Agency.objects.none(), required=False)
    status = forms.ChoiceField(label=_("Tình trạng"), choices=STATUS_CHOICES, required=False, initial="in_force")
    on = forms.DateField(label=_("Tại ngày"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.filter(procedures__isnull=False).distinct().order_by("name")
        fields = Procedure.objects.exclude(field="").order_by("field").values_list("field", flat=True).distinct()
        self.fields["field"].choices = [("", _("Tất cả lĩnh vực"))] + [(f, f) for f in fields]
        for name in ("field", "agency", "status"):
            self.fields[name].widget.attrs["class"] = "form-select"

    def criteria(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "text": data.get("q") or "",
            "field": data.get("field") or "",
            "agency": data.get("agency"),
            "status": data.get("status") or "in_force",
            "on": data.get("on") or timezone.localdate(),
        }


class AsOfForm(forms.Form):
    on = forms.DateField(
        label=_("Xem nội dung tại ngày"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class CatalogueUploadForm(forms.Form):
    file = forms.FileField(label=_("Tệp danh mục (.csv hoặc .xlsx)"))
    decision = forms.CharField(label=_("Số quyết định"), max_length=50)
    date = forms.DateField(label=_("Ngày hiệu lực"), widget=forms.DateInput(attrs={"type": "date"}))
    dry_run = forms.BooleanField(label=_("Chỉ kiểm tra, không ghi"), required=False)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Chỉ nhận tệp .csv hoặc .xlsx."))
        if upload.size > 5 * 1024 * 1024:
            raise forms.ValidationError(_("Tệp quá lớn (tối đa 5 MB)."))
        return upload
