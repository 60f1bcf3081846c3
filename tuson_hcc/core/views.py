from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from . import registry


@require_GET
def dashboard(request):
    """`/`: what each of the user's roles has to do now."""
    user = request.user
    panels = []
    for panel in sorted(registry.dashboard_panels, key=lambda p: p.order):
        if panel.roles and not user.has_role(*panel.roles):
            continue
        context = panel.context(user)
        if context is not None:
            panels.append({"title": panel.title, "template": panel.template, "context": context})
    return render(request, "core/dashboard.html", {"panels": panels})


@login_not_required
@require_GET
def healthz(request):
    """For the proxy and monitoring: database, cache and worker, as JSON; 503 when one fails."""
    from tuson_hcc.jobs.health import health_report

    report, status = health_report()
    response = JsonResponse(report, status=status)
    response["Cache-Control"] = "no-store"
    return response
