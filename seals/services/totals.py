"""The per-day totals of the stamping log (`StampingDayTotal`), kept in step with the log on every write.

An entry counts while it stands: a correction takes the corrected entry away, and an amendment
adds itself (a void does not). The stamping services call `stamping_totals_apply` in their own
transaction, holding the seal's row lock, so two desks never race on one seal's day.
"""

from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, Sum
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from ..models import StampingDayTotal, StampingEntry

COUNTERS = ("entries", "copies", "impressions", "exceptions", "offsite")


def _contribution(entry: StampingEntry) -> dict[str, int]:
    return {
        "entries": 1,
        "copies": entry.copies,
        "impressions": entry.impressions,
        "exceptions": int(entry.exception_id is not None),
        "offsite": int(entry.place == StampingEntry.Place.OFFSITE),
    }


def stamping_totals_apply(*, entry: StampingEntry, sign: int) -> None:
    """Add (`sign=1`) or take away (`sign=-1`) one entry from its seal's local day."""
    day = timezone.localdate(entry.stamped_at)
    values = {name: sign * value for name, value in _contribution(entry).items()}
    rows = StampingDayTotal.objects.filter(seal_id=entry.seal_id, day=day)
    if not rows.update(**{name: F(name) + value for name, value in values.items()}):
        StampingDayTotal.objects.create(seal_id=entry.seal_id, day=day, **values)


def stamping_totals_rebuild(entry_model=StampingEntry, total_model=StampingDayTotal) -> int:
    """Recompute every day's totals from the log (after a bulk load, or in the migration that adds them)."""
    standing = entry_model.objects.exclude(correction="void").exclude(
        Exists(entry_model.objects.filter(corrects=OuterRef("pk")))
    )
    rows = (
        standing.annotate(day=TruncDate("stamped_at"))
        .values("seal_id", "day")
        .annotate(
            entries=Count("id"),
            copies_sum=Coalesce(Sum("copies"), 0, output_field=IntegerField()),
            impressions_sum=Coalesce(Sum("impressions"), 0, output_field=IntegerField()),
            exceptions=Count("id", filter=Q(exception__isnull=False)),
            offsite=Count("id", filter=Q(place="offsite")),
        )
        .order_by()
    )
    total_model.objects.all().delete()
    objects = [
        total_model(
            seal_id=r["seal_id"],
            day=r["day"],
            entries=r["entries"],
            copies=r["copies_sum"],
            impressions=r["impressions_sum"],
            exceptions=r["exceptions"],
            offsite=r["offsite"],
        )
        for r in rows.iterator(chunk_size=5000)
    ]
    total_model.objects.bulk_create(objects, batch_size=5000)
    return len(objects)
