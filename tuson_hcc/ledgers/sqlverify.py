"""Ledger verification inside PostgreSQL: the database rebuilds each entry's canonical JSON and hashes it.

`hashing.py` defines the canonical form; this module writes the same text as one SQL expression
per ledger model (to_json() escapes strings exactly as `json.encoder.encode_basestring`, to_char()
formats datetimes as `_datetime` does) and lets `sha256()` and the window functions check every
entry and every link over one snapshot (one query, or a large ledger's two passes at once on two
connections). Python then only reads one row per chain. Models with a field type this module
cannot write are verified in Python.
"""

import re
from concurrent.futures import ThreadPoolExecutor

from django.db import connections, models, transaction

from .hashing import GENESIS_HASH, canonical_template

REASONS = {"gap": "sequence gap", "prev": "previous hash mismatch", "hash": "hash mismatch"}
# UTC wall time by a fixed offset (AT TIME ZONE 'UTC' looks the zone name up on every row).
_DATETIME_TEXT = "to_char({col} AT TIME ZONE INTERVAL '0', 'YYYY-MM-DD\"T\"HH24:MI:SS.US')"


class _Sql(str):
    """An SQL expression among the literal pieces of a canonical form."""


def _pieces(field: models.Field, column: str, exact: bool, null: bool) -> list | None:
    """The JSON fragment `hashing.fragment_for(field)` gives in Python, as literal pieces (str) and SQL
    expressions (`_Sql`), or None if unsupported. `exact=False` copies text between quotes unescaped."""
    if isinstance(field, models.ForeignKey):
        return _pieces(field.target_field, column, exact, null)
    if isinstance(field, models.CharField | models.TextField):
        if exact:
            value, quote = f"to_json({column}::text)::text", ""
        else:
            value, quote = column, '"'
    elif isinstance(field, models.BooleanField | models.AutoField | models.IntegerField):
        value, quote = f"{column}::text", ""
    elif isinstance(field, models.DateTimeField):
        return _quoted(_DATETIME_TEXT.format(col=column), '"', '+00:00"', null)
    elif isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField):
        # date_out under DateStyle ISO (`_set_for_this_transaction`): to_char went through a time zone
        value, quote = (f"to_char({column}, 'YYYY-MM-DD')" if exact else f"{column}::text"), '"'
    elif isinstance(field, models.DecimalField) and field.decimal_places is not None and field.decimal_places <= 6:
        # numeric(p, s) prints s places, as Python's quantize does (no exponent for s <= 6)
        value, quote = f"{column}::text", '"'
    elif isinstance(field, models.UUIDField):
        value, quote = f"{column}::text", '"'
    else:
        return None  # time, JSON…: the Python path handles them exactly
    return _quoted(value, quote, quote, null)


def _quoted(value: str, before: str, after: str, null: bool) -> list:
    if not null:
        return [before, _Sql(value), after]
    parts = [f"'{before}'" if before else "", value, f"'{after}'" if after else ""]
    return [_Sql(f"COALESCE({' || '.join(part for part in parts if part)}, 'null')")]


def _concat(parts: list[str]) -> str:
    """`a || b || …` as a balanced tree: each `||` copies both sides, so a chain of n pieces would copy
    the growing text n times (half the cost of building a 700-byte entry)."""
    while len(parts) > 1:
        parts = [f"({parts[i]} || {parts[i + 1]})" if i + 1 < len(parts) else parts[i] for i in range(0, len(parts), 2)]
    return parts[0]


def _form(model, exact: bool) -> tuple[str, list[str], list[str]] | None:
    """(SQL of `previous_hash ‖ canonical JSON`, its parameters, the text columns copied unescaped)."""
    connection = connections[model.objects.db]
    if connection.vendor != "postgresql":
        return None
    _, plan = model.hash_plan()
    literals = canonical_template([key for key, _, _ in plan]).split("%s")
    pieces, texts = [_Sql("previous_hash::text")], []
    for literal, (key, _, _) in zip(literals, plan, strict=False):
        field = model._meta.get_field(key)
        column = connection.ops.quote_name(field.column)
        found = _pieces(field, column, exact, field.null)
        if found is None:
            return None
        pieces += [literal, *found]
        target = field.target_field if isinstance(field, models.ForeignKey) else field
        if not exact and isinstance(target, models.CharField | models.TextField):
            texts.append(f"COALESCE({column}, '')" if field.null else column)
    pieces.append(literals[-1])
    sql, params, pending = [], [], ""
    for piece in pieces:
        if isinstance(piece, _Sql):
            if pending:
                sql.append("%s::text")
                params.append(pending)
                pending = ""
            sql.append(piece)
        elif piece:
            pending += piece
    if pending:
        sql.append("%s::text")
        params.append(pending)
    return _concat(sql), params, texts


