"""Integers no column holds match nothing, in IN lists and through relations, on every database
(core/lookups.py)."""

from partnerhub.reference.models import Goal, Indicator
from partnerhub.registry.models import Partnership
from partnerhub.reporting.models import Compliance

from .factories import PartnershipFactory

HUGE = 99_999_999_999_999_999_999_999


def test_out_of_range_integers_in_an_in_list_match_nothing(reference_data):
    p = PartnershipFactory()
    p.goals.add(Goal.objects.get(number=3))
    assert list(Goal.objects.filter(pk__in=[HUGE, 3]).values_list("pk", flat=True)) == [3]
    assert not Goal.objects.filter(pk__in=[HUGE, -HUGE]).exists()
    assert list(Partnership.objects.filter(goals__in=[HUGE, 3])) == [p]  # a relation to an integer key
    assert list(Partnership.objects.filter(id__in=[-HUGE, p.pk])) == [p]
    assert not Compliance.objects.filter(pk__in=[HUGE]).exists()  # a one-to-one primary key


def test_out_of_range_integers_compared_through_a_relation_match_nothing(reference_data):
    p = PartnershipFactory()
    p.goals.add(Goal.objects.get(number=3))
    assert not Partnership.objects.filter(goals=HUGE).exists()
    assert list(Partnership.objects.exclude(goals=HUGE)) == [p]
    assert not Indicator.objects.filter(target__goal=-HUGE).exists()
    assert Indicator.objects.filter(target__goal=3).exists()
