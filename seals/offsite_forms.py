"""Forms of the off-site workflow; the services check every rule again."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from procedures.selectors import procedures_in_force
from tuson_hcc.core.forms import DateField, DateTimeField, formfield

from .forms import procedure_from_text
from .models import OffsiteDecision, OffsiteRequest, Seal


class OffsiteRequestForm(forms.ModelForm):
    class Meta:
        model = OffsiteRequest
        fields = [
            "seal",
            "requested_by",
            "purpose",
            "procedures",
            "documents",
            "destination",
            "carrier",
            "starts_at",
            "due_back_at",
            "urgency",
        ]
        formfield_callback = formfield
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 2}),
            "documents": forms.Textarea(attrs={"rows": 2}),
            "procedures": forms.SelectMultiple(attrs={"size": 8}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        users = get_user_model().objects.filter(is_active=True).order_by("full_name")
        self.fields["seal"].queryset = Seal.objects.exclude(
            status__in=[Seal.Status.LOST, Seal.Status.RETIRED]
        ).select_related("agency")
        self.fields["procedures"].queryset = procedures_in_force(on=timezone.localdate()).order_by("code", "name")
        self.fields["procedures"].label_from_instance = lambda p: f"{p.code or '—'} {p.name} ({p.implementing_agency})"
        self.fields["carrier"].queryset = users
        self.fields["requested_by"].queryset = users
        if not user.has_role("van_thu"):
            # An official asks for themself; only the Văn thư writes a request down for someone else.
            self.fields["requested_by"].initial = user.pk
            self.fields["requested_by"].disabled = True
            self.fields["carrier"].initial = user.pk


class DecisionForm(forms.Form):
    step = forms.ChoiceField(choices=OffsiteDecision.Step.choices, widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput)
    approved = forms.TypedChoiceField(
        label=_("Quyết định"),
        choices=[("1", _("Đồng ý")), ("0", _("Không đồng ý"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(label=_("Ý kiến"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    scan = forms.FileField(label=_("Bản chụp văn bản đã ký (PDF, nếu có)"), required=False)


class CheckOutForm(forms.Form):
    carrier_password = forms.CharField(
        label=_("Người nhận con dấu nhập mật khẩu của mình để xác nhận"), widget=forms.PasswordInput(render_value=False)
    )


class ReturnForm(forms.Form):
    condition = forms.CharField(label=_("Tình trạng con dấu khi nhận lại"), max_length=255, initial="Nguyên vẹn")


class OffsiteStampingForm(forms.Form):
    """One stamping made off-site, logged at return; a blank row is ignored."""

    procedure = forms.CharField(label=_("Mã TTHC"), max_length=600, required=False)
    stamped_at = DateTimeField(label=_("Thời gian"), required=False)
    document_type = forms.CharField(label=_("Loại văn bản"), max_length=100, required=False)
    document_number = forms.CharField(label=_("Số, ký hiệu"), max_length=60, required=False)
    document_date = DateField(label=_("Ngày văn bản"), required=False)
    summary = forms.CharField(label=_("Trích yếu"), max_length=500, required=False)
    signer_name = forms.CharField(label=_("Người ký"), max_length=120, required=False)
    signer_position = forms.CharField(label=_("Chức vụ"), max_length=120, required=False)
    copies = forms.IntegerField(label=_("Số bản"), min_value=1, required=False, initial=1)
    is_signed = forms.BooleanField(label=_("Đã ký"), required=False)

    def clean(self):
        data = super().clean()
        if not data.get("procedure"):
            return data
        data["procedure"] = procedure_from_text(data["procedure"])
        if data["procedure"] is None:
            self.add_error("procedure", _("Không có thủ tục với mã này."))
        for name in ("stamped_at", "document_type", "document_date", "summary", "signer_name", "signer_position"):
            if not data.get(name):
                self.add_error(name, _("Bắt buộc."))
        return data

    def stamping(self) -> dict | None:
        data = self.cleaned_data
        if not data.get("procedure"):
            return None
        return {
            "procedure": data["procedure"],
            "stamped_at": data["stamped_at"],
            "document": {
                "document_type": data["document_type"],
                "document_number": data["document_number"],
                "document_date": data["document_date"],
                "summary": data["summary"],
                "signer_name": data["signer_name"],
                "signer_position": data["signer_position"],
                "is_signed": data["is_signed"],
                "copies": data["copies"] or 1,
                "impressions": data["copies"] or 1,
                "kind": "signature",
                "sheets": None,
                "requested_by": "",
                "dossier_code": "",
            },
        }


OffsiteStampingFormSet = forms.formset_factory(OffsiteStampingForm, extra=3, max_num=50)
