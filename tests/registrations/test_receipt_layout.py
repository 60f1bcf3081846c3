"""Mẫu 01 is an A5 form in two copies (Liên 1: Lưu, Liên 2: Giao khách hàng): one page each (TT 01/2018)."""

import io

import pytest
from pypdf import PdfReader

from registrations.choices import DocumentKind
from registrations.models import Dossier
from registrations.paperwork import dossier_paper_issue

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("code", ["a", "b", "c", "d", "đ", "e", "g", "h", "i", "k", "l"])  # every type of mục c
def test_receipt_prints_each_copy_on_one_a5_page(receive, tiepnhan, code):
    outcome = receive(code, complete=True)
    dossier = outcome.dossier if hasattr(outcome, "dossier") else outcome[0]
    dossier = Dossier.objects.get(pk=dossier.pk)
    receipt = dossier_paper_issue(dossier=dossier, actor=tiepnhan)
    assert receipt.kind == DocumentKind.RECEIPT
    with receipt.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    width, height = (float(v) for v in reader.pages[0].mediabox.upper_right)
    assert (round(width), round(height)) == (420, 595)  # A5 in points
    assert len(reader.pages) == 2
    assert "Liên 1" in reader.pages[0].extract_text() and "Liên 2" in reader.pages[1].extract_text()
