from django.shortcuts import redirect
from django.urls import reverse


class PasswordChangeRequiredMiddleware:
    """While `user.must_change_password` is set, every page leads to the password change.

    Only the change itself, signing out, the language switch and static files stay reachable.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self._open = None

    def _open_paths(self) -> tuple[str, ...]:
        if self._open is None:
            self._open = (
                reverse("password_change"),
                reverse("password_change_done"),
                reverse("logout"),
                reverse("set_language"),
            )
        return self._open

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and user.must_change_password
            and not request.path.startswith(self._open_paths())
        ):
            return redirect("password_change")
        return self.get_response(request)
