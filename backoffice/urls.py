from django.urls import path

from backoffice import views

app_name = "backoffice"
urlpatterns: list = [
    path("conventions/", views.convention_list, name="convention_list"),
    path("conventions/<int:pk>/", views.convention_detail, name="convention"),
    path("conventions/<int:pk>/historique/", views.convention_history, name="convention_history"),
    path("conventions/<int:pk>/tableau-de-bord/", views.legacy_dashboard, name="legacy_dashboard"),
    path("portefeuille/", views.portfolio_page, name="portfolio"),
]
