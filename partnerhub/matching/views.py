"""Pages of matching and the Forum: needs and offers with their ranked matches, the pitch pipeline."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from partnerhub.accounts.rules import approved_organisation_ids
from partnerhub.registry.models import Organisation, OrganisationType, Partnership
from partnerhub.registry.views.common import flash_errors, form_errors, require_perm, visible_partnership

from . import scoring, selectors, services
from .forms import InterestForm, NeedForm, OfferForm, PitchForm, SegmentForm, ShortlistForm
from .models import ForumSegment, Interest, Need, Offer, Pitch
from .rules import funder_organisations, is_funder


def _saved(request, form, save, done: str):
    """On a valid POST, what `save(form)` wrote (with `done` as the message); None when there is nothing to
    save or the service refused it (its errors are then on the form)."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        saved = save(form)
    except ValidationError as error:
        form_errors(form, error)
        return None
    messages.success(request, done)
    return saved


# -- needs and offers ------------------------------------------------------------------------------------------
def marketplace(request):
    """Open needs of published partnerships and open offers, newest first."""
    needs = (
        Need.objects.filter(status=Need.Status.OPEN, partnership__status=Partnership.Status.PUBLISHED)
        .select_related("partnership")
        .prefetch_related("goals", "areas")[:100]
    )
    offers = (
        Offer.objects.filter(status=Offer.Status.OPEN)
        .select_related("organisation")
        .prefetch_related("goals", "areas")[:100]
    )
    return render(request, "matching/marketplace.html", {"needs": needs, "offers": offers})


def partnership_needs(request, pk: int):
    partnership = visible_partnership(request, pk)
    manages = request.user.has_perm("matching.add_need", partnership)
    needs = partnership.needs.prefetch_related("goals", "areas")
    pitches = partnership.pitches.select_related("segment", "currency").annotate(
        n_interests=Count("interests")
    )
    if not manages:  # others see what is open to them
        needs = needs.filter(status=Need.Status.OPEN)
        pitches = pitches.filter(status=Pitch.Status.SHORTLISTED)
    may_pitch, why_not = services.may_pitch(partnership)
    return render(request, "matching/partnership_needs.html", {
        "partnership": partnership, "needs": needs, "pitches": pitches, "manages": manages,
        "may_pitch": may_pitch, "why_not": why_not,
    })  # fmt: skip


@login_required
def need_edit(request, pk: int | None = None, need_pk: int | None = None):
    need = get_object_or_404(Need, pk=need_pk) if need_pk else None
    partnership = need.partnership if need else visible_partnership(request, pk or 0)
    require_perm(request, "matching.change_need" if need else "matching.add_need", need or partnership)
    initial = NeedForm.initial_from(need) if need else None
    form = NeedForm(request.POST or None, initial=initial)
    saved = _saved(request, form, lambda f: services.need_save(
        partnership=partnership, author=request.user, data=f.to_data(), need=need,
    ), _("Need saved. Matching offers are ranked below."))  # fmt: skip
    if saved:
        return redirect(saved)
    return render(request, "matching/listing_form.html", {
        "form": form, "partnership": partnership, "listing": need,
        "heading": _("Edit the need") if need else _("Post a need"),
        "cancel_url": need.get_absolute_url() if need else partnership.get_absolute_url(),
    })  # fmt: skip


def need_detail(request, pk: int):
    need = selectors.visible_need(request.user, pk)
    manages = request.user.has_perm("matching.change_need", need)
    matches = scoring.matches_for_need(need) if need.status == Need.Status.OPEN else []
    return render(request, "matching/need_detail.html", {
        "need": need, "partnership": need.partnership, "matches": matches, "manages": manages,
        "weights": scoring.WEIGHTS,
        "partner_types": [str(OrganisationType(t).label) for t in need.partner_types if t in OrganisationType.values],
    })  # fmt: skip


