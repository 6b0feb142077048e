from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from conventions.views import SignInView, SignOutView, home

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("config.api_urls")),
    path("", home, name="home"),
    path("connexion/", SignInView.as_view(), name="login"),
    path("deconnexion/", SignOutView.as_view(), name="logout"),
    path("", include("conventions.urls")),
    path("", include("actions.urls")),
    path("", include("financing.urls")),
    path("", include("reporting.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
