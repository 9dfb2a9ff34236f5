"""API of reporting: progress reports (CRUD and workflow) and the compliance counts."""

from django.db.models import Q
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action, api_view, permission_classes
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.permissions import AllowAny, IsAuthenticatedOrReadOnly
from rest_framework.response import Response

from partnerhub.accounts.rules import approved_organisation_ids, is_secretariat
from partnerhub.core.api import CodeRelatedField, RulesPermission
from partnerhub.reference.models import Currency, Indicator
from partnerhub.registry.api import SEARCH_PARAMETERS
from partnerhub.registry.filters import PartnershipFilter
from partnerhub.registry.models import Commitment, Deliverable, Organisation, Partnership

from . import selectors, services
from .models import (
    BeneficiaryCount,
    ComplianceStatus,
    DeliverableProgress,
    IndicatorValue,
    Report,
    ResourceMobilised,
)
from .rules import own_organisations


class ProgressSerializer(serializers.ModelSerializer):
    deliverable = serializers.PrimaryKeyRelatedField(queryset=Deliverable.objects.all())

    class Meta:
        model = DeliverableProgress
        fields = ["deliverable", "status", "percent", "note"]


class IndicatorValueSerializer(serializers.ModelSerializer):
    organisation = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all())
    indicator = serializers.PrimaryKeyRelatedField(
        queryset=Indicator.objects.all(), required=False, allow_null=True
    )

    class Meta:
        model = IndicatorValue
        fields = ["organisation", "indicator", "label", "unit", "baseline", "target", "value", "date"]


class BeneficiarySerializer(serializers.ModelSerializer):
    organisation = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all())

    class Meta:
        model = BeneficiaryCount
        fields = ["organisation", "group", "total", "women", "men", "children", "youth", "adults", "older",
                  "with_disability"]  # fmt: skip


class ResourceSerializer(serializers.ModelSerializer):
    organisation = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all())
    currency = CodeRelatedField(
        slug_field="code", queryset=Currency.objects.all(), required=False, allow_null=True
    )
    kind = serializers.ChoiceField(choices=Commitment.Kind.choices)

    class Meta:
        model = ResourceMobilised
        fields = ["organisation", "kind", "amount", "currency", "description"]


class ReportSerializer(serializers.ModelSerializer):
    """A progress report. Nested lists replace the rows the caller may write (a contributor: only the
    rows of their organisation; the narrative and deliverables are the focal point's)."""

    partnership = serializers.PrimaryKeyRelatedField(queryset=Partnership.objects.all())
    deliverables = ProgressSerializer(many=True, required=False)
    indicator_values = IndicatorValueSerializer(many=True, required=False)
    beneficiaries = BeneficiarySerializer(many=True, required=False)
    resources = ResourceSerializer(many=True, required=False)
    version = serializers.IntegerField(required=False, help_text="The version you read; 409 if stale")

    class Meta:
        model = Report
        fields = [
            "id", "partnership", "period_start", "period_end", "overall_status", "summary", "challenges", "lessons",
            "is_public", "status", "submitted_at", "decided_at", "version", "deliverables", "indicator_values",
            "beneficiaries", "resources", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = ["status", "submitted_at", "decided_at", "created_at", "updated_at"]
        validators: list = []  # the service checks the period (with the current data)

    def to_data(self) -> services.ReportData:
        v = self.validated_data
        data = services.ReportData(**{name: v.get(name, "" if name in ("challenges", "lessons") else None)
                                      for name in services.SCALARS})  # fmt: skip
        if data.is_public is None:
            data.is_public = True
        if "deliverables" in v:
            data.deliverables = [services.ProgressData(**row) for row in v["deliverables"]]
        for name, cls in (
            ("indicator_values", services.IndicatorValueData),
            ("beneficiaries", services.BeneficiaryData),
            ("resources", services.ResourceData),
        ):
            if name in v:
                setattr(data, name, [cls(**row) for row in v[name]])
        return data


class CommentSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="")


