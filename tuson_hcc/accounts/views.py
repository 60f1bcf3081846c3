from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.utils.translation import gettext as _


class PasswordChangeView(auth_views.PasswordChangeView):
    """The user's own password change; it also lifts the administrator's "must change" flag."""

    def form_valid(self, form):
        form.user.must_change_password = False
        form.user._change_reason = "người dùng tự đổi mật khẩu"
        response = super().form_valid(form)
        messages.success(self.request, _("Đã đổi mật khẩu."))
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["forced"] = self.request.user.must_change_password
        return context
