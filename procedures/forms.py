from django import forms
from django.utils.translation import gettext_lazy as _

from tuson_hcc.core.forms import DateField


class AsOfForm(forms.Form):
    on = DateField(label=_("Xem nội dung tại ngày"), required=False)


class CatalogueUploadForm(forms.Form):
    file = forms.FileField(label=_("Tệp danh mục (.csv hoặc .xlsx)"))
    decision = forms.CharField(label=_("Số quyết định"), max_length=50)
    date = DateField(label=_("Ngày hiệu lực"))
    dry_run = forms.BooleanField(label=_("Chỉ kiểm tra, không ghi"), required=False)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Chỉ nhận tệp .csv hoặc .xlsx."))
        if upload.size > 5 * 1024 * 1024:
            raise forms.ValidationError(_("Tệp quá lớn (tối đa 5 MB)."))
        return upload
