from django.urls import path

from reporting import views

app_name = "reporting"
urlpatterns = [
    path(
        "conventions/<int:pk>/rapports/",
        views.convention_reports,
        name="convention_reports",
    ),
    path("rapports/<int:pk>/telecharger/", views.report_download, name="report_download"),
    path("rapports/<int:pk>/modifiable/", views.report_editable, name="report_editable"),
]
