"""The seal desk's printed papers: the register (sổ đóng dấu) and the off-site request.

Reading never issues (issue 11, point 6): a GET opens what was issued, or an unnumbered preview;
only the roles that issue, by a POST, make a numbered document (DESIGN.md section 3).
"""

import hashlib
from dataclasses import dataclass

from django.db.models import Model

from tuson_hcc.accounts.permissions import require_role, user_has_role
from tuson_hcc.accounts.roles import Role
from tuson_hcc.core.errors import BusinessRuleError
from tuson_hcc.core.models import IssuingBody
from tuson_hcc.documents.models import IssuedDocument
from tuson_hcc.documents.services import document_find, document_issue, document_number_for

from ..models import OffsiteRequest
from ..selectors import RegisterFilter, stamping_register, stamping_totals

REGISTER_KIND = "so_dong_dau"
REGISTER_MAX_ROWS = 5000
OFFSITE_KIND = "de_nghi_mang_dau"


@dataclass
class Paper:
    """What a document would be: issued as is by `paper_issue`, or shown as a preview."""

    kind: str
    title: str
    template_name: str
    context: dict
    subject: Model
    key: str
    public_summary: dict
    # A later version of the same paper keeps the "Số" its first issue was given (one request, one number).
    keeps_number: bool = False


def paper_find(paper: Paper) -> IssuedDocument | None:
    return document_find(subject=paper.subject, kind=paper.kind, key=paper.key)


def _issue(paper: Paper, *, actor) -> IssuedDocument:
    return document_issue(
        kind=paper.kind,
        number=document_number_for(paper.subject, paper.kind) if paper.keeps_number else None,
        title=paper.title,
        template_name=paper.template_name,
        context=paper.context,
        subject=paper.subject,
        actor=actor,
        key=paper.key,
        page_size="A4",
        public_summary=paper.public_summary,
    )


def register_paper(*, criteria: RegisterFilter, prepared_by) -> Paper:
    """The register for a day or range; the key names exactly what is printed, so a later entry makes a new one."""
    rows = list(stamping_register(criteria=criteria).order_by("stamped_at", "id")[: REGISTER_MAX_ROWS + 1])
    truncated = len(rows) > REGISTER_MAX_ROWS
    rows = rows[:REGISTER_MAX_ROWS]
    filters = "|".join(
        "" if v is None else str(getattr(v, "pk", v))
        for v in (
            criteria.date_from,
            criteria.date_to,
            criteria.seal,
            criteria.procedure,
            criteria.clerk,
            criteria.requester,
            criteria.dossier_code,
        )
    )
    last = max((e.pk for e in rows), default=0)
    body = IssuingBody.current()
    return Paper(
        kind=REGISTER_KIND,
        title="Sổ đóng dấu",
        template_name="seals/documents/register.html",
        context={
            "entries": rows,
            "criteria": criteria,
            "totals": stamping_totals(criteria=criteria),
            "truncated": truncated,
            "body": body,
            "generated_by": prepared_by,
        },
        subject=body,
        key=f"{hashlib.sha256(filters.encode()).hexdigest()[:40]}|{len(rows)}|{last}",
        public_summary={
            "Sổ đóng dấu": f"{criteria.date_from:%d/%m/%Y} – {criteria.date_to:%d/%m/%Y}",
            "Số mục": str(len(rows)),
        },
    )


def register_document_issue(*, criteria: RegisterFilter, actor) -> IssuedDocument:
    """The Văn thư issues the register she keeps (Quy chế 157, Điều 7.5; NĐ 30/2020, Điều 33)."""
    require_role(actor, Role.VAN_THU)
    return _issue(register_paper(criteria=criteria, prepared_by=actor), actor=actor)


def offsite_paper(*, offsite: OffsiteRequest) -> Paper:
    """The request with its decisions; a new version or decision makes a new document."""
    decisions = list(offsite.decisions.select_related("decided_by").order_by("decided_at", "id"))
    return Paper(
        kind=OFFSITE_KIND,
        title="Đề nghị mang con dấu ra ngoài Trung tâm",
        template_name="seals/documents/offsite_request.html",
        context={
            "offsite": offsite,
            "decisions": decisions,
            "body": IssuingBody.current(),
            "procedures": list(offsite.procedures.all()),
        },
        subject=offsite,
        key=f"v{offsite.version}-d{len(decisions)}-{offsite.status}",
        public_summary={
            "Con dấu": offsite.seal.code,
            "Trạng thái": offsite.get_status_display(),
        },
        keeps_number=True,
    )


def offsite_document_may_issue(*, offsite: OffsiteRequest, actor) -> bool:
    """The requester prints the request he asks with (Quy chế 157, Điều 8.4); the Văn thư files it (Điều 7.5)."""
    if offsite.status == OffsiteRequest.Status.DRAFT:
        return False
    return user_has_role(actor, Role.VAN_THU) or (actor.is_authenticated and offsite.requested_by_id == actor.pk)


def offsite_document_issue(*, offsite: OffsiteRequest, actor) -> IssuedDocument:
    if offsite.status == OffsiteRequest.Status.DRAFT:
        raise BusinessRuleError("Đề nghị còn là bản nháp: hãy gửi đề nghị trước khi in.")
    if not offsite_document_may_issue(offsite=offsite, actor=actor):
        raise BusinessRuleError(
            "Chỉ người đề nghị hoặc Văn thư được phát hành bản in đề nghị mang con dấu ra ngoài "
            "(Quy chế 157, Điều 7.5 và 8.4)."
        )
    return _issue(offsite_paper(offsite=offsite), actor=actor)
