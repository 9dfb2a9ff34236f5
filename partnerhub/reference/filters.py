import django_filters

from .models import Area, Indicator, Target


class TargetFilter(django_filters.FilterSet):
    class Meta:
        model = Target
        fields = ["goal"]


class IndicatorFilter(django_filters.FilterSet):
    goal = django_filters.NumberFilter(field_name="target__goal")

    class Meta:
        model = Indicator
        fields = ["target", "goal"]


class AreaFilter(django_filters.FilterSet):
    group = django_filters.CharFilter(field_name="groups__code", lookup_expr="iexact")

    class Meta:
        model = Area
        fields = ["kind", "parent", "region", "iso3", "group"]
