"""Demo dossiers for `seed_demo` (DESIGN.md section 7: 50,000 registration dossiers at large scale).

Small scale: a few dozen dossiers through the real services (every state, with their documents).
Large scale: the rest of 50,000 synthetic past dossiers by bulk insert, each with one history row,
clearly named as benchmark data, numbered through the same counters so real intakes never collide.
"""

import io
import itertools
import random
from datetime import datetime, time, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.utils import timezone
from pypdf import PdfWriter
from simple_history.utils import bulk_create_with_history

from tuson_hcc.accounts.models import User
from tuson_hcc.core.dbops import copy_models, reserve_ids
from tuson_hcc.core.models import IssuingBody

from .choices import AuthorisationKind, Channel, DeliveryPlace, DossierStatus, IdKind, ItemForm, ItemState
from .handover import ReturnData, dossier_return
from .models import ChecklistItem, Dossier, DossierCounter, OrganisationType
from .numbering import processing_terms, seal_registration_procedure
from .report_fields import own_fields_fill
from .report_months import report_months_keep
from .result import apology_due, dossier_result_record
from .selectors import required_documents_for
from .services import CheckResult, dossier_apologise_late, dossier_check, dossier_receive, dossier_submit_online

LARGE_TOTAL = 50_000
LARGE_REASON = "dữ liệu đo hiệu năng"
SMALL_MARKER = "demo-small-"

ORGANISATIONS = [
    ("h", "Công ty TNHH Gỗ mỹ nghệ Đồng Kỵ", "Phường Đồng Kỵ, thành phố Từ Sơn"),
    ("h", "Hợp tác xã Dịch vụ nông nghiệp Tam Sơn", "Phường Tam Sơn, thành phố Từ Sơn"),
    ("h", "Công ty Cổ phần Thép Châu Khê", "Phường Châu Khê, thành phố Từ Sơn"),
    ("i", "Chi nhánh Công ty TNHH Dệt may Tương Giang", "Phường Tương Giang, thành phố Từ Sơn"),
    ("c", "Trường Mầm non Hoa Sen", "Phường Đình Bảng, thành phố Từ Sơn"),
    ("d", "Hội Chữ thập đỏ phường Trang Hạ", "Phường Trang Hạ, thành phố Từ Sơn"),
    ("e", "Giáo xứ Phù Lưu", "Phường Đông Ngàn, thành phố Từ Sơn"),
    ("b", "Phòng Văn hóa và Thông tin thành phố Từ Sơn", "Số 1 Lý Thái Tổ, thành phố Từ Sơn"),
    ("l", "Câu lạc bộ Cờ tướng Đình Bảng", "Phường Đình Bảng, thành phố Từ Sơn"),
    ("k", "Văn phòng dự án Tổ chức Hỗ trợ phát triển Đông Á", "Phường Đông Ngàn, thành phố Từ Sơn"),
]
PEOPLE = ["Nguyễn Văn An", "Trần Thị Bích", "Lê Quang Dũng", "Phạm Thu Hằng", "Hoàng Đức Khải", "Vũ Thị Ngọc"]


def seed_dossiers(*, scale: str, stdout) -> None:
    actor = User.objects.filter(username="tiepnhan").first()
    if actor is None:
        return
    if not Dossier.objects.filter(idempotency_key__startswith=SMALL_MARKER).exists():
        created = _seed_small(actor)
        stdout.write(f"  {created} hồ sơ mẫu (mọi tình trạng, kèm văn bản)")
    if scale == "large":
        added = _seed_large(actor, total=LARGE_TOTAL)
        stdout.write(f"  + {added} hồ sơ đo hiệu năng (tổng {Dossier.objects.count()})")
    report_months_keep()  # what the worker does hourly: the months that are done keep their report rows


