"""History for auditors (lịch sử, kiểm tra), DESIGN.md section 5 and issue 6.

Generic over whatever is registered, so the parts plug in without this app importing them:

- every model with simple-history appears in `/history/` and has a timeline at
  `/history/<app_label>.<model>/<pk>/`; drop `{% load history_tags %}{% history_link obj %}`
  into a detail page to link to it;
- every concrete ledger (`tuson_hcc.ledgers.verify.ledger_models()`) appears on `/history/ledgers/`;
- every `tuson_hcc.core.registry.ReportSeries` appears on `/history/reports/`.

Reads are in `selectors` (history list and timeline) and `access` (access log); the only
write is `services.ledger_verification_run`, which auditors may do (a read-only check).
"""
