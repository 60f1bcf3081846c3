"""Sample data for the intake's forms (Mẫu 01–06, sổ giao nhận): `make forms-gallery` and the PDF layout tests.

"worst" is issue 13's worst case: organisation name and address of about 150 characters each, the
longest dossier list fully ticked, 30 missing items, long names. Unsaved rows only: nothing is written.
"""

import datetime as dt

from django.utils import timezone

from tuson_hcc.accounts.models import User
from tuson_hcc.core.models import IssuingBody
from tuson_hcc.core.registry import DocumentSample

from .choices import Channel, DocumentKind, DossierStatus, IdKind, ItemForm, ItemState, Timeliness
from .models import ChecklistItem, Dossier, HandoverEntry, OrganisationType
from .paperwork import PROCEDURE_TITLE, TEMPLATES
from .selectors import required_documents_for

LONG_ORGANISATION = (
    "Hợp tác xã dịch vụ nông nghiệp, thương mại, vận tải và xây dựng tổng hợp Đồng Kỵ – Phù Khê – Hương Mạc "
    "– Tam Sơn – Tương Giang thành phố Từ Sơn"
)
LONG_ADDRESS = (
    "Số 1.234, đường Lý Thái Tổ kéo dài, khu phố Đa Hội, phường Châu Khê, thành phố Từ Sơn, tỉnh Bắc Ninh "
    "(cạnh cổng chợ đồ gỗ mỹ nghệ Đồng Kỵ, tầng 3, phòng 301)"
)
LONG_PERSON = "Nguyễn Hoàng Phương Thảo Tôn Nữ Bảo Ngọc Trâm"
LONG_OFFICER = "Trần Thị Thanh Hương Nguyễn Phước Minh Khai"


def _at(day: int, hour: int = 9, minute: int = 5) -> dt.datetime:
    return timezone.make_aware(dt.datetime(2026, 2, day, hour, minute))


def _body() -> IssuingBody:
    return IssuingBody()  # the configured defaults; the gallery shows the layout, not a deployment's data


def _officer(worst: bool) -> User:
    return User(username="tiepnhan", full_name=LONG_OFFICER if worst else "Lê Văn Tiếp", position="Cán bộ tiếp nhận")


def _dossier(worst: bool, **extra) -> Dossier:
    officer = _officer(worst)
    fields = {"code": "HCCTS-260225-0123", "register_number": 123, "status": DossierStatus.ACCEPTED} | extra
    return Dossier(
        register_year=2026,
        channel=Channel.IN_PERSON,
        organisation_name=LONG_ORGANISATION if worst else "Công ty TNHH Đồ gỗ Đồng Kỵ",
        organisation_address=LONG_ADDRESS if worst else "Phường Đồng Kỵ, thành phố Từ Sơn, tỉnh Bắc Ninh",
        applicant_name=LONG_PERSON if worst else "Nguyễn Văn An",
        applicant_id_kind=IdKind.CCCD,
        applicant_id_number="027090001234",
        authorisation_kind="gioi_thieu",
        applicant_phone="0912 345 678",
        applicant_email="phongtochuc.hanhchinh.hoptacxa@dongky-phukhe-huongmac.example.vn" if worst else "",
        sets_count=1,
        received_at=_at(25),
        accepted_at=_at(25),
        due_at=_at(27, 16, 30),
        original_due_at=_at(27, 16, 30),
        received_by=officer,
        **fields,
    )


def _longest_checklist() -> list[ChecklistItem]:
    """The organisation type whose dossier list is longest, every item present (read-only)."""
    types = list(OrganisationType.objects.filter(is_active=True))
    lists = [required_documents_for(t) for t in types]
    documents = max(lists, key=lambda docs: (len(docs), sum(len(d.name) for d in docs)), default=[])
    return [
        ChecklistItem(name=d.name, order=i, state=ItemState.PRESENT, form=ItemForm.CERTIFIED)
        for i, d in enumerate(documents)
    ]


