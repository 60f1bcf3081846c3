"""The intake's documents (DESIGN.md section 3): Mẫu 01–06 of the one-stop form set, issued once each.

Every document goes through `tuson_hcc.documents.services.document_issue`: rendered once, stored
with SHA-256 and a number, re-served byte-identical, with a QR code to /verify/<token>/.
"""

import hashlib
from datetime import date

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from tuson_hcc.accounts.permissions import require_role
from tuson_hcc.accounts.roles import Role
from tuson_hcc.core.errors import BusinessRuleError
from tuson_hcc.core.models import IssuingBody
from tuson_hcc.documents.models import IssuedDocument
from tuson_hcc.documents.services import document_issue

from .choices import DocumentKind, DossierStatus, ItemState
from .models import Dossier
from .result import timeliness
from .selectors import register_dossiers_between

PROCEDURE_TITLE = "Đăng ký mẫu con dấu mới"
MAX_REGISTER_DAYS = 31

TEMPLATES = {
    DocumentKind.RECEIPT: "registrations/documents/mau_01.html",
    DocumentKind.GUIDANCE: "registrations/documents/mau_02.html",
    DocumentKind.REFUSAL: "registrations/documents/mau_03.html",
    DocumentKind.APOLOGY: "registrations/documents/mau_04.html",
    DocumentKind.CONTROL_SHEET: "registrations/documents/mau_05.html",
    DocumentKind.REGISTER: "registrations/documents/mau_06.html",
}


def _find(dossier: Dossier, kind: str, key: str = "") -> IssuedDocument | None:
    return IssuedDocument.objects.filter(
        content_type=ContentType.objects.get_for_model(Dossier), object_id=str(dossier.pk), kind=kind, key=key
    ).first()


def _outcome_kind_key(dossier: Dossier) -> tuple[str, str] | None:
    """The document that records the dossier's current outcome, and its key."""
    if dossier.status == DossierStatus.ACCEPTED and dossier.apology_count:
        return DocumentKind.APOLOGY, f"lan-{dossier.apology_count}"
    if dossier.status in (DossierStatus.ACCEPTED, DossierStatus.RESULT_READY, DossierStatus.RETURNED):
        return DocumentKind.RECEIPT, ""
    if dossier.status == DossierStatus.INCOMPLETE:
        return DocumentKind.GUIDANCE, f"lan-{dossier.completion_round}"
    if dossier.status == DossierStatus.REFUSED:
        return DocumentKind.REFUSAL, ""
    return None


def outcome_document(dossier: Dossier) -> IssuedDocument | None:
    """The already issued document of the current outcome (no rendering)."""
    kind_key = _outcome_kind_key(dossier)
    return _find(dossier, *kind_key) if kind_key else None


def outcome_document_missing(dossier: Dossier, documents: list[IssuedDocument] | None = None) -> bool:
    """Whether the current outcome's document is not issued yet; `documents`: the dossier's issued
    documents when the caller already holds them (the detail page), else they are looked up."""
    kind_key = _outcome_kind_key(dossier)
    if kind_key is None:
        return False
    if documents is None:
        return outcome_document(dossier) is None
    return not any((d.kind, d.key) == kind_key for d in documents)


def _summary(dossier: Dossier, **extra) -> dict:
    # What the public verification page shows: no ID numbers, no phone, no address of the person.
    summary = {"Mã hồ sơ": dossier.code, "Thủ tục": PROCEDURE_TITLE, "Cơ quan, tổ chức": dossier.organisation_name}
    return summary | extra


def _context(
    dossier: Dossier, *, checklist: list | None = None, issuing_body: IssuingBody | None = None, **extra
) -> dict:
    body = issuing_body or IssuingBody.current()
    return {
        "issuing_body": body,
        # Issued by the police intake desk at the Centre (Thủ tục bước 2).
        "body_parent_name": body.police_parent_name,
        "body_name": body.police_unit_name,
        "dossier": dossier,
        "checklist": list(dossier.checklist.all()) if checklist is None else checklist,
        "procedure_title": PROCEDURE_TITLE,
        "receiver": dossier.received_by,
        **extra,
    }


