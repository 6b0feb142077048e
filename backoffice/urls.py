from django.urls import path  # noqa: F401

app_name = "backoffice"
urlpatterns: list = []

# The guided set-up, the financing plan grid and the payments.
from backoffice import views_plan  # noqa: E402

urlpatterns += [
    path("conventions/<int:pk>/plan-de-financement/", views_plan.plan, name="plan"),
]

from backoffice import views_payments  # noqa: E402

urlpatterns += [
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
]
