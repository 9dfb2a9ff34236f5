"""Assistance API: goal and target suggestions for a text (`POST /api/v1/assist/sdg`) and the
partnerships similar to a published one (`GET /api/v1/assist/similar/{id}/`)."""

from django.core.exceptions import ValidationError
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from partnerhub.core.i18n import UN_LANGUAGES
from partnerhub.registry.views.common import visible_partnership

from .services import MAX_TEXT_CHARS, suggest
from .similarity import Profile, similar


class SdgSuggestRequestSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=MAX_TEXT_CHARS, trim_whitespace=False,
                                 help_text="Title and summary, or any passage; at most 100,000 characters")  # fmt: skip
    lang = serializers.ChoiceField(choices=UN_LANGUAGES, required=False, allow_blank=True,
                                   help_text="Language of the text (ISO 639-1); default en")  # fmt: skip


class SdgGoalScoreSerializer(serializers.Serializer):
    goal = serializers.IntegerField(min_value=1, max_value=17)
    score = serializers.FloatField(help_text="Calibrated probability that the text addresses the goal")
    selected = serializers.BooleanField()
    words = serializers.ListField(
        child=serializers.CharField(), help_text="Words of the text that weigh most"
    )


class SdgTargetScoreSerializer(serializers.Serializer):
    target = serializers.CharField()
    score = serializers.FloatField(
        help_text="Goal score times the target's match relative to its goal's best"
    )
    selected = serializers.BooleanField()
    text = serializers.CharField(help_text="The official target text, in the text's language")


class SdgSuggestionSerializer(serializers.Serializer):
    goals = SdgGoalScoreSerializer(many=True)
    targets = SdgTargetScoreSerializer(many=True)
    predicted_goals = serializers.ListField(child=serializers.IntegerField())


class SimilarPartnershipSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    score = serializers.FloatField()
    text_similarity = serializers.FloatField()
    goal_similarity = serializers.FloatField()
    shared_organisations = serializers.IntegerField()
    shared_areas = serializers.IntegerField()
    duplicate = serializers.BooleanField()
    reasons = serializers.ListField(child=serializers.CharField())


@extend_schema(
    request=SdgSuggestRequestSerializer, responses=SdgSuggestionSerializer,
    examples=[OpenApiExample("Ocean", value={"text": "Restoring mangroves and coral reefs in Fiji", "lang": "en"},
                             request_only=True)],
)  # fmt: skip
@api_view(["POST"])
@permission_classes([AllowAny])
def suggest_sdg(request):
    """Suggested SDG goals and targets for a text in any of the six UN languages. Nothing is stored."""
    data = SdgSuggestRequestSerializer(data=request.data)
    data.is_valid(raise_exception=True)
    try:
        result = suggest(data.validated_data["text"], data.validated_data.get("lang") or "en")
    except ValidationError as error:
        return Response(error.message_dict, status=status.HTTP_400_BAD_REQUEST)
    return Response(SdgSuggestionSerializer(result.as_dict()).data)


@extend_schema(responses=SimilarPartnershipSerializer(many=True))
@api_view(["GET"])
@permission_classes([AllowAny])
def similar_partnerships(request, pk: int):
    """Published partnerships similar to this one, likely duplicates first, each with its reasons."""
    partnership = visible_partnership(request, pk)
    matches = similar(Profile.of_partnership(partnership), limit=10)
    return Response(SimilarPartnershipSerializer(matches, many=True).data)
