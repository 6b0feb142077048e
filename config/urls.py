from django.contrib import admin
from django.urls import include, path

from conventions.views import home
from core.health import healthz

handler400 = "core.errors.bad_request"
handler403 = "core.errors.permission_denied"
handler404 = "core.errors.page_not_found"
handler500 = "core.errors.server_error"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/", include("config.api_urls")),
    path("", home, name="home"),
    path("", include("accounts.urls")),
    path("", include("conventions.urls")),
    path("", include("actions.urls")),
    path("", include("financing.urls")),
    path("", include("reporting.urls")),
    path("", include("backoffice.urls")),
]

# Nothing under MEDIA_URL is served, DEBUG or not: every stored file goes through a view that
# checks who may see it.
