"""Human-readable values for auditors: labels, choice names and related objects by name, never raw ids.

Field labels and choice names follow the reader's language: the models name them in Vietnamese,
and `gettext` finds their English names in the history app's catalogue.

Related objects are loaded in one query per related model for a whole page (or export chunk),
so a page of fifty changes costs the same few queries as a page of one.
"""

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterable
from functools import cache, lru_cache, partial

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.translation import get_language, gettext

from tuson_hcc.core.kept_lists import current_token, kept_objects, watched

EMPTY = "—"


@lru_cache(maxsize=8192)
def _translated(language: str, text: str) -> str:
    return gettext(text)  # `language` is the active one: part of the key only


def tr(text) -> str:
    """`gettext(str(text))`, memoised per language: a page of fifty versions asks for the same few
    hundred field labels and choice names thousands of times (issue 14)."""
    return _translated(get_language() or "", str(text))


@lru_cache(maxsize=256)
def _labels(tracked, language: str) -> dict[str, str]:
    return {f.attname: _translated(language, str(f.verbose_name)) for f in tracked.diff_fields}


def field_labels(tracked) -> dict[str, str]:
    """attname -> the field's label in the reader's language, for every field a diff shows: one
    language look-up per entry instead of one per field."""
    return _labels(tracked, get_language() or "")


@lru_cache(maxsize=1024)
def _choice_names(field: models.Field) -> dict:
    return dict(field.flatchoices)


@lru_cache(maxsize=8192)
def _choice_label(field: models.Field, value, language: str) -> str:
    """A choice's name in `language` (the active one): its lazy label is not translated again per value."""
    return _translated(language, str(_choice_names(field).get(value, value)))


def _content_type(pk) -> ContentType | None:
    try:
        return ContentType.objects.get_for_id(pk)
    except ContentType.DoesNotExist:
        return None


_NOT_READ = object()


def _parents(model: type[models.Model]) -> list[models.Field]:
    return [f for f in model._meta.concrete_fields if f.many_to_one or f.one_to_one]


@cache
def _kept(model: type[models.Model]) -> bool:
    """A reference model the process keeps (its table and its parents' watched: `core.kept_lists`)."""
    return model is not ContentType and watched(model, [f.name for f in _parents(model)])


def _read(model: type[models.Model], parents: list[str], pks) -> dict:
    return {obj.pk: obj for obj in model._base_manager.select_related(*parents).filter(pk__in=pks).order_by()}


class RelatedCache:
    """`(related model, pk) -> object`, filled in one query per related model by `load`."""

    def __init__(self):
        self._token = _NOT_READ
        self._wanted: dict[type, set] = defaultdict(set)
        self._objects: dict[tuple[type, object], models.Model | None] = {}
        self._known_models: set[type] = set()

    def add(self, objects: Iterable[models.Model]) -> None:
        """Objects the caller has already read (the filter bar's people): not read again by `load`, and
        not joined as parents of what it reads."""
        for obj in objects:
            self._objects[(type(obj), obj.pk)] = obj
            self._known_models.add(type(obj))

    def want(self, model: type[models.Model], pk) -> None:
        if pk is not None and (model, pk) not in self._objects:
            self._wanted[model].add(pk)

    def want_row(self, fields: Iterable[models.Field], row) -> None:
        for field in fields:
            self.want(field.related_model, getattr(row, field.attname))

    def load(self) -> None:
        for model, pks in self._wanted.items():
            if model is ContentType:  # Django keeps these for the process: no query
                for pk in pks:
                    self._objects[(model, pk)] = _content_type(pk)
                continue
            if _kept(model):
                # Reference records (procedures, seals, organisation types…): kept by the process while
                # their tables are unchanged (`core.kept_lists`), with all their parents.
                self._objects.update({(model, pk): obj for pk, obj in self._kept(model, pks).items()})
                continue
            # One level of forward relations too: most __str__ methods name their parent. Parents the
            # caller gave (`add`, the users) or kept by the process are set from here instead of joined:
            # a checkout joined to its three users read ~100 columns a row (issue 14). No ordering: the
            # rows are looked up by pk.
            parents = _parents(model)
            given = [
                f
                for f in parents
                if (f.related_model in self._known_models or _kept(f.related_model)) and f.target_field.primary_key
            ]
            joined = [f.name for f in parents if f not in given]
            found = {obj.pk: obj for obj in model._base_manager.select_related(*joined).filter(pk__in=pks).order_by()}
            for pk in pks:
                self._objects[(model, pk)] = found.get(pk)
            self._set_given(given, found.values())
        self._wanted.clear()

    def _kept(self, model, pks) -> dict:
        if self._token is _NOT_READ:
            self._token = current_token(model._base_manager.db)
        return kept_objects(model, pks, self._token, partial(_read, model, [f.name for f in _parents(model)]))

    def _set_given(self, fields: list[models.Field], objects) -> None:
        """Each object's parents among the given objects; those not given (a user added since) read in one
        query per parent model, those kept by the process (`_kept`) from there."""
        if not fields:
            return
        missing = defaultdict(set)
        for obj in objects:
            for f in fields:
                value = getattr(obj, f.attname)
                if value is not None and (f.related_model, value) not in self._objects:
                    missing[f.related_model].add(value)
        for model, pks in missing.items():
            if _kept(model):
                self._objects.update({(model, pk): obj for pk, obj in self._kept(model, pks).items() if obj})
                continue
            for parent in model._base_manager.filter(pk__in=pks).order_by():
                self._objects[(model, parent.pk)] = parent
        for obj in objects:
            for f in fields:
                value = getattr(obj, f.attname)
                if value is not None and (parent := self._objects.get((f.related_model, value))) is not None:
                    f.set_cached_value(obj, parent)

    def get(self, model: type[models.Model], pk) -> models.Model | None:
        return self._objects.get((model, pk))

    def label(self, model: type[models.Model], pk) -> str:
        if pk is None:
            return EMPTY
        obj = self.get(model, pk)
        if obj is not None:
            return safe_str(obj)
        return f"{gettext(str(model._meta.verbose_name))} #{pk} {gettext('(không còn)')}"


