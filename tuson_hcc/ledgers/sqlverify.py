"""Ledger verification inside PostgreSQL: the database rebuilds each entry's canonical JSON and hashes it.

`hashing.py` defines the canonical form; this module writes the same text as one SQL expression
per ledger model (to_json() escapes strings exactly as `json.encoder.encode_basestring`, to_char()
formats datetimes as `_datetime` does) and lets `sha256()` and the window function `lag()` check
every entry and every link in one pass over the (chain_key, sequence) index. Python then only
reads one row per chain. Models with a field type this module cannot write are verified in Python.
"""

from django.db import connections, models

from .hashing import GENESIS_HASH, canonical_template

REASONS = {"gap": "sequence gap", "prev": "previous hash mismatch", "hash": "hash mismatch"}
_DATETIME = "'\"' || to_char({col} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"+00:00\"') || '\"'"


def _fragment_sql(field: models.Field, column: str) -> str | None:
    """The SQL of the JSON fragment `hashing.fragment_for(field)` gives in Python, or None if unsupported."""
    if isinstance(field, models.ForeignKey):
        return _fragment_sql(field.target_field, column)
    if isinstance(field, models.BooleanField | models.AutoField | models.IntegerField):
        value = f"{column}::text"
    elif isinstance(field, models.DateTimeField):
        value = _DATETIME.format(col=column)
    elif isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField):
        value = f"'\"' || to_char({column}, 'YYYY-MM-DD') || '\"'"
    elif isinstance(field, models.DecimalField) and field.decimal_places is not None and field.decimal_places <= 6:
        # numeric(p, s) prints s places, as Python's quantize does (no exponent for s <= 6)
        value = f"'\"' || {column}::text || '\"'"
    elif isinstance(field, models.UUIDField):
        value = f"'\"' || {column}::text || '\"'"
    elif isinstance(field, models.CharField | models.TextField):
        value = f"to_json({column}::text)::text"
    else:
        return None  # time, JSON…: the Python path handles them exactly
    return f"COALESCE({value}, 'null')"


def canonical_sql(model) -> tuple[str, list[str]] | None:
    """(SQL expression of the canonical JSON, its parameters) for `model`, or None when unsupported."""
    if connections[model.objects.db].vendor != "postgresql":
        return None
    _, plan = model.hash_plan()
    template = canonical_template([key for key, _, _ in plan])
    literals = template.split("%s")
    parts, params = [], []
    for literal, (key, _, _) in zip(literals, plan, strict=False):
        field = model._meta.get_field(key)
        fragment = _fragment_sql(field, connections[model.objects.db].ops.quote_name(field.column))
        if fragment is None:
            return None
        parts += ["%s::text", fragment]
        params.append(literal)
    parts.append("%s::text")
    params.append(literals[-1])
    return " || ".join(parts), params


def _hash_sql(canonical: str) -> str:
    return f"encode(sha256(convert_to(previous_hash || {canonical}, 'UTF8')), 'hex')"


def database_entry_hashes(model, chain_key: str | None = None) -> dict[int, str]:
    """Every entry's hash as PostgreSQL computes it, by primary key (tests compare it with Python's)."""
    canonical, params = canonical_sql(model)
    where, extra = ("WHERE chain_key = %s", [chain_key]) if chain_key is not None else ("", [])
    with connections[model.objects.db].cursor() as cursor:
        cursor.execute(f"SELECT id, {_hash_sql(canonical)} FROM {model._meta.db_table} {where}", params + extra)
        return dict(cursor.fetchall())


def database_chain_results(model, chain_key: str | None = None) -> list[dict]:
    """One dict per chain: entries, last sequence and hash, and the first broken entry (or None).

    The first broken entry follows `verify._verify_block`'s order of checks: a gap in the
    sequence, then a previous hash that is not the previous entry's hash, then the entry's own hash.
    """
    canonical, params = canonical_sql(model)
    where, extra = ("WHERE chain_key = %s", [chain_key]) if chain_key is not None else ("", [])
    table = connections[model.objects.db].ops.quote_name(model._meta.db_table)
    sql = f"""
        SELECT chain_key, count(*), max(sequence),
               max(entry_hash) FILTER (WHERE is_last),
               (array_agg(ARRAY[sequence::text, id::text, reason, expected::text] ORDER BY sequence)
                    FILTER (WHERE reason IS NOT NULL))[1:1]
        FROM (
            SELECT chain_key, id, sequence, entry_hash,
                   lead(sequence) OVER w IS NULL AS is_last,
                   COALESCE(lag(sequence) OVER w, 0) + 1 AS expected,
                   CASE WHEN sequence <> COALESCE(lag(sequence) OVER w, 0) + 1 THEN 'gap'
                        WHEN previous_hash <> COALESCE(lag(entry_hash) OVER w, %s) THEN 'prev'
                        WHEN {_hash_sql(canonical)} <> entry_hash THEN 'hash'
                   END AS reason
            FROM {table} {where}
            WINDOW w AS (PARTITION BY chain_key ORDER BY sequence)
        ) checked
        GROUP BY chain_key ORDER BY chain_key
    """
    with connections[model.objects.db].cursor() as cursor:
        cursor.execute(sql, [GENESIS_HASH, *params, *extra])
        rows = cursor.fetchall()
    results = []
    for chain, count, last_sequence, last_hash, broken in rows:
        first = None
        if broken:
            sequence, pk, reason, expected = broken[0]
            detail = f"expected {expected}, found {sequence}" if reason == "gap" else ""
            first = (int(sequence), int(pk), REASONS[reason], detail)
        results.append(
            {
                "chain_key": chain,
                "entries": count,
                "last_sequence": last_sequence,
                "last_hash": last_hash,
                "broken": first,
            }
        )
    return results
