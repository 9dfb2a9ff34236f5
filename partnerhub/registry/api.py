"""REST API v1 for the registry: thin views over selectors and services."""

from collections.abc import Mapping

from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action, api_view, permission_classes
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny, IsAuthenticatedOrReadOnly
from rest_framework.response import Response

from partnerhub.accounts.rules import approved_organisation_ids
from partnerhub.core.api import RulesPermission, acting_user, check_if_match, etag

from . import selectors, services
from .filters import OrganisationFilter, PartnershipFilter
from .models import Commitment, Organisation, Partnership
from .search.present import facet_labels
from .search.service import search
from .serializers import (
    CommitmentItemWriteSerializer,
    CommitmentSerializer,
    FeatureSerializer,
    HistoryEntrySerializer,
    OrganisationSerializer,
    PartnershipSearchSerializer,
    PartnershipSerializer,
    PartnershipWriteSerializer,
    WorkflowActionSerializer,
)

IF_MATCH = OpenApiParameter(
    "If-Match", str, OpenApiParameter.HEADER, required=False, description="ETag of the version you read"
)


class VersionedResponseMixin(viewsets.GenericViewSet):
    """Send the version as ETag, so that clients can use If-Match on their next write; page change logs."""

    def history_response(self, entries: list) -> Response:
        page = self.paginate_queryset(entries)  # type: ignore[arg-type, var-annotated]  # any sequence paginates
        return self.get_paginated_response(HistoryEntrySerializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        instance = self.get_object()
        response = Response(self.get_serializer(instance).data)
        response["ETag"] = etag(instance.version)
        return response


@extend_schema_view(
    update=extend_schema(parameters=[IF_MATCH]),
    partial_update=extend_schema(parameters=[IF_MATCH]),
)
class OrganisationViewSet(VersionedResponseMixin, viewsets.ModelViewSet):
    serializer_class = OrganisationSerializer
    filterset_class = OrganisationFilter
    permission_classes = [IsAuthenticatedOrReadOnly, RulesPermission]
    rules_permissions = {
        "create": "registry.add_organisation",
        "update": "registry.change_organisation",
        "partial_update": "registry.change_organisation",
        "destroy": "registry.delete_organisation",
    }

    def get_queryset(self):
        return Organisation.objects.select_related("country").order_by("name")

    def perform_create(self, serializer):
        serializer.instance = services.organisation_create(
            author=acting_user(self.request), data=serializer.to_data()
        )

    def perform_update(self, serializer):
        check_if_match(self.request, serializer.instance.version)
        serializer.instance = services.organisation_update(
            organisation=serializer.instance,
            author=acting_user(self.request),
            data=serializer.to_data(),
            version=serializer.validated_data.get("version"),
        )

    def perform_destroy(self, instance):
        instance._history_user = self.request.user
        instance.delete()

    @extend_schema(responses=HistoryEntrySerializer(many=True))
    @action(detail=True, methods=["get"])
    def history(self, request, pk=None):
        return self.history_response(selectors.organisation_history(organisation=self.get_object()))


SEARCH_PARAMETERS = [
    OpenApiParameter("q", str, description='Search text: words, "phrases", -exclusion, OR'),
    OpenApiParameter("page_size", int, description="Results per page (1–200, default 25)"),
]


@extend_schema_view(
    list=extend_schema(
        description="Search the published partnerships: full text (any UN language), filters, facet counts, "
        "keyset paging (follow `next`).",
        parameters=SEARCH_PARAMETERS,
        responses=PartnershipSearchSerializer,
    ),
    create=extend_schema(request=PartnershipWriteSerializer, responses={201: PartnershipSerializer}),
    update=extend_schema(
        request=PartnershipWriteSerializer, responses=PartnershipSerializer, parameters=[IF_MATCH]
    ),
    partial_update=extend_schema(
        request=PartnershipWriteSerializer, responses=PartnershipSerializer, parameters=[IF_MATCH]
    ),
)
class PartnershipViewSet(VersionedResponseMixin, viewsets.ModelViewSet):
    serializer_class = PartnershipSerializer
    filterset_class = PartnershipFilter
    permission_classes = [IsAuthenticatedOrReadOnly, RulesPermission]
    rules_permissions = {
        "create": "registry.add_partnership",
        "retrieve": "registry.view_partnership",
        "update": "registry.change_partnership",
        "partial_update": "registry.change_partnership",
        "destroy": "registry.delete_partnership",
        "submit": "registry.submit_partnership",
        "publish": "registry.review_partnership",
        "return_to_focal_point": "registry.review_partnership",
        "unpublish": "registry.unpublish_partnership",
        "feature": "registry.feature_partnership",
        "history": "registry.view_history",
    }

    def get_queryset(self):
        visible = selectors.partnership_visible_queryset(user=self.request.user)
        return selectors.partnership_detail_queryset().filter(pk__in=visible.values("pk"))

    def list(self, request, *args, **kwargs):
        filterset = PartnershipFilter(request.query_params, queryset=Partnership.objects.none())
        if not filterset.is_valid():
            raise ValidationError(filterset.errors)
        try:
            size = int(request.query_params.get("page_size", 25))
        except ValueError:
            raise ValidationError({"page_size": ["Give a whole number from 1 to 200."]}) from None
        result = search(filterset.to_search(limit=max(1, min(size, 200))))
        base = request.build_absolute_uri(reverse("api:partnership-list"))
        cards = [{**card, "url": f"{base}{card['id']}/"} for card in selectors.search_cards(result.ids)]
        next_url = None
        if result.next_cursor:
            query = request.query_params.copy()
            query["cursor"] = result.next_cursor
            next_url = request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
        return Response(
            {
                "count": result.total,
                "next": next_url,
                "previous": None,
                "results": cards,
                "facets": facet_labels(result.facets),
            }
        )

    def _respond(self, partnership: Partnership, code: int = status.HTTP_200_OK) -> Response:
        fresh = selectors.partnership_detail_queryset().get(pk=partnership.pk)
        response = Response(self.get_serializer(fresh).data, status=code)
        response["ETag"] = etag(fresh.version)
        return response

    def create(self, request, *args, **kwargs):
        serializer = PartnershipWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        partnership = services.partnership_create(author=acting_user(request), data=serializer.to_data(None))
        return self._respond(partnership, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        partnership = self.get_object()
        check_if_match(request, partnership.version)
        serializer = PartnershipWriteSerializer(data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        services.partnership_update(
            partnership=partnership,
            author=acting_user(request),
            data=serializer.to_data(partnership),
            version=serializer.validated_data.get("version"),
        )
        return self._respond(partnership)

    def perform_destroy(self, instance):
        services.partnership_delete(partnership=instance, author=acting_user(self.request))

    @extend_schema(request=None, responses=PartnershipSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._respond(
            services.partnership_submit(partnership=self.get_object(), author=acting_user(request))
        )

    @extend_schema(request=WorkflowActionSerializer, responses=PartnershipSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        body = WorkflowActionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        partnership = services.partnership_publish(
            partnership=self.get_object(),
            reviewer=acting_user(request),
            comment=body.validated_data["comment"],
        )
        return self._respond(partnership)

    @extend_schema(request=WorkflowActionSerializer, responses=PartnershipSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def return_to_focal_point(self, request, pk=None):
        body = WorkflowActionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        partnership = services.partnership_return(
            partnership=self.get_object(),
            reviewer=acting_user(request),
            comment=body.validated_data["comment"],
        )
        return self._respond(partnership)

    @extend_schema(request=WorkflowActionSerializer, responses=PartnershipSerializer)
    @action(detail=True, methods=["post"])
    def unpublish(self, request, pk=None):
        body = WorkflowActionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        partnership = services.partnership_unpublish(
            partnership=self.get_object(),
            reviewer=acting_user(request),
            comment=body.validated_data["comment"],
        )
        return self._respond(partnership)

    @extend_schema(request=FeatureSerializer, responses=PartnershipSerializer)
    @action(detail=True, methods=["post"])
    def feature(self, request, pk=None):
        body = FeatureSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        partnership = services.partnership_feature(
            partnership=self.get_object(),
            actor=acting_user(request),
            featured=body.validated_data["featured"],
        )
        return self._respond(partnership)

    @extend_schema(responses=HistoryEntrySerializer(many=True))
    @action(detail=True, methods=["get"])
    def history(self, request, pk=None):
        return self.history_response(selectors.partnership_history(partnership=self.get_object()))


@extend_schema_view(
    create=extend_schema(request=CommitmentItemWriteSerializer, responses={201: CommitmentSerializer}),
    update=extend_schema(request=CommitmentItemWriteSerializer, responses=CommitmentSerializer),
    partial_update=extend_schema(request=CommitmentItemWriteSerializer, responses=CommitmentSerializer),
)
class CommitmentViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Commitments one at a time: how a partner organisation's contributor records its own pledges."""

    serializer_class = CommitmentSerializer
    permission_classes = [IsAuthenticatedOrReadOnly, RulesPermission]
    filterset_fields = ["partnership", "kind", "status"]
    rules_permissions = {
        "update": "registry.change_commitment",
        "partial_update": "registry.change_commitment",
        "destroy": "registry.delete_commitment",
    }

    def get_queryset(self):
        visible = selectors.partnership_visible_queryset(user=self.request.user)
        return Commitment.objects.filter(partnership__in=visible.values("pk")).select_related(
            "partner__organisation", "currency", "partnership"
        )

    def _save(self, request, commitment: Commitment | None, partial: bool = False) -> Response:
        # A form-encoded body is a QueryDict (lists per key); JSON is already a dict, or not an object at all
        # (then the serializer's own 400: "expected a dictionary").
        if not isinstance(request.data, Mapping):
            CommitmentItemWriteSerializer(data=request.data).is_valid(raise_exception=True)
        data = request.data.dict() if hasattr(request.data, "dict") else dict(request.data)
        if commitment is not None:
            data.setdefault("partnership", commitment.partnership_id)
            data.setdefault("organisation", commitment.partner.organisation_id)
            if partial:
                for key in ("kind", "in_kind_type", "status", "description"):
                    data.setdefault(key, getattr(commitment, key))
                data.setdefault("amount", commitment.amount)
                data.setdefault("currency", commitment.currency_id)
        body = CommitmentItemWriteSerializer(data=data)
        body.is_valid(raise_exception=True)
        partnership = get_object_or_404(
            selectors.partnership_visible_queryset(user=request.user),
            pk=body.validated_data["partnership"].pk,
        )
        if commitment is None and not request.user.has_perm("registry.add_commitment", partnership):
            self.permission_denied(request)
        values = body.to_data(body.validated_data)
        if not (
            request.user.has_perm("registry.change_partnership", partnership)
            or values.organisation.pk in approved_organisation_ids(request.user)
        ):
            self.permission_denied(
                request, message="You can record commitments only for your own organisation."
            )
        saved = services.commitment_save(partnership=partnership, author=acting_user(request), data=values,
                                         commitment=commitment)  # fmt: skip
        return Response(
            CommitmentSerializer(saved).data,
            status=status.HTTP_201_CREATED if commitment is None else status.HTTP_200_OK,
        )

    def create(self, request, *args, **kwargs):
        return self._save(request, None)

    def update(self, request, *args, **kwargs):
        return self._save(request, self.get_object(), partial=kwargs.get("partial", False))

    def perform_destroy(self, instance):
        services.commitment_delete(commitment=instance, author=acting_user(self.request))


class SuggestionSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["organisation", "country", "goal"])
    value = serializers.CharField(help_text="Use as the value of the `param` filter")
    label = serializers.CharField()  # type: ignore[assignment]  # a declared field, popped by the metaclass
    param = serializers.CharField()


@extend_schema(
    parameters=[OpenApiParameter("q", str, required=True, description="At least two characters")],
    responses=SuggestionSerializer(many=True),
)
@api_view(["GET"])
@permission_classes([AllowAny])
def suggest(request):
    """Typeahead: organisations, countries and goals matching the typed text, in the request's language."""
    items = selectors.suggestions(text=request.query_params.get("q", "")[:100])
    return Response(SuggestionSerializer(items, many=True).data)
