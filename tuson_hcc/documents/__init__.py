"""Issued documents (văn bản đã phát hành), DESIGN.md section 3.

Public API:

- `services.document_issue(*, kind, title, template_name, context, subject, actor, public_summary,
  key="", number=None, page_size="A4") -> IssuedDocument` — rendered once, stored with SHA-256.
- `services.document_file_response(request, document, *, download, printing=False)` — serve and log.
- `services.document_find(*, subject, kind, key="")` — what was issued, for readers (a GET never issues).
- `services.document_preview_response(request, *, kind, title, template_name, context, page_size, download)`
  — an unnumbered, unstored preview marked "BẢN XEM TRƯỚC — không có giá trị pháp lý" (no number, no QR).
- `services.document_number_for(subject, kind)` — the "Số" first given to that paper (a later version keeps it).
- `rendering.render_pdf(template_name, context) -> bytes` — PDF/A-3b, the bundled Tinos fonts embedded,
  metadata (title + number, issuing body as author, date) from the context; `fit_pages` N in the context
  lays a form out again in tighter `fit-1`… steps until it fits N pages. `rendering.warm_up()` at start-up.
- Templates extend `documents/base_document.html` (shared rules in `documents/document.css`); blocks:
  `page_size`, `extra_style`, `header`, `title`, `content`, then inside one unbreakable closing block
  `closing` (the body's last lines), `signature` (put `documents/_qr_cell.html` in a cell to keep the QR
  there) and `footer` (the QR and verification address, for forms without signatures). Tables: `<thead>`
  repeats on every page. Context: `document` (title, number, verify_token, verify_url, qr_data_uri,
  issued_at, kind), `issuing_body`, `page_size`, and optional overrides `body_parent_name`, `body_name`
  (the police unit for the intake's forms; also the PDF's author and /verify/'s issuer), `place_name`,
  `document_date`.
- `{% load vn_dates %}`: `|ngay_thang_nam`, `|gio_phut_ngay`; `{% load doc_text %}`: `|nobreak:issuing_body`
  (names kept on one line in headers), `|document_number:kind`.
- Every form registers sample data (`registry.DocumentSample`): `manage.py forms_gallery` and
  tests/core/test_pdf_layout.py render it.
- URL `documents:verify` → `/verify/<token>/` (public, no login).
"""
