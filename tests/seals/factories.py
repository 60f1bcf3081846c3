"""Real catalogue rows for the seal tests (and the browser tests), through the real models."""

import io
from datetime import date

from pypdf import PdfWriter

from procedures.models import CatalogueChange, Decision, Procedure
from seals.models import Seal
from tuson_hcc.accounts.models import Agency

QD_1691 = date(2021, 12, 29)
QD_LATER = date(2024, 3, 15)


def _procedure(code, name, agency, decision, action=CatalogueChange.Action.ADD):
    procedure = Procedure.objects.create(code=code, name=name, implementing_agency=agency, processing_days=3)
    CatalogueChange.objects.create(
        decision=decision, procedure=procedure, action=action, effective_on=decision.effective_on, snapshot={}
    )
    return procedure


def build_catalogue() -> dict:
    """Two Phòng Tư pháp procedures in force, one abolished in 2024, one of Phòng TC-KH (needs the demo agencies)."""
    justice = Agency.objects.get(short_name="PTP")
    finance = Agency.objects.get(short_name="PTCKH")
    first = Decision.objects.create(number="1691/QĐ-UBND", signed_on=QD_1691, effective_on=QD_1691)
    later = Decision.objects.create(number="99/QĐ-UBND", signed_on=QD_LATER, effective_on=QD_LATER)
    birth = _procedure("1.001193", "Đăng ký khai sinh", justice, first)
    copy = _procedure("2.000815", "Cấp bản sao từ sổ gốc", justice, first)
    household = _procedure("1.001612", "Đăng ký thành lập hộ kinh doanh", finance, first)
    abolished = _procedure("1.004746", "Chứng thực chữ ký (thủ tục đã bãi bỏ)", justice, first)
    CatalogueChange.objects.create(
        decision=later, procedure=abolished, action=CatalogueChange.Action.ABOLISH, effective_on=QD_LATER, snapshot={}
    )
    return {
        "birth": birth,
        "copy": copy,
        "household": household,
        "abolished": abolished,
        "justice": justice,
        "finance": finance,
    }


def build_seal(catalogue: dict, clerk) -> Seal:
    """Phòng Tư pháp's second seal, in the Văn thư's custody at the desk."""
    return Seal.objects.create(code="PTP-02", agency=catalogue["justice"], custodian=clerk)


def tiny_pdf() -> bytes:
    """A real one-page PDF, as a scanner would give (the desk checks content, not names)."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
