"""The public pages (DESIGN.md section 6): /submit/ (online dossier) and /lookup/ (status by code and secret)."""

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from tuson_hcc.core.clientip import client_ip
from tuson_hcc.core.errors import BusinessRuleError
from tuson_hcc.core.models import IssuingBody

from .forms import LookupForm, OnlineSubmitForm
from .online import LOOKUP_WINDOW_SECONDS, dossier_lookup, lookup_allowed
from .services import dossier_submit_online


@login_not_required
@require_http_methods(["GET", "POST"])
def submit(request):
    form = OnlineSubmitForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            outcome, secret = dossier_submit_online(
                data=form.dossier_data(),
                scan=form.cleaned_data["scan"],
                idempotency_key=form.cleaned_data["idempotency_key"],
            )
        except BusinessRuleError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            return render(
                request,
                "registrations/public/submitted.html",
                {"dossier": outcome.dossier, "secret": secret, "issuing_body": IssuingBody.current()},
            )
    status = 400 if request.method == "POST" else 200
    return render(request, "registrations/public/submit.html", {"form": form}, status=status)


@login_not_required
@require_http_methods(["GET", "POST"])
def lookup(request):
    """Status and appointment only; the same answer for a wrong code and a wrong secret."""
    form = LookupForm(request.POST or None)
    result = None
    if request.method == "POST" and form.is_valid():
        if not lookup_allowed(client_ip(request) or "unknown"):
            response = render(
                request,
                "429.html",
                {
                    "message": "Bạn đã tra cứu quá nhiều lần. Vui lòng thử lại sau 10 phút.",
                    "back_url": reverse("registrations_public:lookup"),
                },
                status=429,
            )
            response["Retry-After"] = str(LOOKUP_WINDOW_SECONDS)
            response["Cache-Control"] = "no-store"
            return response
        result = dossier_lookup(code=form.cleaned_data["code"], secret=form.cleaned_data["secret"])
        if result is None:
            form.add_error(None, "Không tìm thấy hồ sơ với mã hồ sơ và mã tra cứu này.")
    response = render(request, "registrations/public/lookup.html", {"form": form, "result": result})
    response["Cache-Control"] = "no-store"
    return response
