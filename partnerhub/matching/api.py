"""Matching and Forum API: ranked matches of a need or an offer, the pitch pipeline, interest in a pitch.

The same django-rules permissions as the pages decide who sees and does what.
"""

from django.db.models import Q
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import api_view, permission_classes
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response

from partnerhub.core.api import ScorePartSerializer
from partnerhub.registry.models import Organisation

from . import scoring, selectors, services
from .models import Pitch
from .rules import funder_organisations


class MatchSerializer(serializers.Serializer):
    score = serializers.FloatField(help_text="0–100: the sum of the parts' points")
    need = serializers.SerializerMethodField()
    offer = serializers.SerializerMethodField()
    parts = ScorePartSerializer(many=True)

    def get_need(self, match) -> dict:
        n = match.need
        return {
            "id": n.id,
            "title": n.title,
            "partnership": n.partnership_id,
            "partnership_title": n.partnership_title,
        }

    def get_offer(self, match) -> dict:
        o = match.offer
        return {
            "id": o.id,
            "title": o.title,
            "organisation": o.organisation_id,
            "organisation_name": o.organisation_name,
        }


class InterestSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    organisation = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all())
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    amount = serializers.DecimalField(max_digits=16, decimal_places=2, required=False, allow_null=True)
    message = serializers.CharField(required=False, allow_blank=True, default="")
    status = serializers.CharField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)


class PitchSerializer(serializers.ModelSerializer):
    partnership_title = serializers.CharField(source="partnership.title", read_only=True)
    segment = serializers.SerializerMethodField()
    interests = serializers.IntegerField(source="n_interests", read_only=True, help_text="Funders interested")

    class Meta:
        model = Pitch
        fields = [
            "id", "partnership", "partnership_title", "title", "ask", "dimensions", "evidence", "budget",
            "currency", "budget_notes", "status", "segment", "submitted_at", "shortlisted_at", "interests",
        ]  # fmt: skip

    def get_segment(self, pitch) -> dict | None:
        s = pitch.segment
        return {"id": s.pk, "title": s.title, "date": s.date.isoformat()} if s else None


@extend_schema(responses=MatchSerializer(many=True))
@api_view(["GET"])
@permission_classes([AllowAny])
def need_matches(request, pk: int):
    """Open offers ranked for a need, best first, each score explained part by part."""
    need = selectors.visible_need(request.user, pk)
    return Response(MatchSerializer(scoring.matches_for_need(need), many=True).data)


@extend_schema(responses=MatchSerializer(many=True))
@api_view(["GET"])
@permission_classes([AllowAny])
def offer_matches(request, pk: int):
    """Open needs of published partnerships ranked for an offer, best first, each score explained."""
    offer = selectors.visible_offer(request.user, pk)
    return Response(MatchSerializer(scoring.matches_for_offer(offer), many=True).data)


def _visible_pitches(user):
    shown = Q(status=Pitch.Status.SHORTLISTED)
    if user.has_perm("matching.view_pipeline"):  # funders and the secretariat, as on the Forum page
        shown |= Q(status=Pitch.Status.SUBMITTED)
    return selectors.pitches_counted().filter(shown)


@extend_schema(responses=PitchSerializer(many=True))
@api_view(["GET"])
@permission_classes([AllowAny])
def pitches(request):
    """The Forum pipeline: shortlisted pitches for everyone; submitted ones too for funders and the
    secretariat. `?status=shortlisted|submitted` narrows it."""
    rows = _visible_pitches(request.user)
    wanted = request.query_params.get("status")
    if wanted:
        if wanted not in (Pitch.Status.SUBMITTED, Pitch.Status.SHORTLISTED):
            return Response({"status": ["Use submitted or shortlisted."]}, status=status.HTTP_400_BAD_REQUEST)
        rows = rows.filter(status=wanted)
    return Response(
        PitchSerializer(rows.order_by("-shortlisted_at", "-submitted_at", "-id")[:500], many=True).data
    )


@extend_schema(responses=PitchSerializer)
@api_view(["GET"])
@permission_classes([AllowAny])
def pitch_detail(request, pk: int):
    return Response(PitchSerializer(selectors.visible_pitch(request.user, pk)).data)


@extend_schema(request=InterestSerializer, responses={201: InterestSerializer})
@api_view(["POST"])
@permission_classes([IsAuthenticated])
def pitch_interest(request, pk: int):
    """A funder expresses interest in a pitch and asks the partnership for contact."""
    pitch = selectors.visible_pitch(request.user, pk)
    if not request.user.has_perm("matching.express_interest", pitch):
        raise PermissionDenied(
            "Only members of a funding organisation can express interest in a pitch in the pipeline."
        )
    data = InterestSerializer(data=request.data)
    data.is_valid(raise_exception=True)
    v = data.validated_data
    if v["organisation"] not in funder_organisations(request.user):
        raise PermissionDenied("You can express interest only for a funding organisation you belong to.")
    interest = services.interest_express(
        pitch=pitch, organisation=v["organisation"], author=request.user, message=v.get("message", ""),
        amount=v.get("amount"),
    )  # fmt: skip
    return Response(InterestSerializer(interest).data, status=status.HTTP_201_CREATED)
