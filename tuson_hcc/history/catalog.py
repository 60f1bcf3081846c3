"""The history-tracked models: every model registered with simple-history, found at run time."""

from dataclasses import dataclass
from functools import cached_property

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import registered_models
from simple_history.utils import get_history_model_for_model

HISTORY_TYPES = {"+": _("Tạo mới"), "~": _("Sửa đổi"), "-": _("Xóa")}


@dataclass(frozen=True)
class TrackedModel:
    """One business model and its historical table."""

    model: type[models.Model]
    history_model: type[models.Model]

    @property
    def label(self) -> str:
        """`app_label.modelname`, the name used in URLs, filters and cursors."""
        return self.model._meta.label_lower

    @property
    def verbose_name(self) -> str:
        return gettext(str(self.model._meta.verbose_name))

    @property
    def pk_attname(self) -> str:
        return self.model._meta.pk.attname

    @cached_property
    def diff_fields(self) -> list[models.Field]:
        """The tracked fields shown in a diff: editable ones, primary key aside (simple-history's own rule)."""
        return [f for f in self.history_model.tracked_fields if f.editable and not f.primary_key and not f.many_to_many]

    @cached_property
    def fields_by_attname(self) -> dict[str, models.Field]:
        return {f.attname: f for f in self.diff_fields}

    @cached_property
    def relation_fields(self) -> list[models.Field]:
        return [f for f in self.diff_fields if f.many_to_one or f.one_to_one]

    def __hash__(self):
        return hash(self.model)


_cache: dict[type, TrackedModel] = {}


def _registered() -> set:
    """Business models with their own history; m2m through tables (history of `m2m_fields`) are left out,
    their changes show on the owning record's versions."""
    return {m for m in registered_models.values() if hasattr(m._meta, "simple_history_manager_attribute")}


def _tracked(model) -> TrackedModel:
    if model not in _cache:
        _cache[model] = TrackedModel(model=model, history_model=get_history_model_for_model(model))
    return _cache[model]


def tracked_models() -> list[TrackedModel]:
    """Every history-tracked model, sorted by label (the tie-break order of the history list)."""
    return sorted((_tracked(m) for m in _registered()), key=lambda t: t.label)


def tracked_model(label: str) -> TrackedModel | None:
    return next((t for t in tracked_models() if t.label == label.lower()), None)


def tracked_model_for(obj_or_model) -> TrackedModel | None:
    model = obj_or_model if isinstance(obj_or_model, type) else type(obj_or_model)
    model = model._meta.concrete_model
    return _tracked(model) if model in _registered() else None
