"""PDF rendering with WeasyPrint and the bundled Tinos font (DESIGN.md section 3).

Issued documents are archival: PDF/A-3b (a later PAdES signature keeps it valid), every font
embedded, and the metadata (title, issuing body, number, date) set from the context.
"""

import gc
import os
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import segno
from django.template.loader import render_to_string
from django.utils import timezone, translation
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetchingError

FONT_DIR = Path(__file__).resolve().parent / "fonts"
STYLESHEET = Path(__file__).resolve().parent / "document.css"
PAGE_SIZES = {"A4", "A5"}
PDF_VARIANT = "pdf/a-3b"


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
# Configurations inherited across a fork (the warm-up runs in gunicorn's master before it forks)
# are never used by the child, and never freed there either: freeing one would delete the font
# copies that the master and the other workers share.
_inherited = []


def _kept() -> tuple[FontConfiguration, CSS]:
    """One FontConfiguration and the parsed shared stylesheet per thread, kept for FONT_CONFIG_MAX_AGE_S.

    The documents only use the bundled Tinos faces: a kept configuration loads them once instead
    of on every render, and Pango's font caches stay warm. The stylesheet's @font-face rules are
    registered in that configuration when it is parsed, so both are kept and renewed together.
    Per thread, because a Fontconfig configuration and its Pango font map are not meant to be
    shared across threads.
    """
    kept = getattr(_local, "kept", None)
    now = time.monotonic()
    if kept is not None and kept[3] != os.getpid():
        _inherited.append(kept)
        kept = None
    if kept is None or now - kept[2] > FONT_CONFIG_MAX_AGE_S:
        font_config = FontConfiguration()
        stylesheet = CSS(
            string=STYLESHEET.read_text(encoding="utf-8"),
            base_url=FONT_DIR.as_uri() + "/",
            url_fetcher=_LocalFetcher(),
            font_config=font_config,
        )
        kept = _local.kept = (font_config, stylesheet, now, os.getpid())
    return kept[0], kept[1]


def qr_data_uri(url: str) -> str:
    """A QR code of `url` as a PNG data URI, for `<img src>`.

    PNG, not SVG: WeasyPrint drew the SVG path of every module anew for each copy (8% of a receipt's
    render); one small bitmap, 8 pixels a module and printed without smoothing, scans the same.
    """
    return segno.make(url, error="m").png_data_uri(scale=8, border=0)


def issuer_names(context: dict) -> tuple[str, str]:
    """(body, parent body) that issue the document: the template's override (the police unit for
    the intake's forms) or the Centre and its parent (IssuingBody)."""
    body = context["issuing_body"]
    return (
        context.get("body_name") or body.centre_name,
        context.get("body_parent_name") or body.parent_body_name,
    )


def issuer_label(context: dict) -> str:
    """The issuing body as one line, for the PDF's Author and the public verification page."""
    name, parent = issuer_names(context)
    return f"{name} – {parent}" if parent else name


def _pdf_meta(context: dict) -> dict:
    document = context.get("document") or {}
    number, title = document.get("number", ""), str(document.get("title", ""))
    issued_at = document.get("issued_at")
    local = timezone.localtime(issued_at) if issued_at else None
    return {
        "title": f"{title} số {number}" if number else title,
        "author": issuer_label(context),
        "keywords": ", ".join(
            part for part in (f"Số {number}" if number else "", f"{local:%d/%m/%Y}" if local else "", title) if part
        ),
        "created": local.isoformat(timespec="seconds") if local else "",
    }


def prepare_context(context: dict) -> dict:
    """A copy of `context` with `issuing_body` (IssuingBody.current() unless given), `page_size`
    ("A4" unless given "A5") and `pdf_meta` (title, author, keywords, created)."""
    from tuson_hcc.core.models import IssuingBody

    context = dict(context)
    if "issuing_body" not in context:  # not setdefault: that would read the row even when given
        context["issuing_body"] = IssuingBody.current()
    context.setdefault("page_size", "A4")
    if context["page_size"] not in PAGE_SIZES:
        raise ValueError(f"page_size must be one of {sorted(PAGE_SIZES)}")
    context["pdf_meta"] = _pdf_meta(context)
    return context


