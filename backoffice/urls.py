from django.urls import path  # noqa: F401

app_name = "backoffice"
urlpatterns: list = []

# The guided set-up, the financing plan grid and the payments.
from backoffice import views_plan  # noqa: E402

urlpatterns += [
    path("conventions/<int:pk>/plan-de-financement/", views_plan.plan, name="plan"),
]
