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


def procedure_label(code: str, name: str) -> str:
    """How the desk shows and takes a procedure: "code — name", or the name alone; never a database id."""
    return f"{code} — {name}" if code else name


def procedure_from_text(text: str, *, seal: Seal | None = None) -> Procedure | None:
    """The desk types a code ("1.001612"), picks "code — name" from the list, or types the exact name.

    `seal`: when names repeat, prefer a procedure of the agencies this seal serves.
    """
    text = (text or "").strip()
    key = text.split(" — ", 1)[0].strip()
    if not key:
        return None
    procedures = Procedure.objects.select_related("implementing_agency")
    by_code = procedures.filter(code=key).first()
    if by_code is not None:
        return by_code
    named = procedures.filter(name__iexact=text).order_by("id")
    if seal is not None:
        return named.filter(implementing_agency_id__in=seal.agency_ids_served()).first() or named.first()
    return named.first()


def users_with_role(role: str):
    return get_user_model().objects.filter(groups__name=role, is_active=True).order_by("full_name")


def offer_choices(field: forms.ModelChoiceField, offered, *, empty_label=None) -> None:
    """Show only `offered` in the select, but accept any row of the field's queryset: a choice that became
    unusable after the form was opened (a used-up authorisation, a seal taken away) reaches the service,
    whose message names the rule, instead of "Hãy chọn một lựa chọn hợp lệ"."""
    choices = [(obj.pk, str(obj)) for obj in offered]
    field.widget.choices = ([("", empty_label)] if empty_label is not None else []) + choices


class DeskDateInput(forms.TextInput):
    """dd/mm/yyyy typed in one box: one Tab stop, whatever the browser's language."""

    def __init__(self):
        super().__init__(attrs={"inputmode": "numeric", "placeholder": "dd/mm/yyyy", "autocomplete": "off"})
        self.format = "%d/%m/%Y"

    def format_value(self, value):
        if hasattr(value, "strftime"):
            return value.strftime(self.format)
        return super().format_value(value)


class StampingForm(forms.Form):
    """The Văn thư's desk form. The Văn thư is the signed-in user: there is no field for it."""

    form_token = forms.CharField(widget=forms.HiddenInput)
    seal = forms.ModelChoiceField(label=_("Con dấu"), queryset=Seal.objects.select_related("agency"))
    procedure = forms.CharField(
        label=_("Thủ tục (mã hoặc tên)"),
        max_length=600,
        required=False,
        widget=forms.TextInput(attrs={"list": "procedure-options", "autofocus": True, "autocomplete": "off"}),
    )
    exception = forms.ModelChoiceField(
        label=_("Văn bản cho phép ngoài danh mục (Điều 5.3)"),
        queryset=ExceptionAuthorisation.objects.select_related("seal"),
        required=False,
    )
    dossier_code = forms.CharField(label=_("Mã hồ sơ"), max_length=40, required=False)
    document_type = forms.CharField(
        label=_("Loại văn bản"),
        max_length=100,
        initial="Quyết định",
        widget=forms.TextInput(attrs={"list": "document-types", "autocomplete": "off"}),
    )
    document_number = forms.CharField(label=_("Số, ký hiệu"), max_length=60, required=False)
    document_date = forms.DateField(
        label=_("Ngày văn bản (dd/mm/yyyy)"), widget=DeskDateInput(), input_formats=["%d/%m/%Y", "%Y-%m-%d"]
    )
    summary = forms.CharField(label=_("Trích yếu"), max_length=500)
    signer_name = forms.CharField(label=_("Người ký"), max_length=120)
    signer_position = forms.CharField(label=_("Chức vụ người ký"), max_length=120)
    keep_signer = forms.BooleanField(label=_("Cùng người ký cho các văn bản tiếp theo"), required=False)
    is_signed = forms.BooleanField(label=_("Văn bản đã có chữ ký của người có thẩm quyền"), required=False)
    copies = forms.IntegerField(label=_("Số bản"), min_value=1, max_value=10_000, initial=1)
    impressions = forms.IntegerField(label=_("Số lần đóng dấu"), min_value=1, max_value=100_000, initial=1)
    kind = forms.ChoiceField(
        label=_("Hình thức"), choices=StampingEntry.Kind.choices, initial=StampingEntry.Kind.ON_SIGNATURE
    )
    sheets = forms.IntegerField(label=_("Số tờ giáp lai"), min_value=1, required=False)
    requested_by = forms.CharField(label=_("Người đề nghị đóng dấu"), max_length=120)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document_date"].initial = timezone.localdate()
        self.fields["form_token"].initial = uuid.uuid4().hex

    def offer(self, *, seals, exceptions) -> None:
        """What the select boxes show, set only when the form is shown: a valid POST never reads them."""
        offer_choices(self.fields["seal"], seals, empty_label=_("— Chọn con dấu —"))
        offer_choices(self.fields["exception"], exceptions, empty_label=_("Không – TTHC trong danh mục"))

    def clean(self):
        data = super().clean()
        text = (data.get("procedure") or "").strip()
        seal = data.get("seal")
        data["procedure"] = None
        if text:
            data["procedure"] = procedure_from_text(text, seal=seal)
            if data["procedure"] is None:
                self.add_error(
                    "procedure", _("Không tìm thấy thủ tục này trong danh mục; hãy chọn từ danh sách gợi ý.")
                )
        return data

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