def _typical_checklist() -> list[ChecklistItem]:
    return [
        ChecklistItem(name="Giấy giới thiệu của người được cử đến", state=ItemState.PRESENT, form=ItemForm.ORIGINAL),
        ChecklistItem(name="Giấy chứng nhận đăng ký doanh nghiệp", state=ItemState.PRESENT, form=ItemForm.CERTIFIED),
    ]


def _common(worst: bool) -> dict:
    body = _body()
    return {
        "issuing_body": body,
        "body_parent_name": body.police_parent_name,
        "body_name": body.police_unit_name,
        "procedure_title": PROCEDURE_TITLE,
        "actor": _officer(worst),
        "receiver": _officer(worst),
    }


def receipt_context(variant: str) -> dict:
    worst = variant == "worst"
    dossier = _dossier(worst)
    return {
        **_common(worst),
        "dossier": dossier,
        "checklist": _longest_checklist() if worst else _typical_checklist(),
        "secret": "K7M2-Q9XD",
        "lookup_url": "https://hcc.tuson.bacninh.gov.vn/lookup/",
        "copies": ["Liên 1: Lưu", "Liên 2: Giao khách hàng"],
        "fit_pages": 2,
    }


def guidance_context(variant: str) -> dict:
    worst = variant == "worst"
    dossier = _dossier(
        worst,
        completion_round=2,
        guidance_note=(
            "Đề nghị nộp bản sao có chứng thực, không nhận bản photo không công chứng. " * 3 if worst else ""
        ),
    )
    count = 30 if worst else 2
    missing = [
        ChecklistItem(
            name=(
                f"Văn bản số {i + 1} của cơ quan có thẩm quyền chấp thuận việc thành lập tổ chức trực thuộc và quy "
                "định về tổ chức, hoạt động theo quy định của pháp luật"
                if worst
                else ["Giấy giới thiệu của người được cử đến", "Quyết định thành lập"][i]
            ),
            state=[ItemState.MISSING, ItemState.INVALID, ItemState.UNCHECKED][i % 3],
            note="bản photo không rõ dấu" if worst and i % 4 == 0 else "",
        )
        for i in range(count)
    ]
    return {**_common(worst), "dossier": dossier, "missing": missing, "unchecked_state": ItemState.UNCHECKED}


def refusal_context(variant: str) -> dict:
    worst = variant == "worst"
    reason = (
        "Tổ chức chưa được cơ quan có thẩm quyền cho phép thành lập theo quy định; "
        "giấy tờ nộp không thuộc thành phần hồ sơ của thủ tục đăng ký mẫu con dấu mới.\n" * (4 if worst else 1)
    )
    dossier = _dossier(worst, status=DossierStatus.REFUSED, refusal_reason=reason.strip())
    return {**_common(worst), "dossier": dossier}


def apology_context(variant: str) -> dict:
    worst = variant == "worst"
    reason = "Cơ sở khắc dấu chưa giao con dấu đúng hạn do sự cố thiết bị. " * (5 if worst else 1)
    dossier = _dossier(worst, apology_count=1, apology_reason=reason.strip())
    dossier.original_due_at, dossier.due_at = _at(26, 16, 30), _at(3, 16, 30) + dt.timedelta(days=28)
    return {**_common(worst), "dossier": dossier}


def control_sheet_context(variant: str) -> dict:
    worst = variant == "worst"
    actions = ["tiếp nhận hồ sơ", "kiểm tra hồ sơ", "chuyển khắc dấu", "nhận kết quả", "trả kết quả"]
    count = 40 if worst else 5
    steps = [
        {
            "at": _at(25) + dt.timedelta(hours=3 * i),
            "action": actions[i % len(actions)],
            "giver": (LONG_OFFICER + ", Phòng Cảnh sát quản lý hành chính về trật tự xã hội")
            if worst
            else "Lê Văn Tiếp",
            "receiver": (LONG_PERSON + ", Cơ sở khắc dấu") if worst else "Cơ sở khắc dấu",
            "verdict": "Trước hạn" if i < count - 1 else "Đúng hạn",
        }
        for i in range(count)
    ]
    return {**_common(worst), "dossier": _dossier(worst), "steps": steps, "verdict": "Đúng hạn"}


