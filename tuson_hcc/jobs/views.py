from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from .models import JobRun


@require_GET
def job_run(request, pk: int):
    """A run's progress and result; htmx polls the fragment every 2 s until it is finished.

    Only the user who started it (or the administrator) sees it: it may name broken ledger entries.
    """
    run = get_object_or_404(JobRun.objects.select_related("started_by"), pk=pk)
    if run.started_by_id != request.user.pk and not request.user.is_superuser:
        raise Http404
    template = "jobs/_run.html" if request.htmx else "jobs/run.html"
    response = render(request, template, {"run": run})
    response["Cache-Control"] = "no-store"
    return response
