"""The public pages (DESIGN.md section 6): /submit/ (online dossier) and /lookup/ (status by code and secret)."""

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from tuson_hcc.core.clientip import client_ip
from tuson_hcc.core.errors import BusinessRuleError
from tuson_hcc.core.models import IssuingBody

from .completion import dossier_complete_online, dossier_for_secret, lookup_view
from .forms import CompletionForm, LookupForm, OnlineRatingForm, OnlineSubmitForm
from .models import Rating
from .online import LOOKUP_WINDOW_SECONDS, dossier_lookup, lookup_allowed
from .rating import dossier_rate
from .services import dossier_submit_online

NOT_FOUND = "Không tìm thấy hồ sơ với mã hồ sơ và mã tra cứu này."
TOO_MANY = "Bạn đã tra cứu quá nhiều lần. Vui lòng thử lại sau 10 phút."


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
    """Status, appointment and what the desk decided; the same answer for a wrong code and a wrong secret."""
    form = LookupForm(request.POST or None)
    result, status, completion = None, 200, None
    if request.method == "POST" and form.is_valid():
        if not lookup_allowed(client_ip(request) or "unknown"):
            return _too_many(request)
        result = dossier_lookup(code=form.cleaned_data["code"], secret=form.cleaned_data["secret"])
        if result is None:
            form.add_error(None, NOT_FOUND)
        elif result["can_complete"]:
            completion = CompletionForm(initial=form.cleaned_data)
    rating_form = OnlineRatingForm(initial=form.cleaned_data) if result and result["can_rate"] else None
    return _lookup_page(request, form, result, completion, status, rating_form=rating_form)


def _too_many(request):
    """The shared limit of /lookup/ is reached (registrations/online.py): the Vietnamese 429 page."""
    response = render(
        request, "429.html", {"message": TOO_MANY, "back_url": reverse("registrations_public:lookup")}, status=429
    )
    response["Retry-After"] = str(LOOKUP_WINDOW_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def _lookup_page(request, form, result, completion, status=200, done=False, error="", rating_form=None, rated=False):
    context = {"form": form, "result": result, "completion": completion, "completion_done": done, "error": error}
    context |= {"rating_form": rating_form, "rated": rated}
    response = render(request, "registrations/public/lookup.html", context, status=status)
    response["Cache-Control"] = "no-store"
    return response


@login_not_required
@require_POST
def lookup_complete(request):
    """Upload the completed PDF (Thủ tục bước 3, second case) against the same mã hồ sơ."""
    completion = CompletionForm(request.POST, request.FILES)
    lookup_form = LookupForm(initial={"code": request.POST.get("code", "")})
    if not lookup_allowed(client_ip(request) or "unknown"):
        return _too_many(request)
    if completion.is_valid():
        data = completion.cleaned_data
        try:
            dossier_complete_online(code=data["code"], secret=data["secret"], scan=data["scan"])
        except BusinessRuleError as error:
            completion.add_error(error.field if error.field in completion.fields else None, error.message)
        else:
            result = dossier_lookup(code=data["code"], secret=data["secret"])
            return _lookup_page(request, lookup_form, result, None, done=True)
    result = None
    if completion.data.get("code") and completion.data.get("secret"):
        result = dossier_lookup(code=completion.data["code"], secret=completion.data["secret"])
    if result is None:
        return _lookup_page(request, lookup_form, None, None, status=400, error=NOT_FOUND)
    return _lookup_page(request, lookup_form, result, completion, status=400)


@login_not_required
@require_POST
def lookup_rate(request):
    """The applicant rates the service once through /lookup/, within the rating window after return."""
    form = OnlineRatingForm(request.POST)
    lookup_form = LookupForm(initial={"code": request.POST.get("code", "")})
    if not lookup_allowed(client_ip(request) or "unknown"):
        return _too_many(request)
    dossier = None
    if form.is_valid():
        dossier = dossier_for_secret(code=form.cleaned_data["code"], secret=form.cleaned_data["secret"])
    if dossier is None:
        return _lookup_page(request, lookup_form, None, None, status=400, error=NOT_FOUND)
    try:
        dossier_rate(
            dossier=dossier,
            value=form.cleaned_data["value"],
            comment=form.cleaned_data["comment"],
            via=Rating.Via.ONLINE,
        )
    except BusinessRuleError as error:
        form.add_error(error.field if error.field in form.fields else None, error.message)
        return _lookup_page(request, lookup_form, lookup_view(dossier), None, status=400, rating_form=form)
    return _lookup_page(request, lookup_form, lookup_view(dossier), None, rated=True)
