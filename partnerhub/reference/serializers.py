from rest_framework import serializers

from .models import Area, AreaGroup, Goal, Indicator, Target


class GoalSerializer(serializers.ModelSerializer):
    short = serializers.CharField(read_only=True)
    title = serializers.CharField(read_only=True)
    colour = serializers.CharField(read_only=True)

    class Meta:
        model = Goal
        fields = ["number", "short", "title", "colour"]


class TargetSerializer(serializers.ModelSerializer):
    title = serializers.CharField(read_only=True)

    class Meta:
        model = Target
        fields = ["code", "goal", "title"]


class IndicatorSerializer(serializers.ModelSerializer):
    title = serializers.CharField(read_only=True)

    class Meta:
        model = Indicator
        fields = ["code", "target", "unsd_code", "title"]


class AreaSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)
    groups: "serializers.SlugRelatedField[AreaGroup]" = serializers.SlugRelatedField(
        many=True, read_only=True, slug_field="code"
    )

    class Meta:
        model = Area
        fields = ["code", "name", "kind", "parent", "region", "iso2", "iso3", "groups"]
