"""Reading a ledger fast: raw rows turned into canonical JSON fragments, no model instances."""

from json.encoder import encode_basestring

from django.conf import settings
from django.db import connections, models
from django.db.models.sql.constants import MULTI
from django.utils.dateparse import parse_date

from .hashing import _integer, _text, fragment_for, sqlite_raw_datetime_fragment

CHUNK_SIZE = 5000


def _null_or(function):
    def fragment(value):
        return "null" if value is None else function(value)

    return fragment


def _column_functions(compiler, fields, vendor) -> list:
    """Per selected column: raw database value -> canonical JSON fragment (converters applied lazily)."""
    converters = compiler.get_converters([select[0] for select in compiler.select])
    connection = compiler.connection
    functions = []
    for position, field in enumerate(fields, start=3):
        fragment = fragment_for(field)
        convs = list(converters.get(position, ((), None))[0])
        expression = compiler.select[position][0]

        def convert(raw, convs=convs, expression=expression, fragment=fragment):
            for converter in convs:
                raw = converter(raw, expression, connection)
            return fragment(raw)

        if vendor == "postgresql" and isinstance(field, models.DateTimeField):
            functions.append(_quoted)  # already canonical text, formatted by the server (see below)
        elif vendor == "sqlite" and settings.USE_TZ and isinstance(field, models.DateTimeField):
            functions.append(_sqlite_datetime(field))
        elif vendor == "sqlite" and type(field) is models.DateField:
            functions.append(_sqlite_date)
        elif convs:
            functions.append(convert)
        elif fragment is _text:
            # C-level encoders for the common plain columns: they are the hot path of verification.
            functions.append(_null_or(encode_basestring) if field.null else encode_basestring)
        elif fragment is _integer:
            functions.append(_null_or(str) if field.null else str)
        else:
            functions.append(fragment)
    return functions


def _quoted(value) -> str:
    return "null" if value is None else f'"{value}"'


def _sqlite_datetime(field):
    def fragment(raw):
        # The stored text, read without sqlite3's converter; any other shape goes the slow, exact way.
        fast = sqlite_raw_datetime_fragment(raw)
        return fast if fast is not None else fragment_for(field)(field.to_python(raw))

    return fragment


def _sqlite_date(raw) -> str:
    if raw is None:
        return "null"
    if type(raw) is str and len(raw) == 10 and raw[4] == raw[7] == "-":
        return f'"{raw}"'
    return f'"{parse_date(str(raw)).isoformat()}"'


class _UtcIsoText(models.Func):
    """PostgreSQL formats a timestamptz exactly as `_datetime` does (psycopg's Python loader is the bottleneck)."""

    template = "to_char(%(expressions)s AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"+00:00\"')"
    output_field = models.CharField()


class _AsText(models.Func):
    """SQLite: the stored text of a date or datetime, bypassing sqlite3's (slow) type converters."""

    template = "CAST(%(expressions)s AS TEXT)"
    output_field = models.CharField()


def stream_fragments(queryset, attnames, fields):
    """Yield (row, fragments) ordered by chain and sequence; raw tuples, no model instances.

    `row` is (pk, previous_hash, entry_hash, *attnames values as read); `fragments` the canonical
    JSON fragment of each of `attnames`.
    """
    columns = list(attnames)
    vendor = connections[queryset.db].vendor
    for i, field in enumerate(fields):
        if vendor == "postgresql" and isinstance(field, models.DateTimeField):
            function = _UtcIsoText
        elif vendor == "sqlite" and isinstance(field, models.DateField):  # DateTimeField too
            function = _AsText
        else:
            continue
        alias = f"_text_{field.attname}"
        queryset = queryset.annotate(**{alias: function(field.attname)})
        columns[i] = alias
    queryset = queryset.order_by("chain_key", "sequence").values_list("pk", "previous_hash", "entry_hash", *columns)
    compiler = queryset.query.get_compiler(using=queryset.db)
    chunks = compiler.execute_sql(MULTI, chunked_fetch=True, chunk_size=CHUNK_SIZE)
    functions = _column_functions(compiler, fields, compiler.connection.vendor)
    for chunk in chunks:
        # Column by column: most fragment functions are C builtins, so map() stays out of Python.
        columns = list(zip(*chunk, strict=True))[3:]
        fragments = zip(*[map(f, column) for f, column in zip(functions, columns, strict=True)], strict=True)
        yield from zip(chunk, fragments, strict=True)
