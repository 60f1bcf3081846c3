"""Forms of the intake desk and the public pages. Views turn BusinessRuleError into form errors."""

import uuid
from datetime import datetime, time

from crispy_forms.helper import FormHelper
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tuson_hcc.core.errors import BusinessRuleError
from tuson_hcc.core.forms import DateField

from .choices import AuthorisationKind, Channel, DeliveryPlace, IdKind, ItemForm, ItemState
from .online import pdf_upload_validate, upload_max_bytes
from .selectors import organisation_types_active, required_documents_for
from .services import CheckResult

TEXT = {"class": "form-control"}


def new_idempotency_key() -> str:
    return uuid.uuid4().hex


class _NoFormTag(FormHelper):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form_tag = False
        self.disable_csrf = True


class ChecklistMixin:
    """Fields per required document: `doc_<id>_state`, `doc_<id>_form` (Thủ tục bước 3) and `doc_<id>_scan`,
    the clerk's scan of the paper (optional, PDF; checked by the service like /submit/'s)."""

    def add_checklist(self, documents, initial: dict | None = None) -> None:
        initial = initial or {}
        self.checklist_rows = []
        for document in documents:
            states = [(v, label) for v, label in ItemState.choices if v != ItemState.UNCHECKED]
            if not document.conditional:
                states = [(v, label) for v, label in states if v != ItemState.NOT_APPLICABLE]
            state_name, form_name = f"doc_{document.pk}_state", f"doc_{document.pk}_form"
            current = initial.get(document.pk)
            self.fields[state_name] = forms.ChoiceField(
                label=document.name,
                choices=[("", _("— chọn —")), *states],
                initial=current.state if current and current.state != ItemState.UNCHECKED else "",
                widget=forms.Select(attrs={"class": "form-select form-select-sm", "data-checklist-state": ""}),
            )
            self.fields[form_name] = forms.ChoiceField(
                label=_("Hình thức"),
                required=False,
                choices=[("", _("—")), *ItemForm.choices],
                initial=current.form if current else "",
                widget=forms.Select(attrs={"class": "form-select form-select-sm", "data-checklist-form": ""}),
            )
            self.fields[f"doc_{document.pk}_scan"] = forms.FileField(
                label=_("Bản scan"),
                required=False,
                widget=forms.ClearableFileInput(
                    attrs={"class": "form-control form-control-sm", "accept": "application/pdf"}
                ),
            )
            self.checklist_rows.append((document, state_name, form_name))

    def checklist_results(self) -> dict:
        results = {}
        for document, state_name, form_name in self.checklist_rows:
            results[document.pk] = CheckResult(
                state=self.cleaned_data[state_name],
                form=self.cleaned_data.get(form_name) or "",
                scan=self.cleaned_data.get(f"doc_{document.pk}_scan") or None,
            )
        return results

    def bound_checklist(self):
        return [
            (document, self[state], self[form], self[f"doc_{document.pk}_scan"])
            for document, state, form in self.checklist_rows
        ]

    def clean_checklist(self) -> None:
        for _document, state_name, form_name in self.checklist_rows:
            state, form = self.cleaned_data.get(state_name), self.cleaned_data.get(form_name)
            if state in (ItemState.PRESENT, ItemState.INVALID) and not form:
                self.add_error(form_name, _("Chọn hình thức của giấy tờ."))


class OrganisationFieldsMixin(forms.Form):
    organisation_name = forms.CharField(label=_("Tên cơ quan, tổ chức"), max_length=255)
    organisation_type = forms.ModelChoiceField(label=_("Loại cơ quan, tổ chức"), queryset=None)
    organisation_address = forms.CharField(label=_("Địa chỉ trụ sở"), max_length=255)
    founding_document = forms.CharField(
        label=_("Quyết định thành lập / giấy phép"), max_length=255, help_text=_("Số, ngày, cơ quan cấp.")
    )
    applicant_name = forms.CharField(label=_("Họ tên người được cử đến"), max_length=150)
    applicant_id_kind = forms.ChoiceField(label=_("Giấy tờ tùy thân"), choices=IdKind.choices)
    applicant_id_number = forms.RegexField(
        label=_("Số giấy tờ"),
        regex=r"^[A-Za-z0-9]{6,20}$",
        error_messages={"invalid": _("Số giấy tờ gồm 6–20 chữ, số.")},
    )
    authorisation_kind = forms.ChoiceField(label=_("Giấy giới thiệu / ủy quyền"), choices=AuthorisationKind.choices)
    applicant_phone = forms.RegexField(
        label=_("Điện thoại"),
        regex=r"^[0-9 +.()-]{8,20}$",
        required=False,
        error_messages={"invalid": _("Số điện thoại không hợp lệ.")},
    )
    applicant_email = forms.EmailField(label=_("Thư điện tử"), required=False)

    def setup_organisation_fields(self) -> None:
        self.fields["organisation_type"].queryset = organisation_types_active()
        self.fields["organisation_type"].empty_label = _("— chọn loại —")

    def dossier_data(self) -> dict:
        names = [
            "organisation_name",
            "organisation_type",
            "organisation_address",
            "founding_document",
            "applicant_name",
            "applicant_id_kind",
            "applicant_id_number",
            "authorisation_kind",
            "applicant_phone",
            "applicant_email",
        ]
        data = {name: self.cleaned_data[name] for name in names}
        data["applicant_id_number"] = data["applicant_id_number"].upper()
        return data


