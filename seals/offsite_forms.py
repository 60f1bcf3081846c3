"""Forms of the off-site workflow; the services check every rule again."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from procedures.selectors import procedures_in_force
from tuson_hcc.core.forms import DateField, DateTimeField, formfield

from .forms import procedure_from_text, procedure_label
from .models import OffsiteDecision, OffsiteRequest, Seal, StampingEntry
from .selectors import seal_procedure_options


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
            "procedures": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        users = get_user_model().objects.filter(is_active=True).order_by("full_name")
        self.fields["seal"].queryset = Seal.objects.exclude(
            status__in=[Seal.Status.LOST, Seal.Status.RETIRED]
        ).select_related("agency")
        self.fields["seal"].empty_label = _("— Chọn con dấu —")
        today = timezone.localdate()
        # Any procedure in force is accepted (the service names the rule a wrong one breaks); the list offers
        # only the chosen seal's, and seals.js refills it when the seal changes.
        self.fields["procedures"].queryset = procedures_in_force(on=today)
        self.fields["procedures"].widget.choices = self._offered_procedures(today)
        self.fields["carrier"].queryset = users
        self.fields["requested_by"].queryset = users
        if not user.has_role("van_thu"):
            # An official asks for themself; only the Văn thư writes a request down for someone else.
            self.fields["requested_by"].initial = user.pk
            self.fields["requested_by"].disabled = True
            self.fields["carrier"].initial = user.pk

    def _offered_procedures(self, today) -> list[tuple[int, str]]:
        seal_id = self.data.get(self.add_prefix("seal")) if self.is_bound else self.initial.get("seal")
        seal = self.fields["seal"].queryset.filter(pk=seal_id).first() if str(seal_id or "").isdigit() else None
        if seal is None:
            return []
        return [(pk, procedure_label(code, name)) for pk, code, name in seal_procedure_options(seal=seal, on=today)]


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
    """One stamping made off-site, logged at return with the desk's fields and rules (NĐ 30/2020, Điều 32–33);
    a row left blank is ignored, a row begun must be complete."""

    procedure = forms.CharField(label=_("Thủ tục (mã hoặc tên)"), max_length=600, required=False)
    stamped_at = DateTimeField(label=_("Thời gian đóng dấu"), required=False)
    dossier_code = forms.CharField(label=_("Mã hồ sơ"), max_length=40, required=False)
    document_type = forms.CharField(label=_("Loại văn bản"), max_length=100, required=False)
    document_number = forms.CharField(label=_("Số, ký hiệu"), max_length=60, required=False)
    document_date = DateField(label=_("Ngày văn bản"), required=False)
    summary = forms.CharField(label=_("Trích yếu"), max_length=500, required=False)
    signer_name = forms.CharField(label=_("Người ký"), max_length=120, required=False)
    signer_position = forms.CharField(label=_("Chức vụ người ký"), max_length=120, required=False)
    is_signed = forms.BooleanField(label=_("Văn bản đã có chữ ký của người có thẩm quyền"), required=False)
    copies = forms.IntegerField(label=_("Số bản"), min_value=1, max_value=10_000, required=False, initial=1)
    impressions = forms.IntegerField(
        label=_("Số lần đóng dấu"), min_value=1, max_value=100_000, required=False, initial=1
    )
    kind = forms.ChoiceField(
        label=_("Hình thức"), choices=StampingEntry.Kind.choices, initial=StampingEntry.Kind.ON_SIGNATURE
    )
    sheets = forms.IntegerField(label=_("Số tờ giáp lai"), min_value=1, required=False)

    # Required once a row is begun; the template marks them with *.
    REQUIRED = ("stamped_at", "document_type", "document_date", "summary", "signer_name", "signer_position")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            css = {"kind": "form-select form-select-sm", "is_signed": "form-check-input"}
            field.widget.attrs["class"] = css.get(name, "form-control form-control-sm")
        self.fields["procedure"].widget.attrs.update(list="offsite-procedures", autocomplete="off")

    def _post_clean(self):
        super()._post_clean()
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs["class"] += " is-invalid"

    def clean(self):
        data = super().clean()
        if not (data.get("procedure") or "").strip():
            if self.has_changed():
                self.add_error("procedure", _("Hãy ghi thủ tục của lần đóng dấu này."))
            return data
        data["procedure"] = procedure_from_text(data["procedure"])
        if data["procedure"] is None:
            self.add_error("procedure", _("Không tìm thấy thủ tục này trong danh mục."))
        for name in self.REQUIRED:
            if not data.get(name) and name not in self.errors:
                self.add_error(name, _("Hãy ghi {label}.").format(label=str(self.fields[name].label).lower()))
        return data

    def stamping(self) -> dict | None:
        data = self.cleaned_data
        if not data.get("procedure"):
            return None
        return {
            "procedure": data["procedure"],
            "stamped_at": data["stamped_at"],
            "document": {
                "dossier_code": data["dossier_code"],
                "document_type": data["document_type"],
                "document_number": data["document_number"],
                "document_date": data["document_date"],
                "summary": data["summary"],
                "signer_name": data["signer_name"],
                "signer_position": data["signer_position"],
                "is_signed": data["is_signed"],
                "copies": data["copies"] or 1,
                "impressions": data["impressions"] or 1,
                "kind": data["kind"],
                "sheets": data["sheets"],
                "requested_by": "",
            },
        }


OffsiteStampingFormSet = forms.formset_factory(OffsiteStampingForm, extra=2, max_num=50)