def canonical_sql(model) -> tuple[str, list[str]] | None:
    """(SQL expression of `previous_hash ‖ canonical JSON`, its parameters) for `model`, or None when unsupported."""
    form = _form(model, exact=True)
    return None if form is None else form[:2]


def fast_canonical_sql(model) -> tuple[str, str, list[str]] | None:
    """(fast SQL of `previous_hash ‖ canonical JSON`, guard SQL, parameters): every text value copied
    between quotes as it is, and a guard true when no text value holds a backslash.

    `to_json` on each text value was most of the cost of hashing in SQL. An entry is intact when the
    guard holds and the fast form hashes to its hash; otherwise the exact form decides. Without the
    guard a tampered `a\\"b` would pass for the original `a"b`, so a fast match never counts alone.

    Why no backslash is enough: nothing else in the fast form holds one (keys, numbers, dates, and
    the previous hash, which must be the 64 hex digits hashed on append as the JSON opens with `{`),
    so a fast match means the text hashed on append held none either: no value then
    held a character JSON escapes, and each `"` in it was one of the template's. The fast form has
    those same quotes, so its values hold no `"`: the two texts split into the same values. (A value
    with a `"` or a control character but no backslash passes the guard and fails the match: the
    exact form decides.) `to_json` on all the texts, to test for any escaped character, cost 15%.
    """
    form = _form(model, exact=False)
    if form is None:
        return None
    fast, params, texts = form
    guard = f"strpos({_concat(texts)}, '\\') = 0" if texts else "true"
    return fast, guard, params


def _hash_sql(text: str) -> str:
    # textsend(): the text's UTF-8 bytes as they are (Django's connections are UTF-8 both ends, so
    # nothing is converted); convert_to(…, 'UTF8') validated every byte again, 6% of the cost.
    return f"encode(sha256(textsend({text})), 'hex')"


def database_entry_hashes(model, chain_key: str | None = None, *, fast: bool = False) -> dict[int, str]:
    """Every entry's hash as PostgreSQL computes it, by primary key (tests compare it with Python's).

    `fast=True`: the fast form's hash, for the entries whose guard holds (the others are left out).
    """
    if fast:
        text, guard, params = fast_canonical_sql(model)
    else:
        (text, params), guard = canonical_sql(model), "true"
    where, extra = ("AND chain_key = %s", [chain_key]) if chain_key is not None else ("", [])
    with transaction.atomic(using=model.objects.db), connections[model.objects.db].cursor() as cursor:
        _set_for_this_transaction(cursor)
        cursor.execute(
            f"SELECT id, {_hash_sql(text)} FROM {model._meta.db_table} WHERE ({guard}) {where}", params + extra
        )
        return dict(cursor.fetchall())


