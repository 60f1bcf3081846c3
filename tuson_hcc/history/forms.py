"""Filter forms of the auditor pages; each turns the query string into a selector's criteria."""

from django import forms
from django.utils.translation import gettext_lazy as _

from tuson_hcc.accounts.models import User
from tuson_hcc.audit.models import AccessEvent
from tuson_hcc.ledgers.services import ledger_label
from tuson_hcc.ledgers.verify import ledger_models

from .catalog import HISTORY_TYPES, tracked_models
from .selectors import HistoryFilter

DATE = forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d")


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


class HistoryFilterForm(_Styled):
    model = forms.ChoiceField(label=_("Loại bản ghi"), required=False)
    object_id = forms.CharField(label=_("Mã bản ghi"), required=False, max_length=64)
    user = forms.ModelChoiceField(label=_("Người thực hiện"), queryset=User.objects.none(), required=False)
    reason = forms.CharField(label=_("Lý do / thao tác"), required=False, max_length=100)
    history_type = forms.ChoiceField(
        label=_("Loại thay đổi"), required=False, choices=[("", _("Tất cả")), *HISTORY_TYPES.items()]
    )
    date_from = forms.DateField(label=_("Từ ngày"), required=False, widget=DATE)
    date_to = forms.DateField(label=_("Đến ngày"), required=False, widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["model"].choices = [("", _("Tất cả"))] + [
            (t.label, t.verbose_name) for t in sorted(tracked_models(), key=lambda t: t.verbose_name.lower())
        ]
        self.fields["user"].queryset = User.objects.order_by("full_name", "username")

    def criteria(self) -> HistoryFilter:
        data = self.cleaned_data if self.is_valid() else {}
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


class AccessFilterForm(_Styled):
    kind = forms.ChoiceField(label=_("Loại sự kiện"), required=False)
    user = forms.ModelChoiceField(label=_("Người dùng"), queryset=User.objects.none(), required=False)
    username = forms.CharField(label=_("Tên đăng nhập (kể cả đăng nhập sai)"), required=False, max_length=150)
    ip = forms.GenericIPAddressField(label=_("Địa chỉ IP"), required=False)
    date_from = forms.DateField(label=_("Từ ngày"), required=False, widget=DATE)
    date_to = forms.DateField(label=_("Đến ngày"), required=False, widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("Tất cả")), *AccessEvent.Kind.choices]
        self.fields["user"].queryset = User.objects.order_by("full_name", "username")

    def criteria(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        user = data.get("user")
        return {
            "kind": data.get("kind") or "",
            "user_id": user.pk if user else None,
            "username": (data.get("username") or "").strip(),
            "ip": data.get("ip") or "",
            "date_from": data.get("date_from"),
            "date_to": data.get("date_to"),
        }


class VerifyForm(forms.Form):
    """“Kiểm tra ngay”: one ledger, or every ledger when left empty."""

    ledger = forms.ChoiceField(label=_("Sổ"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ledger"].choices = [("", _("Tất cả các sổ"))] + [
            (ledger_label(m), str(m._meta.verbose_name)) for m in ledger_models()
        ]


class PeriodForm(_Styled):
    date_from = forms.DateField(label=_("Từ ngày"), required=False, widget=DATE)
    date_to = forms.DateField(label=_("Đến ngày"), required=False, widget=DATE)
