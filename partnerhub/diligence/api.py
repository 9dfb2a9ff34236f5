"""API of due diligence: screening results, for the secretariat only."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response

from partnerhub.accounts.rules import is_secretariat

from . import services
from .models import SanctionsEntry, ScreeningMatch


class IsSecretariat(BasePermission):
    def has_permission(self, request, view) -> bool:
        return bool(is_secretariat(request.user))


class EntrySerializer(serializers.ModelSerializer):
    class Meta:
        model = SanctionsEntry
        fields = ["reference_number", "kind", "name", "names", "un_list_type", "listed_on", "last_updated",
                  "details", "removed_on"]  # fmt: skip


class ScreeningMatchSerializer(serializers.ModelSerializer):
    entry = EntrySerializer(read_only=True)
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    key_person = serializers.CharField(
        source="key_person.name", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = ScreeningMatch
        fields = ["id", "organisation", "organisation_name", "key_person", "screened_name", "listed_name", "score",
                  "status", "found_at", "decided_at", "note", "entry"]  # fmt: skip
        read_only_fields = fields


class DecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=["confirm", "dismiss"])
    note = serializers.CharField()


class ScreeningMatchViewSet(viewsets.ReadOnlyModelViewSet):
    """Possible matches of organisations and their key people against the UN Consolidated List, with the
    listed entry as evidence (secretariat only). Filter with `?status=possible|confirmed|dismissed`."""

    serializer_class = ScreeningMatchSerializer
    queryset = ScreeningMatch.objects.select_related("entry", "organisation", "key_person").order_by(
        "-score", "pk"
    )
    permission_classes = [IsAuthenticated, IsSecretariat]
    filterset_fields = ["status", "organisation"]

    @extend_schema(request=DecisionSerializer, responses=ScreeningMatchSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        match = self.get_object()
        body = DecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.match_decide(
            match=match, actor=request.user, confirm=body.validated_data["decision"] == "confirm",
            note=body.validated_data["note"],
        )  # fmt: skip
        return Response(ScreeningMatchSerializer(match).data)
