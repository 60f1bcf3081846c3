"""The Centre's second seals, their custody, the stamping log and the off-site workflow."""

from .custody import CustodyEntry, HandoverConsent
from .offsite import OffsiteDecision, OffsiteRequest, SealCheckout, checkout_overdue
from .oversight import ExceptionAuthorisation, Inspection, SealIncident
from .seal import Seal
from .stamping import StampingEntry
from .totals import StampingDayTotal

__all__ = [
    "CustodyEntry",
    "ExceptionAuthorisation",
    "HandoverConsent",
    "Inspection",
    "OffsiteDecision",
    "OffsiteRequest",
    "Seal",
    "SealCheckout",
    "SealIncident",
    "StampingDayTotal",
    "StampingEntry",
    "checkout_overdue",
]
