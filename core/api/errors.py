"""How the API answers a refusal: per-field messages in French, JSON under /api/ whatever happens.

Two kinds of refusal, two status codes. 400: the request does not match the schema (a type, a
format, a range, a required field, an unknown parameter). 409: the request matches the schema but
the data as it stands refuses it: a management rule (a closed convention is frozen, a payment is
never deleted), an object that does not exist or that the caller cannot see, a duplicate, a stale
version. The body is the same in both cases: messages per field."""

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

# DRF's codes for a well-formed value that the stored data refuses, and ours for a rule checked in
# a serializer (`serializers.ValidationError(..., code=CONFLICT)`).
CONFLICT = "conflict"
CONFLICT_CODES = frozenset({CONFLICT, "does_not_exist", "unique"})


class Conflict(exceptions.ValidationError):
    status_code = status.HTTP_409_CONFLICT
    default_code = CONFLICT


def _leaf_codes(codes) -> set[str]:
    if isinstance(codes, dict):
        return set().union(*map(_leaf_codes, codes.values())) if codes else set()
    if isinstance(codes, list):
        return set().union(*map(_leaf_codes, codes)) if codes else set()
    return {str(codes)}


def _django_errors(exc: DjangoValidationError) -> dict | list:
    if hasattr(exc, "error_dict"):
        return {
            ("non_field_errors" if field == "__all__" else field): messages
            for field, messages in exc.message_dict.items()
        }
    return {"non_field_errors": exc.messages}


def _is_conflict(exc: exceptions.ValidationError) -> bool:
    codes = _leaf_codes(exc.get_codes())
    return bool(codes) and codes <= CONFLICT_CODES


def exception_handler(exc, context):
    """The services speak django's ValidationError: a rule's refusal, 409 with per-field messages.
    A serializer's refusal is a 400, unless every message in it is of a conflict code."""
    if isinstance(exc, DjangoValidationError):
        exc = Conflict(_django_errors(exc))
    elif type(exc) is exceptions.ValidationError and _is_conflict(exc):
        exc = Conflict(exc.detail)
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