def safe_str(obj) -> str:
    try:
        return str(obj)
    except Exception:  # a __str__ reaching past what was loaded must not break the audit page
        return f"{obj._meta.verbose_name} #{obj.pk}"


def value_display(field: models.Field, value, related: RelatedCache) -> str:
    """What an auditor reads for `value` of `field` (DESIGN.md section 5: human-readable history)."""
    if field.many_to_one or field.one_to_one:
        return related.label(field.related_model, value)
    if value is None or value == "":
        return EMPTY
    if isinstance(value, FieldFile):
        value = value.name or ""
        return value or EMPTY
    if field.choices:
        # Labels, not codes, in the reader's language (issue 13).
        try:
            return _choice_label(field, value, get_language() or "")
        except TypeError:  # a value that cannot be a key: looked up without the memo
            return tr(_choice_names(field).get(value, value))
    if isinstance(field, models.BooleanField):
        return tr("Có") if value else tr("Không")
    if isinstance(value, dt.datetime):
        return (timezone.localtime(value) if timezone.is_aware(value) else value).strftime("%d/%m/%Y %H:%M:%S")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(field, models.JSONField) or isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def instance_of(tracked, row, related: RelatedCache) -> models.Model:
    """The business object as it stood in historical `row`, with its parents taken from `related` (no query)."""
    model = tracked.model
    instance = model(**{f.attname: getattr(row, f.attname) for f in tracked.history_model.tracked_fields})
    for field in tracked.relation_fields:
        field.set_cached_value(instance, related.get(field.related_model, getattr(row, field.attname)))
    return instance


def record_label(tracked, row, related: RelatedCache) -> str:
    return safe_str(instance_of(tracked, row, related))


def diff_fields(tracked, new, old, history_type: str) -> list:
    """`(field, old value, new value)` for each field a version changed; `new`/`old` map attname -> value.

    `old` is None when the version has no previous one: then every filled-in field is shown as new
    (nothing for a deletion). The one rule of what a diff shows, for stored and computed diffs alike.
    """
    changed = []
    for f in tracked.diff_fields:
        value = new.get(f.attname)
        before = old.get(f.attname) if old is not None else None
        if old is not None and before == value:
            continue
        if old is None and (value is None or value == "" or history_type == "-"):
            continue
        changed.append((f, before, value))
    return changed


def stored_value(field: models.Field, value):
    """A value as kept in a stored diff (JSON): codes for relations, choices and yes/no, so the page
    names them in the reader's language when read; the display text for everything else."""
    if isinstance(value, FieldFile):
        value = value.name or ""
    if value is None or value == "":
        return None
    if field.many_to_one or field.one_to_one:
        return value if isinstance(value, int | str) else str(value)
    if field.choices:
        return value if isinstance(value, int | str) else str(value)
    if isinstance(field, models.BooleanField):
        return bool(value)
    return value_display(field, value, RelatedCache())


def stored_display(field: models.Field | None, value, related: RelatedCache) -> str:
    """What an auditor reads for a value of a stored diff: the same words as `value_display`."""
    if field is None:  # a field since removed from the model: its text as stored
        return EMPTY if value is None else str(value)
    if field.many_to_one or field.one_to_one:
        return related.label(field.related_model, value)
    if value is None:
        return EMPTY
    if field.choices or isinstance(field, models.BooleanField):
        return value_display(field, value, related)
    return str(value)
