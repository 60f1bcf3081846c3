"""Forms of the seal desk and the Director's pages; rules are checked again by the services."""

import uuid

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from procedures.models import Procedure
from tuson_hcc.core.forms import CHOOSE, DateField, DateTimeField, formfield

from .models import ExceptionAuthorisation, Seal, SealIncident, StampingEntry
from .models.stamping import DOCUMENT_FIELDS

DOCUMENT_TYPES = [
    "Quyết định",
    "Giấy chứng nhận",
    "Giấy phép",
    "Công văn",
    "Thông báo",
    "Bản sao từ sổ gốc",
    "Trích lục",
    "Giấy xác nhận",
]


def procedure_from_text(text: str) -> Procedure | None:
    """The desk types a code ("1.001612"), "#<id>" or picks "code — name" from the list."""
    key = text.split(" — ", 1)[0].strip()
    if not key:
        return None
    if key.startswith("#") and key[1:].isdigit():
        return Procedure.objects.select_related("implementing_agency").filter(pk=int(key[1:])).first()
    procedures = Procedure.objects.select_related("implementing_agency")
    # A code first; else the exact name typed without picking from the list.
    return procedures.filter(code=key).first() or procedures.filter(name__iexact=text.strip()).order_by("id").first()


def users_with_role(role: str):
    return get_user_model().objects.filter(groups__name=role, is_active=True).order_by("full_name")


