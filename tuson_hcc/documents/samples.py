"""Every registered form rendered with sample data, for `make forms-gallery` and the PDF layout tests.

The apps register `registry.DocumentSample`s; nothing here reads or writes business rows, so the
gallery runs on any database and the tests check exactly the layout that is issued.
"""

import datetime as dt
import shutil
import subprocess
import tempfile
from pathlib import Path

from django.utils import timezone

from tuson_hcc.core import registry

from .rendering import qr_data_uri, render_pdf

VARIANTS = ("typical", "worst")
# A verification token as long as a real one (secrets.token_urlsafe(24)).
SAMPLE_TOKEN = "Xy7Qm2RfK9pLw3Tn8Vb4Hc6Jd1Gs5Ze0"
SAMPLE_BASE_URL = "https://hcc.tuson.bacninh.gov.vn"


def sample_document(sample: registry.DocumentSample, variant: str) -> dict:
    """The `document` entry that `document_issue` would give (number, QR, verification URL)."""
    verify_url = f"{SAMPLE_BASE_URL}/verify/{SAMPLE_TOKEN}/"
    return {
        "kind": sample.kind,
        "title": sample.title,
        "number": "1234/2026" if variant == "worst" else "15/2026",
        "verify_token": SAMPLE_TOKEN,
        "verify_url": verify_url,
        "qr_data_uri": qr_data_uri(verify_url),
        "issued_at": timezone.make_aware(dt.datetime(2026, 2, 25, 9, 5)),
    }


def sample_pdf(sample: registry.DocumentSample, variant: str) -> bytes:
    context = {**sample.context(variant), "page_size": sample.page_size, "document": sample_document(sample, variant)}
    return render_pdf(sample.template_name, context)


def warm_up_samples() -> None:
    """Render the samples marked `warm_up` (typical data) once, at a worker's start-up (tuson_hcc/wsgi.py)."""
    for sample in registry.document_samples:
        if sample.warm_up:
            sample_pdf(sample, "typical")


def pdf_pages_text(pdf: bytes) -> list[str]:
    """The text of each page (pdftotext -layout), whitespace runs joined so markers match across wraps."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "document.pdf"
        path.write_bytes(pdf)
        text = subprocess.run(
            ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
        ).stdout
    pages = text.split("\f")
    if pages and not pages[-1].strip():
        pages = pages[:-1]
    return [" ".join(page.split()) for page in pages]


def pdf_to_pngs(pdf: bytes, prefix: Path, *, dpi: int = 60) -> list[Path]:
    """One PNG per page (pdftoppm), named `<prefix>-<page>.png`."""
    prefix.parent.mkdir(parents=True, exist_ok=True)
    pdf_path = prefix.with_suffix(".pdf")
    pdf_path.write_bytes(pdf)
    for old in prefix.parent.glob(f"{prefix.name}-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), str(pdf_path), str(prefix)], check=True)
    return sorted(prefix.parent.glob(f"{prefix.name}-*.png"))


def tools_available() -> bool:
    return bool(shutil.which("pdftotext") and shutil.which("pdftoppm"))
