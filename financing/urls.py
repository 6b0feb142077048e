from django.urls import path

from financing import views

app_name = "financing"
urlpatterns = [
    path("conventions/", views.convention_list, name="conventions"),
    path("conventions/<int:pk>/tableau-de-bord/", views.convention_detail, name="dashboard"),
    path("donnees-essentielles/subventions.csv", views.scdl_public_file, name="scdl_subventions"),
]