def _issue(
    dossier: Dossier,
    kind: DocumentKind,
    *,
    actor,
    key: str = "",
    page_size: str = "A4",
    known_new: bool = False,
    **context,
):
    summary = context.pop("summary", None) or _summary(dossier)
    return document_issue(
        kind=kind,
        title=kind.label,
        template_name=TEMPLATES[kind],
        context=_context(dossier, actor=actor, **context),
        subject=dossier,
        actor=actor,
        public_summary=summary,
        key=key,
        page_size=page_size,
        known_new=known_new,
    )


def dossier_paper_issue(*, dossier: Dossier, actor) -> IssuedDocument | None:
    """Issue (once) the document of the dossier's current outcome and return it."""
    require_role(actor, Role.TIEP_NHAN)
    dossier = Dossier.objects.select_related("received_by", "organisation_type").get(pk=dossier.pk)
    return dossier_paper_issue_current(dossier=dossier, actor=actor, checklist=list(dossier.checklist.all()))


def dossier_paper_issue_current(
    *,
    dossier: Dossier,
    actor,
    checklist: list,
    issuing_body: IssuingBody | None = None,
    created: bool = False,
) -> IssuedDocument | None:
    """`dossier_paper_issue` for a caller whose `dossier` (with received_by) and `checklist` are current.

    The intake service has just committed both, so they are not read again; nor is `issuing_body`
    when given. `created`: the caller created the dossier in its transaction just committed, so no
    document of it can be issued yet and none is looked for (the unique constraint of
    (subject, kind, key) still makes a duplicate impossible, and a concurrent issue's stands).
    """
    require_role(actor, Role.TIEP_NHAN)
    common = {"actor": actor, "checklist": checklist, "issuing_body": issuing_body, "known_new": created}
    if dossier.status in (DossierStatus.ACCEPTED, DossierStatus.RESULT_READY, DossierStatus.RETURNED):
        receipt = _receipt_issue(dossier, **common)
        if dossier.status != DossierStatus.ACCEPTED or not dossier.apology_count:
            return receipt
        return _issue(
            dossier,
            DocumentKind.APOLOGY,
            key=f"lan-{dossier.apology_count}",
            **common,
            summary=_summary(dossier, **{"Ngày hẹn trả mới": f"{timezone.localtime(dossier.due_at):%d/%m/%Y}"}),
        )
    if dossier.status == DossierStatus.INCOMPLETE:
        missing = [item for item in checklist if not item.is_satisfied]
        return _issue(
            dossier,
            DocumentKind.GUIDANCE,
            key=f"lan-{dossier.completion_round}",
            **common,
            missing=missing,
            unchecked_state=ItemState.UNCHECKED,
        )
    if dossier.status == DossierStatus.REFUSED:
        return _issue(dossier, DocumentKind.REFUSAL, **common)
    return None


def _receipt_issue(dossier: Dossier, *, actor, checklist: list | None = None, **issue_options) -> IssuedDocument:
    """Mẫu 01, A5, two copies (Liên 1: Lưu; Liên 2: Giao khách hàng), stored once.

    The lookup secret is never in it (issue 11 point 9): whoever may download the stored receipt
    must not read the applicant's secret. The applicant gets the secret on a separate slip printed
    at the counter (`secret_slip.html`, rendered on the fly, never stored) or by e-mail when online.
    """
    due = timezone.localtime(dossier.due_at)
    return _issue(
        dossier,
        DocumentKind.RECEIPT,
        actor=actor,
        page_size="A5",
        checklist=checklist,
        lookup_url=settings.PUBLIC_BASE_URL + reverse("registrations_public:lookup"),
        copies=["Liên 1: Lưu", "Liên 2: Giao khách hàng"],
        fit_pages=2,  # one A5 page per copy, however long the names and the list
        summary=_summary(dossier, **{"Ngày hẹn trả": f"{due:%d/%m/%Y}"}),
        **issue_options,
    )


def _person(user) -> str:
    position = f", {user.position}" if getattr(user, "position", "") else ""
    return f"{user}{position}"