def register_context(variant: str) -> dict:
    """Every column filled as the office fills it: early, on time, late, not yet returned, apology, refusal."""
    worst = variant == "worst"
    officer = _officer(worst)
    dossiers = []
    verdicts = [Timeliness.EARLY, Timeliness.ON_TIME, Timeliness.LATE, None, Timeliness.ON_TIME, Timeliness.LATE]
    for i in range(40 if worst else 6):
        dossier = _dossier(worst, register_number=i + 1, code=f"HCCTS-2602{i % 28 + 1:02d}-{i + 1:04d}")
        dossier.verdict = verdicts[i % len(verdicts)]
        dossier.handover = None
        if i % len(verdicts) in (0, 1, 2):
            dossier.status = DossierStatus.RETURNED
            dossier.returned_at = _at([26, 27, 28][i % 3], 10)
            dossier.handover = HandoverEntry(
                sequence=i + 1, signature_name=LONG_PERSON if worst else "Nguyễn Văn An", handed_by=officer
            )
        elif i % len(verdicts) == 4:
            dossier.status = DossierStatus.RESULT_READY
        elif i % len(verdicts) == 5:
            dossier.apology_count = 1
            dossier.due_at = _at(3, 16, 30) + dt.timedelta(days=28)
        dossiers.append(dossier)
    if not worst:
        dossiers[3].status = DossierStatus.REFUSED
    common = _common(worst)
    return {**common, "dossiers": dossiers, "start": dt.date(2026, 2, 1), "end": dt.date(2026, 2, 28)}


def handover_book_context(variant: str) -> dict:
    worst = variant == "worst"
    officer = _officer(worst)
    entries = [
        HandoverEntry(
            chain_key="HCCTS:2026",
            sequence=i + 1,
            recorded_at=_at(27, 10) + dt.timedelta(minutes=17 * i),
            dossier_code=f"HCCTS-260225-{i + 1:04d}",
            organisation_name=LONG_ORGANISATION if worst else "Công ty TNHH Đồ gỗ Đồng Kỵ",
            items="Con dấu; Giấy chứng nhận đăng ký mẫu con dấu",
            recipient_name=LONG_PERSON if worst else "Nguyễn Văn An",
            recipient_id_kind=IdKind.CCCD,
            recipient_id_number="027090001234",
            checks="Giấy tiếp nhận hồ sơ, giấy tờ tùy thân của người nhận, giấy giới thiệu / ủy quyền của người nhận",
            recipient_signed=True,
            signature_name=LONG_PERSON if worst else "Nguyễn Văn An",
            handed_by=officer,
            entry_hash="9f2c" * 16,
        )
        for i in range(30 if worst else 4)
    ]
    return {**_common(worst), "entries": entries, "start": dt.date(2026, 1, 1), "end": dt.date(2026, 12, 31)}


def samples() -> list[DocumentSample]:
    def sample(kind, context, **extra):
        return DocumentSample(
            name=f"registrations-{kind}",
            kind=kind,
            title=kind.label,
            template_name=TEMPLATES.get(kind, ""),
            context=context,
            **extra,
        )

    return [
        sample(DocumentKind.RECEIPT, receipt_context, page_size="A5", warm_up=True),
        sample(DocumentKind.GUIDANCE, guidance_context),
        sample(DocumentKind.REFUSAL, refusal_context),
        sample(DocumentKind.APOLOGY, apology_context),
        sample(DocumentKind.CONTROL_SHEET, control_sheet_context, signature_marker=None),
        sample(DocumentKind.REGISTER, register_context, signature_marker=None),
        DocumentSample(
            name="registrations-so_giao_nhan",
            kind=DocumentKind.HANDOVER_BOOK,
            title=DocumentKind.HANDOVER_BOOK.label,
            template_name="registrations/documents/so_giao_nhan.html",
            context=handover_book_context,
            signature_marker=None,
        ),
    ]
