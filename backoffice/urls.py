from django.urls import path, re_path

from backoffice import views_import

app_name = "backoffice"
urlpatterns: list = [
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
]