def _verdict_on(day, appointment) -> str:
    if appointment is None:
        return ""
    return "Trước hạn" if day < appointment else ("Đúng hạn" if day == appointment else "Quá hạn")


def control_sheet_issue(*, dossier: Dossier, actor) -> IssuedDocument:
    """Mẫu 05 from the dossier's own history: each hand-off and early / on time / late.

    Issued again only when the history has grown (the key names the latest history row).
    """
    require_role(actor, Role.TIEP_NHAN)
    rows = list(dossier.history.select_related("history_user").order_by("history_date", "history_id"))
    appointment = timezone.localtime(dossier.appointment_at).date() if dossier.appointment_at else None
    steps = []
    # TT 01/2018 Mẫu 05: each hand-off (who gave, who received, when) judged against the appointment.
    for previous, row in zip([None, *rows], rows, strict=False):
        steps.append(
            {
                "at": row.history_date,
                "action": row.history_change_reason or "cập nhật",
                "giver": _person(previous.history_user)
                if previous and previous.history_user
                else f"{dossier.applicant_name} (người nộp hồ sơ)",
                "receiver": _person(row.history_user) if row.history_user else "Bộ phận tiếp nhận (trực tuyến)",
                "verdict": _verdict_on(timezone.localtime(row.history_date).date(), appointment),
            }
        )
    for entry in dossier.handovers.select_related("handed_by"):
        steps.append(
            {
                "at": entry.recorded_at,
                "action": f"trả kết quả ({entry.items}); ký sổ giao nhận {entry.chain_key} số {entry.sequence}",
                "giver": _person(entry.handed_by),
                "receiver": f"{entry.recipient_name} (người nhận kết quả)",
                "verdict": _verdict_on(timezone.localtime(entry.recorded_at).date(), appointment),
            }
        )
    steps.sort(key=lambda step: step["at"])
    overall = timeliness(dossier)
    if overall is not None:
        verdict = overall.label
    else:
        verdict = "Đang giải quyết" if dossier.status == DossierStatus.ACCEPTED else dossier.get_status_display()
    return _issue(
        dossier, DocumentKind.CONTROL_SHEET, actor=actor, key=f"h{rows[-1].history_id}", steps=steps, verdict=verdict
    )


def register_issue(*, start: date, end: date, actor) -> IssuedDocument:
    """Mẫu 06, the register of dossiers received from `start` to `end` (at most a month), one line each."""
    require_role(actor, Role.TIEP_NHAN)
    if end < start:
        raise BusinessRuleError("Ngày kết thúc phải sau ngày bắt đầu.")
    if (end - start).days >= MAX_REGISTER_DAYS:
        raise BusinessRuleError(f"In sổ theo dõi tối đa {MAX_REGISTER_DAYS} ngày mỗi lần.")
    dossiers = list(
        register_dossiers_between(start=start, end=end)
        .select_related("organisation_type")
        .prefetch_related("handovers")
    )
    for d in dossiers:
        # TT 01/2018 Mẫu 06: the result early / on time / late, and the recipient's signature at return.
        d.verdict = timeliness(d)
        d.handover = next(iter(d.handovers.all()), None)
    # The same lines give the same stored document; a changed line issues a new one.
    fingerprint = hashlib.sha256(
        "|".join(f"{d.pk}:{d.status}:{d.due_at}:{d.result_ready_at}:{d.returned_at}" for d in dossiers).encode()
    ).hexdigest()[:16]
    body = IssuingBody.current()
    return document_issue(
        kind=DocumentKind.REGISTER,
        title=DocumentKind.REGISTER.label,
        template_name=TEMPLATES[DocumentKind.REGISTER],
        context={
            "issuing_body": body,
            "body_parent_name": body.police_parent_name,
            "body_name": body.police_unit_name,
            "dossiers": dossiers,
            "start": start,
            "end": end,
            "procedure_title": PROCEDURE_TITLE,
        },
        subject=body,
        actor=actor,
        public_summary={"Sổ theo dõi hồ sơ": f"từ {start:%d/%m/%Y} đến {end:%d/%m/%Y}", "Số dòng": len(dossiers)},
        key=f"{start:%Y%m%d}-{end:%Y%m%d}-{fingerprint}",
    )
