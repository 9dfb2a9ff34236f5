"""REST API v1 routes."""

from django.urls import include, path, re_path
from rest_framework.routers import DefaultRouter

from partnerhub.accounts.api import TokenView
from partnerhub.assist import api as assist_api
from partnerhub.diligence import api as diligence_api
from partnerhub.insights import api as insights_api
from partnerhub.interop import api as interop_api
from partnerhub.lifecycle import api as lifecycle_api
from partnerhub.matching import api as matching_api
from partnerhub.reference import api as reference_api
from partnerhub.registry import api as registry_api
from partnerhub.reporting import api as reporting_api

app_name = "api"

router = DefaultRouter()
router.register("sdg/goals", reference_api.GoalViewSet, basename="goal")
router.register("sdg/targets", reference_api.TargetViewSet, basename="target")
router.register("sdg/indicators", reference_api.IndicatorViewSet, basename="indicator")
router.register("areas", reference_api.AreaViewSet, basename="area")
router.register("organisations", registry_api.OrganisationViewSet, basename="organisation")
router.register("partnerships", registry_api.PartnershipViewSet, basename="partnership")
router.register("commitments", registry_api.CommitmentViewSet, basename="commitment")
router.register("reports", reporting_api.ReportViewSet, basename="report")
router.register("diligence/matches", diligence_api.ScreeningMatchViewSet, basename="screening-match")
router.register("imports", interop_api.ImportJobViewSet, basename="import-job")

urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="token"),
    path("suggest/", registry_api.suggest, name="suggest"),
    path("assist/sdg", assist_api.suggest_sdg, name="assist-sdg"),
    path("assist/similar/<int:pk>/", assist_api.similar_partnerships, name="assist-similar"),
    path("insights/coverage/", insights_api.coverage, name="insights-coverage"),
    path("insights/coverage.csv", insights_api.coverage_csv, name="insights-coverage-csv"),
    path("insights/gaps/", insights_api.gaps, name="insights-gaps"),
    path("insights/gaps.csv", insights_api.gaps_csv, name="insights-gaps-csv"),
    path("insights/interlinkages/", insights_api.interlinkages, name="insights-interlinkages"),
    path("insights/interlinkages.csv", insights_api.interlinkages_csv, name="insights-interlinkages-csv"),
    path("insights/champions/", insights_api.champions, name="insights-champions"),
    path("insights/champions/<int:pk>/", insights_api.champion, name="insights-champion"),
    path("matching/needs/<int:pk>/matches/", matching_api.need_matches, name="need-matches"),
    path("matching/offers/<int:pk>/matches/", matching_api.offer_matches, name="offer-matches"),
    path("pitches/", matching_api.pitches, name="pitches"),
    path("pitches/<int:pk>/", matching_api.pitch_detail, name="pitch-detail"),
    path("pitches/<int:pk>/interest/", matching_api.pitch_interest, name="pitch-interest"),
    path("reporting/compliance/", reporting_api.compliance_counts, name="compliance-counts"),
    re_path(
        r"^export/partnerships\.(?P<extension>csv|jsonl|xml|xlsx)$",
        interop_api.export_partnerships,
        name="export-partnerships",
    ),
    path("", include(router.urls)),
    path("", include(lifecycle_api.urlpatterns)),
]
