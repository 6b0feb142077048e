"""The public open-data files (the officers' pages live in backoffice)."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control
from django.utils.http import http_date
from django.views.decorators.http import require_safe

from financing.models import Publication
from financing.opendata import SCDL_FILE_NAME, scdl_json
from financing.services import scdl_publish


def _scdl_publication() -> Publication:
    publication = Publication.objects.filter(name=SCDL_FILE_NAME).first()
    return publication or scdl_publish()


def _public(request: HttpRequest, publication: Publication, body: str, *, kind: str, name: str):
    """The file as last published: public, no sign-in, cacheable, with its publication date."""
    etag = '"' + hashlib.sha256(body.encode()).hexdigest()[:32] + '"'
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(body, content_type=f"{kind}; charset=utf-8")
        response["Content-Disposition"] = f'inline; filename="{name}"'
    response["ETag"] = etag
    response["Last-Modified"] = http_date(publication.published_at.timestamp())
    response["X-Publication-Date"] = publication.published_at.isoformat()
    patch_cache_control(response, public=True, max_age=settings.OPENDATA_CACHE_SECONDS)
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
def scdl_public_file(request: HttpRequest) -> HttpResponse:
    """The SCDL « subventions » CSV, the form the official schema describes."""
    publication = _scdl_publication()
    return _public(request, publication, publication.content, kind="text/csv", name=SCDL_FILE_NAME)


@require_safe
def scdl_public_json(request: HttpRequest) -> HttpResponse:
    """The same rows as JSON objects, typed by the schema, with the publication date."""
    publication = _scdl_publication()
    body = scdl_json(publication.content, published_at=publication.published_at)
    return _public(request, publication, body, kind="application/json", name="subventions.json")
