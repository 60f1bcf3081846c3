"""Demo catalogue: Quyết định 1691/QĐ-UBND through the importer itself, then a demo amending decision."""

from datetime import date

from django.conf import settings
from django.db import transaction

from tuson_hcc.accounts.models import Agency

from .importer import import_catalogue
from .models import CatalogueChange, Decision, Procedure

FIXTURES = settings.BASE_DIR / "fixtures"
QD_1691 = (
    "1691/QĐ-UBND",
    date(2021, 12, 29),
    "qd_1691_2021_tthc.csv",
    "Phê duyệt danh mục TTHC thực hiện tiếp nhận, thẩm định, phê duyệt, đóng dấu, trả kết quả tại "
    "Trung tâm Hành chính công cấp huyện (đợt 1)",
)
QD_DEMO = (
    "MẪU-01/QĐ-UBND",
    date(2024, 3, 15),
    "qd_demo_2024_sua_doi.csv",
    "Quyết định mẫu (không có thật) sửa đổi, bãi bỏ, thay thế một số TTHC – để minh họa tra cứu theo ngày",
)
LARGE_TOTAL = 2000


def seed_catalogue(*, scale: str, stdout) -> None:
    for number, on, filename, title in (QD_1691, QD_DEMO):
        report = import_catalogue(
            FIXTURES / filename, decision_number=number, decision_date=on, actor=None, decision_title=title
        )
        stdout.write(f"  {number}: {report.created} mới, {report.changes} thay đổi")
    if scale == "large":
        _grow_to(LARGE_TOTAL, stdout)


@transaction.atomic
def _grow_to(total: int, stdout) -> None:
    """Synthetic procedures (clearly named, no code) so the catalogue pages are measured at volume."""
    missing = total - Procedure.objects.count()
    if missing <= 0:
        return
    decision = Decision.objects.get(number=QD_1691[0])
    agencies = list(Agency.objects.filter(kind=Agency.Kind.DEPARTMENT))
    start = Procedure.objects.filter(name__startswith="TTHC mẫu số ").count()
    procedures = [
        Procedure(
            name=f"TTHC mẫu số {start + i + 1:04d} (dữ liệu đo hiệu năng)",
            field=f"Lĩnh vực mẫu {(start + i) % 25 + 1}",
            implementing_agency=agencies[(start + i) % len(agencies)],
            processing_days=(start + i) % 15 + 1,
        )
        for i in range(missing)
    ]
    for procedure in procedures:
        procedure.search_text = f"tthc mau so {procedure.name[12:16]}"
    # bulk_create skips history on purpose: these rows exist only to measure the pages.
    created = Procedure.objects.bulk_create(procedures, batch_size=500)
    CatalogueChange.objects.bulk_create(
        [
            CatalogueChange(
                decision=decision, procedure=p, action=CatalogueChange.Action.ADD, effective_on=decision.effective_on
            )
            for p in created
        ],
        batch_size=500,
    )
    stdout.write(f"  + {len(created)} TTHC mẫu để đo hiệu năng")