def _data(i: int) -> dict:
    code, name, address = ORGANISATIONS[i % len(ORGANISATIONS)]
    return {
        "organisation_type": OrganisationType.objects.get(code=code),
        "organisation_name": name if i < len(ORGANISATIONS) else f"{name} (cơ sở {i // len(ORGANISATIONS) + 1})",
        "organisation_address": address,
        "founding_document": f"Quyết định số {100 + i}/QĐ-UBND ngày 05/01/2026",
        "applicant_name": PEOPLE[i % len(PEOPLE)],
        "applicant_id_kind": IdKind.CCCD,
        "applicant_id_number": f"0270{90000000 + i:08d}",
        "authorisation_kind": AuthorisationKind.INTRODUCTION,
        "applicant_phone": f"09{12345000 + i:08d}",
        "applicant_email": f"lienhe{i}@example.vn",
        "channel": Channel.POST if i % 7 == 3 else Channel.IN_PERSON,
        "delivery_place": DeliveryPlace.POST if i % 7 == 3 else DeliveryPlace.COUNTER,
    }


def _all_present(org_type, *, missing_last: bool = False) -> dict:
    documents = required_documents_for(org_type)
    results = {d.pk: CheckResult(ItemState.PRESENT, ItemForm.ORIGINAL) for d in documents}
    if missing_last:
        results[documents[-1].pk] = CheckResult(ItemState.MISSING)
    return results


def _tiny_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _working_morning(days_ago: int, hour: int) -> datetime:
    day = timezone.localdate() - timedelta(days=days_ago)
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return timezone.make_aware(datetime.combine(day, time(hour, 15)))


def _seed_small(actor) -> int:
    """About thirty dossiers through the services: accepted (due later, today, overdue), incomplete,
    completed later, refused, returned, apologised, and online ones waiting for the desk."""
    count = 0
    for i in range(30):
        data = _data(i)
        key = f"{SMALL_MARKER}{i}"
        kind = i % 10
        received_at = _working_morning(days_ago=(i * 3) % 12, hour=8 + i % 8)
        checklist = _all_present(data["organisation_type"], missing_last=kind in (2, 3))
        refusal = "Tổ chức chưa có văn bản của cơ quan có thẩm quyền cho phép sử dụng con dấu." if kind == 4 else ""
        if kind == 9:
            dossier_submit_online(
                data=data,
                scan=SimpleUploadedFile("ho-so.pdf", _tiny_pdf(), content_type="application/pdf"),
                idempotency_key=key.replace("-", ""),
            )
            count += 1
            continue
        outcome = dossier_receive(
            data=data,
            checklist=checklist,
            refusal_reason=refusal,
            idempotency_key=key,
            received_at=received_at,
            actor=actor,
            guidance_note="Bổ sung bản sao chứng thực." if kind in (2, 3) else "",
        )
        dossier = outcome.dossier
        if kind == 3:  # completed later
            dossier_check(dossier=dossier, checklist=_all_present(data["organisation_type"]), actor=actor)
        if kind in (5, 6, 8) and dossier.due_at < timezone.now() + timedelta(days=1):
            # The result comes in before return (Thủ tục bước 4); kind 8 waits at the counter.
            dossier_result_record(
                dossier=dossier,
                certificate_number=f"{100 + i}/GCN-DEMO",
                certificate_date=timezone.localdate(),
                issuing_authority="Phòng Cảnh sát quản lý hành chính về trật tự xã hội (dữ liệu mẫu)",
                specimen=SimpleUploadedFile("mau-dau.pdf", _tiny_pdf(), content_type="application/pdf"),
                actor=actor,
            )
        if kind in (5, 6) and dossier.due_at < timezone.now():
            dossier_return(
                dossier=dossier,
                data=ReturnData(
                    recipient_name=dossier.applicant_name,
                    recipient_id_kind=dossier.applicant_id_kind,
                    recipient_id_number=dossier.applicant_id_number,
                    receipt_checked=True,
                    identity_checked=True,
                    recipient_signed=True,
                    signature_name=dossier.applicant_name,
                ),
                actor=actor,
            )
        if kind == 7 and apology_due(dossier):
            dossier.refresh_from_db()
            dossier_apologise_late(
                dossier=dossier,
                new_due_at=dossier.due_at + timedelta(days=2),
                reason="Cơ sở khắc dấu chưa hoàn thành con dấu.",
                actor=actor,
            )
        count += 1
    return count