def render_html(template_name: str, context: dict) -> str:
    """The HTML of a document, its context completed by `prepare_context`."""
    return render_to_string(template_name, prepare_context(context))


_pause_lock = threading.Lock()
_pause_depth = 0
_pause_resumes = False


@contextmanager
def _collector_paused():
    """The cyclic garbage collector off while a document is laid out and written, then one young collection.

    A layout allocates a box tree that lives until the PDF is written: each automatic collection
    during it walked that live tree again, and a full one (due sooner after the request's own
    allocations) added 10–20 ms to some receipts. Paused, the render's garbage is walked once, by
    the young collection at the end, inside the render (so a bare render pays it as a request does).
    A counter, not a flag: gunicorn's threads may render at once, and the last one out resumes it;
    a collector already off (someone else's choice) is left off.
    """
    global _pause_depth, _pause_resumes
    with _pause_lock:
        if _pause_depth == 0:
            _pause_resumes = gc.isenabled()
            gc.disable()
        _pause_depth += 1
    try:
        yield
    finally:
        with _pause_lock:
            _pause_depth -= 1
            resume = _pause_depth == 0 and _pause_resumes
            if resume:
                gc.enable()
        if resume:
            gc.collect(0)


def _layout(html: str):
    font_config, stylesheet = _kept()
    document = HTML(string=html, base_url=FONT_DIR.as_uri() + "/", url_fetcher=_LocalFetcher())
    return document.render(font_config=font_config, stylesheets=[stylesheet], pdf_variant=PDF_VARIANT)


def html_to_pdf(html: str) -> bytes:
    """PDF/A-3b bytes of a document's HTML, with the kept fonts and shared stylesheet."""
    with _collector_paused():
        return _layout(html).write_pdf(pdf_variant=PDF_VARIANT)


# A form that must fit a fixed number of pages (Mẫu 01: one A5 page per copy) is laid out again
# with the next tighter step (`fit-1`, `fit-2`… classes on <html>, defined by the template) when
# long data would overflow; typical data fits at step 0 and is laid out once.
FIT_STEPS = 5


def render_pdf(template_name: str, context: dict) -> bytes:
    """Render a template extending `documents/base_document.html` to PDF/A bytes.

    The context is completed by `prepare_context`; with `fit_pages` N in it, the tightest step
    needed to keep the document within N pages is used (`fit_step` 0…FIT_STEPS-1 in the context).
    """
    # Official documents are Vietnamese whatever the reader's language (statuses and choices included).
    with translation.override("vi"):
        context = prepare_context(context)
        fit_pages = context.get("fit_pages")
        for step in range(FIT_STEPS if fit_pages else 1):
            context["fit_step"] = step
            html = render_to_string(template_name, context)
            last = step == FIT_STEPS - 1
            with _collector_paused():
                pdf = _pdf_if_fits(html, None if last else fit_pages)
            if pdf is not None:
                return pdf
    raise AssertionError("unreachable: the last step is written whatever its length")


def _pdf_if_fits(html: str, fit_pages: int | None) -> bytes | None:
    """The PDF of `html`, or None when it lays out to more than `fit_pages` pages. The laid-out
    document is dropped on return, before `_collector_paused` collects."""
    document = _layout(html)
    if fit_pages and len(document.pages) > fit_pages:
        return None
    return document.write_pdf(pdf_variant=PDF_VARIANT)


def warm_up() -> None:
    """Pay at start-up what the first document of a process would otherwise pay: WeasyPrint's and
    Pango's lazy loading, Fontconfig's caches, the document templates, and one small PDF/A render.

    Called from tuson_hcc/wsgi.py, so in the process that loads the app (gunicorn's master with
    preload_app, before it forks its workers, or each worker without it).
    """
    from django.template.loader import get_template

    from tuson_hcc.core import registry

    for sample in registry.document_samples:
        get_template(sample.template_name)
    html_to_pdf(
        '<html lang="vi"><head><title>warm-up</title></head><body><p>Cộng hòa xã hội chủ nghĩa Việt Nam '
        f'<b>Độc lập</b> <i>Tự do</i></p><img src="{qr_data_uri("https://example.invalid/verify/warm-up/")}" alt="">'
        "</body></html>"
    )
