"""PDF rendering with WeasyPrint and the bundled Tinos font (DESIGN.md section 3)."""

from pathlib import Path

import segno
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetchingError

FONT_DIR = Path(__file__).resolve().parent / "fonts"
PAGE_SIZES = {"A4", "A5"}


class _LocalFetcher(URLFetcher):
    """Only data: URIs and the bundled fonts; a template can never make WeasyPrint read the network or disk."""

    def fetch(self, url, *args, **kwargs):
        if url.startswith("data:") or url.startswith(FONT_DIR.as_uri() + "/"):
            return super().fetch(url, *args, **kwargs)
        raise URLFetchingError(f"refused to fetch {url[:80]}")


def qr_data_uri(url: str) -> str:
    """A QR code of `url` as an SVG data URI, for `<img src>`."""
    return segno.make(url, error="m").svg_data_uri(scale=4, border=0)


def render_pdf(template_name: str, context: dict) -> bytes:
    """Render a template extending `documents/base_document.html` to PDF bytes.

    The context gains `font_dir_url`, `issuing_body` (IssuingBody.current() unless given) and
    `page_size` ("A4" unless given "A5").
    """
    from tuson_hcc.core.models import IssuingBody

    context = dict(context)
    context.setdefault("issuing_body", IssuingBody.current())
    context.setdefault("page_size", "A4")
    if context["page_size"] not in PAGE_SIZES:
        raise ValueError(f"page_size must be one of {sorted(PAGE_SIZES)}")
    context["font_dir_url"] = FONT_DIR.as_uri()
    html = render_to_string(template_name, context)
    return HTML(string=html, base_url=FONT_DIR.as_uri() + "/", url_fetcher=_LocalFetcher()).write_pdf()
