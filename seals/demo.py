"""Demo seals, stampings and oversight records; `--scale large` grows the log to 1,000,000 entries."""

import random
import zlib
from collections.abc import Iterator
from datetime import datetime, time, timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from procedures.selectors import procedures_in_force
from tuson_hcc.accounts.models import Agency, User
from tuson_hcc.core.dbops import indexes_built_after
from tuson_hcc.ledgers.services import ledger_bulk_load, ledger_bulk_load_chains

from .models import ExceptionAuthorisation, Inspection, Seal, StampingEntry
from .services.totals import stamping_totals_rebuild

LARGE_ENTRIES = 1_000_000
LARGE_SEALS = 20
CHAIRMAN_SIGNED_AGENCIES = ["Phòng Tài nguyên và Môi trường", "Phòng Quản lý đô thị"]
SIGNERS = [
    ("Hoàng Văn Hùng", "Chủ tịch UBND thành phố"),
    ("Nguyễn Văn Tâm", "Phó Chủ tịch UBND thành phố"),
    ("Lê Thị Lan", "Trưởng phòng"),
    ("Đỗ Văn Nam", "Phó Trưởng phòng"),
]
REQUESTERS = ["Phạm Đức Anh", "Nguyễn Thị Thu", "Trần Quốc Bảo", "Vũ Minh Châu", "Lý Thị Hằng"]
DOC_TYPES = ["Quyết định", "Giấy chứng nhận", "Giấy phép", "Giấy xác nhận", "Trích lục"]


def _seal_specs() -> list[tuple[str, Agency]]:
    agencies = Agency.objects.filter(
        kind__in=[Agency.Kind.PEOPLES_COMMITTEE, Agency.Kind.DEPARTMENT, Agency.Kind.OTHER]
    )
    return [(f"{agency.short_name}-02", agency) for agency in agencies.order_by("id")]


def seed_seals(*, scale: str, stdout) -> None:
    clerk = User.objects.get(username="vanthu")
    director = User.objects.get(username="giamdoc")
    seals = _ensure_seals(clerk, count=LARGE_SEALS if scale == "large" else None)
    stdout.write(f"  {len(seals)} con dấu")
    if not StampingEntry.objects.exists():
        _stampings(seals, clerk, per_day=3, days=15)
        _oversight(seals, director)
    if scale == "large":
        _grow_log(seals, clerk, LARGE_ENTRIES, stdout)
    # The bulk loads bypass the stamping services: the register's per-day totals are recomputed once.
    stamping_totals_rebuild()
    stdout.write(f"  {StampingEntry.objects.count()} lần đóng dấu trong sổ")


def _ensure_seals(clerk, count=None) -> list[Seal]:
    city = Agency.objects.filter(kind=Agency.Kind.PEOPLES_COMMITTEE).first()
    seals = []
    specs = _seal_specs()
    if count:
        extra = [(f"{agency.short_name}-03", agency) for _, agency in specs[1:]]
        specs = (specs + extra)[:count]
    for code, agency in specs:
        seal, created = Seal.objects.get_or_create(
            code=code,
            defaults={
                "agency": agency,
                "custodian": clerk,
                "description": f"Con dấu thứ 2 của {agency.name} đặt tại Trung tâm HCC",
                "certificate_number": f"{zlib.crc32(code.encode()) % 90000 + 10000}/ĐKMD",  # the same on every run,
            },
        )
        if created and agency == city:
            # The city seal stamps results the Chairman signs for the land and building procedures.
            seal.serves_agencies.set(Agency.objects.filter(name__in=CHAIRMAN_SIGNED_AGENCIES))
        seals.append(seal)
    return seals


def _rows_for(seal: Seal, procedures: list, clerk, moments: list[datetime], rng: random.Random) -> Iterator[dict]:
    for at in moments:
        procedure = rng.choice(procedures) if procedures else None
        signer = rng.choice(SIGNERS)
        yield (
            {
                "seal": seal,
                "procedure": procedure,
                "dossier_code": f"HCCTS-{at:%y%m%d}-{rng.randint(1, 400):04d}",
                "document_type": rng.choice(DOC_TYPES),
                "document_number": f"{rng.randint(1, 9999)}/QĐ-{seal.agency.short_name}",
                "document_date": at.date(),
                "summary": f"Kết quả giải quyết: {procedure.name if procedure else 'văn bản'}"[:500],
                "signer_name": signer[0],
                "signer_position": signer[1],
                "copies": rng.randint(1, 4),
                "impressions": 1,
                "kind": StampingEntry.Kind.ON_SIGNATURE,
                "sheets": None,
                "requested_by": rng.choice(REQUESTERS),
                "clerk": clerk,
                "stamped_at": at,
                "place": StampingEntry.Place.DESK,
                "recorded_at": at,
            }
        )


