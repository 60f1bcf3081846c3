"""Ledger verification inside PostgreSQL: the database rebuilds each entry's canonical JSON and hashes it.

`hashing.py` defines the canonical form; this module writes the same text as one SQL expression
per ledger model (to_json() escapes strings exactly as `json.encoder.encode_basestring`, to_char()
formats datetimes as `_datetime` does) and lets `sha256()` and the window function `lag()` check
every entry and every link in one pass over the (chain_key, sequence) index. Python then only
reads one row per chain. Models with a field type this module cannot write are verified in Python.
"""

from django.db import connections, models, transaction

from .hashing import GENESIS_HASH, canonical_template

REASONS = {"gap": "sequence gap", "prev": "previous hash mismatch", "hash": "hash mismatch"}
_DATETIME_TEXT = "to_char({col} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"+00:00\"')"
_DATETIME = "'\"' || " + _DATETIME_TEXT + " || '\"'"


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


def _piece_sql(field: models.Field, column: str, null: bool) -> tuple[list, str | None] | None:
    """The fast form's pieces for one value: literals (str) and SQL expressions (`_Sql`), and the text
    column the guard must check (a text value is copied between quotes without `to_json`)."""
    if isinstance(field, models.ForeignKey):
        return _piece_sql(field.target_field, column, null)
    if isinstance(field, models.CharField | models.TextField):
        if null:
            return [_Sql(f"COALESCE('\"' || {column} || '\"', 'null')")], column
        return ['"', _Sql(column), '"'], column
    fragment = _fragment_sql(field, column)
    if fragment is None:
        return None
    if not null and isinstance(field, models.BooleanField | models.AutoField | models.IntegerField):
        return [_Sql(f"{column}::text")], None
    if not null and isinstance(field, models.DateTimeField):
        return ['"', _Sql(_DATETIME_TEXT.format(col=column)), '"'], None
    return [_Sql(fragment)], None


class _Sql(str):
    """An SQL expression among the literal pieces of the fast canonical form."""


def fast_canonical_sql(model) -> tuple[str, str, list[str]] | None:
    """(fast canonical SQL, guard SQL, parameters): the canonical JSON with every text value copied
    between quotes as it is, and a guard true exactly when that copy is the canonical JSON (no text
    value holds a character JSON escapes: `to_json` leaves the concatenation of them unchanged).

    `to_json` on each text value was most of the cost of hashing in SQL. An entry is intact when the
    guard holds and the fast form hashes to its hash; otherwise the exact form decides. Without the
    guard a tampered `a\\"b` would pass for the original `a"b`, so a fast match never counts alone.
    """
    if connections[model.objects.db].vendor != "postgresql":
        return None
    connection = connections[model.objects.db]
    _, plan = model.hash_plan()
    template = canonical_template([key for key, _, _ in plan])
    literals = template.split("%s")
    pieces, texts = [], []
    for literal, (key, _, _) in zip(literals, plan, strict=False):
        field = model._meta.get_field(key)
        found = _piece_sql(field, connection.ops.quote_name(field.column), field.null)
        if found is None:
            return None
        value_pieces, text_column = found
        pieces += [literal, *value_pieces]
        if text_column:
            texts.append(text_column)
    pieces.append(literals[-1])
    sql, params, pending = [], [], ""
    for piece in pieces:
        if isinstance(piece, _Sql):
            if pending:
                sql.append("%s::text")
                params.append(pending)
                pending = ""
            sql.append(piece)
        else:
            pending += piece
    if pending:
        sql.append("%s::text")
        params.append(pending)
    if texts:
        joined = f"concat({', '.join(texts)})"
        guard = f"octet_length(to_json({joined})::text) = octet_length({joined}) + 2"
    else:
        guard = "true"
    return " || ".join(sql), guard, params


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
    fast, guard, fast_params = fast_canonical_sql(model)
    where, extra = ("WHERE chain_key = %s", [chain_key]) if chain_key is not None else ("", [])
    table = connections[model.objects.db].ops.quote_name(model._meta.db_table)
    # Each entry's hash is checked in the innermost query (OFFSET 0 keeps it there), so only narrow rows
    # (keys, hashes, one boolean) reach the window's sort. The fast form decides when its guard holds.
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
                        WHEN NOT hash_ok THEN 'hash'
                   END AS reason
            FROM (
                SELECT chain_key, id, sequence, previous_hash, entry_hash,
                       CASE WHEN ({guard}) AND {_hash_sql(fast)} = entry_hash THEN true
                            ELSE {_hash_sql(canonical)} = entry_hash
                       END AS hash_ok
                FROM {table} {where}
                OFFSET 0
            ) hashed
            WINDOW w AS (PARTITION BY chain_key ORDER BY sequence)
        ) checked
        GROUP BY chain_key ORDER BY chain_key
    """
    with transaction.atomic(using=model.objects.db), connections[model.objects.db].cursor() as cursor:
        # JIT compiled this long expression for seconds per run; the narrow sort fits in memory.
        cursor.execute("SET LOCAL jit = off")
        cursor.execute("SET LOCAL work_mem = '64MB'")
        cursor.execute(sql, [GENESIS_HASH, *fast_params, *params, *extra])
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
