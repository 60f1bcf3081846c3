"""Writes to the catalogue: decisions and their changes (Quy chế 157, Điều 3.2)."""

from datetime import date

from django.db import transaction

from tuson_hcc.core.errors import BusinessRuleError
from tuson_hcc.core.history import tracked_save

from .models import CatalogueChange, Decision, Procedure

# The published fields a decision states; kept in each change's snapshot.
PUBLISHED_FIELDS = ("code", "name", "field", "processing_days", "fees", "agency_note", "source")


def procedure_snapshot(procedure: Procedure) -> dict:
    snapshot = {name: getattr(procedure, name) for name in PUBLISHED_FIELDS}
    snapshot["implementing_agency"] = procedure.implementing_agency.name
    return snapshot


def decision_get_or_create(
    *, number: str, signed_on: date, effective_on: date, actor, issuer: str = "", title: str = ""
) -> Decision:
    decision = Decision.objects.filter(number=number).first()
    if decision is not None:
        if decision.effective_on != effective_on:
            raise BusinessRuleError(
                f"Quyết định {number} đã có với ngày hiệu lực {decision.effective_on:%d/%m/%Y}, "
                f"khác ngày {effective_on:%d/%m/%Y} vừa nhập."
            )
        return decision
    decision = Decision(number=number, signed_on=signed_on, effective_on=effective_on, title=title)
    if issuer:
        decision.issuer = issuer
    return tracked_save(decision, actor=actor, reason=f"ghi nhận Quyết định {number}")


@transaction.atomic
def catalogue_apply_change(
    *,
    decision: Decision,
    procedure: Procedure,
    action: str,
    actor,
    replaced_by: Procedure | None = None,
    note: str = "",
) -> CatalogueChange | None:
    """Record that `decision` adds, amends, replaces or abolishes `procedure` from its effective date.

    Returns None when the same change is already recorded with the same content (re-import).
    The procedure row must already hold the wording the decision published.
    """
    if action == CatalogueChange.Action.REPLACE and replaced_by is None:
        raise BusinessRuleError("Thay thế TTHC phải chỉ rõ TTHC thay thế.")
    snapshot = procedure_snapshot(procedure)
    existing = CatalogueChange.objects.filter(decision=decision, procedure=procedure, action=action).first()
    if existing is not None:
        if existing.snapshot == snapshot and existing.replaced_by_id == getattr(replaced_by, "pk", None):
            return None
        change = existing
    else:
        change = CatalogueChange(decision=decision, procedure=procedure, action=action)
    change.effective_on = decision.effective_on
    change.replaced_by = replaced_by
    change.snapshot = snapshot
    change.note = note
    label = CatalogueChange.Action(action).label.lower()
    return tracked_save(change, actor=actor, reason=f"{label} theo QĐ {decision.number}")


def procedure_save_published(*, procedure: Procedure, decision: Decision, actor) -> Procedure:
    """Save the wording a decision published for a procedure, with the decision in the history reason."""
    return tracked_save(procedure, actor=actor, reason=f"công bố theo QĐ {decision.number}")