@login_required
def offer_edit(request, pk: int | None = None):
    offer = get_object_or_404(Offer, pk=pk) if pk else None
    require_perm(request, "matching.change_offer" if offer else "matching.add_offer", offer)
    if offer:
        organisations = Organisation.objects.filter(pk=offer.organisation_id)
    else:  # an organisation offers what it has: its members post for it
        organisations = Organisation.objects.filter(pk__in=approved_organisation_ids(request.user)).order_by(
            "name"
        )
    form = OfferForm(request.POST or None, initial=OfferForm.initial_from(offer) if offer else None,
                     organisations=organisations)  # fmt: skip
    if offer:
        form.fields["organisation"].initial = offer.organisation
        form.fields["organisation"].disabled = True
    saved = _saved(request, form, lambda f: services.offer_save(
        organisation=f.cleaned_data["organisation"], author=request.user, data=f.to_data(), offer=offer,
    ), _("Offer saved. Needs it could meet are ranked below."))  # fmt: skip
    if saved:
        return redirect(saved)
    return render(request, "matching/listing_form.html", {
        "form": form, "listing": offer, "heading": _("Edit the offer") if offer else _("Offer a resource"),
        "cancel_url": offer.get_absolute_url() if offer else reverse("matching:marketplace"),
    })  # fmt: skip


def offer_detail(request, pk: int):
    offer = selectors.visible_offer(request.user, pk)
    manages = request.user.has_perm("matching.change_offer", offer)
    matches = scoring.matches_for_offer(offer) if offer.status == Offer.Status.OPEN else []
    return render(request, "matching/offer_detail.html", {
        "offer": offer, "matches": matches, "manages": manages, "weights": scoring.WEIGHTS,
    })  # fmt: skip


@login_required
@require_POST
def listing_status(request, kind: str, pk: int):
    listing: Need | Offer
    if kind == "needs":
        listing = get_object_or_404(Need, pk=pk)
    elif kind == "offers":
        listing = get_object_or_404(Offer, pk=pk)
    else:
        raise Http404
    require_perm(request, f"matching.change_{listing._meta.model_name}", listing)
    try:
        services.listing_set_status(
            listing=listing, author=request.user, status=request.POST.get("status", "")
        )
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, _("Closed.") if listing.status == "closed" else _("Open again."))
    return redirect(listing)


# -- pitches ---------------------------------------------------------------------------------------------------
@login_required
def pitch_edit(request, pk: int | None = None, pitch_pk: int | None = None):
    pitch = get_object_or_404(Pitch, pk=pitch_pk) if pitch_pk else None
    partnership = pitch.partnership if pitch else visible_partnership(request, pk or 0)
    require_perm(request, "matching.change_pitch" if pitch else "matching.add_pitch", pitch or partnership)
    form = PitchForm(request.POST or None, initial=PitchForm.initial_from(pitch) if pitch else None)
    saved = _saved(request, form, lambda f: services.pitch_save(
        partnership=partnership, author=request.user, data=f.to_data(), pitch=pitch,
    ), _("Pitch saved."))  # fmt: skip
    if saved:
        return redirect(saved)
    ok, why = services.may_pitch(partnership)
    return render(request, "matching/pitch_form.html", {
        "form": form, "partnership": partnership, "pitch": pitch, "may_pitch": ok, "why_not": why,
        "cancel_url": pitch.get_absolute_url() if pitch else partnership.get_absolute_url(),
    })  # fmt: skip


def pitch_detail(request, pk: int):
    pitch = selectors.visible_pitch(request.user, pk)
    user = request.user
    manages = user.has_perm("matching.decide_interest", pitch)
    funders = funder_organisations(user)
    interests = pitch.interests.select_related("organisation", "created_by")
    own_interests = [i for i in interests if i.organisation_id in approved_organisation_ids(user)]
    may_express = user.has_perm("matching.express_interest", pitch)
    open_funders = funders.exclude(pk__in=[i.organisation_id for i in own_interests])
    return render(request, "matching/pitch_detail.html", {
        "pitch": pitch, "partnership": pitch.partnership, "manages": manages,
        "interests": interests if manages or user.has_perm("matching.manage_segments") else own_interests,
        "own_interests": own_interests,
        "interest_form": InterestForm(organisations=open_funders) if may_express and open_funders.exists() else None,
        "shortlist_form": ShortlistForm(initial={"segment": pitch.segment})
        if user.has_perm("matching.shortlist_pitch", pitch) else None,
        "can": {
            "change": user.has_perm("matching.change_pitch", pitch),
            "shortlist": user.has_perm("matching.shortlist_pitch", pitch),
        },
        "contacts": [u.email for u in pitch.partnership.focal_points.all() if u.email],
    })  # fmt: skip


