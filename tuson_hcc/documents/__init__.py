"""Issued documents (văn bản đã phát hành), DESIGN.md section 3.

Public API:

- `services.document_issue(*, kind, title, template_name, context, subject, actor, public_summary,
  key="", number=None, page_size="A4") -> IssuedDocument` — rendered once, stored with SHA-256.
- `services.document_file_response(request, document, *, download, printing=False)` — serve and log.
- `services.document_find(*, subject, kind, key="")` — what was issued, for readers (a GET never issues).
- `services.document_preview_response(request, *, kind, title, template_name, context, page_size, download)`
  — an unnumbered, unstored preview marked "BẢN XEM TRƯỚC — không có giá trị pháp lý" (no number, no QR).
- `rendering.render_pdf(template_name, context) -> bytes` — WeasyPrint with the bundled Tinos font.
- Templates extend `documents/base_document.html`; blocks: `page_size`, `extra_style`, `header`,
  `title`, `content`, `signature`, `footer`, `footer_note`. Context: `document` (title, number,
  verify_token, verify_url, qr_data_uri, issued_at, kind), `issuing_body`, `page_size`, and optional
  overrides `body_parent_name`, `body_name`, `place_name`, `document_date`.
- `{% load vn_dates %}`: `|ngay_thang_nam`, `|gio_phut_ngay`.
- URL `documents:verify` → `/verify/<token>/` (public, no login).
"""
