"""The project's URLs plus one page that fails, to see the 500 page a user gets."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.urls import path

from config.urls import handler400, handler403, handler404, handler500, urlpatterns


def boom(request):
    raise RuntimeError("secret internal detail: SELECT * FROM conventions_convention")


def refused(request):
    raise PermissionDenied("internal reason")


def suspicious(request):
    raise SuspiciousOperation("internal reason")


urlpatterns = [
    path("boom/", boom),
    path("api/boom/", boom),
    path("refuse/", refused),
    path("suspect/", suspicious),
    *urlpatterns,
]
__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]
