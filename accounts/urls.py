from django.urls import path

from accounts import oidc, views

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
    path("connexion/verification/", views.second_factor_verify, name="second_factor_verify"),
    path(
        "compte/double-authentification/",
        views.second_factor_enrol,
        name="second_factor_enrol",
    ),
    path("compte/", views.account, name="account"),
    path("proconnect/", oidc.ProConnectLoginView.as_view(), name="oidc_authentication_init"),
    path(
        "proconnect/retour/",
        oidc.ProConnectCallbackView.as_view(),
        name="oidc_authentication_callback",
    ),
]
