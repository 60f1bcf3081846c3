from django import forms
from django.utils import timezone

from tuson_hcc.accounts.models import Agency

from .models import Procedure


class ProcedureFilterForm(forms.Form):
    STATUS_CHOICES = [
        ("in_force", "Đang hiệu lực"),
        ("not_in_force", "Hết hiệu lực / bãi bỏ / thay thế"),
        ("all", "Tất cả"),
    ]

    q = forms.CharField(
        label="Tìm kiếm",
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "tên hoặc mã TTHC, có dấu hoặc không dấu"}),
    )
    field = forms.ChoiceField(label="Lĩnh vực", required=False)
    agency = forms.ModelChoiceField(label="Cơ quan thực hiện", queryset=Agency.objects.none(), required=False)
    status = forms.ChoiceField(label="Tình trạng", choices=STATUS_CHOICES, required=False, initial="in_force")
    on = forms.DateField(label="Tại ngày", required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.filter(procedures__isnull=False).distinct().order_by("name")
        fields = Procedure.objects.exclude(field="").order_by("field").values_list("field", flat=True).distinct()
        self.fields["field"].choices = [("", "Tất cả lĩnh vực")] + [(f, f) for f in fields]
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
    on = forms.DateField(label="Xem nội dung tại ngày", required=False, widget=forms.DateInput(attrs={"type": "date"}))


class CatalogueUploadForm(forms.Form):
    file = forms.FileField(label="Tệp danh mục (.csv hoặc .xlsx)")
    decision = forms.CharField(label="Số quyết định", max_length=50)
    date = forms.DateField(label="Ngày hiệu lực", widget=forms.DateInput(attrs={"type": "date"}))
    dry_run = forms.BooleanField(label="Chỉ kiểm tra, không ghi", required=False)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError("Chỉ nhận tệp .csv hoặc .xlsx.")
        if upload.size > 5 * 1024 * 1024:
            raise forms.ValidationError("Tệp quá lớn (tối đa 5 MB).")
        return upload
