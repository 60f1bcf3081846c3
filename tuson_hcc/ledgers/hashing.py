"""The canonical form of a ledger entry and its hash (DESIGN.md section 5).

`hash = SHA-256(previous_hash ‖ canonical entry)`. The canonical entry is the compact JSON
object, keys sorted, no ASCII escaping (exactly `json.dumps(d, sort_keys=True,
separators=(",", ":"), ensure_ascii=False)`) of: chain_key, sequence, recorded_at, corrects
(id or null) and the model's `chained_fields`, with values normalised so that what is hashed on
append is exactly what is re-hashed from the database:

- datetimes: UTC ISO 8601 with microseconds, `"2026-02-25T03:04:05.000000+00:00"`;
- dates and times: ISO 8601 strings; Decimals: strings quantised to the field's decimal places;
- foreign keys: the related primary key; UUIDs: strings; None: null; str, int, bool: as JSON.

It is built from per-field JSON fragments (not `json.dumps`) because `verify_ledgers` must
re-hash 100,000 entries a second. The genesis `previous_hash` of every chain is 64 zeros.
"""

import datetime as dt
import decimal
import hashlib
import json
from collections.abc import Callable
from json.encoder import encode_basestring

from django.db import models

GENESIS_HASH = "0" * 64
_UTC = dt.UTC


def _dumps(value) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def _text(value) -> str:
    return "null" if value is None else encode_basestring(value)


def _integer(value) -> str:
    return "null" if value is None else str(int(value))


def _boolean(value) -> str:
    return "null" if value is None else ("true" if value else "false")


def _datetime(value) -> str:
    if value is None:
        return "null"
    if value.tzinfo is not _UTC:
        value = value.astimezone(_UTC)
    return f'"{value.isoformat(timespec="microseconds")}"'


def _iso(value) -> str:
    return "null" if value is None else f'"{value.isoformat()}"'


def _decimal(places: int | None) -> Callable[[object], str]:
    quantum = decimal.Decimal(1).scaleb(-places) if places is not None else None

    def fragment(value) -> str:
        if value is None:
            return "null"
        return f'"{value.quantize(quantum) if quantum is not None else value}"'

    return fragment


def _string_of(value) -> str:
    return "null" if value is None else encode_basestring(str(value))


def _generic(value) -> str:
    return _dumps(value)


def fragment_for(field: models.Field) -> Callable[[object], str]:
    """The function turning a Python value of `field` (as the ORM returns it) into its JSON fragment."""
    if isinstance(field, models.ForeignKey):
        return fragment_for(field.target_field)
    if isinstance(field, models.BooleanField):
        return _boolean
    if isinstance(field, models.AutoField | models.IntegerField):
        return _integer
    if isinstance(field, models.DateTimeField):
        return _datetime
    if isinstance(field, models.DateField | models.TimeField):
        return _iso
    if isinstance(field, models.DecimalField):
        return _decimal(field.decimal_places)
    if isinstance(field, models.UUIDField):
        return _string_of
    if isinstance(field, models.CharField | models.TextField):
        return _text
    return _generic


def sqlite_raw_datetime_fragment(raw) -> str | None:
    """Fast path for `verify`: with USE_TZ, SQLite holds UTC datetimes, read back naive (or as text).

    Returns the same fragment `_datetime` gives for the aware value, or None when the raw value
    has another shape (the caller then falls back to Django's converter).
    """
    if raw is None:
        return "null"
    if type(raw) is dt.datetime and raw.tzinfo is None:
        return f'"{raw.isoformat(timespec="microseconds")}+00:00"'
    if type(raw) is str and len(raw) in (19, 26) and raw[10] == " ":
        return f'"{raw[:10]}T{raw[11:]}{"" if len(raw) == 26 else ".000000"}+00:00"'
    return None


def canonical_template(keys) -> str:
    """'{"k1":%s,"k2":%s,…}' for the sorted `keys`: filled with fragments it is the canonical JSON."""
    return "{" + ",".join(f"{encode_basestring(key)}:%s" for key in sorted(keys)) + "}"


def compute_hash(previous_hash: str, canonical: str) -> str:
    """`SHA-256(previous_hash ‖ canonical JSON)` as 64 hex digits."""
    return hashlib.sha256((previous_hash + canonical).encode()).hexdigest()
