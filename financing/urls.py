from django.urls import path

from financing import views

app_name = "financing"
urlpatterns = [
    path("donnees-essentielles/subventions.csv", views.scdl_public_file, name="scdl_subventions"),
    path(
        "donnees-essentielles/subventions.json",
        views.scdl_public_json,
        name="scdl_subventions_json",
    ),
]
