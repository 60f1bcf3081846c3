from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
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
    """Liveness probe for the proxy, and the benchmark's baseline: no database, no template."""
    return HttpResponse("ok", content_type="text/plain")
