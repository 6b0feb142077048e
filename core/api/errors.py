"""How the API answers a refusal: per-field messages in French, JSON under /api/ whatever happens."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import ProtectedError
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, status
from rest_framework.decorators import api_view
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

# --- errors -------------------------------------------------------------------------------------


def _django_errors(exc: DjangoValidationError) -> dict | list:
    if hasattr(exc, "error_dict"):
        return {
            ("non_field_errors" if field == "__all__" else field): messages
            for field, messages in exc.message_dict.items()
        }
    return {"non_field_errors": exc.messages}


def exception_handler(exc, context):
    """The services speak django's ValidationError; the API answers 400 with per-field messages."""
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(_django_errors(exc))
    elif isinstance(exc, Http404):  # Django's message names the model, in English
        exc = exceptions.NotFound("Non trouvé.")
    elif isinstance(exc, ProtectedError):
        return Response(
            {"detail": "Suppression impossible : d'autres données en dépendent (versements…)."},
            status=status.HTTP_409_CONFLICT,
        )
    return drf_exception_handler(exc, context)


@extend_schema(exclude=True)
@api_view(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"])
def api_not_found(request, *args, **kwargs):
    """Any other address under /api/ answers in JSON too (a malformed id included)."""
    raise exceptions.NotFound("Aucune ressource à cette adresse.")
