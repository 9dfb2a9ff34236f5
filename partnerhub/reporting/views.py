"""Pages of reporting: write and submit a progress report, the secretariat's review and follow-up."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from partnerhub.core.errors import ConflictError
from partnerhub.registry.models import Partnership
from partnerhub.registry.views.common import require_perm, visible_partnership

from . import selectors, services
from .forms import ReportEditor
from .models import LIGHT, ComplianceStatus, Report, ReportAttachment
from .rules import own_organisations

FOLLOW_UP = [ComplianceStatus.OVERDUE, ComplianceStatus.SERIOUSLY_OVERDUE, ComplianceStatus.INACTIVE]


def _report(request, pk: int) -> Report:
    report = get_object_or_404(selectors.report_detail_queryset(), pk=pk)
    if not request.user.has_perm("reporting.view_report", report):
        raise Http404
    return report


def _editor_page(request, partnership: Partnership, editor: ReportEditor, report: Report | None):
    return render(
        request,
        "reporting/report_form.html",
        {"partnership": partnership, "editor": editor, "report": report},
    )


@login_required
def report_create(request, pk: int):
    partnership = visible_partnership(request, pk)
    require_perm(request, "reporting.add_report", partnership)
    organisations = set(partnership.partners.values_list("organisation_id", flat=True))
    editor = ReportEditor(
        request.POST or None, partnership=partnership, organisations=organisations, narrative=True
    )
    if request.method == "POST" and editor.is_valid():
        try:
            report = services.report_create(
                partnership=partnership, author=request.user, data=editor.to_data()
            )
        except ValidationError as error:
            editor.add_service_errors(error)
        else:
            messages.success(
                request, _("Report saved as a draft. Partners can add their figures before you submit it.")
            )
            return redirect(report)
    return _editor_page(request, partnership, editor, None)


@login_required
def report_edit(request, pk: int):
    report = _report(request, pk)
    require_perm(request, "reporting.change_report", report)
    own = own_organisations(request.user, report)
    organisations = (
        own if own is not None else set(report.partnership.partners.values_list("organisation_id", flat=True))
    )
    editor = ReportEditor(
        request.POST or None, partnership=report.partnership, report=report, organisations=organisations,
        narrative=own is None,
    )  # fmt: skip
    if request.method == "POST" and editor.is_valid():
        try:
            services.report_update(
                report=report, author=request.user, data=editor.to_data(), own_only=own,
                version=int(request.POST.get("version") or report.version),
            )  # fmt: skip
        except ConflictError:
            messages.error(
                request, _("Someone else changed this report meanwhile; your changes were not saved.")
            )
        except ValidationError as error:
            editor.add_service_errors(error)
        else:
            messages.success(request, _("Report saved."))
            return redirect(report)
    return _editor_page(request, report.partnership, editor, report)


def report_detail(request, pk: int):
    report = _report(request, pk)
    user = request.user
    events = list(report.events.all())
    return render(
        request,
        "reporting/report_detail.html",
        {
            "report": report,
            "events": events,
            "last_event": events[-1] if events else None,
            "partnership": report.partnership,
            "can": {
                "change": user.has_perm("reporting.change_report", report),
                "submit": user.has_perm("reporting.submit_report", report),
                "review": user.has_perm("reporting.review_report", report),
                "delete": user.has_perm("reporting.delete_report", report),
            },
        },
    )


@login_required
@require_POST
def report_action(request, pk: int, action: str):
    report = _report(request, pk)
    comment = request.POST.get("comment", "")
    try:
        if action == "submit":
            require_perm(request, "reporting.submit_report", report)
            services.report_submit(report=report, author=request.user)
            messages.success(request, _("Report submitted to the secretariat."))
        elif action in ("accept", "return"):
            require_perm(request, "reporting.review_report", report)
            if action == "accept":
                services.report_accept(report=report, reviewer=request.user, comment=comment)
                messages.success(request, _("Report accepted."))
            else:
                services.report_return(report=report, reviewer=request.user, comment=comment)
                messages.success(request, _("Report returned to the focal points."))
        elif action == "delete":
            require_perm(request, "reporting.delete_report", report)
            services.report_delete(report=report, author=request.user)
            messages.success(request, _("Draft report deleted."))
            return redirect("reporting:partnership_reports", report.partnership_id)
        elif action == "attach":
            require_perm(request, "reporting.change_report", report)
            upload = request.FILES.get("file")
            if upload is None:
                raise ValidationError({"file": [_("Choose a file to attach.")]})
            services.attachment_add(report=report, author=request.user, upload=upload)
            messages.success(request, _("File attached."))
        else:
            raise Http404
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect(report)


def attachment_download(request, pk: int, attachment_pk: int):
    report = _report(request, pk)
    attachment = get_object_or_404(ReportAttachment, pk=attachment_pk, report=report)
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.name,
        content_type=attachment.content_type,
    )


def partnership_reports(request, pk: int):
    """The partnership's reporting timeline: public reports for everyone, every report for its people."""
    partnership = visible_partnership(request, pk)
    user = request.user
    reports = [
        r for r in partnership.reports.order_by("-period_end") if user.has_perm("reporting.view_report", r)
    ]
    return render(
        request,
        "reporting/partnership_reports.html",
        {
            "partnership": partnership,
            "reports": reports,
            "compliance": selectors.compliance_of(partnership),
            "can_add": user.has_perm("reporting.add_report", partnership),
            "can_manage": user.has_perm("reporting.manage_compliance"),
        },
    )


@login_required
def follow_up(request):
    """The secretariat's dashboard: reports to review, overdue and inactive partnerships, bulk follow-up."""
    require_perm(request, "reporting.manage_compliance")
    statuses = [s for s in request.GET.getlist("status") if s in ComplianceStatus.values] or FOLLOW_UP
    if request.method == "POST":
        ids = [int(i) for i in request.POST.getlist("partnership") if i.isdigit()]
        try:
            sent = services.follow_up(
                partnership_ids=ids, actor=request.user, message=request.POST.get("message", "")
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Follow-up recorded for %(n)d partnership(s); %(sent)d e-mail(s) sent.")
                             % {"n": len(ids), "sent": sent})  # fmt: skip
            return redirect(request.get_full_path())
    return render(
        request,
        "reporting/follow_up.html",
        {
            "rows": selectors.follow_up_list([str(s) for s in statuses])[:500],
            "statuses": statuses,
            "choices": ComplianceStatus.choices,
            "submitted": selectors.submitted_reports(),
            "lights": LIGHT,
        },
    )


@login_required
@require_POST
def compliance_action(request, pk: int, action: str):
    require_perm(request, "reporting.manage_compliance")
    partnership = get_object_or_404(Partnership, pk=pk)
    try:
        if action == "delist":
            services.delist(
                partnership=partnership, actor=request.user, reason=request.POST.get("reason", "")
            )
            messages.success(request, _("Delisted: the page stays reachable but leaves search and counts."))
        elif action == "relist":
            services.relist(partnership=partnership, actor=request.user)
            messages.success(request, _("Listed again."))
        else:
            raise PermissionDenied
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect(reverse("reporting:partnership_reports", args=[pk]))