class StampingForm(forms.Form):
    """The Văn thư's desk form. The Văn thư is the signed-in user: there is no field for it."""

    form_token = forms.CharField(widget=forms.HiddenInput)
    seal = forms.ModelChoiceField(label=_("Con dấu"), queryset=Seal.objects.none(), empty_label=None)
    procedure = forms.CharField(
        label=_("Thủ tục (mã hoặc tên)"),
        max_length=600,
        required=False,
        widget=forms.TextInput(attrs={"list": "procedure-options", "autofocus": True, "autocomplete": "off"}),
    )
    exception = forms.ModelChoiceField(
        label=_("Văn bản cho phép ngoài danh mục (Điều 5.3)"),
        queryset=ExceptionAuthorisation.objects.none(),
        required=False,
        empty_label=_("Không – TTHC trong danh mục"),
    )
    dossier_code = forms.CharField(label=_("Mã hồ sơ"), max_length=40, required=False)
    document_type = forms.CharField(
        label=_("Loại văn bản"),
        max_length=100,
        initial="Quyết định",
        widget=forms.TextInput(attrs={"list": "document-types", "autocomplete": "off"}),
    )
    document_number = forms.CharField(label=_("Số, ký hiệu"), max_length=60, required=False)
    document_date = DateField(label=_("Ngày văn bản"))
    summary = forms.CharField(label=_("Trích yếu"), max_length=500)
    signer_name = forms.CharField(label=_("Người ký"), max_length=120)
    signer_position = forms.CharField(label=_("Chức vụ người ký"), max_length=120)
    is_signed = forms.BooleanField(label=_("Văn bản đã có chữ ký của người có thẩm quyền"), required=False)
    copies = forms.IntegerField(label=_("Số bản"), min_value=1, max_value=10_000, initial=1)
    impressions = forms.IntegerField(label=_("Số lần đóng dấu"), min_value=1, max_value=100_000, initial=1)
    kind = forms.ChoiceField(
        label=_("Hình thức"), choices=StampingEntry.Kind.choices, initial=StampingEntry.Kind.ON_SIGNATURE
    )
    sheets = forms.IntegerField(label=_("Số tờ giáp lai"), min_value=1, required=False)
    requested_by = forms.CharField(label=_("Người đề nghị đóng dấu"), max_length=120)

    def __init__(self, *args, seals, exceptions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["seal"].queryset = seals
        self.fields["exception"].queryset = exceptions
        self.fields["document_date"].initial = timezone.localdate()
        self.fields["form_token"].initial = uuid.uuid4().hex

    def clean_procedure(self):
        text = self.cleaned_data["procedure"].strip()
        if not text:
            return None
        procedure = procedure_from_text(text)
        if procedure is None:
            raise forms.ValidationError(_("Không tìm thấy thủ tục này trong danh mục; hãy chọn từ danh sách gợi ý."))
        return procedure

    def document(self) -> dict:
        data = self.cleaned_data
        return {name: data.get(name) for name in (*DOCUMENT_FIELDS, "is_signed")}


class CorrectionForm(forms.Form):
    correction = forms.ChoiceField(label=_("Đính chính"), choices=StampingEntry.Correction.choices)
    reason = forms.CharField(label=_("Lý do"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    procedure = forms.CharField(label=_("Thủ tục (khi ghi lại)"), max_length=600, required=False)
    document_number = forms.CharField(label=_("Số, ký hiệu"), max_length=60, required=False)
    document_date = DateField(label=_("Ngày văn bản"), required=False)
    summary = forms.CharField(label=_("Trích yếu"), max_length=500, required=False)
    copies = forms.IntegerField(label=_("Số bản"), min_value=1, required=False)
    impressions = forms.IntegerField(label=_("Số lần đóng dấu"), min_value=1, required=False)

    def clean_procedure(self):
        text = self.cleaned_data["procedure"].strip()
        return procedure_from_text(text) if text else None

    def changes(self) -> dict:
        data = self.cleaned_data
        keys = ("document_number", "document_date", "summary", "copies", "impressions")
        return {key: data[key] for key in keys if data.get(key) not in (None, "")}


class HandOverForm(forms.Form):
    recipient = forms.ModelChoiceField(
        label=_("Người nhận"), queryset=get_user_model().objects.filter(is_active=True), empty_label=CHOOSE
    )
    condition = forms.CharField(label=_("Tình trạng con dấu"), max_length=255, initial="Nguyên vẹn")
    note = forms.CharField(label=_("Ghi chú"), max_length=500, required=False)


class TakeBackForm(forms.Form):
    condition = forms.CharField(label=_("Tình trạng con dấu khi nhận lại"), max_length=255, initial="Nguyên vẹn")
    note = forms.CharField(label=_("Ghi chú"), max_length=500, required=False)


class ConsentForm(forms.Form):
    recipient = forms.ModelChoiceField(
        label=_("Người được giao"), queryset=get_user_model().objects.filter(is_active=True), empty_label=CHOOSE
    )
    purpose = forms.CharField(label=_("Mục đích"), max_length=500)
    valid_until = DateTimeField(label=_("Hiệu lực đến"))


class IncidentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại sự cố"), choices=SealIncident.Kind.choices)
    description = forms.CharField(label=_("Mô tả"), widget=forms.Textarea(attrs={"rows": 3}))


class IncidentCloseForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Kết quả"), choices=SealIncident.Outcome.choices)
    resolution = forms.CharField(label=_("Biện pháp xử lý"), widget=forms.Textarea(attrs={"rows": 3}))


class ExceptionForm(forms.ModelForm):
    class Meta:
        model = ExceptionAuthorisation
        fields = [
            "seal",
            "document_number",
            "document_date",
            "signed_by",
            "scan",
            "purpose",
            "valid_from",
            "valid_until",
            "max_uses",
        ]
        formfield_callback = formfield


class InspectionForm(forms.Form):
    seals = forms.ModelMultipleChoiceField(
        label=_("Con dấu được kiểm tra"),
        queryset=Seal.objects.select_related("agency"),
        widget=forms.CheckboxSelectMultiple,
    )
    condition = forms.CharField(
        label=_("Tình trạng con dấu"), max_length=255, initial="Nguyên vẹn, bảo quản đúng nơi quy định"
    )
    findings = forms.CharField(label=_("Nhận xét, phát hiện"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    actions = forms.CharField(label=_("Biện pháp, kiến nghị"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
