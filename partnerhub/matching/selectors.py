"""Reads of matching shared by the pages and the API: a need, offer or pitch as its reader may see it
(someone who may not sees "not found", so hidden drafts are not revealed), and pitches with their
interest counts."""

from typing import Any, TypeVar

from django.db.models import Count, Model, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from .models import Need, Offer, Pitch

M = TypeVar("M", bound=Model)


def _visible(user: Any, queryset: QuerySet[M], pk: int, permission: str) -> M:
    item = get_object_or_404(queryset, pk=pk)
    if not user.has_perm(permission, item):
        raise Http404
    return item


def visible_need(user: Any, pk: int) -> Need:
    return _visible(user, Need.objects.select_related("partnership"), pk, "matching.view_need")


def visible_offer(user: Any, pk: int) -> Offer:
    return _visible(user, Offer.objects.select_related("organisation"), pk, "matching.view_offer")


def visible_pitch(user: Any, pk: int) -> Pitch:
    return _visible(user, pitches_counted(), pk, "matching.view_pitch")


def pitches_counted() -> QuerySet[Pitch]:
    """Pitches with what their lists show: partnership, segment, currency, and `n_interests`."""
    return Pitch.objects.select_related("partnership", "segment", "currency").annotate(
        n_interests=Count("interests")
    )