@login_required
@require_POST
def pitch_action(request, pk: int, action: str):
    pitch = selectors.visible_pitch(request.user, pk)
    user = request.user
    try:
        if action in ("submit", "withdraw"):
            require_perm(request, "matching.decide_interest", pitch)  # manages the partnership
            run = services.pitch_submit if action == "submit" else services.pitch_withdraw
            run(pitch=pitch, author=user)
            messages.success(
                request, _("Submitted to the Forum pipeline.") if action == "submit" else _("Withdrawn.")
            )
        elif action == "shortlist":
            require_perm(request, "matching.shortlist_pitch", pitch)
            form = ShortlistForm(request.POST)
            segment = form.cleaned_data["segment"] if form.is_valid() else None
            services.pitch_shortlist(pitch=pitch, segment=segment, actor=user)
            messages.success(request, _("Shortlisted for %(segment)s.") % {"segment": segment})
        elif action == "unshortlist":
            require_perm(request, "matching.shortlist_pitch", pitch)
            services.pitch_unshortlist(pitch=pitch, actor=user)
            messages.success(request, _("Taken off the shortlist."))
        elif action == "interest":
            require_perm(request, "matching.express_interest", pitch)
            interest_form = InterestForm(request.POST, organisations=funder_organisations(user))
            if not interest_form.is_valid():
                for problems in interest_form.errors.values():
                    for message in problems:
                        messages.error(request, str(message))
                return redirect(pitch)
            c = interest_form.cleaned_data
            services.interest_express(
                pitch=pitch,
                organisation=c["organisation"],
                author=user,
                message=c["message"],
                amount=c["amount"],
            )
            messages.success(
                request, _("Interest sent. The partnership will answer your request for contact.")
            )
        else:
            raise Http404
    except ValidationError as error:
        flash_errors(request, error)
    return redirect(pitch)


@login_required
@require_POST
def interest_decide(request, pk: int, action: str):
    interest = get_object_or_404(Interest.objects.select_related("pitch__partnership"), pk=pk)
    require_perm(request, "matching.decide_interest", interest)
    if action not in ("accept", "decline"):
        raise Http404
    try:
        services.interest_decide(interest=interest, actor=request.user, accept=action == "accept")
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(
            request,
            _("Contact accepted: the funder now sees your focal points' addresses.") if action == "accept"
            else _("Request declined."),
        )  # fmt: skip
    return redirect(interest.pitch)


def forum(request):
    """The pipeline: shortlisted pitches by Forum segment (public), and for funders and the secretariat the
    pitches submitted and waiting."""
    user = request.user
    segments = ForumSegment.objects.prefetch_related(
        Prefetch("pitches", queryset=selectors.pitches_counted().filter(status=Pitch.Status.SHORTLISTED)),
    ).annotate(n=Count("pitches", filter=Q(pitches__status=Pitch.Status.SHORTLISTED)))
    waiting = None
    if user.has_perm("matching.view_pipeline"):
        waiting = selectors.pitches_counted().filter(status=Pitch.Status.SUBMITTED)
    segment_form = None
    if user.has_perm("matching.manage_segments"):
        segment_form = SegmentForm(request.POST or None)
        if _saved(request, segment_form, lambda f: services.segment_create(actor=user, **f.cleaned_data),
                  _("Forum segment added.")):  # fmt: skip
            return redirect("matching:forum")
    elif request.method == "POST":
        require_perm(request, "matching.manage_segments")
    return render(request, "matching/forum.html", {
        "segments": [s for s in segments if s.n or segment_form], "waiting": waiting, "segment_form": segment_form,
        "is_funder": is_funder(user),
    })  # fmt: skip
