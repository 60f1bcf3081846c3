from decimal import Decimal

from django.conf import settings
from django.db import models

from tuson_hcc.ledgers.models import LedgerEntry


class SampleEntry(LedgerEntry):
    """A concrete ledger declared the way the seals and registrations apps declare theirs."""

    note = models.CharField(max_length=200)
    amount = models.DecimalField(max_digits=10, decimal_places=2, default=Decimal("0"))
    happened_on = models.DateField(null=True, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)

    chained_fields = ("note", "amount", "happened_on", "actor")

    class Meta(LedgerEntry.Meta):
        verbose_name = "mục thử"