def _counters_take(wanted: dict[str, int]) -> dict[str, int]:
    """Reserve `wanted[scope]` numbers of every scope at once (three queries, not three per scope):
    returns each scope's first number. The counter rows stay locked until the caller commits."""
    DossierCounter.objects.bulk_create([DossierCounter(scope=s) for s in wanted], ignore_conflicts=True)
    counters = list(DossierCounter.objects.select_for_update().filter(scope__in=list(wanted)).order_by("scope"))
    first = {}
    for counter in counters:
        first[counter.scope] = counter.last_number + 1
        counter.last_number += wanted[counter.scope]
    DossierCounter.objects.bulk_update(counters, ["last_number"], batch_size=1000)
    return first


def _plus_working_days(day, days: int):
    while days:
        day += timedelta(days=1)
        if day.weekday() < 5:
            days -= 1
    return day


@transaction.atomic
def _seed_large(actor, *, total: int) -> int:
    missing = total - Dossier.objects.count()
    if missing <= 0:
        return 0
    rng = random.Random(20260213)
    unit_code = IssuingBody.current().unit_code
    procedure = seal_registration_procedure()
    days, _ = processing_terms(procedure)
    types = list(OrganisationType.objects.all())
    documents = {t.pk: required_documents_for(t) for t in types}
    # Five years of working days, ending a month ago (the small demo owns the recent weeks).
    end = timezone.localdate() - timedelta(days=30)
    day, workdays = end - timedelta(days=5 * 365), []
    while day <= end:
        if day.weekday() < 5:
            workdays.append(day)
        day += timedelta(days=1)
    picks = sorted(rng.choice(workdays) for _ in range(missing))
    per_day = {}
    for d in picks:
        per_day[d] = per_day.get(d, 0) + 1
    per_year = {}
    for d, n in per_day.items():
        per_year[f"year:{d.year}"] = per_year.get(f"year:{d.year}", 0) + n
    # Day counters before year counters, as every intake takes them (numbering.dossier_numbers_allocate).
    first = _counters_take({f"day:{unit_code}:{d:%y%m%d}": n for d, n in sorted(per_day.items())})
    first |= _counters_take(per_year)
    dossiers = _large_dossiers(
        actor, sorted(per_day.items()), first, unit_code=unit_code, procedure=procedure, days=days, types=types, rng=rng
    )
    if connection.vendor == "postgresql":
        _copy_large(actor, dossiers, documents, count=missing)
    else:
        _insert_large(actor, list(dossiers), documents)
    # Fresh planner statistics after a bulk load, or PostgreSQL misjudges the status filters.
    with connection.cursor() as cursor:
        for model in (Dossier, ChecklistItem, Dossier.history.model):
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    return missing


