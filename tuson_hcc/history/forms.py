"""Forms of the auditor pages other than the filter bars (`filters.py`): the ledger check and the report period."""

from django import forms
from django.utils.translation import gettext_lazy as _

from tuson_hcc.core.forms import DateField
from tuson_hcc.ledgers.services import ledger_label
from tuson_hcc.ledgers.verify import ledger_models


class _Styled(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for f in self.fields.values():
            css = "form-select" if isinstance(f.widget, forms.Select) else "form-control"
            f.widget.attrs.setdefault("class", css)

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError(_("“Từ ngày” phải trước hoặc bằng “đến ngày”."))
        return data


class VerifyForm(forms.Form):
    """“Kiểm tra ngay”: one ledger, or every ledger when left empty."""

    ledger = forms.ChoiceField(label=_("Sổ"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ledger"].choices = [("", _("Tất cả các sổ"))] + [
            (ledger_label(m), str(m._meta.verbose_name)) for m in ledger_models()
        ]


class PeriodForm(_Styled):
    date_from = DateField(label=_("Từ ngày"), required=False)
    date_to = DateField(label=_("Đến ngày"), required=False)
