from django.urls import path

from accounts import views

urlpatterns = [
    path("connexion/", views.SignInView.as_view(), name="login"),
    path("deconnexion/", views.SignOutView.as_view(), name="logout"),
    path("mot-de-passe/oublie/", views.ResetRequestView.as_view(), name="password_reset"),
    path("mot-de-passe/oublie/envoye/", views.ResetDoneView.as_view(), name="password_reset_done"),
    path(
        "mot-de-passe/nouveau/<uidb64>/<token>/",
        views.ResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "mot-de-passe/nouveau/fait/",
        views.ResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("mot-de-passe/changer/", views.ChangePasswordView.as_view(), name="password_change"),
    path(
        "mot-de-passe/change/", views.ChangePasswordDoneView.as_view(), name="password_change_done"
    ),
]
