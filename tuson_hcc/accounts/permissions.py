"""Role checks, used twice: by views (refuse early) and by services (refuse again)."""

from functools import wraps

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils import translation
from django.utils.translation import gettext as _

from tuson_hcc.core.errors import BusinessRuleError

from .roles import Role


def user_has_role(user, *roles: Role | str) -> bool:
    return bool(user and user.is_authenticated and user.has_role(*roles))


def require_role(actor, *roles: Role | str) -> None:
    """Service-level guard: raise a business error naming the roles that may act."""
    if not user_has_role(actor, *roles):
        with translation.override(settings.LANGUAGE_CODE):  # the business rules are cited in Vietnamese
            names = ", ".join(str(Role(str(r)).label) for r in roles)
        raise BusinessRuleError(f"Chỉ người có vai trò {names} được thực hiện thao tác này.")


def role_required(*roles: Role | str):
    """View decorator: 403 unless the signed-in user holds one of the roles."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not user_has_role(request.user, *roles):
                raise PermissionDenied(_("Bạn không có quyền truy cập trang này."))
            return view(request, *args, **kwargs)

        wrapped.required_roles = tuple(str(r) for r in roles)
        return wrapped

    return decorator


class RoleRequiredMixin:
    """Class-based view counterpart of `role_required`."""

    required_roles: tuple[Role | str, ...] = ()

    def dispatch(self, request, *args, **kwargs):
        if not user_has_role(request.user, *self.required_roles):
            raise PermissionDenied(_("Bạn không có quyền truy cập trang này."))
        return super().dispatch(request, *args, **kwargs)
