"""PDF rendering with WeasyPrint and the bundled Tinos font (DESIGN.md section 3)."""

import threading
import time
from pathlib import Path

import segno
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetchingError

FONT_DIR = Path(__file__).resolve().parent / "fonts"
PAGE_SIZES = {"A4", "A5"}


class _LocalFetcher(URLFetcher):
    """Only data: URIs and the bundled fonts; a template can never make WeasyPrint read the network or disk."""

    def fetch(self, url, *args, **kwargs):
        if url.startswith("data:") or url.startswith(FONT_DIR.as_uri() + "/"):
            return super().fetch(url, *args, **kwargs)
        raise URLFetchingError(f"refused to fetch {url[:80]}")


# A kept configuration is renewed after this long: it points at copies of the fonts in a temporary
# folder, which a long-running worker should not trust a /tmp cleaner to leave alone for ever.
FONT_CONFIG_MAX_AGE_S = 3600
_local = threading.local()


def _font_config() -> FontConfiguration:
    """One FontConfiguration per thread, kept between renders (for at most FONT_CONFIG_MAX_AGE_S).

    The documents only use the bundled Tinos faces (same @font-face rules every time): a kept
    configuration loads them once instead of on every render, and Pango's font caches stay warm.
    WeasyPrint reuses a face already added (keyed by its descriptors). Per thread, because a
    Fontconfig configuration and its Pango font map are not meant to be shared across threads.
    """
    kept = getattr(_local, "font_config", None)
    now = time.monotonic()
    if kept is None or now - kept[1] > FONT_CONFIG_MAX_AGE_S:
        kept = _local.font_config = (FontConfiguration(), now)
    return kept[0]


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
    if "issuing_body" not in context:  # not setdefault: that would read the row even when given
        context["issuing_body"] = IssuingBody.current()
    context.setdefault("page_size", "A4")
    if context["page_size"] not in PAGE_SIZES:
        raise ValueError(f"page_size must be one of {sorted(PAGE_SIZES)}")
    context["font_dir_url"] = FONT_DIR.as_uri()
    html = render_to_string(template_name, context)
    document = HTML(string=html, base_url=FONT_DIR.as_uri() + "/", url_fetcher=_LocalFetcher())
    pdf = document.write_pdf(font_config=_font_config())
    return pdf
