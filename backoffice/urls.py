from django.urls import path, re_path

from backoffice import (
    views,
    views_import,
    views_payments,
    views_plan,
    views_setup,
    views_setup_parts,
)

app_name = "backoffice"
urlpatterns: list = [
    # The conventions, the convention page and the portfolio.
    path("conventions/", views.convention_list, name="convention_list"),
    path("conventions/<int:pk>/", views.convention_detail, name="convention"),
    path("conventions/<int:pk>/axe/<int:number>/", views.axis_actions, name="axis_actions"),
    path("conventions/<int:pk>/retards/", views.convention_late, name="convention_late"),
    path("conventions/<int:pk>/historique/", views.convention_history, name="convention_history"),
    path("conventions/<int:pk>/tableau-de-bord/", views.legacy_dashboard, name="legacy_dashboard"),
    path("portefeuille/", views.portfolio_page, name="portfolio"),
    # The financing plan grid.
    path("conventions/<int:pk>/plan-de-financement/", views_plan.plan, name="plan"),
    # The financing plan from a spreadsheet: its template, the preview, the import.
    re_path(
        r"^conventions/(?P<pk>\d+)/plan-de-financement/modele\.(?P<fmt>xlsx|ods)$",
        views_import.plan_template,
        name="plan_template",
    ),
    path(
        "conventions/<int:pk>/plan-de-financement/import/",
        views_import.plan_import_page,
        name="plan_import",
    ),
    path(
        "conventions/<int:pk>/plan-de-financement/import/appliquer/",
        views_import.plan_import_apply,
        name="plan_import_apply",
    ),
    # The payments.
    path("conventions/<int:pk>/versements/", views_payments.payments, name="payments"),
    path(
        "conventions/<int:pk>/versements/<int:payment_pk>/verse/",
        views_payments.payment_paid,
        name="payment_paid",
    ),
    path(
        "conventions/<int:pk>/versements/<int:payment_pk>/annuler/",
        views_payments.payment_cancel,
        name="payment_cancel",
    ),
    path("conventions/<int:pk>/versements/solde/", views_payments.balance, name="balance"),
    path("conventions/<int:pk>/bilan-final/", views_payments.final_report, name="final_report"),
    # The guided set-up.
    path("conventions/nouvelle/", views_setup.convention_create, name="convention_create"),
    path("conventions/<int:pk>/modifier/", views_setup.convention_edit, name="convention_edit"),
    path("conventions/<int:pk>/axes/", views_setup_parts.convention_axes, name="convention_axes"),
    path(
        "conventions/<int:pk>/actions/",
        views_setup_parts.convention_actions,
        name="convention_actions",
    ),
    path(
        "conventions/<int:pk>/indicateurs/",
        views_setup_parts.convention_indicators,
        name="convention_indicators",
    ),
    path("conventions/<int:pk>/signer/", views_setup.convention_sign_view, name="convention_sign"),
]
