"""The public API, v1: one router; each app's api.py provides its viewsets."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from actions.api import ActionViewSet, IndicatorViewSet
from actions.api_progress import ProgressReportViewSet
from actions.api_threads import MessageViewSet
from axes.api import AxisViewSet
from conventions.api_organisations import OrganisationViewSet
from conventions.api_tokens import ApiTokenViewSet
from core.api.errors import api_not_found
from financing.api import AmendmentViewSet, FundingLineViewSet, PaymentViewSet
from financing.api_conventions import ConventionWithTotalsViewSet
from financing.api_imports import PlanImportApplyView, PlanImportDryRunView, PlanTemplateView
from financing.api_totals import TotalsView
from reporting.api import ReportViewSet

router = DefaultRouter()
router.register("organisations", OrganisationViewSet, basename="organisation")
router.register("conventions", ConventionWithTotalsViewSet, basename="convention")
router.register("amendments", AmendmentViewSet, basename="amendment")
router.register("axes", AxisViewSet, basename="axis")
router.register("actions", ActionViewSet, basename="action")
router.register("indicators", IndicatorViewSet, basename="indicator")
router.register("progress-reports", ProgressReportViewSet, basename="progress-report")
router.register("messages", MessageViewSet, basename="message")
router.register("funding-lines", FundingLineViewSet, basename="funding-line")
router.register("payments", PaymentViewSet, basename="payment")
router.register("tokens", ApiTokenViewSet, basename="token")
router.register("reports", ReportViewSet, basename="report")

urlpatterns = [
    path("v1/totals/", TotalsView.as_view(), name="totals"),
    path(
        "v1/conventions/<int:pk>/plan-template/",
        PlanTemplateView.as_view(),
        name="convention-plan-template",
    ),
    path(
        "v1/conventions/<int:pk>/plan-import/dry-run/",
        PlanImportDryRunView.as_view(),
        name="convention-plan-import-dry-run",
    ),
    path(
        "v1/conventions/<int:pk>/plan-import/",
        PlanImportApplyView.as_view(),
        name="convention-plan-import",
    ),
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves its start-up script as a file (?script): no inline script for the CSP.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="docs"),
    re_path(r"^.*$", api_not_found),
]