class IntakeForm(ChecklistMixin, OrganisationFieldsMixin):
    """The counter's one-page intake: organisation, person sent, checklist, decision."""

    idempotency_key = forms.CharField(widget=forms.HiddenInput)
    channel = forms.ChoiceField(
        label=_("Hình thức nộp"),
        choices=[c for c in Channel.choices if c[0] != Channel.ONLINE],
        initial=Channel.IN_PERSON,
    )
    delivery_place = forms.ChoiceField(label=_("Nơi nhận kết quả"), choices=DeliveryPlace.choices)
    refusal_reason = forms.CharField(
        label=_("Từ chối tiếp nhận – lý do (chỉ ghi khi hồ sơ không đủ điều kiện)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    guidance_note = forms.CharField(
        label=_("Hướng dẫn thêm (in trên phiếu hướng dẫn nếu hồ sơ chưa đủ)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_organisation_fields()
        self.fields["organisation_type"].widget.attrs.update(
            {"hx-get": "checklist/", "hx-target": "#checklist", "hx-trigger": "change", "data-autofocus": ""}
        )
        self.fields["organisation_name"].widget.attrs["autocomplete"] = "off"
        if not self.is_bound:
            self.fields["idempotency_key"].initial = new_idempotency_key()
        self.organisation_type = None
        self.checklist_rows = []
        raw = self.data.get("organisation_type") if self.is_bound else None
        if raw:
            self.organisation_type = organisation_types_active().filter(pk=raw if str(raw).isdigit() else 0).first()
        if self.organisation_type is not None:
            self.add_checklist(required_documents_for(self.organisation_type))
        self.helper = _NoFormTag()

    def clean(self):
        cleaned = super().clean()
        self.clean_checklist()
        return cleaned

    def dossier_data(self) -> dict:
        return {
            **super().dossier_data(),
            "channel": self.cleaned_data["channel"],
            "delivery_place": self.cleaned_data["delivery_place"],
        }


class CheckForm(ChecklistMixin, forms.Form):
    """Check a received or completed dossier again (the applicant brought what was missing)."""

    refusal_reason = forms.CharField(
        label=_("Từ chối tiếp nhận – lý do"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    guidance_note = forms.CharField(label=_("Hướng dẫn thêm"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, dossier, **kwargs):
        super().__init__(*args, **kwargs)
        items = {item.required_document_id: item for item in dossier.checklist.select_related("required_document")}
        self.add_checklist([item.required_document for item in items.values()], initial=items)
        for document, state_name, _row in self.checklist_rows:
            self.fields[state_name].label = items[document.pk].name  # the wording it was received under
        self.helper = _NoFormTag()

    def clean(self):
        cleaned = super().clean()
        self.clean_checklist()
        return cleaned


class ApologyForm(forms.Form):
    new_due_date = DateField(label=_("Ngày hẹn mới"))
    new_due_time = forms.TimeField(
        label=_("Giờ hẹn"), initial=time(8, 0), widget=forms.TimeInput(attrs={"type": "time"})
    )
    reason = forms.CharField(label=_("Lý do chậm trả"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _NoFormTag()

    def new_due_at(self) -> datetime:
        return timezone.make_aware(
            datetime.combine(self.cleaned_data["new_due_date"], self.cleaned_data["new_due_time"])
        )


class ResultForm(forms.Form):
    """The result arrived (Thủ tục mục g): the Giấy chứng nhận's number, date and issuer, and the specimen's scan."""

    certificate_number = forms.CharField(label=_("Số Giấy chứng nhận đăng ký mẫu con dấu"), max_length=50)
    certificate_date = DateField(label=_("Ngày cấp"))
    issuing_authority = forms.CharField(
        label=_("Cơ quan cấp"), max_length=255, initial="Phòng Cảnh sát quản lý hành chính về trật tự xã hội"
    )
    specimen = forms.FileField(
        label=_("Bản scan mẫu con dấu (PDF hoặc ảnh PNG/JPEG)"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/png,image/jpeg"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _NoFormTag()


class ReturnForm(forms.Form):
    """Thủ tục bước 4: what was checked, who received, and their signature in the handover book."""

    recipient_name = forms.CharField(label=_("Họ tên người nhận"), max_length=150)
    recipient_id_kind = forms.ChoiceField(label=_("Giấy tờ tùy thân"), choices=IdKind.choices)
    recipient_id_number = forms.RegexField(
        label=_("Số giấy tờ"),
        regex=r"^[A-Za-z0-9]{6,20}$",
        error_messages={"invalid": _("Số giấy tờ gồm 6–20 chữ, số.")},
    )
    receipt_checked = forms.BooleanField(label=_("Đã kiểm tra Giấy tiếp nhận hồ sơ và hẹn trả kết quả"), required=False)
    identity_checked = forms.BooleanField(
        label=_("Đã kiểm tra Thẻ Căn cước công dân / CMND / Hộ chiếu của người nhận"), required=False
    )
    originals_checked = forms.BooleanField(
        label=_("Đã đối chiếu bản chính với bản scan (hồ sơ nộp trực tuyến)"), required=False
    )
    authorisation_checked = forms.BooleanField(
        label=_("Người nhận khác người nộp: đã kiểm tra giấy giới thiệu / ủy quyền"), required=False
    )
    signature_name = forms.CharField(
        label=_("Người nhận ký sổ: họ tên do người nhận tự ghi"),
        max_length=150,
        help_text=_("Người nhận tự nhập họ tên của mình trên máy tại quầy và ký vào sổ in."),
    )
    recipient_signed = forms.BooleanField(label=_("Người nhận đã ký vào sổ giao nhận con dấu"), required=False)
    note = forms.CharField(label=_("Ghi chú"), required=False, max_length=255)

    def __init__(self, *args, dossier, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.update(
                {
                    "recipient_name": dossier.applicant_name,
                    "recipient_id_kind": dossier.applicant_id_kind,
                    "recipient_id_number": dossier.applicant_id_number,
                }
            )
        if dossier.channel != Channel.ONLINE:
            del self.fields["originals_checked"]
        self.helper = _NoFormTag()

    def return_data(self):
        from .handover import ReturnData

        data = dict(self.cleaned_data)
        data["recipient_id_number"] = data["recipient_id_number"].upper()
        data.setdefault("originals_checked", False)
        return ReturnData(**data)


class PeriodForm(forms.Form):
    start = DateField(label=_("Từ ngày"))
    end = DateField(label=_("Đến ngày"))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("start") and cleaned.get("end") and cleaned["end"] < cleaned["start"]:
            raise forms.ValidationError(_("Ngày kết thúc phải sau ngày bắt đầu."))
        return cleaned


class OnlineSubmitForm(OrganisationFieldsMixin):
    """/submit/: the public online dossier, one scanned PDF (Thủ tục mục b)."""

    idempotency_key = forms.CharField(widget=forms.HiddenInput)
    scan = forms.FileField(
        label=_("Bản scan hồ sơ (01 tệp PDF)"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_organisation_fields()
        self.fields[
            "scan"
        ].help_text = f"Quét bản chính các giấy tờ thành 01 tệp PDF, tối đa {upload_max_bytes() // (1024 * 1024)} MB."
        self.fields["applicant_phone"].required = True
        self.fields["applicant_email"].required = True
        if not self.is_bound:
            self.fields["idempotency_key"].initial = new_idempotency_key()
        self.helper = _NoFormTag()

    def clean_idempotency_key(self):
        key = self.cleaned_data["idempotency_key"]
        if not key.isalnum() or len(key) > 64:
            raise forms.ValidationError(_("Biểu mẫu không hợp lệ, vui lòng tải lại trang."))
        return key

    def clean_scan(self):
        upload = self.cleaned_data["scan"]
        try:
            pdf_upload_validate(upload)
        except BusinessRuleError as error:
            raise forms.ValidationError(error.message) from error
        return upload


class LookupForm(forms.Form):
    code = forms.CharField(label=_("Mã hồ sơ"), max_length=40, widget=forms.TextInput(attrs={"autocomplete": "off"}))
    secret = forms.CharField(
        label=_("Mã tra cứu"), max_length=20, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _NoFormTag()


class CompletionForm(LookupForm):
    """/lookup/complete/: the completed PDF against the same mã hồ sơ, with the same checks as /submit/."""

    scan = forms.FileField(
        label=_("Bản scan hồ sơ đã hoàn thiện (01 tệp PDF)"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].widget = forms.HiddenInput()
        self.fields["secret"].widget = forms.HiddenInput()

    def clean_scan(self):
        upload = self.cleaned_data["scan"]
        try:
            pdf_upload_validate(upload)
        except BusinessRuleError as error:
            raise forms.ValidationError(error.message) from error
        return upload


class RatingForm(forms.Form):
    """The applicant's one rating (QĐ 766/QĐ-TTg): three levels and an optional comment."""

    value = forms.ChoiceField(label=_("Mức độ hài lòng"), widget=forms.RadioSelect)
    comment = forms.CharField(
        label=_("Góp ý (không bắt buộc)"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        from .models import Rating

        super().__init__(*args, **kwargs)
        self.fields["value"].choices = Rating.Value.choices
        self.helper = _NoFormTag()


class OnlineRatingForm(RatingForm):
    code = forms.CharField(widget=forms.HiddenInput, max_length=40)
    secret = forms.CharField(widget=forms.HiddenInput, max_length=20)
