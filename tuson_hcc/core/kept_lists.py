"""The short lists the filter bars draw (seals, people, agencies), the reference records the history
pages name (procedures, seals, off-site requests and check-outs, organisation types, required
documents), a seal's recent custody, incidents, inspections, authorisations and consents (its page),
what the Director's dashboard lists of them and of the ledger checks, each user's off-site counts, open
check-outs and awaiting requests on the dashboard, and the catalogue list's order of procedures, kept in
each process while their tables stay unchanged (issue 14).

Read on every request, two such lists were a tenth of a register page: two queries to compile and forty
models to build, for lists that change a few times a year. Kept, they stay exact: triggers (migrations
core 0003 to 0007) give the one row of `core_listversion` a new token in the same transaction as any
write to the tables in WATCHED_TABLES, and a page reads that token first (one small query) and reads a
list again when the token it was read under has changed. Token, then list: a write committed between
the two makes the list newer than its token, and the next request reads it again; never the reverse.

The token is random, not a counter: a rolled-back write leaves the old token in place, and no later
write can reuse the one the rollback took back.
"""

import re

from django.core.exceptions import EmptyResultSet, ImproperlyConfigured
from django.db import connections

# The tables the kept lists and objects are read from; the triggers of migrations core 0003 to 0007 watch
# exactly these (tests hold both to this list).
WATCHED_TABLES = (
    "accounts_agency",
    "accounts_user",
    "accounts_user_groups",
    "auth_group",
    "procedures_procedure",
    "seals_seal",
    "registrations_organisationtype",
    "registrations_requireddocument",
    "seals_custodyentry",
    "seals_sealincident",
    "seals_inspection",
    "seals_inspection_seals",
    "seals_exceptionauthorisation",
    "seals_handoverconsent",
    "history_ledgerverification",
    "seals_offsiterequest",
    "seals_sealcheckout",
    "procedures_cataloguechange",
)

_kept: dict[str, tuple[str, list]] = {}
_kept_objects: dict[type, tuple[str, dict]] = {}


def current_token(using: str) -> str | None:
    """The token of the watched tables as this connection sees them; None without the row (a flushed
    test database), and then nothing is kept."""
    with connections[using].cursor() as cursor:
        cursor.execute("SELECT token FROM core_listversion")
        row = cursor.fetchone()
    return row[0] if row else None


def kept_list(key: str, queryset, token: str | None) -> list:
    """The rows of `queryset`, which must read the same rows for every request under `key` (a list that
    depends on the user names the user in its key), as kept while the token is `token`; read again
    otherwise."""
    if token is None:
        return list(queryset)
    held = _kept.get(key)
    if held is not None and held[0] == token:
        return held[1]
    _check_watched(key, queryset)
    rows = list(queryset)
    _kept[key] = (token, rows)
    return rows


def watched(model, parents: list[str]) -> bool:
    """Whether `model` and the parents named in `parents` (read with it) are all in watched tables."""
    tables = {model._meta.db_table} | {model._meta.get_field(name).related_model._meta.db_table for name in parents}
    return tables <= set(WATCHED_TABLES)


def kept_objects(model, pks: set, token: str | None, read) -> dict:
    """`{pk: object or None}` for `pks` of a model in watched tables (`watched`), kept by the process
    under `token`: `read(missing)` gives `{pk: object}` for those not kept yet (one query); a pk it does
    not find is kept as None (a deleted row, under this token). The objects are shared by requests:
    read them, never change them."""
    if token is None:
        found = read(pks)
        return {pk: found.get(pk) for pk in pks}
    held = _kept_objects.get(model)
    if held is None or held[0] != token:
        held = _kept_objects[model] = (token, {})
    kept = held[1]
    missing = {pk for pk in pks if pk not in kept}
    if missing:
        found = read(missing)
        for pk in missing:
            kept[pk] = found.get(pk)
    return {pk: kept[pk] for pk in pks}


def _check_watched(key: str, queryset) -> None:
    try:
        sql, _ = queryset.query.sql_with_params()
    except EmptyResultSet:  # a queryset that can match nothing (`pk__in=[]`) reads no table
        return
    unwatched = set(re.findall(r'(?:FROM|JOIN) "(\w+)"', sql)) - set(WATCHED_TABLES)
    if unwatched:
        raise ImproperlyConfigured(
            f"The kept list {key} reads {', '.join(sorted(unwatched))}, which no trigger watches "
            "(core.kept_lists.WATCHED_TABLES and a migration adding its triggers)."
        )