def _comment(request) -> str:
    """The review's comment; a body that is not a JSON object is a 400 (it failed on `.get`)."""
    body = CommentSerializer(data=request.data)
    body.is_valid(raise_exception=True)
    return body.validated_data["comment"]


class ReportViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin,
    mixins.DestroyModelMixin, viewsets.GenericViewSet,
):  # fmt: skip
    """Progress reports: public accepted reports for everyone; all reports of their partnerships for focal
    points, partner contributors and the secretariat. Filter with `?partnership=<id>` and `?status=`."""

    serializer_class = ReportSerializer
    queryset = Report.objects.none()
    filterset_fields = ["partnership", "status"]
    permission_classes = [IsAuthenticatedOrReadOnly, RulesPermission]
    rules_permissions = {
        "retrieve": "reporting.view_report",
        "update": "reporting.change_report",
        "partial_update": "reporting.change_report",
        "destroy": "reporting.delete_report",
        "submit": "reporting.submit_report",
        "accept": "reporting.review_report",
        "return_to_focal_point": "reporting.review_report",
    }

    def get_queryset(self):
        user = self.request.user
        reports = selectors.report_detail_queryset()
        if is_secretariat(user):
            return reports
        public = Q(
            status=Report.Status.ACCEPTED, is_public=True, partnership__status=Partnership.Status.PUBLISHED
        )
        if not user.is_authenticated:
            return reports.filter(public)
        mine = Q(partnership__focal_points=user) | Q(
            partnership__partners__organisation__in=approved_organisation_ids(user)
        )
        return reports.filter(public | mine).distinct()

    def perform_create(self, serializer):
        partnership = serializer.validated_data["partnership"]
        if not self.request.user.has_perm("reporting.add_report", partnership):
            raise PermissionDenied("Only a focal point of this published partnership can start a report.")
        serializer.instance = services.report_create(
            partnership=partnership,
            author=self.request.user,  # type: ignore[arg-type]
            data=serializer.to_data(),
        )

    def perform_update(self, serializer):
        report = serializer.instance
        if serializer.validated_data.get("partnership", report.partnership) != report.partnership:
            raise ValidationError({"partnership": ["A report stays with its partnership."]})
        data = serializer.to_data()
        current = services.report_data_of(report)
        for name in services.SCALARS:  # PATCH: what was not sent stays as it is
            if name not in serializer.validated_data:
                setattr(data, name, getattr(current, name))
        serializer.instance = services.report_update(
            report=report, author=self.request.user, data=data,  # type: ignore[arg-type]
            version=serializer.validated_data.get("version"),
            own_only=own_organisations(self.request.user, report),
        )  # fmt: skip

    def perform_destroy(self, instance):
        services.report_delete(report=instance, author=self.request.user)  # type: ignore[arg-type]

    def _act(self, fn, **kwargs):
        report = self.get_object()
        fn(report=report, **kwargs)
        return Response(ReportSerializer(selectors.report_detail_queryset().get(pk=report.pk)).data)

    @extend_schema(request=None, responses=ReportSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._act(services.report_submit, author=request.user)

    @extend_schema(request=CommentSerializer, responses=ReportSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        return self._act(services.report_accept, reviewer=request.user, comment=_comment(request))

    @extend_schema(request=CommentSerializer, responses=ReportSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def return_to_focal_point(self, request, pk=None):
        return self._act(services.report_return, reviewer=request.user, comment=_comment(request))


@extend_schema(
    description="Published partnerships per reporting status, for any browse query and filters (delisted "
    "ones included).",
    parameters=SEARCH_PARAMETERS,
    responses=inline_serializer(
        "ComplianceCounts",
        {
            "counts": inline_serializer(
                "ComplianceCountValues", {s: serializers.IntegerField() for s in ComplianceStatus.values}
            )
        },
    ),
)
@api_view(["GET"])
@permission_classes([AllowAny])
def compliance_counts(request):
    filterset = PartnershipFilter(request.query_params, queryset=Partnership.objects.none())
    if not filterset.is_valid():
        raise ValidationError(filterset.errors)
    return Response({"counts": selectors.compliance_counts(filterset.to_search(limit=1))})