def _large_dossiers(actor, per_day, first: dict[str, int], *, unit_code, procedure, days, types, rng):
    """The synthetic dossiers, one by one (unsaved), numbered from the reserved counters."""
    i = 0
    for d, n in per_day:
        day_first = first[f"day:{unit_code}:{d:%y%m%d}"]
        for k in range(n):
            org_type = types[i % len(types)]
            received_at = timezone.make_aware(datetime.combine(d, time(7 + rng.randrange(9), rng.randrange(60))))
            due_day = _plus_working_days(d, days)
            due_at = timezone.make_aware(
                datetime.combine(due_day, received_at.astimezone(timezone.get_current_timezone()).time())
            )
            roll = rng.random()
            status = (
                DossierStatus.RETURNED
                if roll < 0.9
                else DossierStatus.REFUSED
                if roll < 0.94
                else DossierStatus.INCOMPLETE
                if roll < 0.99
                else DossierStatus.ACCEPTED
            )
            line = first[f"year:{d.year}"]
            first[f"year:{d.year}"] += 1
            dossier = Dossier(
                code=f"{unit_code}-{d:%y%m%d}-{day_first + k:04d}",
                register_year=d.year,
                register_number=line,
                procedure=procedure,
                status=status,
                channel=Channel.ONLINE if i % 5 == 0 else Channel.IN_PERSON,
                organisation_name=f"Công ty mẫu số {i + 1:05d} (dữ liệu đo hiệu năng)",
                organisation_type=org_type,
                organisation_address="Thành phố Từ Sơn, tỉnh Bắc Ninh",
                founding_document=f"Giấy phép mẫu số {i + 1}",
                applicant_name=PEOPLE[i % len(PEOPLE)],
                applicant_id_kind=IdKind.CCCD,
                applicant_id_number=f"0271{i:08d}",
                authorisation_kind=AuthorisationKind.INTRODUCTION,
                received_at=received_at,
                received_by=actor,
                processing_days=days,
                accepted_at=received_at if status in (DossierStatus.ACCEPTED, DossierStatus.RETURNED) else None,
                due_at=due_at if status in (DossierStatus.ACCEPTED, DossierStatus.RETURNED) else None,
                due_date=due_day if status in (DossierStatus.ACCEPTED, DossierStatus.RETURNED) else None,
                returned_at=due_at if status == DossierStatus.RETURNED else None,
                result_ready_at=due_at - timedelta(hours=2) if status == DossierStatus.RETURNED else None,
                result_certificate_number=f"{i + 1}/GCN-DEMO" if status == DossierStatus.RETURNED else "",
                refusal_reason="Không đủ điều kiện (dữ liệu mẫu)." if status == DossierStatus.REFUSED else "",
                completion_round=1 if status == DossierStatus.INCOMPLETE else 0,
            )
            own_fields_fill(dossier)  # written by COPY or bulk insert, not `save()`: no scan, no rating
            yield dossier
            i += 1


def _checklist(dossier: Dossier, documents) -> list[ChecklistItem]:
    present = dossier.status != DossierStatus.INCOMPLETE
    return [
        ChecklistItem(
            dossier_id=dossier.pk,
            required_document=document,
            name=document.name,
            conditional=document.conditional,
            order=n,
            state=ItemState.PRESENT if present or n == 0 else ItemState.MISSING,
            form=ItemForm.ORIGINAL if present or n == 0 else "",
        )
        for n, document in enumerate(documents[dossier.organisation_type_id])
    ]


def _insert_large(actor, dossiers: list[Dossier], documents) -> None:
    """Other databases: the ORM's bulk inserts."""
    created = bulk_create_with_history(
        dossiers, Dossier, batch_size=2000, default_user=actor, default_change_reason=LARGE_REASON
    )
    if not created or created[0].pk is None:
        created = list(Dossier.objects.filter(code__in=[d.code for d in dossiers]).only("pk", "organisation_type"))
    items = [item for dossier in created for item in _checklist(dossier, documents)]
    ChecklistItem.objects.bulk_create(items, batch_size=5000)


def _copy_large(actor, dossiers, documents, *, count: int, chunk: int = 5000) -> None:
    """PostgreSQL: the same rows as `_insert_large` through COPY, a chunk of dossiers at a time
    (their ids reserved first), each with its creation version and its checklist."""
    history = Dossier.history.model
    ids = iter(reserve_ids(Dossier, count))
    while batch := list(itertools.islice(dossiers, chunk)):
        for dossier in batch:
            dossier.pk = next(ids)
        copy_models(Dossier, batch)
        at = timezone.now()  # bulk_history_create stamps each version with the time it builds it
        copy_models(
            history,
            (
                history(
                    history_date=at,
                    history_user_id=actor.pk,
                    history_change_reason=LARGE_REASON,
                    history_type="+",
                    **{field.attname: getattr(dossier, field.attname) for field in history.tracked_fields},
                )
                for dossier in batch
            ),
        )
        copy_models(ChecklistItem, (item for dossier in batch for item in _checklist(dossier, documents)))
