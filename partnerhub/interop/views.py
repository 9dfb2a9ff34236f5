"""The secretariat's import page: upload a file, then watch its job check and write the rows."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render

from partnerhub.registry.views.common import require_perm

from .forms import ImportForm
from .jobs import import_job_create, job_progress
from .models import ImportJob

PERM = "interop.import_partnerships"


@login_required
def import_page(request):
    require_perm(request, PERM)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            job = import_job_create(
                upload=data["file"], user=request.user, fmt=data["format"], publish=data["publish"],
                dry_run=data["dry_run"],
            )  # fmt: skip
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                form.add_error(field if field in form.fields else None, messages)
        else:
            return redirect("interop:import_job", pk=job.pk)
    jobs = ImportJob.objects.select_related("created_by")[:20]
    return render(request, "interop/import.html", {"form": form, "jobs": jobs})


@login_required
def import_job(request, pk: int):
    """The job's page; htmx polls its status part every second until the job has finished."""
    require_perm(request, PERM)
    job = get_object_or_404(ImportJob.objects.select_related("created_by"), pk=pk)
    context = {"job": job, "progress": job_progress(job)}
    if request.headers.get("HX-Request"):
        return render(request, "interop/partials/import_status.html", context)
    return render(request, "interop/import_job.html", context)
