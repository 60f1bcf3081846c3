"""`manage.py forms_gallery`: every form with typical and worst-case data, as PDF and one PNG per page.

For reviewers' eyes (issue 13): `make forms-gallery` writes them to forms-gallery/ (ignored by git).
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tuson_hcc.core import registry
from tuson_hcc.documents.samples import VARIANTS, pdf_pages_text, pdf_to_pngs, sample_pdf, tools_available


class Command(BaseCommand):
    help = "Kết xuất mọi biểu mẫu với dữ liệu thông thường và dữ liệu dài nhất ra PDF và PNG để rà soát bố cục."

    def add_arguments(self, parser):
        parser.add_argument("--out", default="forms-gallery", help="thư mục kết quả (mặc định: forms-gallery)")
        parser.add_argument("--only", default="", help="chỉ các biểu mẫu có tên chứa chuỗi này")
        parser.add_argument("--dpi", type=int, default=60)

    def handle(self, *args, out, only, dpi, **options):
        if not tools_available():
            raise CommandError("Cần pdftoppm và pdftotext (gói poppler-utils).")
        folder = Path(out)
        for sample in registry.document_samples:
            if only not in sample.name:
                continue
            for variant in VARIANTS:
                pdf = sample_pdf(sample, variant)
                pdf_to_pngs(pdf, folder / f"{sample.name}-{variant}", dpi=dpi)
                pages = pdf_pages_text(pdf)
                self.stdout.write(
                    f"{sample.name:32} {variant:8} {len(pages)} trang  {folder}/{sample.name}-{variant}-*.png"
                )
