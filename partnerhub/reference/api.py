"""Read-only reference data, answered in the request's language (Accept-Language)."""

from rest_framework import viewsets

from . import filters, serializers
from .models import Area, Goal, Indicator, Target


class GoalViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Goal.objects.all()
    serializer_class = serializers.GoalSerializer
    pagination_class = None


class TargetViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Target.objects.all()
    serializer_class = serializers.TargetSerializer
    filterset_class = filters.TargetFilter
    lookup_value_regex = r"\d+\.[0-9a-z]+"


class IndicatorViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Indicator.objects.all()
    serializer_class = serializers.IndicatorSerializer
    filterset_class = filters.IndicatorFilter
    lookup_value_regex = r"\d+\.[0-9a-z]+\.\d+"


class AreaViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Area.objects.prefetch_related("groups")
    serializer_class = serializers.AreaSerializer
    filterset_class = filters.AreaFilter
