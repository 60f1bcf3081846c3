"""Append-only, hash-chained ledgers (sổ ghi nối tiếp), DESIGN.md section 5.

Public API:

- `models.LedgerEntry` — abstract base; subclass it, list `chained_fields`, and declare
  `class Meta(LedgerEntry.Meta)` (see the models module docstring for a full example).
- `operations.AppendOnlyTrigger("modelname")` — one line in the ledger's migration (PostgreSQL trigger).
- `services.ledger_append(Model, *, chain_key, **fields) -> entry` — the only way to write;
  `corrects=<entry>` makes a correction entry.
- `verify.verify_ledger(Model, chain_key=None, *, workers=1)` / `verify.verify_all_ledgers(label=None)`
  -> list of `verify.ChainReport`; `python manage.py verify_ledgers [--ledger LABEL] [--workers N]`.
- `admin.ReadOnlyLedgerAdmin` — base ModelAdmin for a ledger: browse, never add, change or delete.
"""
