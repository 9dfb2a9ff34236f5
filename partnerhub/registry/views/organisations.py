"""Organisation pages: list, profile, register, edit, membership requests."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from partnerhub.accounts import services as account_services
from partnerhub.accounts.models import Membership
from partnerhub.core.errors import ConflictError

from .. import selectors, services
from ..filters import OrganisationFilter
from ..forms import JoinRequestForm, OrganisationForm, organisation_label
from ..models import Organisation
from .common import paginate, query_without_page, require_perm


def organisation_list(request):
    filterset = OrganisationFilter(request.GET, queryset=selectors.organisation_list())
    rows = filterset.qs if filterset.is_valid() else Organisation.objects.none()
    page = paginate(request, rows)
    page.object_list = selectors.count_published(list(page.object_list))
    return render(
        request,
        "registry/organisation_list.html",
        {"filter": filterset, "page": page, "query": query_without_page(request)},
    )


def organisation_options(request):
    """The suggestions of an organisation field as one types (the <option>s of its datalist)."""
    options = [
        (organisation_label(o), o) for o in selectors.organisation_options(request.GET.get("q", "")[:100])
    ]
    return render(request, "registry/partials/organisation_options.html", {"options": options})


def organisation_detail(request, pk: int):
    organisation = get_object_or_404(Organisation.objects.select_related("country"), pk=pk)
    partnerships = selectors.partnership_list().filter(partners__organisation=organisation)
    can_decide = request.user.has_perm("accounts.decide_membership", organisation)
    membership = None
    if request.user.is_authenticated:
        membership = Membership.objects.filter(user=request.user, organisation=organisation).first()
    return render(
        request,
        "registry/organisation_detail.html",
        {
            "organisation": organisation,
            "partnerships": partnerships.order_by("-published_at")[:50],
            "can_change": request.user.has_perm("registry.change_organisation", organisation),
            "can_decide": can_decide,
            "pending": organisation.memberships.filter(status=Membership.Status.PENDING).select_related(
                "user"
            )
            if can_decide
            else [],
            "members": organisation.memberships.filter(status=Membership.Status.APPROVED).select_related(
                "user"
            )
            if can_decide
            else [],
            "membership": membership,
            "join_form": JoinRequestForm(),
        },
    )


def organisation_history(request, pk: int):
    organisation = get_object_or_404(Organisation, pk=pk)
    entries = selectors.organisation_history(organisation=organisation)
    return render(
        request, "registry/organisation_history.html", {"organisation": organisation, "entries": entries}
    )


@login_required
def organisation_create(request):
    require_perm(request, "registry.add_organisation")
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.organisation_create(author=request.user, data=form.to_data())
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("Organisation registered. You are its administrator."))
            return redirect(organisation)
    return render(request, "registry/organisation_form.html", {"form": form})


@login_required
def organisation_edit(request, pk: int):
    organisation = get_object_or_404(Organisation, pk=pk)
    require_perm(request, "registry.change_organisation", organisation)
    initial = {f: getattr(organisation, f) for f in OrganisationForm.base_fields if hasattr(organisation, f)}
    form = OrganisationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_update(
                organisation=organisation,
                author=request.user,
                data=form.to_data(),
                version=form.cleaned_data.get("version"),
            )
        except ValidationError as error:
            form.add_service_errors(error)
        except ConflictError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Changes saved."))
            return redirect(organisation)
    return render(request, "registry/organisation_form.html", {"form": form, "organisation": organisation})


@login_required
@require_POST
def organisation_join(request, pk: int):
    organisation = get_object_or_404(Organisation, pk=pk)
    require_perm(request, "accounts.request_membership")
    form = JoinRequestForm(request.POST)
    if form.is_valid():
        try:
            account_services.membership_request(
                user=request.user, organisation=organisation, message=form.cleaned_data["message"]
            )
        except ValidationError as error:
            for msgs in error.message_dict.values():
                for message in msgs:
                    messages.error(request, message)
        else:
            messages.success(request, _("Your request was sent to the organisation's administrators."))
    return redirect(organisation)


@login_required
@require_POST
def membership_decide(request, pk: int, membership_pk: int):
    membership = get_object_or_404(Membership, pk=membership_pk, organisation_id=pk)
    require_perm(request, "accounts.decide_membership", membership.organisation)
    approve = request.POST.get("decision") == "approve"
    try:
        account_services.membership_decide(
            membership=membership,
            decided_by=request.user,
            approve=approve,
            make_admin="make_admin" in request.POST,
        )
    except ValidationError as error:
        messages.error(request, " ".join(m for msgs in error.message_dict.values() for m in msgs))
    else:
        messages.success(request, _("Request approved.") if approve else _("Request declined."))
    return redirect(membership.organisation)