def _working_moments(days: int, per_day: int, rng: random.Random, *, end=None) -> list[datetime]:
    end = end or timezone.localdate()
    moments = []
    for offset in range(days, -1, -1):
        day = end - timedelta(days=offset)
        if day.weekday() >= 5:
            continue
        for _ in range(per_day):
            minute = rng.randint(8 * 60, 16 * 60 + 30)
            moments.append(timezone.make_aware(datetime.combine(day, time(minute // 60, minute % 60))))
    now = timezone.now()
    return sorted(m for m in moments if m < now)


def _procedures_by_seal(seals, on) -> dict[int, list]:
    in_force = list(procedures_in_force(on=on).only("id", "name", "implementing_agency_id"))
    by_seal = {}
    for seal in seals:
        served = seal.agency_ids_served()  # one query per seal, not one per seal and procedure
        by_seal[seal.pk] = [p for p in in_force if p.implementing_agency_id in served]
    return by_seal


def _stampings(seals, clerk, *, per_day: int, days: int) -> None:
    rng = random.Random(2026)
    by_seal = _procedures_by_seal(seals, timezone.localdate())
    for seal in seals:
        if not by_seal[seal.pk]:
            continue
        moments = _working_moments(days, per_day, rng)
        by_year: dict[int, list] = {}
        for at in moments:
            by_year.setdefault(timezone.localtime(at).year, []).append(at)
        for year, ats in by_year.items():
            ledger_bulk_load(
                StampingEntry,
                chain_key=f"seal:{seal.pk}:{year}",
                rows=_rows_for(seal, by_seal[seal.pk], clerk, ats, rng),
            )


@transaction.atomic
def _oversight(seals, director) -> None:
    today = timezone.localdate()
    seal = seals[0]
    scan = ContentFile(b"%PDF-1.4\n% demo\n%%EOF\n", name="cho-phep.pdf")
    ExceptionAuthorisation.objects.create(
        seal=seal,
        document_number="15/UBND-VP",
        document_date=today - timedelta(days=3),
        signed_by="Hoàng Văn Hùng, Chủ tịch UBND thành phố",
        scan=scan,
        purpose="Đóng dấu giấy mời hội nghị tổng kết công tác cải cách hành chính",
        valid_from=today - timedelta(days=3),
        valid_until=today + timedelta(days=10),
        max_uses=20,
        recorded_by=director,
        recorded_at=timezone.now(),
    )
    inspection = Inspection.objects.create(
        inspected_at=timezone.now() - timedelta(days=7),
        inspector=director,
        condition="Nguyên vẹn, bảo quản trong tủ khóa tại vị trí Văn thư",
        ledger_ok=True,
        ledger_result="Kiểm tra chuỗi sổ: toàn vẹn.",
        findings="Văn thư ghi sổ đầy đủ.",
        actions="",
    )
    inspection.seals.set(seals)


def _grow_log(seals, clerk, total: int, stdout) -> int:
    """Five years of a busy centre (DESIGN.md section 7): ~1,000,000 entries over 20 seals."""
    missing = total - StampingEntry.objects.count()
    if missing <= 0:
        return 0
    rng = random.Random(7)
    per_seal = missing // len(seals) + 1
    years = 5
    today = timezone.localdate()
    by_seal = _procedures_by_seal(seals, today)
    # The indexes are built, and the table analyzed, after the load (or beside the next seeders).
    with indexes_built_after(StampingEntry._meta.db_table):
        done = _grow_chains(seals, by_seal, clerk, per_seal, years, today, rng, stdout)
    return done


def _grow_chains(seals, by_seal, clerk, per_seal, years, today, rng, stdout) -> int:
    """A year at a time, every seal's chain of that year in one stream in time order, as the desks append
    them: the table's rows then lie in time order as in production (loaded chain by chain they did not,
    and every walk of the newest entries read one row a page)."""
    per_year = per_seal // years + 1
    procedures = {
        seal.pk: by_seal[seal.pk] or list(procedures_in_force(on=today).only("id", "name")[:50]) for seal in seals
    }
    done = 0
    for year in range(today.year - years, today.year):
        chains = {}
        for seal in seals:
            moments = sorted(
                timezone.make_aware(
                    datetime(year, 1, 2, 8) + timedelta(days=rng.randint(0, 360), minutes=rng.randint(0, 510))
                )
                for _ in range(per_year)
            )
            chains[f"seal:{seal.pk}:{year}"] = _rows_for(seal, procedures[seal.pk], clerk, moments, rng)
        done += ledger_bulk_load_chains(StampingEntry, chains=chains, order_by="stamped_at")
        stdout.write(f"    {year}: {done} mục")
    return done