def database_chain_results(model, chain_key: str | None = None, *, concurrent: bool = False) -> list[dict]:
    """One dict per chain: entries, last sequence and hash, and the first broken entry (or None).

    The first broken entry follows `verify._verify_block`'s order of checks: a gap in the
    sequence, then a previous hash that is not the previous entry's hash, then the entry's own hash.

    Two passes over one snapshot. The links are checked by a window over the (chain_key, sequence)
    unique index, which carries id and both hashes (`LedgerEntry.Meta`), so it reads the index
    alone, in order, without a sort. Each entry's hash is checked by a scan of the table that
    PostgreSQL may share among its parallel workers; it returns only the first entry of each chain
    whose hash is wrong (none when the ledger is intact).

    By default both passes are one statement, and PostgreSQL runs them one after the other (a
    window never runs in a parallel worker, so no Parallel Append overlaps them). `concurrent=True`
    runs the hash pass on a second connection, from a thread, while this connection checks the
    links: both in REPEATABLE READ on the snapshot this one exports, so the result is the
    statement's. It needs committed data (the second connection sees nothing else), so inside an
    atomic block, as in tests, it falls back to the one statement.
    """
    canonical, params = canonical_sql(model)
    fast, guard, fast_params = fast_canonical_sql(model)
    alias = model.objects.db
    where, extra = ("chain_key = %s", [chain_key]) if chain_key is not None else ("true", [])
    table = connections[alias].ops.quote_name(model._meta.db_table)
    # The fast form decides when its guard holds; otherwise the exact form (NULL-safe: a hash
    # column emptied by someone who dropped NOT NULL is a wrong hash, as in Python).
    wrong_hash = f"""CASE WHEN ({guard}) AND {_hash_sql(fast)} = entry_hash THEN false
                          ELSE {_hash_sql(canonical)} IS DISTINCT FROM entry_hash END"""
    # Before the first gap an entry's sequence is its row number, so row_number() finds that gap
    # (and what was expected) as lag(sequence) did; the last hash is read from the index after.
    # Two window functions instead of four: a fifth less time.
    links = f"""
        SELECT linked.chain_key, entries, last_sequence, last.entry_hash AS last_hash, broken
        FROM (
            SELECT chain_key, count(*) AS entries, max(sequence) AS last_sequence,
                   (array_agg(ARRAY[sequence::text, id::text, reason, expected::text] ORDER BY sequence)
                        FILTER (WHERE reason IS NOT NULL))[1:1] AS broken
            FROM (
                SELECT chain_key, id, sequence, row_number() OVER w AS expected,
                       CASE WHEN sequence <> row_number() OVER w THEN 'gap'
                            WHEN previous_hash IS DISTINCT FROM lag(entry_hash, 1, %s) OVER w THEN 'prev'
                       END AS reason
                FROM {table} WHERE {where}
                WINDOW w AS (PARTITION BY chain_key ORDER BY sequence)
            ) links
            GROUP BY chain_key
        ) linked
        LEFT JOIN LATERAL (
            SELECT entry_hash FROM {table} WHERE chain_key = linked.chain_key AND sequence = linked.last_sequence
        ) last ON true
    """
    links_params = [GENESIS_HASH, *extra]
    hashed = f"""
        SELECT DISTINCT ON (chain_key) chain_key, ARRAY[sequence, id] AS first_wrong
        FROM {table} WHERE {where} AND {wrong_hash}
        ORDER BY chain_key, sequence, id
    """
    hashed_params = [*extra, *fast_params, *params]
    if concurrent and not connections[alias].in_atomic_block:
        rows = _on_two_connections(alias, (links, links_params), (hashed, hashed_params))
    else:
        with transaction.atomic(using=alias), connections[alias].cursor() as cursor:
            _set_for_this_transaction(cursor)
            cursor.execute(
                f"""SELECT linked.*, hashed.first_wrong FROM ({links}) linked
                    LEFT JOIN ({hashed}) hashed ON hashed.chain_key = linked.chain_key
                    ORDER BY linked.chain_key""",
                [*links_params, *hashed_params],
            )
            rows = cursor.fetchall()
    results = []
    for chain, count, last_sequence, last_hash, broken, first_wrong in rows:
        first = None
        if broken:
            sequence, pk, reason, expected = broken[0]
            detail = f"expected {expected}, found {sequence}" if reason == "gap" else ""
            first = (int(sequence), int(pk), REASONS[reason], detail)
        if first_wrong and (first is None or first_wrong[0] < first[0]):
            # At the same entry a gap or a broken link is named first, as in Python.
            first = (first_wrong[0], first_wrong[1], REASONS["hash"], "")
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


def _set_for_this_transaction(cursor) -> None:
    # JIT compiled this long expression for seconds per run; the fast form writes dates as ISO.
    cursor.execute("SELECT set_config('jit', 'off', true), set_config('DateStyle', 'ISO', true)")


def _on_two_connections(alias: str, links: tuple[str, list], hashed: tuple[str, list]) -> list[tuple]:
    """The links on this connection and the hashes on a second one, at the same time, on one snapshot:
    the rows the one statement gives. The second connection is closed before this returns."""
    with transaction.atomic(using=alias), connections[alias].cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        cursor.execute("SELECT pg_export_snapshot()")
        (snapshot,) = cursor.fetchone()
        _set_for_this_transaction(cursor)
        # The exported snapshot lives as long as this transaction: it ends after the thread's.
        with ThreadPoolExecutor(1) as pool:
            pending = pool.submit(_first_wrong_hashes, alias, snapshot, *hashed)
            cursor.execute(f"{links[0]} ORDER BY chain_key", links[1])
            linked = cursor.fetchall()
            first_wrong = pending.result()
    return [(*row, first_wrong.get(row[0])) for row in linked]


def _first_wrong_hashes(alias: str, snapshot: str, sql: str, params: list) -> dict[str, list]:
    # A thread has its own connection (Django's are per thread); it must not outlive the thread.
    try:
        with transaction.atomic(using=alias), connections[alias].cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            # SET takes no bound parameter: the id is checked, then written in.
            if not re.fullmatch(r"[0-9A-F-]+", snapshot):
                raise ValueError(f"unexpected snapshot id {snapshot!r}")
            cursor.execute(f"SET TRANSACTION SNAPSHOT '{snapshot}'")
            _set_for_this_transaction(cursor)
            cursor.execute(sql, params)
            return dict(cursor.fetchall())
    finally:
        connections[alias].close()
